"""Reads for the working-day calendar (holidays, 调休) and the time limit of each category: the
office's settings page and the deadline arithmetic. Neither is confidential."""

from django.db.models import QuerySet

from ..models import CalendarDay, CategorySetting


def calendar_day_list(*, year: int) -> QuerySet:
    """The holiday table for one year (the office's settings page; not confidential)."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def category_setting_list() -> QuerySet:
    return CategorySetting.objects.select_related("default_unit").order_by("category")


def calendar_day_list_all() -> QuerySet:
    return CalendarDay.objects.all()
