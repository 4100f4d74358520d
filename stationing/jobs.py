"""Stationing's scheduled jobs: report and plan reminders. Each is registered with the
notification engine's job registry below; see notifications.jobs for the contract (takes `now`,
safe to run twice, returns a summary)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import end_of_day
from core.selectors import unit_handlers
from notifications.delivery import Notice, notify, notify_many, notify_unit_webhook
from notifications.jobs import Job, register_job

from .choices import ProgrammeStatus, StationingNotice
from .models import Assignment, ReportPeriod
from .selectors import assignments_owing_report, plan_due_date, plans_submitted

DAY = datetime.timedelta(days=1)


def _today(now) -> datetime.date:
    return timezone.localtime(now).date()


# --- Half-monthly reports ---------------------------------------------------------------------


def report_reminders(now) -> str:
    """1. Two days before a period's due date and on the due date: each cadre with no submitted
    report. 2. The day after (or, catching up, up to three days after): an overdue notice to the
    cadre and their dispatching unit's handlers and robot."""
    today = _today(now)
    sent = 0
    periods = ReportPeriod.objects.filter(
        programme__status=ProgrammeStatus.ACTIVE,
        due_at__date__gte=today - 3 * DAY,
        due_at__date__lte=today + 2 * DAY,
    ).select_related("programme")
    for period in periods:
        due_day = timezone.localtime(period.due_at).date()
        if due_day == today + 2 * DAY:
            kind = StationingNotice.REPORT_DUE_SOON
        elif due_day == today:
            kind = StationingNotice.REPORT_DUE_TODAY
        elif due_day < today:
            kind = StationingNotice.REPORT_OVERDUE
        else:
            continue
        relevant_until = period.due_at
        if kind == StationingNotice.REPORT_OVERDUE:
            relevant_until = _next_period_end(period)
        # Who owes and what counts as handed in: stationing.selectors, as for the matrix.
        assignments = assignments_owing_report(
            period=period, assignments=Assignment.objects.all()
        ).select_related("cadre__user", "cadre__unit", "enterprise")
        # A province's thousands of notices are written together (notify_many), each unit's
        # handlers read once.
        handlers_of: dict[int | None, list] = {}
        notices = []
        for assignment in assignments:
            notices += _report_notices(kind, period, assignment, relevant_until, handlers_of)
        with transaction.atomic():
            sent += len(notify_many(kind=kind, notices=notices))
    return f"{sent} report notifications"


def _next_period_end(period) -> datetime.datetime:
    """The end of the period after `period` (its last day, 23:59:59 Asia/Shanghai): until then
    an overdue notice is still worth sending. After a programme's last period, the end of a
    period as long as that one."""
    following = (
        ReportPeriod.objects.filter(programme_id=period.programme_id, start__gt=period.start)
        .order_by("start")
        .first()
    )
    if following is not None:
        return end_of_day(following.end)
    return end_of_day(period.end + (period.end - period.start) + DAY)


def _report_notices(kind, period, assignment, relevant_until, handlers_of: dict) -> list[Notice]:
    """The cadre's notice and, for an overdue report, the dispatching unit's (see
    _notify_cadre_and_unit for why theirs has no link); the unit's robot message is queued."""
    values = {
        "period": period.label,
        "enterprise": assignment.enterprise.name,
        "due": timezone.localtime(period.due_at).strftime("%Y-%m-%d %H:%M"),
        "cadre": assignment.cadre.name,
    }
    link = f"/assignments/{assignment.pk}/reports/"
    if kind == StationingNotice.REPORT_DUE_SOON:
        subject = _("%(period)s半月报将于 %(due)s 截止") % values
        body = _("您驻%(enterprise)s的%(period)s半月报将于 %(due)s 截止，请及时填报。") % values
    elif kind == StationingNotice.REPORT_DUE_TODAY:
        subject = _("%(period)s半月报今日截止") % values
        body = _("您驻%(enterprise)s的%(period)s半月报今日 %(due)s 截止，尚未报送。") % values
    else:
        subject = _("%(cadre)s的%(period)s半月报逾期未报") % values
        body = (
            _("%(cadre)s（驻%(enterprise)s）的%(period)s半月报已于 %(due)s 截止，至今未报送。")
            % values
        )
    handlers = []
    if kind == StationingNotice.REPORT_OVERDUE:
        unit_id = assignment.cadre.unit_id
        if unit_id not in handlers_of:
            handlers_of[unit_id] = list(unit_handlers(unit_id))
        handlers = handlers_of[unit_id]
        notify_unit_webhook(
            unit=assignment.cadre.unit,
            kind=kind,
            object_key=f"assignment:{assignment.pk}",
            period_key=f"period:{period.pk}",
            text=body,
        )
    notice = {
        "object_key": f"assignment:{assignment.pk}",
        "period_key": f"period:{period.pk}",
        "subject": subject,
        "body": body,
        "relevant_until": relevant_until,
    }
    return [
        Notice(recipients=[assignment.cadre.user], link=link, **notice),
        Notice(recipients=handlers, link="", **notice),
    ]


