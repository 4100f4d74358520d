"""Ticket writes: every step of the closed loop is one function here.

Each transition locks the ticket row, checks the state (an impossible step raises
TransitionError, which the API turns into 409), changes the ticket and appends one TicketEvent.
Two officers acting at once: the second waits for the lock, then finds the state changed and
gets a TransitionError instead of writing a second event.
"""

import datetime
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import Role
from core.dates import end_of_day, local_date
from core.locking import StaleEditError, stale_message
from core.models import Unit
from core.roles import actor_for
from stationing.models import Assignment

from .. import notices
from ..choices import (
    CLOCK_STATES,
    LEVEL_ORDER,
    OPEN_STATES,
    Colour,
    EventKind,
    ExtensionState,
    Level,
    Satisfaction,
    TicketState,
    Urgency,
)
from ..models import ExtensionRequest, Ticket, TicketEvent
from ..workdays import WorkCalendar, colour, ticket_clock
from .calendar import category_days


class TransitionError(ValidationError):
    """A step the ticket's state does not allow (or that someone else already took)."""

    def __init__(self, message):
        super().__init__(message, code="state")


def _state_label(state: str) -> str:
    return str(TicketState(state).label)


def _lock(ticket: Ticket, expected_version: int | None = None) -> Ticket:
    current = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("updated_by__profile", "responsible_unit")
        .get(pk=ticket.pk)
    )
    if expected_version is not None and current.version != int(expected_version):
        raise StaleEditError(stale_message(current), code="stale")
    return current


def _require_state(ticket: Ticket, allowed, action: str) -> None:
    if ticket.state not in allowed:
        raise TransitionError(
            _("诉求当前状态为“%(state)s”,不能%(action)s。")
            % {"state": _state_label(ticket.state), "action": action}
        )


def _record(
    ticket: Ticket,
    *,
    kind: str,
    by: User | None,
    from_state: str,
    comment: str = "",
    data: dict | None = None,
    at: datetime.datetime | None = None,
) -> TicketEvent:
    ticket.version += 1
    ticket.updated_by = by
    ticket.save()
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=by,
        from_state=from_state,
        to_state=ticket.state,
        comment=comment,
        data=data or {},
    )
    if at is not None:
        _backfill_event(event, at)
    return event


def _backfill_event(event: TicketEvent, at: datetime.datetime) -> None:
    """Date a just-written event at the back-filled moment (its `at` is auto_now_add)."""
    TicketEvent.objects.filter(pk=event.pk).update(at=at)
    event.at = at


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _start_clock(ticket: Ticket, now: datetime.datetime, days: int | None = None) -> None:
    ticket.assigned_at = now
    ticket.time_limit_days = days or category_days(ticket.category, ticket.urgency)
    ticket.deadline, ticket.yellow_at = ticket_clock(now, ticket.time_limit_days)


def can_raise_for(user: User, enterprise_id: int) -> bool:
    """Stationed cadres and the enterprise's own contacts raise tickets for an enterprise."""
    actor = actor_for(user)
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id == enterprise_id:
        return True
    return bool(
        actor.has(Role.CADRE)
        and actor.profile_id
        and Assignment.objects.filter(
            cadre_id=actor.profile_id, enterprise_id=enterprise_id
        ).exists()
    )


