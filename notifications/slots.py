"""Cron arithmetic for the scheduled jobs: the slot a moment falls in, and the slot after.

A slot is a moment a crontab fires. A job run at any moment at or after a slot covers it, so
"has the job run since its latest slot?" decides whether a run is owed (jobs.py). The schedule
is a Celery crontab (django-celery-beat's, with its time zone); as in Celery, a day must match
the months, the days of the month and the days of the week.
"""

import datetime

# A schedule such as "29 February, on a Monday" fires only every few years; look that far.
MAX_DAYS = 366 * 8


def _day_matches(schedule, day: datetime.date) -> bool:
    return (
        day.month in schedule.month_of_year
        and day.day in schedule.day_of_month
        and day.isoweekday() % 7 in schedule.day_of_week  # Celery: 0 is Sunday
    )


def _tz(schedule):
    return getattr(schedule, "tz", None) or datetime.UTC


def previous_slot(schedule, at: datetime.datetime) -> datetime.datetime | None:
    """The latest moment at or before `at` when `schedule` fires (None: not in MAX_DAYS)."""
    tz = _tz(schedule)
    local = at.astimezone(tz)
    for back in range(MAX_DAYS):
        day = local.date() - datetime.timedelta(days=back)
        if not _day_matches(schedule, day):
            continue
        for hour in sorted(schedule.hour, reverse=True):
            if back == 0 and hour > local.hour:
                continue
            for minute in sorted(schedule.minute, reverse=True):
                if back == 0 and hour == local.hour and minute > local.minute:
                    continue
                return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)
    return None


def next_slot(schedule, after: datetime.datetime) -> datetime.datetime | None:
    """The first moment strictly after `after` when `schedule` fires (None: not in MAX_DAYS)."""
    tz = _tz(schedule)
    local = after.astimezone(tz)
    for ahead in range(MAX_DAYS):
        day = local.date() + datetime.timedelta(days=ahead)
        if not _day_matches(schedule, day):
            continue
        for hour in sorted(schedule.hour):
            if ahead == 0 and hour < local.hour:
                continue
            for minute in sorted(schedule.minute):
                slot = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)
                if slot > local:
                    return slot
    return None
