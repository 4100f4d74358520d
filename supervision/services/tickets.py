"""Ticket writes: every step of the closed loop is one function here.

Each transition locks the ticket row, checks the step's rules from supervision.permissions (the
states it starts from, who may take it, what else must hold now: the same rules that decide
which steps the pages and the API offer), changes the ticket and appends one TicketEvent. A
refused state or condition raises TransitionError (409 in the API), a refused role
PermissionDenied. Two officers acting at once: the second waits for the lock, then finds the
state changed and gets a TransitionError instead of writing a second event.
"""

import datetime
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.dates import end_of_day, local_date
from core.locking import lock_for_edit, save_new_version
from core.models import Unit
from stationing.models import Assignment

from .. import attachments, notices, permissions
from ..choices import (
    LEVEL_ORDER,
    Colour,
    EventKind,
    ExtensionState,
    Level,
    Satisfaction,
    TicketState,
    Urgency,
)
from ..models import ExtensionRequest, Ticket, TicketAttachment, TicketEvent
from ..workdays import WorkCalendar, colour, ticket_clock
from . import formalities, project_problems
from .calendar import category_days


class TransitionError(ValidationError):
    """A step the ticket's state does not allow (or that someone else already took)."""

    def __init__(self, message):
        super().__init__(message, code="state")


# What the audit trail compares of a ticket before and after each step (the step's comment, the
# answer or the reason, goes into the event's note).
AUDIT_FIELDS = (
    "state",
    "level",
    "responsible_unit",
    "co_units",
    "leader",
    "owner",
    "deadline",
    "time_limit_days",
    "satisfaction",
    "is_urged",
    "escalation_count",
    "assignment_fixed",
)
AUDIT_ACTIONS = {
    EventKind.ACCEPT: AuditAction.ACCEPTED,
    EventKind.REJECT: AuditAction.REJECTED,
    EventKind.ASSIGN: AuditAction.ASSIGNED,
    EventKind.REASSIGN: AuditAction.ASSIGNED,
    EventKind.OBJECT: AuditAction.OBJECTED,
    EventKind.CONFIRM: AuditAction.CONFIRMED,
    EventKind.HAND_OVER: AuditAction.HANDED_OVER,
    EventKind.PROGRESS: AuditAction.PROGRESSED,
    EventKind.REQUEST_EXTENSION: AuditAction.EXTENSION_REQUESTED,
    EventKind.APPROVE_EXTENSION: AuditAction.EXTENSION_APPROVED,
    EventKind.REFUSE_EXTENSION: AuditAction.EXTENSION_REFUSED,
    EventKind.ANSWER: AuditAction.ANSWERED,
    EventKind.RATE: AuditAction.RATED,
    EventKind.REOPEN: AuditAction.CHANGED,
    EventKind.ESCALATE: AuditAction.ESCALATED,
    EventKind.URGE: AuditAction.URGED,
    EventKind.WITHDRAW: AuditAction.WITHDRAWN,
}


def _lock(ticket: Ticket, expected_version: int | None = None) -> Ticket:
    """The ticket row locked for a step; what the audit trail compares is noted as it was."""
    locked = lock_for_edit(
        Ticket.objects.select_related("responsible_unit"),
        ticket.pk,
        expected_version=expected_version,
    )
    locked._audit_before = audit.snapshot(locked, AUDIT_FIELDS)
    return locked


def _check_step(ticket: Ticket, by: User | None, name: str) -> permissions.Moment:
    """The step's rules (supervision.permissions.STEPS) on the locked row: what it acts on and
    the state first (someone may have moved it since the page was loaded), then the role
    (PermissionDenied), then the rest."""
    moment = permissions.Moment(ticket)
    for verdict in (
        permissions.needs_met(by, ticket, name, moment),
        permissions.state_allows(ticket, name),
    ):
        if not verdict:
            raise TransitionError(verdict.reason)
    permissions.may_attempt(by, ticket, name).check()
    verdict = permissions.conditions_hold(by, ticket, name, moment)
    if not verdict:
        raise TransitionError(verdict.reason)
    return moment


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
    save_new_version(ticket, by=by)
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
    _audit_step(ticket, kind=kind, by=by, comment=comment)
    return event


