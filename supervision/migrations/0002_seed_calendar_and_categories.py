"""Seed the holiday table from chinese-calendar and one time-limit row per category."""

from django.db import migrations

CATEGORIES = [
    "financing",
    "land",
    "approvals",
    "utilities",
    "labour",
    "market",
    "policy",
    "infrastructure",
    "disputes",
    "arbitrary_charges",
    "other",
]


def seed(apps, schema_editor):
    from supervision.calendar_data import official_calendar_days

    CalendarDay = apps.get_model("supervision", "CalendarDay")
    CategorySetting = apps.get_model("supervision", "CategorySetting")
    for day, is_workday, name in official_calendar_days():
        CalendarDay.objects.get_or_create(
            date=day, defaults={"is_workday": is_workday, "name": name}
        )
    for category in CATEGORIES:
        CategorySetting.objects.get_or_create(category=category)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_tickets_and_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
