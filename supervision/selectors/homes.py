"""The figures and short lists of each role's home page (issue 12), scoped to the user.

Every figure comes from one aggregate query per subject (Count with FILTER), and every list is
one query cut at HOME_ROWS, so a home's query count does not grow with the rows. Each count
carries the link of the list it counts (the same filter on the same scoped queryset).
"""

import datetime
import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.dates import SHANGHAI
from core.roles import actor_for
from notifications.selectors import (
    failed_email_list,
    failed_webhook_list,
    notification_list,
)
from stationing.selectors import assignment_list, missing_reports_by_unit, work_group_list

from ..choices import OPEN_STATES, Colour, TicketState
from .performance import department_counts, department_tickets, on_time_share, satisfaction_share
from .tickets import (
    by_urgency,
    colour_q,
    department_inbox,
    led_ticket_list,
    objection_q,
    own_ticket_list,
    ticket_list,
)
from .todo import TodoItem

HOME_ROWS = 10  # rows of each short list; the count above it links to the whole list


def _url(name: str, **params) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _open_ticket_items(tickets: QuerySet, now) -> list[TodoItem]:
    """Open, red and yellow among `tickets` (one query), each linking to the ticket list."""
    n = tickets.order_by().aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        red=Count("pk", filter=colour_q(Colour.RED, now)),
        yellow=Count("pk", filter=colour_q(Colour.YELLOW, now)),
    )
    return [
        TodoItem("open", _("未办结诉求"), n["open"], _url("ticket-list", open="true")),
        TodoItem("red", _("红牌"), n["red"], _url("ticket-list", colour="red"), "danger"),
        TodoItem("yellow", _("黄牌"), n["yellow"], _url("ticket-list", colour="yellow"), "warning"),
    ]


# --- Office console ---------------------------------------------------------------------------


@dataclass
class MissingRow:
    """One dispatching unit's missing reports of the period that fell due, and its drill-down."""

    period: object
    unit_id: int | None
    unit_name: str
    missing: int
    url: str


def office_console(*, user: User, now: datetime.datetime | None = None) -> dict:
    """Beyond the to-do counts (todo.office_todo): failed deliveries, and this period's
    missing reports by dispatching unit, each with the assignment list it counts."""
    now = now or timezone.now()
    failed = failed_email_list(user=user).count() + failed_webhook_list(user=user).count()
    missing = [
        MissingRow(
            period=row.period,
            unit_id=row.unit_id,
            unit_name=row.unit_name,
            missing=row.missing,
            url=_url(
                "assignment-list",
                programme=row.period.programme_id,
                owing_period=row.period.pk,
                **({"unit": row.unit_id} if row.unit_id else {}),
            ),
        )
        for row in missing_reports_by_unit(user=user, now=now)
    ]
    return {
        "items": [
            TodoItem(
                "failed",
                _("投递失败的通知"),
                failed,
                _url("notification-failures"),
                "danger",
            ),
            TodoItem(
                "missing",
                _("本期缺报半月报"),
                sum(row.missing for row in missing),
                "#console-missing",
                "warning",
            ),
        ],
        "missing": missing,
    }


# --- Cadre ------------------------------------------------------------------------------------


@dataclass
class CadreHome:
    ticket_items: list[TodoItem]
    tickets: list  # open tickets of the cadre's enterprises, most urgent first
    # The latest unread; their number is the header badge's count (one COUNT per page).
    notifications: list = field(default_factory=list)


def cadre_home(*, user: User, now: datetime.datetime | None = None) -> CadreHome:
    """The cadre's open tickets (of the enterprises they are stationed at: ticket_list's scope)
    with their colours, and their unread notifications."""
    now = now or timezone.now()
    tickets = ticket_list(user=user)
    unread = notification_list(user=user).filter(read_at__isnull=True)
    return CadreHome(
        ticket_items=_open_ticket_items(tickets, now),
        tickets=list(by_urgency(tickets.filter(state__in=OPEN_STATES), now)[:HOME_ROWS]),
        notifications=list(unread[:3]),
    )


# --- Department -------------------------------------------------------------------------------