def _audit_step(ticket: Ticket, *, kind: str, by: User | None, comment: str) -> None:
    """Every step's audit event, written with its TicketEvent: old and new values of the fields
    the step changed. The next step in the same transaction (受理并交办, a second 不满意's
    escalation) compares against this one's result."""
    after = audit.snapshot(ticket, AUDIT_FIELDS)
    before = getattr(ticket, "_audit_before", None)
    changes = audit.diff(before, after) if before is not None else {}
    ticket._audit_before = after
    note = comment
    if kind == EventKind.REASSIGN:
        note = (
            f"{EventKind.REASSIGN.label}：{comment}" if comment else str(EventKind.REASSIGN.label)
        )
    audit.record(by, AUDIT_ACTIONS[kind], ticket, changes, note=note)


def _backfill_event(event: TicketEvent, at: datetime.datetime) -> None:
    """Date a just-written event at the back-filled moment (its `at` is auto_now_add)."""
    TicketEvent.objects.filter(pk=event.pk).update(at=at)
    event.at = at


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# Why a ticket's deadline changed: the `reason` of the change in its event's data["clock"].
CLOCK_ASSIGN = "assign"
CLOCK_REASSIGN = "reassign"
CLOCK_EXTENSION = "extension"
CLOCK_REOPEN = "reopen"


def _set_clock(
    ticket: Ticket, *, start: datetime.datetime, days: int, reason: str, **extra
) -> dict:
    """Run the limit of `days` working days from `start` and say what changed.

    Nothing else writes `deadline`, `yellow_at`, `time_limit_days` or `clock_started_at`. The
    returned dict goes into the step's TicketEvent as data["clock"]: old and new deadline and
    time limit, where the clock now runs from, and the reason (a CLOCK_* code), so no deadline
    ever changes without a timeline entry saying from what, to what and why.
    """
    old_deadline, old_days = ticket.deadline, ticket.time_limit_days
    ticket.clock_started_at = start
    ticket.time_limit_days = days
    ticket.deadline, ticket.yellow_at = ticket_clock(start, days)
    return {
        "reason": reason,
        "old_deadline": _local_iso(old_deadline),
        "new_deadline": _local_iso(ticket.deadline),
        "old_days": old_days,
        "new_days": days,
        "started_at": _local_iso(start),
        **extra,
    }


def _local_iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in local time (Asia/Shanghai): its first ten characters are the local date."""
    return timezone.localtime(moment).isoformat() if moment is not None else None


def _start_clock(ticket: Ticket, now: datetime.datetime, *, reason: str) -> dict:
    """(Re)assignment: 交办时间 is now and the category's limit runs from it."""
    ticket.assigned_at = now
    return _set_clock(
        ticket, start=now, days=category_days(ticket.category, ticket.urgency), reason=reason
    )


