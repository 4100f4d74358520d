"""Reads for tickets, scoped to the user. Pages and API both start here.

- superuser: everything
- office and leader: tickets of enterprises in their territory or their programmes, and any
  ticket a leader personally handles (包案)
- department: tickets assigned to their unit as responsible or co-handling unit
- cadre: tickets of the enterprises they are stationed at
- enterprise contact: their own enterprise's tickets
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from core.choices import Role
from core.models import Unit
from core.roles import actor_for
from core.selectors import leader_list, unit_list
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_ids, enterprise_list, in_scope_q
from projects.selectors import own_project_ids
from stationing.models import Assignment, ReportProblem
from stationing.selectors import report_list

from .. import permissions
from ..choices import CLOCK_STATES, OPEN_STATES, Colour, ExtensionState, TicketState
from ..models import ExtensionRequest, Ticket, TicketAttachment, TicketEvent

NOTHING = Q(pk__in=[])


def ticket_list(*, user: User) -> QuerySet[Ticket]:
    qs = Ticket.objects.select_related(
        "enterprise__region",
        "responsible_unit",
        "leader__profile",
        "owner__profile",
        "raised_by__profile",
    )
    actor = actor_for(user)
    if actor.is_superuser:
        return qs
    q = NOTHING
    if actor.sees_programmes_of_unit:
        q |= in_scope_q(user=user, field="enterprise_id")
    elif actor.has(Role.CADRE) or actor.has(Role.ENTERPRISE):
        # A cadre's or a contact's few enterprises, read first: a list of ids lets PostgreSQL
        # use the ticket's enterprise index, which a subquery OR-ed with the others does not.
        q |= Q(enterprise_id__in=list(enterprise_ids(user=user).values_list("pk", flat=True)))
    if actor.has(Role.LEADER):
        q |= Q(leader_id=user.pk)
    if actor.has(Role.DEPARTMENT) and actor.unit_id:
        co_handled = Ticket.co_units.through.objects.filter(
            ticket_id=OuterRef("pk"), unit_id=actor.unit_id
        )
        q |= Q(responsible_unit_id=actor.unit_id) | Q(Exists(co_handled))
    # A key project's leader and team follow the tickets raised from their project.
    projects = own_project_ids(user=user)
    if actor.has(Role.CADRE) or actor.has(Role.ENTERPRISE):
        projects = list(projects.values_list("pk", flat=True))  # as their enterprises, above
    q |= Q(project_id__in=projects)
    # Conditions on the ticket row itself (no join that could repeat a row), so lists and
    # counts read the table once instead of joining it with a copy of itself.
    return qs.filter(q)


def ticket_event_list(*, user: User, ticket: Ticket) -> QuerySet[TicketEvent]:
    return TicketEvent.objects.filter(
        ticket__in=ticket_list(user=user).filter(pk=ticket.pk).values("pk")
    ).select_related("actor__profile")


def attachment_list(*, user: User) -> QuerySet[TicketAttachment]:
    return TicketAttachment.objects.filter(ticket__in=ticket_list(user=user).values("pk"))


def colour_q(colour: str, now=None) -> Q:
    """The colour as a database condition, so lists filter and count by it."""
    now = now or timezone.now()
    running = Q(state__in=CLOCK_STATES, deadline__isnull=False)
    if colour == Colour.RED:
        return running & Q(deadline__lt=now)
    if colour == Colour.YELLOW:
        return running & Q(deadline__gte=now, yellow_at__lte=now)
    return running & Q(deadline__gte=now) & (Q(yellow_at__gt=now) | Q(yellow_at__isnull=True))


def answered_on_time_q() -> Q:
    """Answered by the deadline (which includes approved extensions): the appraisal's on-time
    rule for departments, and the dashboard's 按时办结."""
    return Q(answered_at__isnull=False, answered_at__lte=F("deadline"))


