"""Writes for programmes, work groups and assignments (units and people: core.services).

Pages, the API, the Excel import and management commands all call these; nothing else saves
these models. Each function validates (full_clean), records who changed what, and bumps the
version so stale edits are refused.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import Role
from core.locking import create_tracked, save_versioned
from core.models import Profile

from ..models import Assignment, Programme, WorkGroup
from .reports import programme_sync_periods


@transaction.atomic
def programme_create(*, by: User | None, **fields) -> Programme:
    programme = create_tracked(Programme, by=by, fields=fields)
    programme_sync_periods(programme=programme)
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, by: User | None, expected_version: int | None, **fields
) -> Programme:
    programme = save_versioned(programme, by=by, expected_version=expected_version, fields=fields)
    programme_sync_periods(programme=programme)
    return programme


def _check_work_group_name(programme: Programme, name: str, *, exclude_pk=None) -> None:
    # Worded on `name`, where the page and the API both show it (the database constraint alone
    # would answer with an error about the whole record).
    taken = WorkGroup.objects.filter(programme=programme, name=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("本批次已有同名工作组。")})


@transaction.atomic
def work_group_create(*, by: User | None, **fields) -> WorkGroup:
    _check_work_group_name(fields["programme"], fields.get("name", ""))
    return create_tracked(WorkGroup, by=by, fields=fields)


@transaction.atomic
def work_group_update(
    *, work_group: WorkGroup, by: User | None, expected_version: int | None, **fields
) -> WorkGroup:
    _check_work_group_name(
        fields.get("programme", work_group.programme),
        fields.get("name", work_group.name),
        exclude_pk=work_group.pk,
    )
    return save_versioned(work_group, by=by, expected_version=expected_version, fields=fields)


def _check_cadre(cadre: Profile) -> None:
    if not cadre.user.groups.filter(name=Role.CADRE).exists():
        raise ValidationError({"cadre": _("%(name)s 不是驻企干部。") % {"name": cadre.name}})


@transaction.atomic
def assignment_create(*, by: User | None, **fields) -> Assignment:
    _check_cadre(fields["cadre"])
    duplicate = Assignment.objects.filter(
        programme=fields["programme"], cadre=fields["cadre"], enterprise=fields["enterprise"]
    )
    if duplicate.exists():
        raise ValidationError({"enterprise": _("该干部已派驻到这家企业。")})
    return create_tracked(Assignment, by=by, fields=fields)


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, by: User | None, expected_version: int | None, **fields
) -> Assignment:
    if "cadre" in fields:
        _check_cadre(fields["cadre"])
    return save_versioned(assignment, by=by, expected_version=expected_version, fields=fields)
