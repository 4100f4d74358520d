"""Supervision's scheduled jobs: ticket cards, the office's and leaders' digests, the
appraisal drafts at a programme's end and the bulletin drafts after each report due date. Each is
registered with the notification engine's job registry below; see notifications.jobs for the
contract (takes `now`, safe to run twice, returns a summary)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import Role
from core.dates import start_of_day
from core.selectors import office_over, unit_handlers, users_with_role
from notifications.delivery import Notice, notify, notify_many, notify_unit_webhook
from notifications.jobs import Job, register_job
from stationing.choices import ProgrammeStatus
from stationing.models import Programme, ReportPeriod
from stationing.selectors import (
    missing_report_count,
    plan_approval_queue,
    report_list,
    report_review_queue,
)

from . import notices
from .choices import CLOCK_STATES, AppraisalState, Colour, SupervisionNotice, TicketState
from .models import AppraisalRun, Bulletin, Ticket
from .selectors import colour_q, ticket_list
from .services import (
    AppraisalBusyError,
    appraisal_run_create,
    bulletin_generate,
    ticket_escalate_overdue,
)
from .workdays import colour

DAY = datetime.timedelta(days=1)


def _today(now) -> datetime.date:
    return timezone.localtime(now).date()


# --- Tickets ----------------------------------------------------------------------------------


def ticket_cards(now) -> str:
    """Yellow: tell the owner (or the unit's handlers). Red: tell the owner, the office and the
    leader in charge, mark it urged and escalate it one level, once per ticket per deadline.

    Each escalation commits on its own; the notices are then written together (notify_many),
    so a province's thousands of red tickets cost a few statements each, not one insert per
    person. A scan stopped half-way is finished by the next: escalation and notices are both
    once per ticket and deadline."""
    tickets = Ticket.objects.filter(
        state__in=CLOCK_STATES, deadline__isnull=False, yellow_at__lte=now
    ).select_related("enterprise__region", "owner", "leader", "responsible_unit")
    # The same units and offices come back for ticket after ticket: read each once per scan.
    handlers_of: dict[int | None, list] = {}
    offices_over: dict[str, list] = {}
    yellow_notices, red_notices = [], []
    for ticket in tickets:
        card = colour(ticket, now)
        if card not in (Colour.YELLOW, Colour.RED):
            continue
        if ticket.owner_id:
            handlers = [ticket.owner]
        else:
            unit_id = ticket.responsible_unit_id
            if unit_id not in handlers_of:
                handlers_of[unit_id] = list(unit_handlers(unit_id))
            handlers = handlers_of[unit_id]
        values = {"number": ticket.number, "title": ticket.title}
        link = f"/tickets/{ticket.pk}/"
        period_key = f"deadline:{ticket.deadline.isoformat()}"
        if card == Colour.YELLOW:
            yellow_notices.append(
                Notice(
                    recipients=handlers,
                    object_key=f"ticket:{ticket.pk}",
                    period_key=period_key,
                    subject=_("黄牌预警：诉求 %(number)s 办理时限已过四分之三") % values,
                    body=_("诉求 %(number)s“%(title)s”办理时限已用去75%%，请抓紧办理。") % values,
                    link=link,
                    relevant_until=ticket.deadline,
                )
            )
            continue
        if ticket.escalated_for_deadline != ticket.deadline:
            # Not yet escalated for this deadline (the service checks again under its lock).
            with transaction.atomic():
                ticket_escalate_overdue(ticket=ticket, now=now)
        path = ticket.enterprise.region.path
        if path not in offices_over:
            offices_over[path] = list(office_over(path))
        red_notices.append(
            Notice(
                recipients=[*handlers, ticket.leader, *offices_over[path]],
                object_key=f"ticket:{ticket.pk}",
                period_key=period_key,
                subject=_("红牌督办：诉求 %(number)s 已超过办结期限") % values,
                body=_("诉求 %(number)s“%(title)s”已超过办结期限，已升级督办。") % values,
                link=link,
            )
        )
        notify_unit_webhook(
            unit=ticket.responsible_unit,
            kind=SupervisionNotice.TICKET_RED,
            object_key=f"ticket:{ticket.pk}",
            period_key=period_key,
            text=_("红牌督办：诉求 %(number)s“%(title)s”已超过办结期限。") % values,
            link=link,
        )
    with transaction.atomic():
        yellow = len(notify_many(kind=SupervisionNotice.TICKET_YELLOW, notices=yellow_notices))
    with transaction.atomic():
        red = len(notify_many(kind=SupervisionNotice.TICKET_RED, notices=red_notices))
    return f"{yellow} yellow, {red} red notifications"


# --- Digests ----------------------------------------------------------------------------------


def office_digest(now) -> str:
    """Daily, to each office clerk: what needs them — sent only when there is something."""
    today = _today(now)
    sent = 0
    for user in users_with_role(Role.OFFICE):
        counts = {
            "reviews": report_review_queue(user=user).count(),
            "approvals": plan_approval_queue(user=user).count(),
            "red": ticket_list(user=user).filter(colour_q(Colour.RED, now)).count(),
            "waiting": ticket_list(user=user).filter(state=TicketState.SUBMITTED).count(),
            "missing": missing_report_count(user=user, now=now, since=now - 16 * DAY),
        }
        if not any(counts.values()):
            continue
        body = (
            _(
                "逾期未报半月报 %(missing)d 份；待审阅半月报 %(reviews)d 份；"
                "待审批工作计划 %(approvals)d 份；"
                "待受理诉求 %(waiting)d 件；红牌诉求 %(red)d 件。"
            )
            % counts
        )
        sent += len(
            notify(
                kind=SupervisionNotice.OFFICE_DIGEST,
                recipients=[user],
                object_key="digest:office",
                period_key=today.isoformat(),
                subject=_("督查室每日摘要（%(day)s）") % {"day": today.isoformat()},
                body=body,
                link="/queues/reports/",
            )
        )
    return f"{sent} office digests"


def leader_digest(now) -> str:
    """Weekly, to each leader: the week's figures in their scope — only when there are any."""
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
                "本周报送半月报 %(reports)d 份（逾期 %(late)d 份）；"
                "新提诉求 %(raised)d 件，办结 %(closed)d 件；"
                "当前红牌诉求 %(red)d 件；您包案在办 %(led)d 件。"
            )
            % counts
        )
        sent += len(
            notify(
                kind=SupervisionNotice.LEADER_DIGEST,
                recipients=[user],
                object_key="digest:leader",
                period_key=f"{week.year}-W{week.week:02d}",
                subject=_("驻企工作每周摘要（%(year)d年第%(week)d周）")
                % {"year": week.year, "week": week.week},
                body=body,
                link="/tickets/",
            )
        )
    return f"{sent} leader digests"


