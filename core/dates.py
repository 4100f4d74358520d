"""Dates as users see them: Asia/Shanghai, a deadline day ending at 23:59:59 local time."""

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last second of `day` in Asia/Shanghai: the moment a deadline on that day passes."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Asia/Shanghai calendar day of an aware moment."""
    return moment.astimezone(SHANGHAI).date()
