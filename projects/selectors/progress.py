"""Reads for milestones, monthly progress and its problems, scoped through project_list."""

import datetime

from django.contrib.auth.models import User
from django.db.models import F, QuerySet, Sum, Window
from django.utils import timezone

from ..models import (
    KeyProject,
    ProjectMilestone,
    ProjectProblem,
    ProjectProgress,
    ProjectSettings,
    ProjectStageMove,
)
from ..permissions import (
    due_day,
    is_late_submission,
    last_due_month,
    next_month,
    owed_months,
    progress_due_at,
    stage_chain,
)
from .projects import project_list


def project_settings(programme_id: int) -> ProjectSettings | None:
    return ProjectSettings.objects.filter(programme_id=programme_id).first()


def project_stage_chain(project: KeyProject) -> list[str]:
    return stage_chain(project_settings(project.programme_id))


def project_due_day(project: KeyProject) -> int:
    return due_day(project_settings(project.programme_id))


def due_days_by_programme() -> dict[int, int]:
    """Each configured programme's progress due day (programmes without settings: default)."""
    return dict(ProjectSettings.objects.values_list("programme_id", "progress_due_day"))


def milestone_list(*, user: User) -> QuerySet[ProjectMilestone]:
    return ProjectMilestone.objects.filter(
        project__in=project_list(user=user).values("pk")
    ).select_related("project")


def progress_list(*, user: User) -> QuerySet[ProjectProgress]:
    """Monthly progress the user may read, each with `investment_to_date`: the sum of the
    project's monthly amounts up to and including the month (the one definition of it)."""
    return (
        ProjectProgress.objects.filter(project__in=project_list(user=user).values("pk"))
        .select_related("project", "submitted_by__profile")
        .annotate(
            investment_to_date=Window(
                Sum("investment_month"),
                partition_by=[F("project_id")],
                order_by=F("month").asc(),
            )
        )
    )


def project_problem_list(*, user: User) -> QuerySet[ProjectProblem]:
    return ProjectProblem.objects.filter(
        progress__project__in=project_list(user=user).values("pk")
    ).select_related("progress__project__enterprise")


def stage_move_list(*, user: User, project: KeyProject) -> QuerySet[ProjectStageMove]:
    return ProjectStageMove.objects.filter(
        project__in=project_list(user=user).filter(pk=project.pk).values("pk")
    ).select_related("by__profile")


def investment_total(project: KeyProject) -> dict:
    """Investment completed to date and in the plan year (万元): sums of the monthly amounts."""
    rows = ProjectProgress.objects.filter(project=project)
    total = rows.aggregate(s=Sum("investment_month"))["s"] or 0
    year = rows.filter(month__year=project.plan_year).aggregate(s=Sum("investment_month"))["s"]
    return {"to_date": total, "this_year": year or 0}


def progress_status(project: KeyProject, now=None) -> dict:
    """The project's monthly progress like a report's status: the latest month fallen due, and
    whether its progress is in (on time or late) or missing; the months missing so far; the month
    to file next and when it is due."""
    now = now or timezone.now()
    day = project_due_day(project)
    filed = dict(ProjectProgress.objects.filter(project=project).values_list("month", "is_late"))
    owed = owed_months(project, day, now)
    missing = [month for month in owed if month not in filed]
    last = last_due_month(day, now)
    if last not in owed:
        state = "not_owed"
    elif last not in filed:
        state = "missing"
    else:
        state = "late" if filed[last] else "on_time"
    # The month to file next: the oldest missing one, else the month after the last fallen due.
    to_file = missing[0] if missing else next_month(last)
    while to_file in filed:
        to_file = next_month(to_file)
    return {
        "last_due_month": last,
        "last_due_state": state,
        "missing": missing,
        "to_file": to_file,
        "to_file_due_at": progress_due_at(to_file, day),
        "to_file_late": is_late_submission(to_file, day, now),
    }


def investment_curve(project: KeyProject, progress_rows) -> dict:
    """Planned against completed investment by month of the plan year (万元, cumulative): the
    year's plan spread evenly over twelve months, the completed from the monthly progress."""
    year = project.plan_year
    monthly = {row.month: row.investment_month for row in progress_rows if row.month.year == year}
    months, planned, completed = [], [], []
    running = 0
    today = timezone.localdate()
    for number in range(1, 13):
        month = datetime.date(year, number, 1)
        months.append(f"{year}-{number:02d}")
        planned.append(round(float(project.year_planned_investment) * number / 12, 2))
        running += float(monthly.get(month, 0))
        completed.append(round(running, 2) if month <= today else None)
    return {"months": months, "planned": planned, "completed": completed}
