"""Writes for enterprises, surveys and monthly indicators (pages, API and import share them)."""

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.locking import create_tracked, save_versioned

from .models import Enterprise, EnterpriseSurvey, IndicatorReport
from .validators import normalize_credit_code


@transaction.atomic
def enterprise_create(*, by: User | None, **fields) -> Enterprise:
    fields["credit_code"] = normalize_credit_code(fields.get("credit_code", ""))
    return create_tracked(Enterprise, by=by, fields=fields)


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, by: User | None, expected_version: int | None, **fields
) -> Enterprise:
    if "credit_code" in fields:
        fields["credit_code"] = normalize_credit_code(fields["credit_code"])
    return save_versioned(enterprise, by=by, expected_version=expected_version, fields=fields)


@transaction.atomic
def survey_create(*, by: User | None, enterprise: Enterprise, **fields) -> EnterpriseSurvey:
    fields.setdefault("surveyed_by", by)
    return create_tracked(EnterpriseSurvey, by=by, fields={"enterprise": enterprise, **fields})


@transaction.atomic
def survey_update(
    *, survey: EnterpriseSurvey, by: User | None, expected_version: int | None, **fields
) -> EnterpriseSurvey:
    return save_versioned(survey, by=by, expected_version=expected_version, fields=fields)


def first_of_month(value: date) -> date:
    return value.replace(day=1)


@transaction.atomic
def indicator_create(*, by: User | None, enterprise: Enterprise, month: date, **fields):
    month = first_of_month(month)
    if IndicatorReport.objects.filter(enterprise=enterprise, month=month).exists():
        raise ValidationError(
            {"month": _("%(month)s 的指标已填报,请修改原记录。") % {"month": f"{month:%Y-%m}"}}
        )
    fields.setdefault("reported_by", by)
    return create_tracked(
        IndicatorReport, by=by, fields={"enterprise": enterprise, "month": month, **fields}
    )


@transaction.atomic
def indicator_update(
    *, indicator: IndicatorReport, by: User | None, expected_version: int | None, **fields
) -> IndicatorReport:
    if "month" in fields:
        fields["month"] = first_of_month(fields["month"])
    return save_versioned(indicator, by=by, expected_version=expected_version, fields=fields)


@transaction.atomic
def indicator_upsert(*, by: User | None, enterprise: Enterprise, month: date, **fields):
    """Create or overwrite one month's figures (the statistics bureau's import is authoritative)."""
    month = first_of_month(month)
    existing = (
        IndicatorReport.objects.select_for_update(of=("self",))
        .filter(enterprise=enterprise, month=month)
        .first()
    )
    if existing is None:
        return indicator_create(by=by, enterprise=enterprise, month=month, **fields)
    return save_versioned(existing, by=by, expected_version=None, fields=fields)