def stationed_by_q(**conditions) -> Q:
    """Tickets of an enterprise where a cadre is stationed in the ticket's programme matching
    `conditions` on Assignment (cadre__unit_id=…, work_group_id=…): the dispatching unit and
    work group filters of the ticket list and the dashboard."""
    return Q(
        Exists(
            Assignment.objects.filter(
                programme_id=OuterRef("programme_id"),
                enterprise_id=OuterRef("enterprise_id"),
                **conditions,
            )
        )
    )


def pending_extension_q() -> Q:
    """Tickets with an extension request waiting for the office's decision (at most one: a
    unique constraint), as a semi-join so lists and counts stay one row per ticket. An IN over the
    few pending requests, not an EXISTS per ticket: the to-do count ran that EXISTS for each of
    a province's 19,000 open tickets (8 of its 10 ms)."""
    return Q(
        pk__in=ExtensionRequest.objects.filter(state=ExtensionState.PENDING).values("ticket_id")
    )


def objection_q() -> Q:
    """Tickets whose assignment the unit objected to, waiting for the office (改派 or 维持)."""
    return Q(state=TicketState.OBJECTED)


URGENCY_RANK = "urgency_rank"


def with_urgency(queryset: QuerySet[Ticket], now=None) -> QuerySet[Ticket]:
    """Annotate `urgency_rank`: 0 red, 1 yellow, 2 any other ticket whose clock runs, 3 the rest
    (waiting for acceptance, answered, closed …), computed in SQL against now from the stored
    deadline and yellow_at, as colour_q does."""
    now = now or timezone.now()
    return queryset.annotate(
        **{
            URGENCY_RANK: Case(
                When(colour_q(Colour.RED, now), then=Value(0)),
                When(colour_q(Colour.YELLOW, now), then=Value(1)),
                When(state__in=CLOCK_STATES, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        }
    )


# Red first, then yellow, then the other running tickets, then the rest; within each the
# nearest deadline (none last), then the newest.
URGENCY_ORDER = (
    URGENCY_RANK,
    F("deadline").asc(nulls_last=True),
    "-created_at",
    "-pk",
)


# The order of the tickets whose clock does not run, which the ticket index of the same name
# serves.
CALM_ORDER = URGENCY_ORDER[1:]


def by_urgency(queryset: QuerySet[Ticket], now=None) -> QuerySet[Ticket]:
    """The default order of the office's and the department's lists: the work still running,
    most urgent first, before what waits for acceptance or is answered or done.

    No index can serve an order computed against the clock, so pages read it in two parts
    (core.paging): the running tickets, found through their partial index and sorted; then
    every other ticket by deadline and age, read along an index. A page of a province's list
    no longer sorts all of its tickets."""
    now = now or timezone.now()
    running = Q(state__in=CLOCK_STATES)
    return (
        with_urgency(queryset, now)
        .order_by(*URGENCY_ORDER)
        .ordered_in_parts((running, URGENCY_ORDER), (~running, CALM_ORDER))
    )


def state_counts(queryset: QuerySet[Ticket]) -> dict[str, int]:
    return dict(queryset.order_by().values_list("state").annotate(n=Count("pk")))


def open_duplicates(*, user: User, enterprise_id: int, category: str) -> QuerySet[Ticket]:
    """Open tickets of the same enterprise and category, shown before a new one is saved."""
    return ticket_list(user=user).filter(
        enterprise_id=enterprise_id, category=category, state__in=OPEN_STATES
    )


def own_ticket_list(*, user: User) -> QuerySet[Ticket]:
    """The user's own tickets: an enterprise contact's are their enterprise's, anyone else's
    those they raised."""
    tickets = ticket_list(user=user)
    if permissions.is_enterprise_contact(user):
        return tickets.filter(enterprise_id=actor_for(user).enterprise_id)
    return tickets.filter(raised_by=user)


def department_inbox(*, user: User) -> QuerySet[Ticket]:
    actor = actor_for(user)
    if not actor.unit_id:
        return Ticket.objects.none()
    return by_urgency(
        ticket_list(user=user).filter(responsible_unit_id=actor.unit_id, state__in=CLOCK_STATES)
    )


def led_ticket_list(*, user: User) -> QuerySet[Ticket]:
    """我包案的诉求: the tickets the user is the leader in charge of."""
    return ticket_list(user=user).filter(leader_id=user.pk)


def unit_handler_list(*, user: User, unit_id: int | None) -> QuerySet:
    """Active department handlers of a unit."""
    if not unit_id or not getattr(user, "is_authenticated", False):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.DEPARTMENT, profile__unit_id=unit_id)
        .select_related("profile")
        .distinct()
        .order_by("profile__sort_key", "pk")
    )