def _reopen_clock(ticket: Ticket, now: datetime.datetime) -> dict:
    """The clock of a ticket reopened after 不满意 (the rule, and why):

    1. 交办时间 (assigned_at) stays the original assignment: the ticket was not reassigned.
    2. The unit gets its current time limit afresh, counted from the reopening: the category's
       days plus every extension approved so far (they are already in time_limit_days). An
       approved extension was granted for reasons the reopening does not remove, so dropping
       it would punish the unit for the enterprise's verdict on the answer.
    3. The deadline never moves earlier: if the fresh limit would end before the deadline the
       ticket had (e.g. its category's limit was shortened meanwhile), the old clock is kept.
    Either way the RATE event carries data["clock"] with the old and new values.
    """
    days = ticket.time_limit_days or category_days(ticket.category, ticket.urgency)
    old = {
        "clock_started_at": ticket.clock_started_at,
        "time_limit_days": ticket.time_limit_days,
        "deadline": ticket.deadline,
        "yellow_at": ticket.yellow_at,
    }
    change = _set_clock(ticket, start=now, days=days, reason=CLOCK_REOPEN)
    if old["deadline"] is not None and ticket.deadline < old["deadline"]:
        for field, value in old.items():
            setattr(ticket, field, value)
        change.update(
            new_deadline=_local_iso(old["deadline"]),
            new_days=old["time_limit_days"],
            started_at=_local_iso(old["clock_started_at"]),
            kept=True,
        )
    return change


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
    project_formality=None,
    project_problem=None,
    at: datetime.datetime | None = None,
) -> Ticket:
    """Raise a ticket. `at` back-fills the moment a problem was raised on paper or by phone (the
    ticket is dated then, and numbered in that year); it defaults to now.

    `project_formality`: an approval formality stuck past its limit (projects' 代办制). Whoever
    runs the project's formalities raises it for the investing enterprise, stationed there or
    not; the ticket is linked to the formality and its project (services.formalities checks it).
    """
    if project_formality is not None:
        project = formalities.check_formality_ticket(project_formality, by, enterprise)
    elif project_problem is not None:
        # A problem of a key project's monthly progress (services.project_problems).
        project = project_problems.check_problem_ticket(project_problem, by, enterprise)
    else:
        project = None
        verdict = permissions.can_raise_for(by, enterprise.pk)
        if not verdict:
            raise ValidationError({"enterprise": verdict.reason})
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
    if project is not None:
        programme_id = project.programme_id
    ticket = Ticket(
        number=f"tmp-{uuid.uuid4().hex[:16]}",  # replaced below, once the pk is known
        enterprise=enterprise,
        programme_id=programme_id,
        report_problem=report_problem,
        project=project,
        project_formality=project_formality,
        project_problem=project_problem,
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
    raised = audit.snapshot(ticket, ("enterprise", "category", "title", "urgency", "state"))
    note = ""
    if at is not None:
        note = _("补录：提出于 %(at)s") % {"at": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"}
    audit.record(by, AuditAction.CREATED, ticket, audit.initial(raised), note=note)
    notices.ticket_raised(ticket, event, by=by)
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
    return _accept(_lock(ticket, expected_version), by=by, at=at)


def _accept(ticket: Ticket, *, by: User, at: datetime.datetime | None) -> Ticket:
    _check_step(ticket, by, permissions.ACCEPT)
    from_state = ticket.state
    ticket.state = TicketState.ACCEPTED
    ticket.owner = by  # 首问负责: whoever receives it first owns it until it is handed on
    event = _record(ticket, kind=EventKind.ACCEPT, by=by, from_state=from_state, at=at)
    notices.ticket_accepted(ticket, event, by=by)
    return ticket


@transaction.atomic
def ticket_reject(
    *, ticket: Ticket, by: User, reason: str, expected_version: int | None = None
) -> Ticket:
    reason = _required(reason, "reason", _("不予受理必须说明理由。"))
    ticket = _lock(ticket, expected_version)
    _check_step(ticket, by, permissions.REJECT)
    from_state = ticket.state
    ticket.state = TicketState.REJECTED
    ticket.reason = reason
    ticket.closed_at = timezone.now()
    event = _record(ticket, kind=EventKind.REJECT, by=by, from_state=from_state, comment=reason)
    notices.ticket_rejected(ticket, event, by=by)
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
    return _assign(
        _lock(ticket, expected_version),
        by=by,
        level=level,
        responsible_unit=responsible_unit,
        co_units=co_units,
        leader=leader,
        comment=comment,
        at=at,
    )


def _assign(
    ticket: Ticket,
    *,
    by: User,
    level: str,
    responsible_unit: Unit,
    co_units,
    leader: User | None,
    comment: str,
    at: datetime.datetime | None,
) -> Ticket:
    _check_step(ticket, by, permissions.ASSIGN)
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
    clock = _start_clock(
        ticket, now, reason=CLOCK_REASSIGN if kind == EventKind.REASSIGN else CLOCK_ASSIGN
    )
    ticket.co_units.set(co_units)
    event = _record(
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
            "clock": clock,
        },
        at=at,
    )
    notices.ticket_assigned(ticket, event, by=by)
    return ticket


@transaction.atomic
def ticket_confirm_assignment(*, ticket: Ticket, by: User, comment: str = "") -> Ticket:
    """The office keeps the assignment despite the objection: the owner unit is now fixed."""
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.CONFIRM)
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
def ticket_escalate(*, ticket: Ticket, by: User, reason: str = "") -> Ticket:
    """Raise one level and mark urged (督办), keeping the department and state."""
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.ESCALATE)
    _escalate(ticket, by=by, comment=reason)
    return ticket