@transaction.atomic
def ticket_create(
    *,
    by: User,
    enterprise,
    category: str,
    title: str,
    description: str,
    urgency: str = Urgency.NORMAL,
    report_problem=None,
    at: datetime.datetime | None = None,
) -> Ticket:
    """Raise a ticket. `at` back-fills the moment a problem was raised on paper or by phone (the
    ticket is dated then, and numbered in that year); it defaults to now."""
    if not can_raise_for(by, enterprise.pk):
        raise ValidationError({"enterprise": _("您不能为这家企业提出诉求。")})
    if report_problem is not None:
        if Ticket.objects.filter(report_problem=report_problem).exists():
            raise ValidationError(_("该问题已转为诉求。"), code="duplicate")
        if report_problem.report.assignment.enterprise_id != enterprise.pk:
            raise ValidationError({"report_problem": _("该问题不属于这家企业。")})
    programme_id = (
        Assignment.objects.filter(enterprise=enterprise)
        .order_by("-start_date")
        .values_list("programme_id", flat=True)
        .first()
    )
    ticket = Ticket(
        number=f"tmp-{uuid.uuid4().hex[:16]}",  # replaced below, once the pk is known
        enterprise=enterprise,
        programme_id=programme_id,
        report_problem=report_problem,
        raised_by=by,
        category=category,
        title=_required(title, "title", _("请填写标题。")),
        description=_required(description, "description", _("请描述问题。")),
        urgency=urgency,
        updated_by=by,
    )
    ticket.full_clean(exclude=["number"])
    ticket.save()
    # The number is the year and the primary key: unique without a counter to race on.
    ticket.number = f"{local_date(at) if at else timezone.localdate():%Y}-{ticket.pk:06d}"
    backfill = {"created_at": at} if at is not None else {}
    Ticket.objects.filter(pk=ticket.pk).update(number=ticket.number, **backfill)
    ticket.created_at = at or ticket.created_at
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.SUBMIT,
        actor=by,
        from_state=TicketState.SUBMITTED,
        to_state=TicketState.SUBMITTED,
        comment=ticket.title,
    )
    if at is not None:
        _backfill_event(event, at)
    return ticket


