"""Writes for enterprises, surveys and monthly indicators (pages, API and import share them).

Each write asks enterprises.permissions on behalf of `by`; `by=None` is the system (the demo
loader, the import command run without --user).

An enterprise's contact mobile and e-mail are normalised and checked by core.validators, like
every phone and address. When the contact has a login (an enterprise contact of this enterprise
whose profile has that mobile number), an e-mail entered or changed here becomes the login's
address through core.services.user_email_set — the path that, for a first address, resends
the notices skipped for want of one.
"""

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.locking import create_tracked, save_versioned
from core.selectors import enterprise_contacts
from core.services import user_email_set
from core.validators import normalize_email, normalize_mobile

from .choices import IndicatorSource
from .models import Enterprise, EnterpriseSurvey, IndicatorReport
from .permissions import may_edit_enterprise, may_record_enterprise_data, may_record_statistics
from .validators import normalize_credit_code


def _check_recorder(by: User | None, enterprise_id: int, source: str | None = None) -> None:
    """`by` may record for this enterprise, and figures marked as the statistics bureau's only
    when `by` is the office (a field error, so the form or the API shows it on `source`)."""
    if by is None:
        return
    may_record_enterprise_data(by, enterprise_id).check()
    if source is not None and source != IndicatorSource.CADRE:
        verdict = may_record_statistics(by)
        if not verdict:
            raise ValidationError({"source": verdict.reason})


def _normalize(fields: dict) -> None:
    if "credit_code" in fields:
        fields["credit_code"] = normalize_credit_code(fields["credit_code"])
    if "contact_mobile" in fields:
        fields["contact_mobile"] = normalize_mobile(fields["contact_mobile"])
    if "contact_email" in fields:
        fields["contact_email"] = normalize_email(fields["contact_email"])


def _contact(enterprise: Enterprise) -> tuple[str, str]:
    return enterprise.contact_mobile, enterprise.contact_email


def _contact_login_address(enterprise: Enterprise, *, before: tuple[str, str]) -> None:
    """The contact's e-mail, entered or changed now, to the contact's login (module docstring).

    Only when the mobile or the e-mail changed: an edit of other fields leaves alone an address
    the person has since set on their own settings page. A blank e-mail clears nothing.
    """
    mobile, email = _contact(enterprise)
    if not (mobile and email) or (mobile, email) == before:
        return
    login = enterprise_contacts(enterprise.pk).filter(profile__phone=mobile).first()
    if login is not None:
        user_email_set(user=login, email=email)


@transaction.atomic
def enterprise_create(*, by: User | None, **fields) -> Enterprise:
    if by is not None:
        may_edit_enterprise(by).check()
    fields.setdefault("credit_code", "")
    _normalize(fields)
    # No login can be this contact yet: a contact's profile names an existing enterprise.
    return create_tracked(Enterprise, by=by, fields=fields)


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, by: User | None, expected_version: int | None, **fields
) -> Enterprise:
    if by is not None:
        may_edit_enterprise(by).check()
    _normalize(fields)
    before = _contact(Enterprise.objects.get(pk=enterprise.pk))
    enterprise = save_versioned(enterprise, by=by, expected_version=expected_version, fields=fields)
    _contact_login_address(enterprise, before=before)
    return enterprise


@transaction.atomic
def survey_create(*, by: User | None, enterprise: Enterprise, **fields) -> EnterpriseSurvey:
    _check_recorder(by, enterprise.pk)
    fields.setdefault("surveyed_by", by)
    return create_tracked(EnterpriseSurvey, by=by, fields={"enterprise": enterprise, **fields})


@transaction.atomic
def survey_update(
    *, survey: EnterpriseSurvey, by: User | None, expected_version: int | None, **fields
) -> EnterpriseSurvey:
    _check_recorder(by, survey.enterprise_id)
    if "enterprise" in fields:
        _check_recorder(by, fields["enterprise"].pk)
    return save_versioned(survey, by=by, expected_version=expected_version, fields=fields)


def first_of_month(value: date) -> date:
    return value.replace(day=1)


@transaction.atomic
def indicator_create(*, by: User | None, enterprise: Enterprise, month: date, **fields):
    _check_recorder(by, enterprise.pk, fields.get("source"))
    month = first_of_month(month)
    if IndicatorReport.objects.filter(enterprise=enterprise, month=month).exists():
        raise ValidationError(
            {"month": _("%(month)s 的指标已填报，请修改原记录。") % {"month": f"{month:%Y-%m}"}}
        )
    fields.setdefault("reported_by", by)
    return create_tracked(
        IndicatorReport, by=by, fields={"enterprise": enterprise, "month": month, **fields}
    )


@transaction.atomic
def indicator_update(
    *, indicator: IndicatorReport, by: User | None, expected_version: int | None, **fields
) -> IndicatorReport:
    _check_recorder(by, indicator.enterprise_id, fields.get("source"))
    if "enterprise" in fields:
        _check_recorder(by, fields["enterprise"].pk)
    if "month" in fields:
        fields["month"] = first_of_month(fields["month"])
    return save_versioned(indicator, by=by, expected_version=expected_version, fields=fields)


@transaction.atomic
def indicator_upsert(*, by: User | None, enterprise: Enterprise, month: date, **fields):
    """Create or overwrite one month's figures (the statistics bureau's import is authoritative)."""
    _check_recorder(by, enterprise.pk, fields.get("source"))
    month = first_of_month(month)
    existing = (
        IndicatorReport.objects.select_for_update(of=("self",))
        .filter(enterprise=enterprise, month=month)
        .first()
    )
    if existing is None:
        return indicator_create(by=by, enterprise=enterprise, month=month, **fields)
    return save_versioned(existing, by=by, expected_version=None, fields=fields)
