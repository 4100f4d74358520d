"""Working days on the official calendar (seeded from chinese-calendar by a migration)."""

import datetime

import pytest

from core.dates import SHANGHAI
from supervision.choices import Colour
from supervision.models import CalendarDay, Ticket
from supervision.workdays import (
    WorkCalendar,
    colour,
    moment_at_share,
    ticket_clock,
    uncovered_years,
    working_days_left,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def cal():
    return WorkCalendar.load(2024, 2028)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Spring Festival 2025: 28 Jan - 4 Feb off; Sun 26 Jan and Sat 8 Feb are working days.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 24), 2, D(2025, 1, 27)),
        (D(2025, 1, 24), 3, D(2025, 2, 5)),
        (D(2025, 2, 5), 3, D(2025, 2, 8)),
        # National Day 2025: 1-8 Oct off; Sun 28 Sep and Sat 11 Oct are working days.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 10, 9), 2, D(2025, 10, 11)),
        # Spring Festival 2026: 15-23 Feb off; Sat 14 Feb and Sat 28 Feb are working days.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),
        # National Day 2026: 1-7 Oct off; Sun 20 Sep and Sat 10 Oct are working days.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 30), 2, D(2026, 10, 9)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        # A plain week: Friday + 1 is Monday.
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
    ],
)
def test_add_working_days_on_the_official_calendar(cal, start, days, expected):
    assert cal.add_working_days(start, days) == expected


def test_a_year_without_data_falls_back_to_weekends_and_is_reported(cal):
    assert uncovered_years([2026, 2027, 2030]) == [2027, 2030]
    # 2027 and 2030: no error, plain weekends (the Spring Festival is not known).
    assert cal.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 8)
    far = WorkCalendar.load(2030, 2031)
    assert far.add_working_days(D(2030, 12, 27), 10) == D(2031, 1, 10)
    deadline, yellow = ticket_clock(at(D(2027, 3, 1)), 10)
    assert deadline == datetime.datetime(2027, 3, 15, 23, 59, 59, tzinfo=SHANGHAI)


def test_the_office_can_add_next_years_holidays(cal):
    CalendarDay.objects.create(date=D(2027, 2, 8), is_workday=False, name="春节")
    assert uncovered_years([2027]) == []
    assert WorkCalendar.load(2027, 2027).add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 9)


def test_working_days_left(cal):
    deadline = datetime.datetime(2026, 2, 27, 23, 59, 59, tzinfo=SHANGHAI)
    assert working_days_left(deadline, D(2026, 2, 13), cal) == 5  # 14, 24-27
    assert working_days_left(deadline, D(2026, 2, 27), cal) == 0  # due today
    assert working_days_left(deadline, D(2026, 3, 2), cal) == -2  # 28 Feb and 2 Mar


@pytest.mark.parametrize(
    ("share", "expected"), [(0.74, Colour.GREEN), (0.75, Colour.YELLOW), (1.0, Colour.RED)]
)
def test_colour_at_74_75_and_100_percent(share, expected):
    start = at(D(2026, 9, 25))  # across National Day: the holiday does not count
    deadline, yellow_at = ticket_clock(start, 10)
    ticket = Ticket(state="in_progress", deadline=deadline, yellow_at=yellow_at)
    moment = moment_at_share(start, 10, share)
    assert colour(ticket, moment) == expected
    # Ten working days after Fri 25 Sep: 28, 29, 30 Sep, 8, 9, 10 (make-up), 12-15 Oct.
    # 75% is 7.5 working days: noon of the 8th (13 Oct).
    assert yellow_at == datetime.datetime(2026, 10, 13, 12, 0, tzinfo=SHANGHAI)
    assert deadline == datetime.datetime(2026, 10, 15, 23, 59, 59, tzinfo=SHANGHAI)


def test_no_colour_when_the_clock_is_not_running():
    assert colour(Ticket(state="answered")) is None
    assert colour(Ticket(state="submitted")) is None
