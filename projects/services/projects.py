"""Writes for key projects: register and edit (office), move along the stage chain, milestones.

Every write checks its predicate (permissions.py), validates, locks and bumps the version through
core.locking and records who did it.
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import lock_for_edit, save_new_version
from core.models import Profile

from ..choices import MemberRole
from ..models import KeyProject, ProjectMember, ProjectMilestone, ProjectStageMove
from ..permissions import (
    can_move_stage,
    is_backward,
    may_manage_projects,
    may_move_stage,
    may_record_milestone,
)
from ..selectors import project_stage_chain

PROJECT_FIELDS = (
    "programme",
    "name",
    "category",
    "industry_chain",
    "description",
    "total_investment",
    "plan_year",
    "year_planned_investment",
    "enterprise",
    "leader",
    "lead_unit",
    "region",
    "stage",
    "start_date",
    "end_date",
)


def _set_team(project: KeyProject, team_leader: Profile | None, team_members) -> None:
    """Replace the team: `team_leader` as 组长, `team_members` as 成员."""
    wanted = {profile.pk: MemberRole.MEMBER for profile in team_members or ()}
    if team_leader is not None:
        wanted[team_leader.pk] = MemberRole.LEADER
    project.memberships.exclude(profile_id__in=list(wanted)).delete()
    existing = {m.profile_id: m for m in project.memberships.all()}
    for profile_id, role in wanted.items():
        member = existing.get(profile_id)
        if member is None:
            ProjectMember.objects.create(project=project, profile_id=profile_id, role=role)
        elif member.role != role:
            member.role = role
            member.save(update_fields=["role"])


def _check_stage_in_chain(project: KeyProject) -> None:
    if project.stage and project.stage not in project_stage_chain(project):
        raise ValidationError({"stage": _("该阶段不在本批次的项目阶段中。")})


def _unique_name(project: KeyProject) -> None:
    clash = KeyProject.objects.filter(programme_id=project.programme_id, name=project.name)
    if project.pk:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise ValidationError({"name": _("本批次已有同名项目。")})


@transaction.atomic
def project_create(
    *,
    by: User,
    co_units=(),
    team_leader: Profile | None = None,
    team_members=(),
    **fields,
) -> KeyProject:
    may_manage_projects(by).check()
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    project = KeyProject(**fields)
    if not project.stage:
        project.stage = project_stage_chain(project)[0] if project.programme_id else ""
    if not project.plan_year:
        project.plan_year = timezone.localdate().year
    project.updated_by = by
    project.full_clean(validate_constraints=False)
    _unique_name(project)
    _check_stage_in_chain(project)
    project.save()
    project.co_units.set(co_units)
    _set_team(project, team_leader, team_members)
    return project


@transaction.atomic
def project_update(
    *,
    project: KeyProject,
    by: User,
    expected_version: int | None = None,
    co_units=None,
    team_leader: Profile | None = None,
    team_members=None,
    **fields,
) -> KeyProject:
    """Edit a project's particulars and team. The stage is not edited here: it moves through
    project_move_stage, which keeps the history and the backward rule."""
    may_manage_projects(by).check()
    fields.pop("stage", None)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    current = lock_for_edit(KeyProject.objects.all(), project.pk, expected_version=expected_version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(validate_constraints=False)
    _unique_name(current)
    _check_stage_in_chain(current)
    save_new_version(current, by=by)
    if co_units is not None:
        current.co_units.set(co_units)
    if team_members is not None or team_leader is not None:
        _set_team(current, team_leader, team_members or ())
    return current


@transaction.atomic
def project_move_stage(
    *,
    project: KeyProject,
    by: User,
    to_stage: str,
    reason: str = "",
    expected_version: int | None = None,
) -> KeyProject:
    """Move the project along its programme's chain: forward freely (stages may be skipped),
    backward only with a reason. Each move is kept (ProjectStageMove)."""
    may_move_stage(by, project).check()
    current = lock_for_edit(KeyProject.objects.all(), project.pk, expected_version=expected_version)
    reason = (reason or "").strip()
    verdict = can_move_stage(project_stage_chain(current), current.stage, to_stage, reason)
    if not verdict:
        field = "reason" if to_stage != current.stage and to_stage else "to_stage"
        if to_stage not in project_stage_chain(current) or to_stage == current.stage:
            field = "to_stage"
        raise ValidationError({field: verdict.reason})
    ProjectStageMove.objects.create(
        project=current,
        from_stage=current.stage,
        to_stage=to_stage,
        is_backward=is_backward(current.stage, to_stage),
        reason=reason,
        by=by,
    )
    current.stage = to_stage
    save_new_version(current, by=by, update_fields=["stage", "version", "updated_by", "updated_at"])
    return current


@transaction.atomic
def milestone_add(
    *,
    project: KeyProject,
    by: User,
    title: str,
    planned_date: datetime.date,
    note: str = "",
    actual_date: datetime.date | None = None,
) -> ProjectMilestone:
    may_manage_projects(by).check()
    position = project.milestones.count() + 1
    milestone = ProjectMilestone(
        project=project,
        title=(title or "").strip(),
        planned_date=planned_date,
        actual_date=actual_date,
        note=note,
        position=position,
        updated_by=by,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *,
    milestone: ProjectMilestone,
    by: User,
    expected_version: int | None = None,
    **fields,
) -> ProjectMilestone:
    """The office changes any field; the leader and the team record the actual date only."""
    office = bool(may_manage_projects(by))
    if not office:
        may_record_milestone(by, milestone.project).check()
        if set(fields) - {"actual_date"}:
            raise ValidationError(_("只有督查室可以修改节点名称和计划日期。"))
    current = lock_for_edit(
        ProjectMilestone.objects.all(), milestone.pk, expected_version=expected_version
    )
    for name in ("title", "planned_date", "actual_date", "note"):
        if name in fields:
            setattr(current, name, fields[name])
    if current.actual_date and current.actual_date > timezone.localdate():
        raise ValidationError({"actual_date": _("实际完成日期不能晚于今天。")})
    current.full_clean()
    save_new_version(current, by=by)
    return current
