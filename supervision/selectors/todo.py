"""The home page's to-do: what waits for the user, counted, each count linking to the list
that shows exactly those rows.

Each ticket count uses the same condition as the filter its link sets (TicketFilterSet's
`state`, `colour`, `awaiting`, `led_by_me`), on the same scoped queryset as the list it opens
(ticket_list for the office's and the leader's list, department_inbox for a department's), so a
count and its list cannot disagree. All ticket counts of a role are one aggregate query.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from stationing.selectors import plan_approval_queue, report_review_queue

from ..choices import OPEN_STATES, Colour, TicketState
from .tickets import (
    colour_q,
    department_inbox,
    led_ticket_list,
    objection_q,
    pending_extension_q,
    ticket_list,
)


@dataclass(frozen=True)
class TodoItem:
    key: str
    label: str
    count: int
    url: str
    tone: str = ""  # "danger", "warning" or "" (the number's colour)


def _url(name: str, **params) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _counts(queryset: QuerySet, conditions: dict[str, Q]) -> dict[str, int]:
    return queryset.order_by().aggregate(
        **{
            key: Count("pk", filter=q) if q is not None else Count("pk")
            for key, q in conditions.items()
        }
    )


def office_todo(*, user: User) -> list[TodoItem]:
    """The office: tickets to accept, objections and extension requests to decide, red and
    yellow tickets, plans to approve and reports to review."""
    now = timezone.now()
    n = _counts(
        # Every count below is of open tickets: the state index keeps the closed majority of
        # a province's 100,000 out of the scan.
        ticket_list(user=user).filter(state__in=OPEN_STATES),
        {
            "submitted": Q(state=TicketState.SUBMITTED),
            "objection": objection_q(),
            "extension": pending_extension_q(),
            "red": colour_q(Colour.RED, now),
            "yellow": colour_q(Colour.YELLOW, now),
        },
    )
    return [
        TodoItem(
            "submitted", _("待受理诉求"), n["submitted"], _url("ticket-list", state="submitted")
        ),
        TodoItem(
            "objection",
            _("交办异议待处理"),
            n["objection"],
            _url("ticket-list", awaiting="objection"),
            "warning",
        ),
        TodoItem(
            "extension",
            _("延期申请待审批"),
            n["extension"],
            _url("ticket-list", awaiting="extension"),
            "warning",
        ),
        TodoItem("red", _("红牌诉求"), n["red"], _url("ticket-list", colour="red"), "danger"),
        TodoItem(
            "yellow", _("黄牌诉求"), n["yellow"], _url("ticket-list", colour="yellow"), "warning"
        ),
        TodoItem(
            "plans", _("工作计划待审批"), plan_approval_queue(user=user).count(), _url("plan-queue")
        ),
        TodoItem(
            "reports",
            _("半月报待审阅"),
            report_review_queue(user=user).count(),
            _url("report-queue"),
        ),
    ]


def department_todo(*, user: User) -> list[TodoItem]:
    """A department handler: the unit's tickets awaiting action (its inbox), those newly
    assigned and not yet taken up, red and yellow ones, and its extension requests still
    waiting for the office's decision."""
    now = timezone.now()
    n = _counts(
        department_inbox(user=user),
        {
            "inbox": None,
            "assigned": Q(state=TicketState.ASSIGNED),
            "red": colour_q(Colour.RED, now),
            "yellow": colour_q(Colour.YELLOW, now),
            "extension": pending_extension_q(),
        },
    )
    return [
        TodoItem("inbox", _("待办诉求"), n["inbox"], _url("ticket-inbox")),
        TodoItem(
            "assigned", _("新交办待接手"), n["assigned"], _url("ticket-inbox", state="assigned")
        ),
        TodoItem("red", _("红牌"), n["red"], _url("ticket-inbox", colour="red"), "danger"),
        TodoItem(
            "yellow", _("黄牌"), n["yellow"], _url("ticket-inbox", colour="yellow"), "warning"
        ),
        TodoItem(
            "extension",
            _("延期申请待审批"),
            n["extension"],
            _url("ticket-inbox", awaiting="extension"),
        ),
    ]


def leader_todo(*, user: User) -> list[TodoItem]:
    """A leader: the tickets they are in charge of (包案), and the red and yellow ones among
    them."""
    now = timezone.now()
    n = _counts(
        led_ticket_list(user=user),
        {"led": None, "red": colour_q(Colour.RED, now), "yellow": colour_q(Colour.YELLOW, now)},
    )
    return [
        TodoItem("led", _("我包案的诉求"), n["led"], _url("ticket-list", led_by_me="true")),
        TodoItem(
            "led_red",
            _("包案红牌"),
            n["red"],
            _url("ticket-list", led_by_me="true", colour="red"),
            "danger",
        ),
        TodoItem(
            "led_yellow",
            _("包案黄牌"),
            n["yellow"],
            _url("ticket-list", led_by_me="true", colour="yellow"),
            "warning",
        ),
    ]
