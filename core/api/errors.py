"""Turn the services' Django errors into DRF responses, in one place for every viewset.

Services raise django.core.exceptions.ValidationError keyed by field (full_clean, business
rules) and stationing.locking.StaleEditError when an edit was made against an old version.
`service_errors()` wraps the service call in a viewset:

- StaleEditError  -> 409 Conflict with its message (who changed the record and when)
- ValidationError with code "state" or "locked" (the record is not in a state that allows the
  action: a submitted plan cannot be edited, only a submitted report can be reviewed, ...)
                  -> 409 Conflict with the service's message
- any other ValidationError -> 400, errors under the field names ("__all__" becomes
  non_field_errors)
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from core.locking import StaleEditError

# ValidationError codes the services use when the record's state forbids the action.
STATE_CODES = frozenset({"state", "locked"})


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("该记录已被他人修改，请刷新后重试。")
    default_code = "stale"


def field_errors(exc: DjangoValidationError) -> dict:
    """{"field": ["message", ...]} from a Django ValidationError, as a serializer would give."""
    errors = as_serializer_error(exc)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def state_conflict_code(exc: DjangoValidationError) -> str | None:
    """The code when every error in `exc` is a state problem (not keyed by field), else None."""
    if hasattr(exc, "error_dict"):
        return None
    codes = {error.code for error in exc.error_list}
    if codes and codes <= STATE_CODES:
        return sorted(codes)[0]
    return None


@contextmanager
def service_errors() -> Iterator[None]:
    try:
        yield
    except StaleEditError as exc:
        raise Conflict(detail=" ".join(exc.messages), code="stale") from exc
    except DjangoValidationError as exc:
        code = state_conflict_code(exc)
        if code is not None:
            raise Conflict(detail=" ".join(exc.messages), code=code) from exc
        raise ValidationError(field_errors(exc)) from exc