@transaction.atomic
def ticket_urge(*, ticket: Ticket, by: User, comment: str) -> Ticket:
    """催办: press the unit handling the ticket; the state, deadline and unit stay as they are."""
    comment = _required(comment, "comment", _("请填写催办意见。"))
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.URGE)
    event = _record(ticket, kind=EventKind.URGE, by=by, from_state=ticket.state, comment=comment)
    notices.ticket_urged(ticket, event, by=by)
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
    _escalate(ticket, by=None, comment=_("超过办结期限，自动升级督办。"))
    return True


@transaction.atomic
def ticket_decide_extension(
    *, ticket: Ticket, by: User, approve: bool, comment: str = ""
) -> Ticket:
    ticket = _lock(ticket)
    request = _check_step(ticket, by, permissions.DECIDE_EXTENSION).pending_extension
    if not approve:
        comment = _required(comment, "comment", _("不同意延期时请说明理由。"))
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.comment = comment
    request.save()
    data = {"days": request.days}
    if approve:
        # The extension lengthens the running limit: same start, more working days.
        data["clock"] = _set_clock(
            ticket,
            start=ticket.clock_started_at or ticket.assigned_at,
            days=ticket.time_limit_days + request.days,
            reason=CLOCK_EXTENSION,
            extension_days=request.days,
        )
        data["deadline"] = ticket.deadline.isoformat()
    event = _record(
        ticket,
        kind=EventKind.APPROVE_EXTENSION if approve else EventKind.REFUSE_EXTENSION,
        by=by,
        from_state=ticket.state,
        comment=comment,
        data=data,
    )
    notices.ticket_extension_decided(ticket, event, by=by, approved=approve)
    return ticket


@transaction.atomic
def ticket_object(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    reason = _required(reason, "reason", _("提出异议必须说明理由。"))
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.OBJECT)
    from_state = ticket.state
    ticket.state = TicketState.OBJECTED
    event = _record(ticket, kind=EventKind.OBJECT, by=by, from_state=from_state, comment=reason)
    notices.ticket_objected(ticket, event, by=by)
    return ticket


@transaction.atomic
def ticket_hand_over(*, ticket: Ticket, by: User, to: User, comment: str = "") -> Ticket:
    """Hand the ticket to another handler of the same unit (the explicit end of 首问负责)."""
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.HAND_OVER)
    if not permissions.is_unit_handler(to, ticket.responsible_unit_id):
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
    _check_step(ticket, by, permissions.PROGRESS)
    ticket.owner = by  # 首问负责: the first handler to act owns it
    from_state = ticket.state
    ticket.state = TicketState.IN_PROGRESS
    _record(ticket, kind=EventKind.PROGRESS, by=by, from_state=from_state, comment=comment)
    return ticket


