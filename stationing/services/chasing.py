"""The office's one-click reminder (催报) to a dispatching unit's cadres whose report for the
period that fell due is missing (stationing.selectors.chasing)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .. import notices
from ..models import ReportPeriod
from ..selectors.chasing import owing_assignments_of_unit


@dataclass(frozen=True)
class ChaseOutcome:
    told: int  # cadres told now
    already: int  # cadres already told today for this period (not told again)


@transaction.atomic
def report_chase_unit(
    *, period: ReportPeriod, unit_id: int | None, by: User, now: datetime.datetime | None = None
) -> ChaseOutcome:
    """Tell each cadre of the unit who still owes `period`'s report, at most once a day: the
    notification's key holds the day, and notify() skips a row that exists."""
    day = timezone.localtime(now or timezone.now()).date()
    told = already = 0
    for assignment in owing_assignments_of_unit(user=by, period=period, unit_id=unit_id):
        user = assignment.cadre.user
        if user is None or not user.is_active:
            continue
        if notices.report_chased(assignment, period, by=by, day=day):
            told += 1
        else:
            already += 1
    return ChaseOutcome(told=told, already=already)
