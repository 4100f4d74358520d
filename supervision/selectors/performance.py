"""A responsible department's ticket performance: the one definition of its on-time rate and its
satisfaction, used by the appraisal (per programme, as of the run's end) and by the department's
home page (this year, as of now).

1. Counted: tickets assigned to the unit as responsible unit by `end`, withdrawn ones excepted.
2. On time: answered by `end` and no later than the deadline, which already includes the
   extensions the office approved (services move it). On-time rate = on time ÷ assigned.
3. Satisfaction = (满意 + 0.7 × 基本满意) ÷ rated; nothing rated: None (not 0).
The counts come from one aggregate (`department_counts`, Count with FILTER); the shares are
exact fractions of them, rounded by the caller.
"""

import datetime
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet

from ..choices import Satisfaction, TicketState

BASIC_SHARE = Fraction(7, 10)  # 基本满意 counts 0.7 of 满意


def department_tickets(tickets: QuerySet, *, end: datetime.datetime) -> QuerySet:
    """Of `tickets`, those that count for a department's performance as of `end`."""
    return tickets.filter(responsible_unit__isnull=False, assigned_at__lte=end).exclude(
        state=TicketState.WITHDRAWN
    )


def department_counts(*, end: datetime.datetime) -> dict[str, Count]:
    """Aggregate expressions over department_tickets: assigned, on_time, rated, satisfied,
    basic. Use with .aggregate() for one unit or .values(unit).annotate() for many."""
    answered = Q(answered_at__isnull=False, answered_at__lte=end)
    return {
        "assigned": Count("pk"),
        "on_time": Count("pk", filter=answered & Q(answered_at__lte=F("deadline"))),
        "rated": Count("pk", filter=~Q(satisfaction="")),
        "satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
        "basic": Count("pk", filter=Q(satisfaction=Satisfaction.BASIC)),
    }


def on_time_share(counts: dict) -> Fraction | None:
    return Fraction(counts["on_time"], counts["assigned"]) if counts["assigned"] else None


def satisfaction_share(counts: dict) -> Fraction | None:
    if not counts["rated"]:
        return None
    return (counts["satisfied"] + BASIC_SHARE * counts["basic"]) / counts["rated"]
