"""Scheduled jobs of key projects (registered with notifications.jobs; see there for the contract:
takes `now`, safe to run twice, returns a summary). The texts and recipients are in notices.py.

Only projects of active programmes are chased. Each reminder is keyed by its object and period
(the milestone and its planned date, the project and the month, the formality and its deadline),
so a rerun, or a run catching up after a missed day, sends nothing twice; a planned date or a
deadline moved later starts a new reminder.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from notifications.jobs import Job, register_job
from stationing.choices import ProgrammeStatus

from . import notices
from .choices import MILESTONE_WARNING_DAYS, FormalityState
from .models import KeyProject, ProjectFormality, ProjectMember, ProjectMilestone, ProjectProgress
from .permissions import due_day, previous_month
from .selectors import due_days_by_programme

DAY = datetime.timedelta(days=1)
# How far back a missed run catches up on "late" and "overdue" notices.
CATCH_UP_DAYS = 3
# Monthly progress is announced this many days before it is due, and on the day.
PROGRESS_NOTICE_DAYS = 2


def _today(now) -> datetime.date:
    return timezone.localtime(now).date()


def _team():
    return Prefetch(
        "project__memberships",
        queryset=ProjectMember.objects.select_related("profile__user"),
    )


def milestone_reminders(now) -> str:
    """1. Open milestones planned within the next 7 days (yellow): a notice to the team and the
    leader, once per milestone and planned date. 2. Open milestones whose planned date passed
    (red) within the last few days: a late notice, once likewise."""
    today = _today(now)
    milestones = (
        ProjectMilestone.objects.filter(
            project__programme__status=ProgrammeStatus.ACTIVE,
            actual_date__isnull=True,
            planned_date__gte=today - CATCH_UP_DAYS * DAY,
            planned_date__lte=today + MILESTONE_WARNING_DAYS * DAY,
        )
        .select_related("project__leader")
        .prefetch_related(_team())
        .order_by("planned_date", "pk")
    )
    sent = 0
    for milestone in milestones:
        if milestone.planned_date >= today:
            sent += notices.milestone_due_soon(milestone, (milestone.planned_date - today).days)
        else:
            sent += notices.milestone_late(milestone)
    return f"{sent} milestone notifications"


def progress_reminders(now) -> str:
    """Last month's progress, per project of an active programme registered by then:
    1. from two days before the programme's due day to the day itself, if not filed: due;
    2. up to three days after it, if still not filed: overdue (once each per project and month).
    """
    today = _today(now)
    month = previous_month(today)
    days = due_days_by_programme()
    filed = set(ProjectProgress.objects.filter(month=month).values_list("project_id", flat=True))
    projects = (
        KeyProject.objects.filter(
            programme__status=ProgrammeStatus.ACTIVE, created_at__date__lt=today.replace(day=1)
        )
        .exclude(pk__in=filed)
        .select_related("leader")
        .prefetch_related(
            Prefetch("memberships", queryset=ProjectMember.objects.select_related("profile__user"))
        )
        .order_by("pk")
    )
    sent = 0
    for project in projects:
        due = today.replace(day=days.get(project.programme_id) or due_day(None))
        if due - PROGRESS_NOTICE_DAYS * DAY <= today <= due:
            sent += notices.progress_reminder(project, month=month, due=due, overdue=False)
        elif due < today <= due + CATCH_UP_DAYS * DAY:
            sent += notices.progress_reminder(project, month=month, due=due, overdue=True)
    return f"{sent} progress notifications"


def formality_reminders(now) -> str:
    """Approval formalities 办理中 whose deadline passed within the last few days: their agent,
    the team and the leader are told once (the project page offers 转为诉求)."""
    today = _today(now)
    formalities = (
        ProjectFormality.objects.filter(
            project__programme__status=ProgrammeStatus.ACTIVE,
            state=FormalityState.IN_PROGRESS,
            deadline__lt=today,
            deadline__gte=today - (CATCH_UP_DAYS + 1) * DAY,
        )
        .select_related("agent", "project__leader")
        .prefetch_related(_team())
        .order_by("deadline", "pk")
    )
    sent = sum(notices.formality_stuck(formality) for formality in formalities)
    return f"{sent} formality notifications"


register_job(
    Job(
        "projects-milestone-reminders",
        milestone_reminders,
        {"minute": "10", "hour": "8"},
        "每天8:10：重点项目节点到期前7天内提醒，滞后次日通知专班和包项领导",
    )
)
register_job(
    Job(
        "projects-progress-reminders",
        progress_reminders,
        {"minute": "15", "hour": "8"},
        "每天8:15：重点项目月度进展报送日前2天提醒，逾期后通知专班和包项领导",
    )
)
register_job(
    Job(
        "projects-formality-reminders",
        formality_reminders,
        {"minute": "20", "hour": "8"},
        "每天8:20：审批手续超过办理时限时通知代办员、专班和包项领导",
    )
)