@dataclass
class DepartmentPerformance:
    year: int
    assigned: int
    on_time: int
    rated: int
    satisfied: int
    basic: int
    on_time_rate: Fraction | None
    satisfaction: Fraction | None

    @property
    def on_time_percent(self) -> str:
        return percent(self.on_time_rate)

    @property
    def satisfaction_percent(self) -> str:
        return percent(self.satisfaction)


def percent(share: Fraction | None) -> str:
    """'83.3%' (one decimal, half up); '—' when there is nothing to measure."""
    if share is None:
        return "—"
    tenths = math.floor(share * 1000 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}%"


def department_performance(
    *, user: User, now: datetime.datetime | None = None
) -> DepartmentPerformance | None:
    """The handler's unit this year (tickets assigned to it since 1 January, Asia/Shanghai), by
    the appraisal's rule (selectors.performance): on-time rate and satisfaction."""
    actor = actor_for(user)
    if not actor.unit_id:
        return None
    now = now or timezone.now()
    year = timezone.localtime(now, SHANGHAI).year
    start = datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)
    tickets = department_tickets(
        ticket_list(user=user).filter(responsible_unit_id=actor.unit_id, assigned_at__gte=start),
        end=now,
    )
    counts = tickets.order_by().aggregate(**department_counts(end=now))
    return DepartmentPerformance(
        year=year,
        on_time_rate=on_time_share(counts),
        satisfaction=satisfaction_share(counts),
        **counts,
    )


def department_home(*, user: User, now: datetime.datetime | None = None) -> dict:
    """The unit's tickets by deadline (nearest first), its objections waiting for the office,
    and its performance this year."""
    now = now or timezone.now()
    inbox = department_inbox(user=user)
    objections = inbox.order_by().filter(objection_q()).count()
    return {
        "items": [
            TodoItem(
                "objection",
                _("交办异议待督查室决定"),
                objections,
                _url("ticket-inbox", awaiting="objection"),
                "warning",
            ),
        ],
        "tickets": list(inbox.order_by(F("deadline").asc(nulls_last=True), "pk")[:HOME_ROWS]),
        "performance": department_performance(user=user, now=now),
    }


# --- Enterprise contact -----------------------------------------------------------------------


def enterprise_home(*, user: User, now: datetime.datetime | None = None) -> dict:
    """The enterprise's tickets (open and waiting for its rating, each linking to the list),
    the latest of them, and its stationed cadres with their phones."""
    now = now or timezone.now()
    actor = actor_for(user)
    tickets = own_ticket_list(user=user)
    n = tickets.order_by().aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        answered=Count("pk", filter=Q(state=TicketState.ANSWERED)),
        red=Count("pk", filter=colour_q(Colour.RED, now)),
    )
    cadres = (
        assignment_list(user=user)
        .filter(enterprise_id=actor.enterprise_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate(now)))
        .order_by("programme__start_date", "role", "cadre__sort_key", "pk")
    )
    return {
        "items": [
            TodoItem("open", _("正在办理"), n["open"], _url("ticket-list", open="true")),
            TodoItem(
                "rate",
                _("已答复待评价"),
                n["answered"],
                _url("ticket-list", state=TicketState.ANSWERED),
                "warning",
            ),
            TodoItem("red", _("已超期"), n["red"], _url("ticket-list", colour="red"), "danger"),
        ],
        "tickets": list(by_urgency(tickets, now)[:HOME_ROWS]),
        "cadres": list(cadres),
    }


# --- Leader -----------------------------------------------------------------------------------


def leader_home(*, user: User, now: datetime.datetime | None = None) -> dict:
    """The work groups the leader leads (WorkGroup.leader) with their cadres and enterprises,
    and the open tickets the leader is in charge of (包案), most urgent first."""
    now = now or timezone.now()
    groups = list(work_group_list(user=user).filter(leader=user).order_by("sort_key", "pk"))
    rows = list(
        assignment_list(user=user)
        .filter(work_group__in=groups)
        .order_by("work_group_id", "role", "cadre__sort_key", "pk")
    )
    for group in groups:
        group.rows = [row for row in rows if row.work_group_id == group.pk]
    led = led_ticket_list(user=user).filter(state__in=OPEN_STATES)
    return {
        "groups": groups,
        "cadres": len({row.cadre_id for row in rows}),
        "enterprises": len({row.enterprise_id for row in rows}),
        "tickets": list(by_urgency(led, now)[:HOME_ROWS]),
    }
