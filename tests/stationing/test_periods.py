import datetime

import pytest

from core.dates import SHANGHAI
from stationing.periods import generate_periods

D = datetime.date


def spans(periods):
    return [(p.start, p.end) for p in periods]


def test_half_months_across_month_ends_and_31_day_months():
    periods = generate_periods(
        start=D(2026, 1, 1), end=D(2026, 3, 31), cycle="half_month", due_days=3
    )
    assert spans(periods) == [
        (D(2026, 1, 1), D(2026, 1, 15)),
        (D(2026, 1, 16), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 15)),
        (D(2026, 2, 16), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 15)),
        (D(2026, 3, 16), D(2026, 3, 31)),
    ]
    assert [p.number for p in periods] == [1, 2, 3, 4, 5, 6]
    assert periods[1].label == "2026年1月下半月"


@pytest.mark.parametrize(
    ("year", "last_day"), [(2024, 29), (2025, 28), (2028, 29), (2100, 28), (2000, 29)]
)
def test_february_second_half_ends_on_the_last_day_leap_years_included(year, last_day):
    periods = generate_periods(
        start=D(year, 2, 1), end=D(year, 2, last_day), cycle="half_month", due_days=3
    )
    assert spans(periods) == [
        (D(year, 2, 1), D(year, 2, 15)),
        (D(year, 2, 16), D(year, 2, last_day)),
    ]
    # Three days after the 28th or the 29th are both 3 March.
    assert periods[1].due_at.date() == D(year, 3, 3)


def test_due_moment_is_last_second_of_the_due_day_in_shanghai():
    (period,) = generate_periods(
        start=D(2026, 12, 16), end=D(2026, 12, 31), cycle="half_month", due_days=3
    )
    assert period.due_at == datetime.datetime(2027, 1, 3, 23, 59, 59, tzinfo=SHANGHAI)
    assert period.due_at.utcoffset() == datetime.timedelta(hours=8)


def test_periods_are_clipped_to_the_programme():
    periods = generate_periods(
        start=D(2026, 3, 10), end=D(2026, 4, 20), cycle="half_month", due_days=5
    )
    assert spans(periods) == [
        (D(2026, 3, 10), D(2026, 3, 15)),
        (D(2026, 3, 16), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 4, 15)),
        (D(2026, 4, 16), D(2026, 4, 20)),
    ]
    assert periods[-1].due_at.date() == D(2026, 4, 25)


def test_monthly_cycle_and_a_full_year_has_24_half_months():
    monthly = generate_periods(start=D(2026, 3, 1), end=D(2027, 2, 28), cycle="month", due_days=3)
    assert len(monthly) == 12
    assert monthly[-1].label == "2027年2月"
    half = generate_periods(start=D(2026, 3, 1), end=D(2027, 2, 28), cycle="half_month", due_days=3)
    assert len(half) == 24
