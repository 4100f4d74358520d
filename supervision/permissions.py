"""Which ticket actions a user may take: one answer for the pages and the API.

Two questions, kept apart on purpose:

- `may_attempt(user, ticket, action)`: does the user's role and relation to the ticket let them
  take this kind of step at all? No: the page answers 403 (the API too). The ticket's state is
  not looked at here.
- `allowed_actions(user, ticket)`: the steps that make sense right now (role *and* state, the
  objection window, a pending extension, whose turn it is). The detail page shows only these.
  A step that is permitted but no longer possible (another officer acted first) reaches the
  service, which refuses it with a TransitionError the page shows as a message (API: 409).

The ticket is assumed to be in the user's scope already (fetched through selectors.ticket_list).
"""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from core.choices import Role
from core.roles import actor_for

from .choices import CLOCK_STATES, OPEN_STATES, ExtensionState, TicketState
from .models import Ticket
from .services import can_rate, is_unit_handler

ACCEPT = "accept"
REJECT = "reject"
ASSIGN = "assign"  # 交办; also 受理并交办 from submitted, and 改派 after an objection
CONFIRM = "confirm"  # 维持交办 after an objection
OBJECT = "object"
HAND_OVER = "hand_over"
PROGRESS = "progress"
REQUEST_EXTENSION = "request_extension"
DECIDE_EXTENSION = "decide_extension"
ANSWER = "answer"
RATE = "rate"
WITHDRAW = "withdraw"
ESCALATE = "escalate"

# In the order the detail page shows them.
ACTIONS = [
    ACCEPT,
    ASSIGN,
    CONFIRM,
    REJECT,
    DECIDE_EXTENSION,
    PROGRESS,
    ANSWER,
    REQUEST_EXTENSION,
    OBJECT,
    HAND_OVER,
    RATE,
    WITHDRAW,
    ESCALATE,
]
OFFICE_ACTIONS = {ACCEPT, REJECT, ASSIGN, CONFIRM, DECIDE_EXTENSION, ESCALATE}
DEPARTMENT_ACTIONS = {OBJECT, PROGRESS, REQUEST_EXTENSION, ANSWER}
# States in which the office may still escalate: the ticket has a level and a unit.
ESCALATE_STATES = [*CLOCK_STATES, TicketState.ANSWERED]


def _is_own_enterprise(user: User, ticket: Ticket) -> bool:
    actor = actor_for(user)
    return actor.has(Role.ENTERPRISE) and actor.enterprise_id == ticket.enterprise_id


def may_attempt(user: User, ticket: Ticket, action: str) -> bool:
    """The user's role lets them take this kind of step on this ticket (state not considered)."""
    actor = actor_for(user)
    if action in OFFICE_ACTIONS:
        return actor.is_office
    if action in DEPARTMENT_ACTIONS:
        return is_unit_handler(user, ticket.responsible_unit_id)
    if action == HAND_OVER:
        return actor.is_office or (ticket.owner_id is not None and ticket.owner_id == user.pk)
    if action == RATE:
        return can_rate(user, ticket)
    if action == WITHDRAW:
        return _is_own_enterprise(user, ticket) or ticket.raised_by_id == user.pk
    return False


def _department_turn(user: User, ticket: Ticket) -> bool:
    """The unit's handler may act unless a colleague owns the ticket (首问负责)."""
    if not ticket.owner_id or ticket.owner_id == user.pk:
        return True
    return not is_unit_handler(ticket.owner, ticket.responsible_unit_id)


def _possible_now(
    user: User, ticket: Ticket, action: str, now: datetime.datetime, pending_extension: bool
) -> bool:
    state = ticket.state
    if action in (ACCEPT, REJECT):
        return state == TicketState.SUBMITTED
    if action == ASSIGN:
        return state in (TicketState.SUBMITTED, TicketState.ACCEPTED, TicketState.OBJECTED)
    if action == CONFIRM:
        return state == TicketState.OBJECTED
    if action == OBJECT:
        return (
            state == TicketState.ASSIGNED
            and not ticket.assignment_fixed
            and ticket.objection_until is not None
            and now <= ticket.objection_until
        )
    if action in (PROGRESS, ANSWER):
        return state in (TicketState.ASSIGNED, TicketState.IN_PROGRESS) and _department_turn(
            user, ticket
        )
    if action == REQUEST_EXTENSION:
        return (
            state in (TicketState.ASSIGNED, TicketState.IN_PROGRESS)
            and ticket.deadline is not None
            and now <= ticket.deadline
            and not pending_extension
            and _department_turn(user, ticket)
        )
    if action == DECIDE_EXTENSION:
        return state in CLOCK_STATES and pending_extension
    if action == HAND_OVER:
        return state in CLOCK_STATES and ticket.responsible_unit_id is not None
    if action == RATE:
        return state == TicketState.ANSWERED
    if action == WITHDRAW:
        return state in OPEN_STATES
    if action == ESCALATE:
        return state in ESCALATE_STATES
    return False


def allowed_actions(user: User, ticket: Ticket, now: datetime.datetime | None = None) -> list[str]:
    """The action names the user may take on the ticket right now, in display order."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    pending = None
    allowed = []
    for action in ACTIONS:
        if not may_attempt(user, ticket, action):
            continue
        if action in (REQUEST_EXTENSION, DECIDE_EXTENSION) and pending is None:
            pending = ticket.extensions.filter(state=ExtensionState.PENDING).exists()
        if _possible_now(user, ticket, action, now, bool(pending)):
            allowed.append(action)
    return allowed