@transaction.atomic
def ticket_accept(
    *,
    ticket: Ticket,
    by: User,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> Ticket:
    """Accept (受理). `at` back-fills when the office accepted it; it defaults to now."""
    ticket = _lock(ticket, expected_version)
    _require_state(ticket, [TicketState.SUBMITTED], _("受理"))
    from_state = ticket.state
    ticket.state = TicketState.ACCEPTED
    ticket.owner = by  # 首问负责: whoever receives it first owns it until it is handed on
    _record(ticket, kind=EventKind.ACCEPT, by=by, from_state=from_state, at=at)
    return ticket


@transaction.atomic
def ticket_reject(
    *, ticket: Ticket, by: User, reason: str, expected_version: int | None = None
) -> Ticket:
    reason = _required(reason, "reason", _("不予受理必须说明理由。"))
    ticket = _lock(ticket, expected_version)
    _require_state(ticket, [TicketState.SUBMITTED], _("不予受理"))
    from_state = ticket.state
    ticket.state = TicketState.REJECTED
    ticket.reason = reason
    ticket.closed_at = timezone.now()
    _record(ticket, kind=EventKind.REJECT, by=by, from_state=from_state, comment=reason)
    return ticket


@transaction.atomic
def ticket_assign(
    *,
    ticket: Ticket,
    by: User,
    level: str,
    responsible_unit: Unit,
    co_units=(),
    leader: User | None = None,
    comment: str = "",
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> Ticket:
    """交办 (from accepted) or 改派 after an objection: starts the clock for the unit.

    `at` back-fills when it was assigned: the clock (deadline, yellow card) runs from then.
    """
    ticket = _lock(ticket, expected_version)
    _require_state(ticket, [TicketState.ACCEPTED, TicketState.OBJECTED], _("交办"))
    if level not in Level.values:
        raise ValidationError({"level": _("请选择层级。")})
    if not responsible_unit.is_responsible:
        raise ValidationError({"responsible_unit": _("该单位不是承办单位。")})
    co_units = [unit for unit in co_units if unit.pk != responsible_unit.pk]
    from_state = ticket.state
    kind = EventKind.REASSIGN if from_state == TicketState.OBJECTED else EventKind.ASSIGN
    now = at or timezone.now()
    ticket.level = level
    ticket.responsible_unit = responsible_unit
    ticket.leader = leader
    ticket.state = TicketState.ASSIGNED
    ticket.owner = None  # handed on to the unit: its first handler to act owns it
    ticket.assignment_fixed = kind == EventKind.REASSIGN
    calendar = WorkCalendar.around(local_date(now))
    ticket.objection_until = end_of_day(calendar.add_working_days(local_date(now), 1))
    _start_clock(ticket, now)
    ticket.save()
    ticket.co_units.set(co_units)
    _record(
        ticket,
        kind=kind,
        by=by,
        from_state=from_state,
        comment=comment,
        data={
            "unit": responsible_unit.name,
            "co_units": [unit.name for unit in co_units],
            "level": level,
            "leader": leader.get_username() if leader else "",
            "deadline": ticket.deadline.isoformat(),
        },
        at=at,
    )
    notices.ticket_assigned(ticket)
    return ticket


@transaction.atomic
def ticket_confirm_assignment(*, ticket: Ticket, by: User, comment: str = "") -> Ticket:
    """The office keeps the assignment despite the objection: the owner unit is now fixed."""
    ticket = _lock(ticket)
    _require_state(ticket, [TicketState.OBJECTED], _("维持交办"))
    from_state = ticket.state
    ticket.state = TicketState.ASSIGNED
    ticket.assignment_fixed = True
    _record(ticket, kind=EventKind.CONFIRM, by=by, from_state=from_state, comment=comment)
    return ticket


def _next_level(level: str) -> str:
    try:
        index = LEVEL_ORDER.index(level)
    except ValueError:
        return Level.SYSTEM
    return LEVEL_ORDER[min(index + 1, len(LEVEL_ORDER) - 1)]


def _escalate(ticket: Ticket, *, by: User | None, comment: str) -> None:
    from_level = ticket.level
    ticket.level = _next_level(ticket.level)
    ticket.is_urged = True
    ticket.escalation_count += 1
    _record(
        ticket,
        kind=EventKind.ESCALATE,
        by=by,
        from_state=ticket.state,
        comment=comment,
        data={"from_level": from_level, "to_level": ticket.level},
    )


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, by: User | None, reason: str = "") -> Ticket:
    """Raise one level and mark urged (督办), keeping the department and state."""
    ticket = _lock(ticket)
    # Escalation is about a department that is stuck: only once the ticket has one.
    _require_state(ticket, CLOCK_STATES + [TicketState.ANSWERED], _("升级督办"))
    _escalate(ticket, by=by, comment=reason)
    return ticket


@transaction.atomic
def ticket_escalate_overdue(*, ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    """Red card: escalate once per ticket per deadline (the scheduled job calls this).

    Returns True when it escalated. A later extension sets a new deadline, which may be
    escalated again when it too is missed.
    """
    ticket = _lock(ticket)
    if colour(ticket, now) != Colour.RED or ticket.escalated_for_deadline == ticket.deadline:
        return False
    ticket.escalated_for_deadline = ticket.deadline
    _escalate(ticket, by=None, comment=_("超过办结期限,自动升级督办。"))
    return True


@transaction.atomic
def ticket_decide_extension(
    *, ticket: Ticket, by: User, approve: bool, comment: str = ""
) -> Ticket:
    ticket = _lock(ticket)
    request = ticket.extensions.filter(state=ExtensionState.PENDING).first()
    if request is None:
        raise TransitionError(_("没有待审批的延期申请。"))
    _require_state(ticket, CLOCK_STATES, _("审批延期"))
    if not approve:
        comment = _required(comment, "comment", _("不同意延期时请说明理由。"))
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.comment = comment
    request.save()
    data = {"days": request.days}
    if approve:
        ticket.time_limit_days += request.days
        ticket.deadline, ticket.yellow_at = ticket_clock(ticket.assigned_at, ticket.time_limit_days)
        data["deadline"] = ticket.deadline.isoformat()
    _record(
        ticket,
        kind=EventKind.APPROVE_EXTENSION if approve else EventKind.REFUSE_EXTENSION,
        by=by,
        from_state=ticket.state,
        comment=comment,
        data=data,
    )
    return ticket


def is_unit_handler(user: User, unit_id: int | None) -> bool:
    actor = actor_for(user)
    return bool(unit_id and actor.has(Role.DEPARTMENT) and actor.unit_id == unit_id)


def _department_turn(ticket: Ticket, by: User) -> None:
    """Only the responsible unit's handlers act; the first to act owns it (首问负责)."""
    if not is_unit_handler(by, ticket.responsible_unit_id):
        raise PermissionDenied(_("只有承办单位的经办人可以办理。"))
    if (
        ticket.owner_id
        and ticket.owner_id != by.pk
        and is_unit_handler(ticket.owner, ticket.responsible_unit_id)
    ):
        owner_name = getattr(getattr(ticket.owner, "profile", None), "name", "")
        raise TransitionError(
            _("该诉求由 %(owner)s 负责办理;如需他人办理,请先移交。")
            % {"owner": owner_name or ticket.owner.get_username()}
        )
    ticket.owner = by


@transaction.atomic
def ticket_object(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    reason = _required(reason, "reason", _("提出异议必须说明理由。"))
    ticket = _lock(ticket)
    _require_state(ticket, [TicketState.ASSIGNED], _("提出交办异议"))
    if not is_unit_handler(by, ticket.responsible_unit_id):
        raise PermissionDenied(_("只有承办单位的经办人可以办理。"))
    if ticket.assignment_fixed:
        raise TransitionError(_("督查室已确定承办单位,不能再提出异议。"))
    if timezone.now() > ticket.objection_until:
        raise TransitionError(_("已超过交办异议期限(交办后1个工作日内)。"))
    from_state = ticket.state
    ticket.state = TicketState.OBJECTED
    _record(ticket, kind=EventKind.OBJECT, by=by, from_state=from_state, comment=reason)
    return ticket


@transaction.atomic
def ticket_hand_over(*, ticket: Ticket, by: User, to: User, comment: str = "") -> Ticket:
    """Hand the ticket to another handler of the same unit (the explicit end of 首问负责)."""
    ticket = _lock(ticket)
    _require_state(ticket, CLOCK_STATES, _("移交"))
    if not (ticket.owner_id == by.pk or actor_for(by).is_office):
        raise PermissionDenied(_("只有当前责任人或督查室可以移交。"))
    unit_id = ticket.responsible_unit_id
    if not is_unit_handler(to, unit_id):
        raise ValidationError({"to": _("只能移交给承办单位的经办人。")})
    ticket.owner = to
    _record(
        ticket,
        kind=EventKind.HAND_OVER,
        by=by,
        from_state=ticket.state,
        comment=comment,
        data={"to": to.get_username()},
    )
    return ticket


@transaction.atomic
def ticket_progress(*, ticket: Ticket, by: User, comment: str) -> Ticket:
    comment = _required(comment, "comment", _("请填写办理进展。"))
    ticket = _lock(ticket)
    _require_state(ticket, [TicketState.ASSIGNED, TicketState.IN_PROGRESS], _("记录办理进展"))
    _department_turn(ticket, by)
    from_state = ticket.state
    ticket.state = TicketState.IN_PROGRESS
    _record(ticket, kind=EventKind.PROGRESS, by=by, from_state=from_state, comment=comment)
    return ticket


@transaction.atomic
def ticket_request_extension(*, ticket: Ticket, by: User, days: int, reason: str) -> Ticket:
    reason = _required(reason, "reason", _("申请延期必须说明理由。"))
    ticket = _lock(ticket)
    _require_state(ticket, [TicketState.ASSIGNED, TicketState.IN_PROGRESS], _("申请延期"))
    _department_turn(ticket, by)
    if timezone.now() > ticket.deadline:
        raise TransitionError(_("已超过办结期限,不能再申请延期。"))
    if ticket.extensions.filter(state=ExtensionState.PENDING).exists():
        raise TransitionError(_("已有一项延期申请在审批中。"))
    request = ExtensionRequest(ticket=ticket, requested_by=by, days=days, reason=reason)
    request.full_clean(exclude=["ticket", "requested_by"])
    request.save()
    _record(
        ticket,
        kind=EventKind.REQUEST_EXTENSION,
        by=by,
        from_state=ticket.state,
        comment=reason,
        data={"days": days},
    )
    return ticket


@transaction.atomic
def ticket_answer(*, ticket: Ticket, by: User, answer: str) -> Ticket:
    answer = _required(answer, "answer", _("请填写答复内容。"))
    ticket = _lock(ticket)
    _require_state(ticket, [TicketState.ASSIGNED, TicketState.IN_PROGRESS], _("答复"))
    _department_turn(ticket, by)
    from_state = ticket.state
    ticket.state = TicketState.ANSWERED
    ticket.answer = answer
    ticket.answered_at = timezone.now()
    _record(ticket, kind=EventKind.ANSWER, by=by, from_state=from_state, comment=answer)
    notices.ticket_answered(ticket)
    return ticket


def can_rate(user: User, ticket: Ticket) -> bool:
    """The enterprise contact rates; a stationed cadre rates only when the enterprise has no
    login of its own."""
    from django.contrib.auth import get_user_model

    actor = actor_for(user)
    if actor.has(Role.ENTERPRISE) and actor.enterprise_id == ticket.enterprise_id:
        return True
    has_contact_login = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.ENTERPRISE,
            profile__enterprise_id=ticket.enterprise_id,
        )
        .exists()
    )
    return not has_contact_login and can_raise_for(user, ticket.enterprise_id)


@transaction.atomic
def ticket_rate(*, ticket: Ticket, by: User, satisfaction: str, comment: str = "") -> Ticket:
    """满意/基本满意 close it; 不满意 reopens it to the same unit (a new time limit), and a
    second 不满意 also escalates it one level."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    if satisfaction == Satisfaction.UNSATISFIED:
        comment = _required(comment, "comment", _("不满意时请说明原因。"))
    ticket = _lock(ticket)
    _require_state(ticket, [TicketState.ANSWERED], _("评价"))
    if not can_rate(by, ticket):
        raise PermissionDenied(_("只有企业联络人(企业无账号时为驻企干部)可以评价。"))
    from_state = ticket.state
    ticket.satisfaction = satisfaction
    ticket.rating_comment = comment
    if satisfaction == Satisfaction.UNSATISFIED:
        ticket.unsatisfied_count += 1
        ticket.state = TicketState.IN_PROGRESS
        _start_clock(ticket, timezone.now())
        _record(
            ticket,
            kind=EventKind.RATE,
            by=by,
            from_state=from_state,
            comment=comment,
            data={"satisfaction": satisfaction},
        )
        if ticket.unsatisfied_count >= 2:
            _escalate(ticket, by=by, comment=_("企业第二次不满意,升级督办。"))
        return ticket
    ticket.state = TicketState.CLOSED
    ticket.closed_at = timezone.now()
    _record(
        ticket,
        kind=EventKind.RATE,
        by=by,
        from_state=from_state,
        comment=comment,
        data={"satisfaction": satisfaction},
    )
    return ticket


@transaction.atomic
def ticket_withdraw(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    """The enterprise (or whoever raised it) withdraws; the office sees every withdrawal."""
    reason = _required(reason, "reason", _("撤回必须说明原因。"))
    ticket = _lock(ticket)
    _require_state(ticket, OPEN_STATES, _("撤回"))
    actor = actor_for(by)
    own_enterprise = actor.has(Role.ENTERPRISE) and actor.enterprise_id == ticket.enterprise_id
    if not (own_enterprise or ticket.raised_by_id == by.pk):
        raise PermissionDenied(_("只有企业或提出人可以撤回诉求。"))
    from_state = ticket.state
    ticket.state = TicketState.WITHDRAWN
    ticket.reason = reason
    ticket.closed_at = timezone.now()
    _record(ticket, kind=EventKind.WITHDRAW, by=by, from_state=from_state, comment=reason)
    return ticket


def ticket_attach(*, ticket: Ticket, by: User, upload, event: TicketEvent | None = None):
    """Check an uploaded file by its content and keep it under a random name.

    Raises ValidationError (codes too_big, type, extension) with a message saying why.
    """
    from supervision import attachments
    from supervision.models import TicketAttachment

    checked = attachments.check_upload(upload)
    storage_name = attachments.store(upload)
    # The file is written before the row: if the transaction rolls back, remove it again.
    try:
        with transaction.atomic():
            return TicketAttachment.objects.create(
                ticket=ticket,
                event=event,
                storage_name=storage_name,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=by,
            )
    except Exception:
        attachments.remove(storage_name)
        raise


@transaction.atomic
def ticket_accept_and_assign(*, ticket: Ticket, by: User, **assignment) -> Ticket:
    """The office accepts a submitted ticket and assigns it in one step (two events)."""
    ticket = ticket_accept(ticket=ticket, by=by)
    return ticket_assign(ticket=ticket, by=by, **assignment)


@transaction.atomic
def ticket_attach_many(*, ticket: Ticket, by: User, uploads, event: TicketEvent | None = None):
    """Attach several files, all or none, to `event` or else the ticket's latest event (the step
    just taken: its row lock is held until commit, so nobody appended another meanwhile).

    A refused file raises ValidationError({"attachments": [why]}).
    """
    if event is None:
        event = ticket.events.order_by("-pk").first()
    saved = []
    try:
        for upload in uploads:
            saved.append(ticket_attach(ticket=ticket, by=by, upload=upload, event=event))
    except ValidationError as exc:
        from supervision import attachments

        for attachment in saved:
            attachments.remove(attachment.storage_name)
        raise ValidationError({"attachments": exc.messages}) from exc
    return saved
