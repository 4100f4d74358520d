"""Optimistic locking: an edit saved against an out-of-date version is refused, never merged.

Every TrackedModel carries `version`. An edit form or API update sends the version it loaded; the
save locks the row, compares, and either bumps the version or raises StaleEditError naming who
changed it and when, so the user can reload and redo their change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


class StaleEditError(ValidationError):
    pass


def stale_message(current) -> str:
    who = "-"
    if current.updated_by_id:
        user = current.updated_by
        who = getattr(getattr(user, "profile", None), "name", None) or user.get_username()
    return _(
        "保存失败：该记录已被 %(who)s 于 %(when)s 修改。请刷新页面，在最新内容上重新修改。"
    ) % {
        "who": who,
        "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M"),
    }


def lock_for_edit(queryset, pk, *, expected_version: int | None):
    """The row `pk` of `queryset`, locked for this transaction (SELECT ... FOR UPDATE).

    Raises StaleEditError when `expected_version` is given and someone saved a newer version
    first. `queryset` may carry select_related for what the caller needs (its own table is the
    only one locked). Must run inside transaction.atomic.
    """
    current = (
        queryset.select_for_update(of=("self",)).select_related("updated_by__profile").get(pk=pk)
    )
    if expected_version is not None and current.version != int(expected_version):
        raise StaleEditError(stale_message(current), code="stale")
    return current


def save_new_version(instance, *, by, **save_kwargs) -> None:
    """Save `instance` as a new version by `by`: the one place a version number goes up, so an
    edit form opened on the previous version is refused (StaleEditError) when it is saved."""
    instance.version = instance.version + 1
    instance.updated_by = by
    instance.save(**save_kwargs)


def save_versioned(instance, *, by, expected_version: int | None, fields: dict):
    """Apply `fields` to `instance` and save it, unless someone saved a newer version first.

    `expected_version=None` skips the comparison (API clients that do not send a version).
    Validation errors (full_clean) come back as ValidationError keyed by field.
    """
    model = type(instance)
    with transaction.atomic():
        current = lock_for_edit(model.objects.all(), instance.pk, expected_version=expected_version)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean()
        save_new_version(current, by=by)
    return current


def create_tracked(model, *, by, fields: dict):
    instance = model(**fields)
    instance.updated_by = by
    instance.full_clean()
    instance.save()
    return instance
