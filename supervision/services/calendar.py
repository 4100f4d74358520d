"""Ticket writes: every step of the closed loop is one function here.

Each transition locks the ticket row, checks the state (an impossible step raises
TransitionError, which the API turns into 409), changes the ticket and appends one TicketEvent.
Two officers acting at once: the second waits for the lock, then finds the state changed and
gets a TransitionError instead of writing a second event.
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Unit

from ..models import CalendarDay, CategorySetting
from ..permissions import may_edit_calendar


def category_days(category: str, urgency: str) -> int:
    setting = CategorySetting.objects.filter(category=category).first()
    if setting is None:
        return CategorySetting(category=category).days_for(urgency)
    return setting.days_for(urgency)


@transaction.atomic
def calendar_day_save(*, by: User, date: datetime.date, is_workday: bool, name: str = "", day=None):
    """Add a holiday or make-up working day, or change one (`day`); one row per date."""
    may_edit_calendar(by).check()
    taken = CalendarDay.objects.filter(date=date)
    if day is not None:
        taken = taken.exclude(pk=day.pk)
    if taken.exists():
        raise ValidationError({"date": _("该日期已有安排，请直接修改。")})
    day = day or CalendarDay()
    day.date = date
    day.is_workday = bool(is_workday)
    day.name = (name or "").strip()
    day.full_clean()
    day.save()
    return day


@transaction.atomic
def calendar_day_delete(*, by: User, day) -> None:
    may_edit_calendar(by).check()
    day.delete()


@transaction.atomic
def category_setting_update(
    *,
    by: User,
    setting: CategorySetting,
    normal_days: int,
    urgent_days: int,
    critical_days: int,
    default_unit: Unit | None = None,
) -> CategorySetting:
    """Change a category's time limits (working days) and default responsible unit.

    Tickets already assigned keep their deadline; the new limits apply from the next assignment.
    """
    may_edit_calendar(by).check()
    if default_unit is not None and not default_unit.is_responsible:
        raise ValidationError({"default_unit": _("该单位不是承办单位。")})
    if not normal_days >= urgent_days >= critical_days:
        raise ValidationError(_("时限应满足：一般 ≥ 紧急 ≥ 特急。"))
    setting.normal_days = normal_days
    setting.urgent_days = urgent_days
    setting.critical_days = critical_days
    setting.default_unit = default_unit
    setting.full_clean()
    setting.save()
    return setting
