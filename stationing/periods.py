"""Reporting periods of a programme and their due moments.

1. Half-monthly: the 1st-15th and the 16th-month end; monthly: the whole calendar month.
2. Periods are clipped to the programme's start and end dates.
3. A period is due `report_due_days` days after its last day, at 23:59:59 Asia/Shanghai
   (the programme's time zone: what users see). A submission at that second is on time; one
   second later it is late.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.dates import end_of_day

from .choices import ReportCycle

# The longest period (a calendar month): the most days on site a report can give. The service
# checks a submitted report against its own period's length.
MAX_PERIOD_DAYS = 31


@dataclass(frozen=True)
class PeriodSpec:
    number: int
    start: datetime.date
    end: datetime.date
    due_at: datetime.datetime
    part: str

    @property
    def label(self) -> str:
        return period_label(self.start, self.part)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_moment(end: datetime.date, due_days: int) -> datetime.datetime:
    return end_of_day(end + datetime.timedelta(days=due_days))


def period_label(start: datetime.date, part: str) -> str:
    values = {"year": start.year, "month": start.month}
    if part == "first":
        return _("%(year)d年%(month)d月上半月") % values
    if part == "second":
        return _("%(year)d年%(month)d月下半月") % values
    return _("%(year)d年%(month)d月") % values


def _natural_period(day: datetime.date, cycle: str) -> tuple[datetime.date, datetime.date, str]:
    if cycle == ReportCycle.MONTH:
        return day.replace(day=1), month_end(day), "month"
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15), "first"
    return day.replace(day=16), month_end(day), "second"


def generate_periods(
    *, start: datetime.date, end: datetime.date, cycle: str, due_days: int
) -> list[PeriodSpec]:
    periods = []
    day = start
    number = 1
    while day <= end:
        natural_start, natural_end, part = _natural_period(day, cycle)
        period_start = max(natural_start, start)
        period_end = min(natural_end, end)
        periods.append(
            PeriodSpec(
                number=number,
                start=period_start,
                end=period_end,
                due_at=due_moment(period_end, due_days),
                part=part,
            )
        )
        number += 1
        day = natural_end + datetime.timedelta(days=1)
    return periods
