"""Seed the holiday table from chinese-calendar and one time-limit row per category.

Self-contained (historical models and the chinese-calendar package only), so later changes to
the app's code cannot break a fresh install.
"""

import datetime

import chinese_calendar
from django.db import migrations

# Chinese names for the package's English holiday names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}



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


def official_calendar_days(
    first_year: int = 2020,
) -> list[tuple[datetime.date, bool, str]]:
    days = []
    for day, name in chinese_calendar.holidays.items():
        if day.year >= first_year:
            days.append((day, False, HOLIDAY_NAMES.get(str(name), str(name))))
    for day, name in chinese_calendar.workdays.items():
        if day.year >= first_year:
            days.append((day, True, HOLIDAY_NAMES.get(str(name), str(name)) + "调休"))
    return sorted(days)


def seed(apps, schema_editor):
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
