"""Working days on the official Chinese calendar, and ticket deadlines measured in them.

1. A day is a working day if the holiday table says so (make-up working days 调休 included);
   otherwise Monday to Friday are working days.
2. A year with no rows in the table (the `chinese-calendar` package stops at 2026) falls back to
   plain weekends: never an error, and `uncovered_years()` lets the settings page warn.
3. A ticket's clock counts whole working days after the day it was assigned: its deadline is
   23:59:59 (Asia/Shanghai) of the N-th working day; its working time is those N days, and the
   fraction used at a moment is the share of that time already passed (non-working days do not
   count). Yellow at 75%, red once the deadline has passed.
"""

import datetime
import math

from django.utils import timezone

from core.dates import end_of_day, local_date, start_of_day

from .choices import CLOCK_STATES, Colour
from .models import CalendarDay

YELLOW_SHARE = 0.75
DAY = datetime.timedelta(days=1)


class WorkCalendar:
    """The calendar for a span of years, loaded in one query."""

    def __init__(self, overrides: dict[datetime.date, bool], covered_years: set[int]):
        self.overrides = overrides
        self.covered_years = covered_years

    @classmethod
    def load(cls, first_year: int, last_year: int) -> "WorkCalendar":
        rows = CalendarDay.objects.filter(
            date__gte=datetime.date(first_year, 1, 1), date__lte=datetime.date(last_year, 12, 31)
        ).values_list("date", "is_workday")
        overrides = dict(rows)
        return cls(overrides, {day.year for day in overrides})

    @classmethod
    def around(cls, day: datetime.date, years_after: int = 1) -> "WorkCalendar":
        return cls.load(day.year - 1, day.year + years_after)

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def next_working_days(self, after: datetime.date, count: int) -> list[datetime.date]:
        """The first `count` working days after `after` (not counting `after` itself)."""
        days = []
        day = after
        while len(days) < count:
            day += DAY
            if self.is_workday(day):
                days.append(day)
        return days

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        return self.next_working_days(start, count)[-1] if count > 0 else start

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + n * DAY))


def moment_at_share(
    start: datetime.datetime, days: int, share: float, calendar: WorkCalendar | None = None
) -> datetime.datetime:
    """The moment when `share` of a `days`-working-day limit starting at `start` has passed."""
    calendar = calendar or WorkCalendar.around(local_date(start))
    working = calendar.next_working_days(local_date(start), days)
    position = share * days
    index = math.floor(position)
    if index >= days:
        return start_of_day(working[-1]) + DAY
    return start_of_day(working[index]) + (position - index) * DAY


def ticket_clock(
    start: datetime.datetime, days: int
) -> tuple[datetime.datetime, datetime.datetime]:
    """(deadline, yellow_at) of a limit of `days` working days starting at `start`."""
    calendar = WorkCalendar.around(local_date(start))
    deadline_day = calendar.add_working_days(local_date(start), days)
    return end_of_day(deadline_day), moment_at_share(start, days, YELLOW_SHARE, calendar)


def extend_deadline(deadline: datetime.datetime, days: int) -> datetime.datetime:
    calendar = WorkCalendar.around(local_date(deadline))
    return end_of_day(calendar.add_working_days(local_date(deadline), days))


def colour(ticket, now: datetime.datetime | None = None) -> str | None:
    """Green, yellow or red while the department's clock runs; None otherwise."""
    if ticket.state not in CLOCK_STATES or ticket.deadline is None:
        return None
    now = now or timezone.now()
    if now > ticket.deadline:
        return Colour.RED
    if ticket.yellow_at is not None and now >= ticket.yellow_at:
        return Colour.YELLOW
    return Colour.GREEN


def working_days_left(
    deadline: datetime.datetime, today: datetime.date, calendar: WorkCalendar
) -> int:
    """Whole working days left after today, as the limit counts them: a 5-day ticket assigned
    today has 5 left; 0 means it is due today; negative, the working days it is overdue."""
    deadline_day = local_date(deadline)
    if deadline_day >= today:
        return calendar.working_days_between(today, deadline_day)
    return -calendar.working_days_between(deadline_day, today)


def uncovered_years(years) -> list[int]:
    """Years for which the holiday table has no data (deadlines there use weekends only)."""
    covered = set(
        CalendarDay.objects.filter(date__year__in=list(years))
        .dates("date", "year")
        .values_list("date__year", flat=True)
    )
    return sorted(set(years) - covered)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` on the official calendar (loaded for the span)."""
    calendar = WorkCalendar.load(start.year - 1, start.year + 1 + count // 200)
    return calendar.add_working_days(start, count)