def _notify_cadre_and_unit(*, cadre, handlers, link: str, **notice) -> int:
    """The cadre's copy links to their stationing's reports page. The dispatching unit's
    handlers may not read reports (stationing.selectors.report_assignment_list), so their copy
    (and their unit's robot message) has no link rather than one that answers 404."""
    created = notify(recipients=[cadre], link=link, **notice)
    created += notify(recipients=handlers, link="", **notice)
    return len(created)


# --- Work plans -------------------------------------------------------------------------------


def plan_reminders(now) -> str:
    """Two days before and on the plan deadline (7 days after stationing, by default) to the
    cadres of an enterprise whose plan is not submitted; the day after, an overdue notice to them
    and their dispatching units."""
    today = _today(now)
    sent = 0
    assignments = Assignment.objects.filter(
        programme__status=ProgrammeStatus.ACTIVE,
        start_date__gte=today - 40 * DAY,
    ).select_related("programme", "enterprise", "cadre__user", "cadre__unit")
    submitted = plans_submitted()
    for assignment in assignments:
        key = (assignment.programme_id, assignment.enterprise_id)
        if key in submitted:
            continue
        due = plan_due_date(programme=assignment.programme, enterprise_id=assignment.enterprise_id)
        if due is None:
            continue
        if due - today in (2 * DAY, datetime.timedelta(0)):
            kind = StationingNotice.PLAN_DUE_SOON
            # Two reminders of the same kind: the key tells them apart, or the one on the day
            # would be taken for a repeat of the one two days before and never sent.
            stage = f"{kind}:{(due - today).days}d"
        elif DAY <= today - due <= 3 * DAY:
            kind = StationingNotice.PLAN_OVERDUE
            stage = kind
        else:
            continue
        values = {"enterprise": assignment.enterprise.name, "due": due.isoformat()}
        if kind == StationingNotice.PLAN_DUE_SOON:
            subject = _("%(enterprise)s一企一策工作计划应于 %(due)s 前报送") % values
        else:
            subject = _("%(enterprise)s一企一策工作计划逾期未报（应于 %(due)s 前报送）") % values
        handlers = []
        if kind == StationingNotice.PLAN_OVERDUE:
            handlers = list(unit_handlers(assignment.cadre.unit_id))
        sent += _notify_cadre_and_unit(
            cadre=assignment.cadre.user,
            handlers=handlers,
            link=f"/assignments/{assignment.pk}/reports/",
            kind=kind,
            object_key=f"assignment:{assignment.pk}",
            period_key=f"plan-due:{due.isoformat()}:{stage}",
            subject=subject,
            body=subject,
            # A reminder until the end of the due day; an overdue notice by its kind's rule.
            relevant_until=end_of_day(due) if kind == StationingNotice.PLAN_DUE_SOON else None,
        )
    return f"{sent} plan notifications"


register_job(
    Job(
        "stationing-report-reminders",
        report_reminders,
        {"minute": "0", "hour": "8"},
        "每天8:00：半月报截止前2天、当天提醒，逾期次日通知干部和派出单位",
    )
)
register_job(
    Job(
        "stationing-plan-reminders",
        plan_reminders,
        {"minute": "5", "hour": "8"},
        "每天8:05：工作计划截止前提醒和逾期通知",
    )
)
