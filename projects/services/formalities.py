"""Approval formalities (审批手续代办): the office's templates and each project's chain.

Working days. A formality's time limit is in working days on the official calendar, like a
ticket's, but that calendar (the office's holiday table) lives in supervision, a layer above
projects. Rather than move it, supervision hands its `add_working_days` down at start-up
(`use_working_days`, called from SupervisionConfig.ready(), the way panels are registered);
until it has (a bare projects install, a data migration) deadlines count plain weekdays,
Monday to Friday, which is the calendar's own fallback for years it has no data for.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import lock_for_edit, save_new_version
from core.permissions import ALLOWED, Verdict, allow_if, is_office
from core.roles import actor_for

from ..choices import FormalityState
from ..models import FormalityStep, FormalityTemplate, KeyProject, ProjectFormality
from ..permissions import is_team_member

DAY = datetime.timedelta(days=1)


def _weekdays_after(start: datetime.date, count: int) -> datetime.date:
    day, left = start, count
    while left > 0:
        day += DAY
        if day.weekday() < 5:
            left -= 1
    return day


_add_working_days: Callable[[datetime.date, int], datetime.date] = _weekdays_after


def use_working_days(add: Callable[[datetime.date, int], datetime.date]) -> None:
    """Count formality deadlines with `add(start, days)` (supervision's official calendar)."""
    global _add_working_days
    _add_working_days = add


def formality_deadline(started_on: datetime.date, days: int) -> datetime.date:
    """The last day of `days` working days after the day the formality was started."""
    return _add_working_days(started_on, days)


# --- Who may (kept with the formality rules; projects.permissions holds the project's own) --


def may_edit_templates(user: User) -> Verdict:
    return allow_if(bool(is_office(user)), _("只有督查室可以维护审批手续模板。"))


def may_run_formalities(user: User, project: KeyProject) -> Verdict:
    """Setting up a project's chain and recording its formalities: the office, the responsible
    leader and the team (代办员 are usually on it)."""
    allowed = (
        actor_for(user).is_office or project.leader_id == user.pk or is_team_member(user, project)
    )
    return allow_if(allowed, _("只有督查室、包项领导和工作专班可以办理审批手续。"))


def may_update_formality(user: User, formality: ProjectFormality) -> Verdict:
    """…and the formality's own agent, who may not be on the team."""
    if formality.agent_id == user.pk:
        return ALLOWED
    return may_run_formalities(user, formality.project)


def _check_office(by: User | None) -> None:
    if by is not None:
        may_edit_templates(by).check()


# --- Templates (the office) -------------------------------------------------------------------


@transaction.atomic
def formality_step_save(
    *,
    template: FormalityTemplate,
    by: User | None,
    step: FormalityStep | None = None,
    name: str,
    time_limit_days: int,
    default_unit=None,
    position: int | None = None,
    note: str = "",
) -> FormalityStep:
    """Add a step to a template (at the end unless `position` says where) or change one."""
    _check_office(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写手续名称。")})
    clash = FormalityStep.objects.filter(template=template, name=name)
    if step is not None:
        clash = clash.exclude(pk=step.pk)
    if clash.exists():
        raise ValidationError({"name": _("该模板中已有“%(name)s”。") % {"name": name}})
    if step is None:
        step = FormalityStep(template=template)
    if position is None and step.position is None:
        last = template.steps.aggregate(last=Max("position"))["last"]
        position = (last or 0) + 1
    if position is not None:
        step.position = position
    step.name = name
    step.time_limit_days = time_limit_days
    step.default_unit = default_unit
    step.note = note
    step.full_clean(exclude=["template"])
    step.save()
    return step


@transaction.atomic
def formality_step_delete(*, step: FormalityStep, by: User | None) -> None:
    """Projects keep their copies: deleting a template step changes no project."""
    _check_office(by)
    step.delete()


# --- A project's chain ------------------------------------------------------------------------


@transaction.atomic
def project_formalities_instantiate(
    *, project: KeyProject, template: FormalityTemplate, by: User | None
) -> list[ProjectFormality]:
    """Copy the template's steps onto the project, each with the step's unit and time limit.

    Safe to repeat (or to apply a second template): a formality the project already has, by
    name, is left as it is; new ones go after the existing ones. Returns the rows created.
    """
    if by is not None:
        may_run_formalities(by, project).check()
    KeyProject.objects.select_for_update().filter(pk=project.pk).first()
    existing = set(project.formalities.values_list("name", flat=True))
    last = project.formalities.aggregate(last=Max("position"))["last"] or 0
    created = []
    for step in template.steps.select_related("default_unit").order_by("position", "pk"):
        if step.name in existing:
            continue
        last += 1
        created.append(
            ProjectFormality(
                project=project,
                template=template,
                position=last,
                name=step.name,
                responsible_unit=step.default_unit,
                time_limit_days=step.time_limit_days,
                updated_by=by,
            )
        )
    ProjectFormality.objects.bulk_create(created)
    return created


def _date_or_today(value: datetime.date | None) -> datetime.date:
    return value or timezone.localdate()


@transaction.atomic
def formality_update(
    *,
    formality: ProjectFormality,
    by: User | None,
    expected_version: int | None = None,
    state: str | None = None,
    responsible_unit=...,
    agent=...,
    started_on: datetime.date | None = None,
    finished_on: datetime.date | None = None,
    time_limit_days: int | None = None,
    note: str | None = None,
) -> ProjectFormality:
    """Record where a formality stands. The rules:

    1. 办理中 needs a start date (today unless given); the deadline is counted from it.
    2. 已办结 needs a finish date (today unless given) and a start (the finish date unless the
       formality was started before).
    3. 未开始 and 不需办理 carry no dates and no deadline.
    4. A change of the time limit or the start date recounts the deadline.
    """
    formality = lock_for_edit(
        ProjectFormality.objects.select_related("project"),
        formality.pk,
        expected_version=expected_version,
    )
    if by is not None:
        may_update_formality(by, formality).check()
    if responsible_unit is not ...:
        formality.responsible_unit = responsible_unit
    if agent is not ...:
        formality.agent = agent
    if note is not None:
        formality.note = note
    if time_limit_days is not None:
        formality.time_limit_days = time_limit_days
    state = state or formality.state
    if state not in FormalityState.values:
        raise ValidationError({"state": _("请选择状态。")})
    if state == FormalityState.IN_PROGRESS:
        formality.started_on = started_on or formality.started_on or timezone.localdate()
        formality.finished_on = None
    elif state == FormalityState.DONE:
        formality.finished_on = _date_or_today(finished_on or formality.finished_on)
        formality.started_on = started_on or formality.started_on or formality.finished_on
    else:
        formality.started_on = formality.finished_on = None
    if (
        formality.finished_on
        and formality.started_on
        and (formality.finished_on < formality.started_on)
    ):
        raise ValidationError({"finished_on": _("办结日期不能早于开始办理日期。")})
    if (
        formality.started_on
        and formality.finished_on
        and (formality.finished_on > timezone.localdate())
    ):
        raise ValidationError({"finished_on": _("办结日期不能晚于今天。")})
    formality.state = state
    formality.deadline = (
        formality_deadline(formality.started_on, formality.time_limit_days)
        if formality.started_on
        else None
    )
    formality.full_clean()
    save_new_version(formality, by=by)
    return formality