@transaction.atomic
def ticket_request_extension(*, ticket: Ticket, by: User, days: int, reason: str) -> Ticket:
    reason = _required(reason, "reason", _("申请延期必须说明理由。"))
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.REQUEST_EXTENSION)
    ticket.owner = by
    request = ExtensionRequest(ticket=ticket, requested_by=by, days=days, reason=reason)
    request.full_clean(exclude=["ticket", "requested_by"])
    request.save()
    event = _record(
        ticket,
        kind=EventKind.REQUEST_EXTENSION,
        by=by,
        from_state=ticket.state,
        comment=reason,
        data={"days": days},
    )
    notices.ticket_extension_requested(ticket, event, by=by)
    return ticket


@transaction.atomic
def ticket_answer(*, ticket: Ticket, by: User, answer: str) -> Ticket:
    answer = _required(answer, "answer", _("请填写答复内容。"))
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.ANSWER)
    ticket.owner = by
    from_state = ticket.state
    ticket.state = TicketState.ANSWERED
    ticket.answer = answer
    ticket.answered_at = timezone.now()
    event = _record(ticket, kind=EventKind.ANSWER, by=by, from_state=from_state, comment=answer)
    notices.ticket_answered(ticket, event, by=by)
    return ticket


@transaction.atomic
def ticket_rate(*, ticket: Ticket, by: User, satisfaction: str, comment: str = "") -> Ticket:
    """满意/基本满意 close it; 不满意 reopens it to the same unit, and a second 不满意 also
    escalates it one level (the level only: escalation never changes the deadline).

    The reopened ticket keeps its 交办时间 and its approved extensions; its limit runs afresh
    from the reopening and never ends before the deadline it had (_reopen_clock says why).
    """
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    if satisfaction == Satisfaction.UNSATISFIED:
        comment = _required(comment, "comment", _("不满意时请说明原因。"))
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.RATE)
    from_state = ticket.state
    ticket.satisfaction = satisfaction
    ticket.rating_comment = comment
    if satisfaction == Satisfaction.UNSATISFIED:
        ticket.unsatisfied_count += 1
        ticket.state = TicketState.IN_PROGRESS
        clock = _reopen_clock(ticket, timezone.now())
        event = _record(
            ticket,
            kind=EventKind.RATE,
            by=by,
            from_state=from_state,
            comment=comment,
            data={
                "satisfaction": satisfaction,
                "deadline": ticket.deadline.isoformat(),
                "clock": clock,
            },
        )
        notices.ticket_unsatisfied(ticket, event, by=by)
        if ticket.unsatisfied_count >= 2:
            _escalate(ticket, by=by, comment=_("企业第二次不满意，升级督办。"))
        return ticket
    ticket.state = TicketState.CLOSED
    ticket.closed_at = timezone.now()
    event = _record(
        ticket,
        kind=EventKind.RATE,
        by=by,
        from_state=from_state,
        comment=comment,
        data={"satisfaction": satisfaction},
    )
    notices.ticket_closed(ticket, event, by=by)
    return ticket


@transaction.atomic
def ticket_withdraw(*, ticket: Ticket, by: User, reason: str) -> Ticket:
    """The enterprise (or whoever raised it) withdraws; the office sees every withdrawal."""
    reason = _required(reason, "reason", _("撤回必须说明原因。"))
    ticket = _lock(ticket)
    _check_step(ticket, by, permissions.WITHDRAW)
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
def ticket_accept_and_assign(
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
    """The office's 交办 as the pages and the API offer it: a submitted ticket is accepted first
    (受理并交办, two events; the ASSIGN step's prelude), an accepted one assigned, an objected
    one reassigned. One lock and one version check for both events, so a form loaded before
    someone else acted is refused (StaleEditError) instead of overwriting."""
    ticket = _lock(ticket, expected_version)
    if permissions.state_allows(ticket, permissions.ACCEPT):
        ticket = _accept(ticket, by=by, at=at)
    return _assign(
        ticket,
        by=by,
        level=level,
        responsible_unit=responsible_unit,
        co_units=co_units,
        leader=leader,
        comment=comment,
        at=at,
    )


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
        for attachment in saved:
            attachments.remove(attachment.storage_name)
        raise ValidationError({"attachments": exc.messages}) from exc
    return saved
