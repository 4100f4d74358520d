"""Writes for monthly progress: the team files one report per project per month."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import local_date

from ..models import KeyProject, ProjectProblem, ProjectProgress
from ..permissions import (
    first_of_month,
    is_backward,
    is_late_submission,
    may_file_progress,
    next_month,
)
from ..selectors import project_due_day
from .projects import project_move_stage


def _duplicate() -> ValidationError:
    # The code sits on the inner error: one given with a dict is dropped. The API answers 409.
    return ValidationError({"month": ValidationError(_("该月进展已经报送。"), code="duplicate")})


@transaction.atomic
def progress_submit(
    *,
    project: KeyProject,
    by: User,
    month: datetime.date,
    investment_month: Decimal,
    work_done: str,
    stage_reached: str = "",
    milestones_met=(),
    next_steps: str = "",
    problems=(),
    at: datetime.datetime | None = None,
) -> ProjectProgress:
    """File the month's progress (once per project and month).

    The stage reached moves the project forward when it is ahead (a backward move needs the
    stage form and a reason); a milestone met gets its actual date (the day of filing, or the
    month's last day for an earlier month) when it has none. Problems are kept line by line,
    each one able to become a ticket. `at` back-fills when it was filed (the demo's history);
    it defaults to now.
    """
    may_file_progress(by, project).check()
    now = at or timezone.now()
    month = first_of_month(month)
    if month > first_of_month(local_date(now)):
        raise ValidationError({"month": _("不能报送以后月份的进展。")})
    if ProjectProgress.objects.filter(project=project, month=month).exists():
        raise _duplicate()
    stage_reached = stage_reached or project.stage
    if is_backward(project.stage, stage_reached):
        raise ValidationError(
            {
                "stage_reached": _(
                    "达到阶段早于项目当前阶段；如需回退，请在项目页变更阶段并说明原因。"
                )
            }
        )
    milestones = list(milestones_met or ())
    if any(m.project_id != project.pk for m in milestones):
        raise ValidationError({"milestones_met": _("所选节点不属于该项目。")})
    progress = ProjectProgress(
        project=project,
        month=month,
        investment_month=investment_month,
        stage_reached=stage_reached,
        work_done=(work_done or "").strip(),
        next_steps=(next_steps or "").strip(),
        submitted_by=by,
        submitted_at=now,
        is_late=is_late_submission(month, project_due_day(project), now),
        updated_by=by,
    )
    progress.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            progress.save()
    except IntegrityError:
        raise _duplicate() from None
    progress.milestones_met.set(milestones)
    met_on = min(local_date(now), next_month(month) - datetime.timedelta(days=1))
    for milestone in milestones:
        if milestone.actual_date is None:
            milestone.actual_date = met_on
            milestone.updated_by = by
            milestone.version += 1
            milestone.save(update_fields=["actual_date", "updated_by", "version", "updated_at"])
    lines = [line.strip() for line in problems or () if line and line.strip()]
    ProjectProblem.objects.bulk_create(
        ProjectProblem(progress=progress, position=i, description=line)
        for i, line in enumerate(lines, start=1)
    )
    if stage_reached != project.stage:
        project_move_stage(project=project, by=by, to_stage=stage_reached)
    return progress
