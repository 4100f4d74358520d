"""Reads for tickets, scoped to the user. Pages and API both start here.

- superuser: everything
- office and leader: tickets of enterprises in their territory or their programmes, and any
  ticket a leader personally handles (包案)
- department: tickets assigned to their unit as responsible or co-handling unit
- cadre: tickets of the enterprises they are stationed at
- enterprise contact: their own enterprise's tickets
"""

from django.db.models import QuerySet


def calendar_day_list(*, year: int) -> QuerySet:
    """The holiday table for one year (the office's settings page; not confidential)."""
    from supervision.models import CalendarDay

    return CalendarDay.objects.filter(date__year=year).order_by("date")


def category_setting_list() -> QuerySet:
    from supervision.models import CategorySetting

    return CategorySetting.objects.select_related("default_unit").order_by("category")


def calendar_day_list_all() -> QuerySet:
    from supervision.models import CalendarDay

    return CalendarDay.objects.all()