# --- Choices of the ticket forms: the pages and the API take them from here ------------------


def hand_over_target_list(*, user: User, ticket: Ticket) -> QuerySet:
    """Whom a ticket can be handed over to: the other handlers of its responsible unit."""
    handlers = unit_handler_list(user=user, unit_id=ticket.responsible_unit_id)
    if ticket.owner_id:
        handlers = handlers.exclude(pk=ticket.owner_id)
    return handlers


def responsible_unit_list(*, user: User) -> QuerySet[Unit]:
    """Units a ticket can be assigned to, as responsible or co-handling unit."""
    return unit_list(user=user).filter(is_responsible=True).order_by("tree_key", "pk")


def ticket_leader_list(*, user: User, ticket: Ticket) -> QuerySet[User]:
    """Leaders who can take charge of the ticket (包案): those of the user's territory and
    above, and the one already in charge, who stays choosable when it is reassigned."""
    return leader_list(user=user, current=ticket.leader)


def raisable_enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises the user may raise tickets for: a cadre's stationed ones, a contact's own."""
    return (
        enterprise_list(user=user)
        .filter(permissions.raisable_enterprise_q(user))
        .order_by("sort_key", "pk")
    )


def report_problem_list(*, user: User) -> QuerySet[ReportProblem]:
    """Problem lines of the half-month reports the user may read."""
    return ReportProblem.objects.filter(
        report__in=report_list(user=user).values("pk")
    ).select_related("report__assignment__enterprise", "report__period")


def extension_list(*, user: User, ticket: Ticket) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(
        ticket__in=ticket_list(user=user).filter(pk=ticket.pk).values("pk")
    ).select_related("requested_by__profile", "decided_by__profile")


def awaiting_rating(*, user: User, within: QuerySet | None = None) -> QuerySet[Ticket]:
    """Answered tickets the user may rate (the enterprise contact's, or a cadre's when the
    enterprise has no login), among `within` when given.

    Who may rate depends on the ticket's enterprise alone (permissions.can_rate), so it is asked
    once per enterprise; narrowing first keeps an office's thousands of answered tickets out of
    the loop (13 s and 4,000 statements on a province's "my tickets" page before)."""
    answered = ticket_list(user=user).filter(state=TicketState.ANSWERED)
    if within is not None:
        answered = answered.filter(pk__in=within.order_by().values("pk"))
    answered = answered.order_by("answered_at", "pk")
    verdicts: dict[int, bool] = {}
    rateable = []
    for pk, enterprise_id in answered.values_list("pk", "enterprise_id"):
        if enterprise_id not in verdicts:
            probe = Ticket(pk=pk, enterprise_id=enterprise_id)  # what can_rate reads
            verdicts[enterprise_id] = bool(permissions.can_rate(user, probe))
        if verdicts[enterprise_id]:
            rateable.append(pk)
    return answered.filter(pk__in=rateable)


def person_names(*, usernames) -> dict[str, str]:
    """Profile names by username (the timeline names whom a ticket was handed over to)."""
    rows = get_user_model().objects.filter(username__in=list(usernames))
    return {
        username: name or username
        for username, name in rows.values_list("username", "profile__name")
    }