# --- Appraisal --------------------------------------------------------------------------------

# How far back the job looks for programmes that ended: a beat that was down for a few days
# still drafts their runs, and a programme that ended long ago is not drafted out of the blue.
APPRAISAL_CATCH_UP_DAYS = 7


def appraisal_drafts(now) -> str:
    """The day after a programme ends, draft its appraisal as of its end date and tell the office.

    1. Programmes that ended yesterday (or up to APPRAISAL_CATCH_UP_DAYS before).
    2. A programme that already has a run as of its end date gets no new one: the job drafts
       once, however often it runs.
    3. The office is told about that run; notify is unique per run, so a job that stopped
       between drafting and telling tells on its next run, and never twice.
    """
    today = _today(now)
    programmes = Programme.objects.filter(
        end_date__lt=today, end_date__gte=today - APPRAISAL_CATCH_UP_DAYS * DAY
    ).select_related("organiser")
    drafted = told = 0
    for programme in programmes:
        run = (
            AppraisalRun.objects.filter(programme=programme, as_of=programme.end_date)
            .exclude(state=AppraisalState.RUNNING)
            .order_by("number")
            .first()
        )
        if run is None:
            if AppraisalRun.objects.filter(programme=programme, as_of=programme.end_date).exists():
                continue  # being computed right now: the next run of the job tells
            try:
                run = appraisal_run_create(programme=programme, as_of=programme.end_date, by=None)
            except AppraisalBusyError:
                continue
            drafted += 1
        told += notices.appraisal_drafted(run)
    return f"{drafted} appraisal drafts, {told} notifications"


# --- Bulletins -------------------------------------------------------------------------------

# How far back the job looks for periods that fell due: a beat that was down for a few days
# still drafts their bulletins; an old period is not drafted out of the blue.
BULLETIN_CATCH_UP_DAYS = 7


def bulletin_drafts(now) -> str:
    """The day after a period's report due date, draft its bulletin and tell the office.

    1. Periods of active programmes that fell due before today (Asia/Shanghai) and at most
       BULLETIN_CATCH_UP_DAYS before.
    2. A period that already has a bulletin (draft or published) gets no new draft: the job
       drafts once, and never overwrites what the office has done since.
    3. The office is told about a draft; notify is unique per bulletin, so a job that stopped
       between drafting and telling tells on its next run, and never twice.
    """
    today = start_of_day(_today(now))
    periods = ReportPeriod.objects.filter(
        programme__status=ProgrammeStatus.ACTIVE,
        due_at__lt=today,
        due_at__gte=today - BULLETIN_CATCH_UP_DAYS * DAY,
    ).order_by("due_at", "pk")
    drafted = told = 0
    for period in periods:
        bulletin = Bulletin.objects.filter(period=period).first()
        if bulletin is None:
            bulletin = bulletin_generate(period=period, by=None, now=now)
            drafted += 1
        if not bulletin.is_published:
            told += notices.bulletin_drafted(bulletin)
    return f"{drafted} bulletin drafts, {told} notifications"


register_job(
    Job(
        "supervision-ticket-cards",
        ticket_cards,
        {"minute": "*/15"},
        "每15分钟：诉求黄牌提醒，红牌督办并升级",
    )
)
register_job(
    Job(
        "supervision-office-digest",
        office_digest,
        {"minute": "30", "hour": "8"},
        "每天8:30：督查室每日摘要（有事才发）",
    )
)
register_job(
    Job(
        "supervision-leader-digest",
        leader_digest,
        {"minute": "30", "hour": "8", "day_of_week": "1"},
        "每周一8:30：领导每周摘要（有事才发）",
    )
)
register_job(
    Job(
        "supervision-appraisal-drafts",
        appraisal_drafts,
        {"minute": "10", "hour": "1"},
        "每天1:10：驻企批次结束次日生成考核结果草稿并通知督查室（每批次只生成一次）",
    )
)
register_job(
    Job(
        "supervision-bulletin-drafts",
        bulletin_drafts,
        {"minute": "20", "hour": "1"},
        "每天1:20：每期半月报报送截止次日生成该期通报草稿并通知督查室（每期只生成一次）",
    )
)
