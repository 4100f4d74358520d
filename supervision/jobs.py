"""Scheduled jobs. Adding one is a function here and an entry in JOBS.

Each job takes `now`, is safe to run twice (notifications are unique per kind, object, period and
recipient; escalation is once per ticket per deadline), and returns a short summary. Beat runs
them through `run_job_task`; `manage.py run_due_jobs` runs those that are due without a broker.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stationing.choices import ProgrammeStatus, ReportState, Role
from stationing.models import Assignment, ProgressReport, ReportPeriod, WorkPlan

from .choices import CLOCK_STATES, Colour, NotificationKind, TicketState
from .models import JobRun, Ticket
from .notifications import (
    due_deliveries,
    enqueue,
    notify,
    notify_unit_webhook,
    unit_handlers,
    users_with_role,
)
from .workdays import colour

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable
    crontab: dict  # django-celery-beat CrontabSchedule fields, Asia/Shanghai
    description: str


def _today(now) -> datetime.date:
    return timezone.localtime(now).date()


def _office_for_path(path: str):
    """Office staff whose territory covers the given unit path."""
    return [
        user
        for user in users_with_role(Role.OFFICE)
        if getattr(user.profile, "unit", None) and path.startswith(user.profile.unit.path)
    ]


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
            kind = NotificationKind.REPORT_DUE_SOON
        elif due_day == today:
            kind = NotificationKind.REPORT_DUE_TODAY
        elif due_day < today:
            kind = NotificationKind.REPORT_OVERDUE
        else:
            continue
        # As in the submission matrix: a returned report was handed in (the cadre has its own
        # "returned" notice); only no report or a draft is missing.
        submitted = ProgressReport.objects.filter(period=period).exclude(state=ReportState.DRAFT)
        assignments = (
            Assignment.objects.filter(programme=period.programme, start_date__lte=period.end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
            .exclude(pk__in=submitted.values("assignment_id"))
            .select_related("cadre__user", "cadre__unit", "enterprise")
        )
        for assignment in assignments:
            sent += _report_notice(kind, period, assignment)
    return f"{sent} report notifications"


def _report_notice(kind, period, assignment) -> int:
    values = {
        "period": period.label,
        "enterprise": assignment.enterprise.name,
        "due": timezone.localtime(period.due_at).strftime("%Y-%m-%d %H:%M"),
        "cadre": assignment.cadre.name,
    }
    link = f"/assignments/{assignment.pk}/reports/"
    if kind == NotificationKind.REPORT_DUE_SOON:
        subject = _("%(period)s半月报将于 %(due)s 截止") % values
        body = _("您驻%(enterprise)s的%(period)s半月报将于 %(due)s 截止,请及时填报。") % values
    elif kind == NotificationKind.REPORT_DUE_TODAY:
        subject = _("%(period)s半月报今日截止") % values
        body = _("您驻%(enterprise)s的%(period)s半月报今日 %(due)s 截止,尚未报送。") % values
    else:
        subject = _("%(cadre)s的%(period)s半月报逾期未报") % values
        body = (
            _("%(cadre)s(驻%(enterprise)s)的%(period)s半月报已于 %(due)s 截止,至今未报送。")
            % values
        )
    handlers = []
    if kind == NotificationKind.REPORT_OVERDUE:
        handlers = list(unit_handlers(assignment.cadre.unit_id))
        notify_unit_webhook(
            unit=assignment.cadre.unit,
            kind=kind,
            object_key=f"assignment:{assignment.pk}",
            period_key=f"period:{period.pk}",
            text=body,
        )
    return _notify_cadre_and_unit(
        cadre=assignment.cadre.user,
        handlers=handlers,
        link=link,
        kind=kind,
        object_key=f"assignment:{assignment.pk}",
        period_key=f"period:{period.pk}",
        subject=subject,
        body=body,
    )


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
    from stationing.services import plan_due_date

    today = _today(now)
    sent = 0
    assignments = Assignment.objects.filter(
        programme__status=ProgrammeStatus.ACTIVE,
        start_date__gte=today - 40 * DAY,
    ).select_related("programme", "enterprise", "cadre__user", "cadre__unit")
    submitted = set(
        WorkPlan.objects.exclude(first_submitted_at=None).values_list(
            "programme_id", "enterprise_id"
        )
    )
    for assignment in assignments:
        key = (assignment.programme_id, assignment.enterprise_id)
        if key in submitted:
            continue
        due = plan_due_date(programme=assignment.programme, enterprise_id=assignment.enterprise_id)
        if due is None:
            continue
        if due - today in (2 * DAY, datetime.timedelta(0)):
            kind = NotificationKind.PLAN_DUE_SOON
            # Two reminders of the same kind: the key tells them apart, or the one on the day
            # would be taken for a repeat of the one two days before and never sent.
            stage = f"{kind}:{(due - today).days}d"
        elif DAY <= today - due <= 3 * DAY:
            kind = NotificationKind.PLAN_OVERDUE
            stage = kind
        else:
            continue
        values = {"enterprise": assignment.enterprise.name, "due": due.isoformat()}
        if kind == NotificationKind.PLAN_DUE_SOON:
            subject = _("%(enterprise)s一企一策工作计划应于 %(due)s 前报送") % values
        else:
            subject = _("%(enterprise)s一企一策工作计划逾期未报(应于 %(due)s 前报送)") % values
        handlers = []
        if kind == NotificationKind.PLAN_OVERDUE:
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
        )
    return f"{sent} plan notifications"


# --- Tickets ----------------------------------------------------------------------------------


def ticket_cards(now) -> str:
    """Yellow: tell the owner (or the unit's handlers). Red: tell the owner, the office and the
    leader in charge, mark it urged and escalate it one level, once per ticket per deadline."""
    from .services import ticket_escalate_overdue

    yellow = red = 0
    tickets = Ticket.objects.filter(
        state__in=CLOCK_STATES, deadline__isnull=False, yellow_at__lte=now
    ).select_related("enterprise__region", "owner", "leader", "responsible_unit")
    for ticket in tickets:
        card = colour(ticket, now)
        if ticket.owner_id:
            handlers = [ticket.owner]
        else:
            handlers = list(unit_handlers(ticket.responsible_unit_id))
        values = {"number": ticket.number, "title": ticket.title}
        link = f"/tickets/{ticket.pk}/"
        period_key = f"deadline:{ticket.deadline.isoformat()}"
        if card == Colour.YELLOW:
            yellow += len(
                notify(
                    kind=NotificationKind.TICKET_YELLOW,
                    recipients=handlers,
                    object_key=f"ticket:{ticket.pk}",
                    period_key=period_key,
                    subject=_("黄牌预警:诉求 %(number)s 办理时限已过四分之三") % values,
                    body=_("诉求 %(number)s“%(title)s”办理时限已用去75%%,请抓紧办理。") % values,
                    link=link,
                )
            )
        elif card == Colour.RED:
            with transaction.atomic():
                ticket_escalate_overdue(ticket=ticket, now=now)
                recipients = [*handlers, ticket.leader]
                recipients += _office_for_path(ticket.enterprise.region.path)
                red += len(
                    notify(
                        kind=NotificationKind.TICKET_RED,
                        recipients=recipients,
                        object_key=f"ticket:{ticket.pk}",
                        period_key=period_key,
                        subject=_("红牌督办:诉求 %(number)s 已超过办结期限") % values,
                        body=_("诉求 %(number)s“%(title)s”已超过办结期限,已升级督办。") % values,
                        link=link,
                    )
                )
                notify_unit_webhook(
                    unit=ticket.responsible_unit,
                    kind=NotificationKind.TICKET_RED,
                    object_key=f"ticket:{ticket.pk}",
                    period_key=period_key,
                    text=_("红牌督办:诉求 %(number)s“%(title)s”已超过办结期限。") % values,
                    link=link,
                )
    return f"{yellow} yellow, {red} red notifications"


# --- Digests ----------------------------------------------------------------------------------


def office_digest(now) -> str:
    """Daily, to each office clerk: what needs them — sent only when there is something."""
    from stationing.selectors import plan_approval_queue, report_review_queue

    from .selectors import colour_q, ticket_list

    today = _today(now)
    sent = 0
    for user in users_with_role(Role.OFFICE):
        counts = {
            "reviews": report_review_queue(user=user).count(),
            "approvals": plan_approval_queue(user=user).count(),
            "red": ticket_list(user=user).filter(colour_q(Colour.RED, now)).count(),
            "waiting": ticket_list(user=user).filter(state=TicketState.SUBMITTED).count(),
            "missing": _missing_reports(user, now),
        }
        if not any(counts.values()):
            continue
        body = (
            _(
                "逾期未报半月报 %(missing)d 份;待审阅半月报 %(reviews)d 份;"
                "待审批工作计划 %(approvals)d 份;"
                "待受理诉求 %(waiting)d 件;红牌诉求 %(red)d 件。"
            )
            % counts
        )
        sent += len(
            notify(
                kind=NotificationKind.OFFICE_DIGEST,
                recipients=[user],
                object_key="digest:office",
                period_key=today.isoformat(),
                subject=_("督查室每日摘要(%(day)s)") % {"day": today.isoformat()},
                body=body,
                link="/queues/reports/",
            )
        )
    return f"{sent} office digests"


def _missing_reports(user, now) -> int:
    from stationing.selectors import report_assignment_list

    recent = ReportPeriod.objects.filter(
        programme__status=ProgrammeStatus.ACTIVE,
        due_at__lt=now,
        due_at__gte=now - 16 * DAY,
    )
    count = 0
    for period in recent:
        owed = (
            report_assignment_list(user=user)
            .filter(programme_id=period.programme_id, start_date__lte=period.end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        )
        submitted = ProgressReport.objects.filter(period=period).exclude(
            state__in=[ReportState.DRAFT]
        )
        count += owed.exclude(pk__in=submitted.values("assignment_id")).count()
    return count


def leader_digest(now) -> str:
    """Weekly, to each leader: the week's figures in their scope — only when there are any."""
    from stationing.selectors import report_list

    from .selectors import colour_q, ticket_list

    since = now - 7 * DAY
    week = timezone.localtime(now).isocalendar()
    sent = 0
    for user in users_with_role(Role.LEADER):
        reports = report_list(user=user).filter(first_submitted_at__gte=since)
        tickets = ticket_list(user=user)
        counts = {
            "reports": reports.count(),
            "late": reports.filter(is_late=True).count(),
            "raised": tickets.filter(created_at__gte=since).count(),
            "closed": tickets.filter(closed_at__gte=since, state=TicketState.CLOSED).count(),
            "red": tickets.filter(colour_q(Colour.RED, now)).count(),
            "led": tickets.filter(leader=user, state__in=CLOCK_STATES).count(),
        }
        if not any(counts.values()):
            continue
        body = (
            _(
                "本周报送半月报 %(reports)d 份(逾期 %(late)d 份);"
                "新提诉求 %(raised)d 件,办结 %(closed)d 件;"
                "当前红牌诉求 %(red)d 件;您包案在办 %(led)d 件。"
            )
            % counts
        )
        sent += len(
            notify(
                kind=NotificationKind.LEADER_DIGEST,
                recipients=[user],
                object_key="digest:leader",
                period_key=f"{week.year}-W{week.week:02d}",
                subject=_("驻企工作每周摘要(%(year)d年第%(week)d周)")
                % {"year": week.year, "week": week.week},
                body=body,
                link="/tickets/",
            )
        )
    return f"{sent} leader digests"


# --- Delivery scan ----------------------------------------------------------------------------


def delivery_scan(now) -> str:
    """Re-enqueue e-mails and webhooks whose broker message was lost or whose retry is due."""
    from .tasks import send_notification_task, send_webhook_task

    emails, hooks = due_deliveries(now)
    for pk in emails:
        enqueue(send_notification_task, pk)
    for pk in hooks:
        enqueue(send_webhook_task, pk)
    return f"{len(emails)} e-mails, {len(hooks)} webhooks enqueued"


JOBS = {
    job.name: job
    for job in [
        Job(
            "supervision-delivery-scan",
            delivery_scan,
            {"minute": "*"},
            "每分钟:补发因消息丢失或等待重试的邮件和机器人推送",
        ),
        Job(
            "stationing-report-reminders",
            report_reminders,
            {"minute": "0", "hour": "8"},
            "每天8:00:半月报截止前2天、当天提醒,逾期次日通知干部和派出单位",
        ),
        Job(
            "stationing-plan-reminders",
            plan_reminders,
            {"minute": "5", "hour": "8"},
            "每天8:05:工作计划截止前提醒和逾期通知",
        ),
        Job(
            "supervision-ticket-cards",
            ticket_cards,
            {"minute": "*/15"},
            "每15分钟:诉求黄牌提醒,红牌督办并升级",
        ),
        Job(
            "supervision-office-digest",
            office_digest,
            {"minute": "30", "hour": "8"},
            "每天8:30:督查室每日摘要(有事才发)",
        ),
        Job(
            "supervision-leader-digest",
            leader_digest,
            {"minute": "30", "hour": "8", "day_of_week": "1"},
            "每周一8:30:领导每周摘要(有事才发)",
        ),
    ]
}


def run_job(name: str, now=None) -> str:
    """Run one job now, recording when it ran. Unknown names raise KeyError."""
    job = JOBS[name]
    now = now or timezone.now()
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": now})
    with translation.override("zh-hans"):
        result = job.function(now)
    JobRun.objects.filter(name=name).update(last_finished_at=timezone.now(), last_result=result)
    return result
