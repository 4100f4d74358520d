"""Who may do what in supervision, and when: every predicate of the app, each returning a
core.permissions.Verdict (allowed, or the reason in Chinese why not).

Pages, the API, selectors, template tags and services ask here; none writes its own check. This
module imports no service and no selector (both import it).

Each step of a ticket's closed loop is one `TicketStep` in `STEPS`, in the order the detail page
shows them. Two questions are kept apart on purpose:

- `may_attempt(user, ticket, name)`: do the user's role and relation to the ticket let them take
  this kind of step at all (`step.who`)? No: 403 on the page and in the API. The state is not
  looked at.
- `possible_now(user, ticket, name, moment)`: is there what the step acts on (`step.needs`: a
  pending extension to decide), may it start from the ticket's state (`step.from_states`), and
  does everything else hold right now (`step.conditions`: the objection window, no pending
  extension, the deadline, whose turn it is)?

`allowed_actions` offers a step when both say yes; the step's service asks the same two after
locking the row (a refusal of the second is a TransitionError: a message on the page, 409 in the
API), so a step offered on a page loaded before someone else acted is refused, never done twice.

The ticket is assumed to be in the user's scope already (fetched through selectors.ticket_list).
A later step table (form, serializer, service and notice per step) builds on `STEPS`; the rules
stay here because the services ask them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.permissions import ALLOWED, Verdict, allow_if
from core.roles import actor_for
from core.selectors import enterprise_contacts
from enterprises.models import Enterprise
from stationing.models import Assignment

from .choices import CLOCK_STATES, OPEN_STATES, ExtensionState, TicketState
from .models import ExtensionRequest, Ticket

NOTHING = Q(pk__in=[])

# --- Raising tickets --------------------------------------------------------------------------


def may_raise_tickets(user: User) -> Verdict:
    """Stationed cadres and enterprise contacts raise tickets (for which enterprise: below)."""
    actor = actor_for(user)
    return allow_if(
        actor.has(Role.CADRE) or actor.has(Role.ENTERPRISE),
        _("只有驻企干部和企业联络人可以提出诉求。"),
    )


def raisable_enterprise_q(user: User) -> Q:
    """The enterprises a user may raise tickets for, as a condition on Enterprise: an enterprise
    contact's own, and every enterprise a cadre is stationed at. The page's and the API's choices
    (selectors.raisable_enterprise_list) and `can_raise_for` are both this one condition."""
    actor = actor_for(user)
    q = NOTHING
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id:
        q |= Q(pk=actor.enterprise_id)
    if actor.has(Role.CADRE) and actor.profile_id:
        q |= Q(pk__in=Assignment.objects.filter(cadre_id=actor.profile_id).values("enterprise_id"))
    return q


def can_raise_for(user: User, enterprise_id: int) -> Verdict:
    return allow_if(
        Enterprise.objects.filter(raisable_enterprise_q(user), pk=enterprise_id).exists(),
        _("您不能为这家企业提出诉求。"),
    )


# --- Who may take a step ----------------------------------------------------------------------


def is_ticket_office(user: User, ticket: Ticket | None = None) -> Verdict:
    """Accepting, rejecting, assigning, deciding extensions and escalating: the office."""
    return allow_if(actor_for(user).is_office, _("只有督查室可以受理、交办、审批延期和督办。"))


def is_unit_handler(user: User, unit_id: int | None) -> Verdict:
    """A department handler of the unit (the ticket's responsible unit acts on it)."""
    actor = actor_for(user)
    return allow_if(
        bool(unit_id and actor.has(Role.DEPARTMENT) and actor.unit_id == unit_id),
        _("只有承办单位的经办人可以办理。"),
    )


def is_responsible_handler(user: User, ticket: Ticket) -> Verdict:
    return is_unit_handler(user, ticket.responsible_unit_id)


def may_hand_over(user: User, ticket: Ticket) -> Verdict:
    """The ticket's current owner (首问负责) or the office hands it to another handler."""
    owns = ticket.owner_id is not None and ticket.owner_id == user.pk
    return allow_if(owns or actor_for(user).is_office, _("只有当前责任人或督查室可以移交。"))


def can_rate(user: User, ticket: Ticket) -> Verdict:
    """The enterprise contact rates; a stationed cadre rates only when the enterprise has no
    login of its own."""
    reason = _("只有企业联络人（企业无账号时为驻企干部）可以评价。")
    actor = actor_for(user)
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id == ticket.enterprise_id:
        return ALLOWED
    if enterprise_contacts(ticket.enterprise_id).exists():
        return Verdict(False, str(reason))
    return allow_if(bool(can_raise_for(user, ticket.enterprise_id)), reason)


def may_urge(user: User, ticket: Ticket) -> Verdict:
    """Urging the responsible unit (催办): the office, or the leader in charge (包案领导)."""
    in_charge = ticket.leader_id is not None and ticket.leader_id == user.pk
    return allow_if(in_charge or actor_for(user).is_office, _("只有督查室或包案领导可以催办。"))


def may_withdraw(user: User, ticket: Ticket) -> Verdict:
    """The enterprise itself, or whoever raised the ticket."""
    actor = actor_for(user)
    own_enterprise = actor.has(Role.ENTERPRISE) and actor.enterprise_id == ticket.enterprise_id
    return allow_if(
        own_enterprise or ticket.raised_by_id == user.pk, _("只有企业或提出人可以撤回诉求。")
    )


# --- What else must hold right now ------------------------------------------------------------


class Moment:
    """What a step's conditions look at besides the ticket and the user: the time, and the
    ticket's pending extension request (read once, when first asked)."""

    def __init__(self, ticket: Ticket, now: datetime.datetime | None = None):
        self.ticket = ticket
        self.now = now or timezone.now()

    @cached_property
    def pending_extension(self) -> ExtensionRequest | None:
        return self.ticket.extensions.filter(state=ExtensionState.PENDING).first()


def department_turn(user: User, ticket: Ticket) -> Verdict:
    """首问负责: a handler of the unit may act unless a colleague owns the ticket. An owner who is
    no longer a handler of the unit (the office, or someone who moved) does not hold it."""
    if (
        not ticket.owner_id
        or ticket.owner_id == user.pk
        or not is_unit_handler(ticket.owner, ticket.responsible_unit_id)
    ):
        return ALLOWED
    owner_name = getattr(getattr(ticket.owner, "profile", None), "name", "")
    return Verdict(
        False,
        str(
            _("该诉求由 %(owner)s 负责办理；如需他人办理，请先移交。")
            % {"owner": owner_name or ticket.owner.get_username()}
        ),
    )


def _department_turn(user: User, ticket: Ticket, moment: Moment) -> Verdict:
    return department_turn(user, ticket)


def _assignment_open(user: User, ticket: Ticket, moment: Moment) -> Verdict:
    return allow_if(not ticket.assignment_fixed, _("督查室已确定承办单位，不能再提出异议。"))


def _within_objection_window(user: User, ticket: Ticket, moment: Moment) -> Verdict:
    return allow_if(
        ticket.objection_until is not None and moment.now <= ticket.objection_until,
        _("已超过交办异议期限（交办后1个工作日内）。"),
    )


def _before_deadline(user: User, ticket: Ticket, moment: Moment) -> Verdict:
    return allow_if(
        ticket.deadline is not None and moment.now <= ticket.deadline,
        _("已超过办结期限，不能再申请延期。"),
    )


def _no_pending_extension(user: User, ticket: Ticket, moment: Moment) -> Verdict:
    return allow_if(moment.pending_extension is None, _("已有一项延期申请在审批中。"))


def _pending_extension(user: User, ticket: Ticket, moment: Moment) -> Verdict:
    return allow_if(moment.pending_extension is not None, _("没有待审批的延期申请。"))


# --- The steps of the loop --------------------------------------------------------------------

Condition = Callable[[User, Ticket, Moment], Verdict]


@dataclass(frozen=True)
class TicketStep:
    name: str
    # Says what was refused: "诉求当前状态为“已办结”,不能<verb>。"
    verb: str
    who: Callable[[User, Ticket], Verdict]
    from_states: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()
    # What the step acts on, checked before the state: deciding needs a pending request.
    needs: tuple[Condition, ...] = ()
    # A step the service takes first when the ticket is where that step starts; the step is
    # offered from there too. 交办 on a submitted ticket is 受理并交办 (ticket_accept_and_assign).
    prelude: str | None = None


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
URGE = "urge"

HANDLING_STATES = (TicketState.ASSIGNED, TicketState.IN_PROGRESS)

# In the order the detail page shows them.
STEPS: dict[str, TicketStep] = {
    step.name: step
    for step in (
        TicketStep(ACCEPT, _("受理"), is_ticket_office, (TicketState.SUBMITTED,)),
        TicketStep(
            ASSIGN,
            _("交办"),
            is_ticket_office,
            (TicketState.ACCEPTED, TicketState.OBJECTED),
            prelude=ACCEPT,
        ),
        TicketStep(CONFIRM, _("维持交办"), is_ticket_office, (TicketState.OBJECTED,)),
        TicketStep(REJECT, _("不予受理"), is_ticket_office, (TicketState.SUBMITTED,)),
        TicketStep(
            DECIDE_EXTENSION,
            _("审批延期"),
            is_ticket_office,
            tuple(CLOCK_STATES),
            needs=(_pending_extension,),
        ),
        TicketStep(
            PROGRESS,
            _("记录办理进展"),
            is_responsible_handler,
            HANDLING_STATES,
            (_department_turn,),
        ),
        TicketStep(ANSWER, _("答复"), is_responsible_handler, HANDLING_STATES, (_department_turn,)),
        TicketStep(
            REQUEST_EXTENSION,
            _("申请延期"),
            is_responsible_handler,
            HANDLING_STATES,
            (_department_turn, _before_deadline, _no_pending_extension),
        ),
        TicketStep(
            OBJECT,
            _("提出交办异议"),
            is_responsible_handler,
            (TicketState.ASSIGNED,),
            (_assignment_open, _within_objection_window),
        ),
        # A ticket in a clock state always has its responsible unit (assigning sets it, and
        # the unit is protected from deletion), so there is a handler to hand over to.
        TicketStep(HAND_OVER, _("移交"), may_hand_over, tuple(CLOCK_STATES)),
        TicketStep(RATE, _("评价"), can_rate, (TicketState.ANSWERED,)),
        TicketStep(WITHDRAW, _("撤回"), may_withdraw, tuple(OPEN_STATES)),
        # Urging and escalation are about a department that is stuck: only once it has one.
        TicketStep(URGE, _("催办"), may_urge, HANDLING_STATES),
        TicketStep(
            ESCALATE,
            _("升级督办"),
            is_ticket_office,
            (*CLOCK_STATES, TicketState.ANSWERED),
        ),
    )
}


def may_attempt(user: User, ticket: Ticket, name: str) -> Verdict:
    """The user's role and relation to the ticket let them take this kind of step (the state is
    not considered)."""
    return STEPS[name].who(user, ticket)


def state_allows(ticket: Ticket, name: str) -> Verdict:
    """The step may start from the ticket's current state."""
    step = STEPS[name]
    if ticket.state in step.from_states:
        return ALLOWED
    return Verdict(
        False,
        str(
            _("诉求当前状态为“%(state)s”，不能%(action)s。")
            % {"state": TicketState(ticket.state).label, "action": step.verb}
        ),
    )


def _first_refusal(conditions, user: User, ticket: Ticket, moment: Moment) -> Verdict:
    for condition in conditions:
        verdict = condition(user, ticket, moment)
        if not verdict:
            return verdict
    return ALLOWED


def needs_met(user: User, ticket: Ticket, name: str, moment: Moment) -> Verdict:
    """What the step acts on exists (checked before the state)."""
    return _first_refusal(STEPS[name].needs, user, ticket, moment)


def conditions_hold(user: User, ticket: Ticket, name: str, moment: Moment) -> Verdict:
    """Everything else the step needs right now; the first that fails says why."""
    return _first_refusal(STEPS[name].conditions, user, ticket, moment)


def _possible_from_state(user: User, ticket: Ticket, name: str, moment: Moment) -> Verdict:
    verdict = needs_met(user, ticket, name, moment)
    if verdict:
        verdict = state_allows(ticket, name)
    if verdict:
        verdict = conditions_hold(user, ticket, name, moment)
    return verdict


def possible_now(user: User, ticket: Ticket, name: str, moment: Moment) -> Verdict:
    """The step may be taken now: what it acts on exists, it may start from the ticket's state
    and its conditions hold; or else its prelude may be taken now (受理并交办)."""
    verdict = _possible_from_state(user, ticket, name, moment)
    prelude = STEPS[name].prelude
    if not verdict and prelude is not None and _possible_from_state(user, ticket, prelude, moment):
        return ALLOWED
    return verdict


def allowed_actions(user: User, ticket: Ticket, now: datetime.datetime | None = None) -> list[str]:
    """The step names the user may take on the ticket right now, in display order."""
    if not getattr(user, "is_authenticated", False):
        return []
    moment = Moment(ticket, now)
    return [
        name
        for name in STEPS
        if may_attempt(user, ticket, name) and possible_now(user, ticket, name, moment)
    ]


# --- Pages other than the ticket's own --------------------------------------------------------


def may_use_inbox(user: User) -> Verdict:
    """The department's inbox of tickets assigned to its unit."""
    return allow_if(
        actor_for(user).has(Role.DEPARTMENT), _("只有承办单位的经办人可以查看待办诉求。")
    )


def is_enterprise_contact(user: User) -> Verdict:
    """An enterprise contact bound to an enterprise (their home page counts its tickets)."""
    actor = actor_for(user)
    return allow_if(
        actor.has(Role.ENTERPRISE) and actor.enterprise_id is not None,
        _("只有企业联络人可以查看本企业的诉求。"),
    )


def may_edit_calendar(user: User) -> Verdict:
    """The working-day calendar and the time limit of each category are the office's."""
    return allow_if(actor_for(user).is_office, _("只有督查室可以修改办理时限和节假日安排。"))


# --- Appraisal (考核) -------------------------------------------------------------------------


def may_run_appraisal(user: User) -> Verdict:
    """Starting, publishing and re-running an appraisal: the office."""
    return allow_if(actor_for(user).is_office, _("只有督查室可以进行考核和发布考核结果。"))


def may_rate_cadre(user: User, *, cadre_id: int, programme_id: int) -> Verdict:
    """An enterprise contact rates a cadre stationed (in the programme) at their enterprise."""
    actor = actor_for(user)
    stationed = (
        actor.has(Role.ENTERPRISE)
        and actor.enterprise_id is not None
        and Assignment.objects.filter(
            programme_id=programme_id, cadre_id=cadre_id, enterprise_id=actor.enterprise_id
        ).exists()
    )
    return allow_if(stationed, _("只有干部所驻企业的联络人可以评价该干部。"))


def may_request_review(user: User, result) -> Verdict:
    """A cadre asks for a review of their own published result (the window: services)."""
    actor = actor_for(user)
    own = actor.has(Role.CADRE) and actor.profile_id == result.cadre_id
    return allow_if(own, _("只有本人可以对自己的考核结果申请复核。"))


# --- Bulletins (通报) ---------------------------------------------------------------------------


def may_edit_bulletins(user: User, programme=None) -> Verdict:
    """Drafting, editing and publishing a programme's bulletins: the office over its organiser
    (without `programme`: the office at all, e.g. to offer the 生成通报 button)."""
    actor = actor_for(user)
    allowed = actor.is_office
    if allowed and programme is not None and not actor.is_superuser:
        allowed = bool(actor.unit_path) and programme.organiser.path.startswith(actor.unit_path)
    return allow_if(allowed, _("只有督查室可以生成、修改和发布通报。"))
