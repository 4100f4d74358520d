"""Writes for units and people (logins, profiles and their roles).

Pages, the API, the Excel import and management commands all call these; nothing else saves
these models. Each function validates (full_clean), records who changed what, and bumps the
version so stale edits are refused.
"""

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import Role
from .locking import create_tracked, save_versioned
from .models import Profile, Unit
from .roles import forget_actor


def ensure_role_groups() -> dict[str, Group]:
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


def user_set_roles(*, user: User, roles: list[str]) -> None:
    groups = ensure_role_groups()
    user.groups.set([groups[role] for role in roles])
    forget_actor(user)


@transaction.atomic
def unit_create(*, by: User | None, **fields) -> Unit:
    return create_tracked(Unit, by=by, fields=fields)


@transaction.atomic
def unit_update(*, unit: Unit, by: User | None, expected_version: int | None, **fields) -> Unit:
    return save_versioned(unit, by=by, expected_version=expected_version, fields=fields)


def _check_phone_free(phone: str | None, *, exclude_profile_id=None) -> None:
    if not phone:
        return
    taken = Profile.objects.filter(phone=phone).exclude(pk=exclude_profile_id)
    if taken.exists():
        raise ValidationError(
            {"phone": _("手机号 %(phone)s 已被其他人员使用。") % {"phone": phone}}
        )


@transaction.atomic
def person_create(
    *,
    by: User | None,
    name: str,
    roles: list[str],
    username: str | None = None,
    password: str | None = None,
    email: str = "",
    **profile_fields,
) -> Profile:
    """Create a login and its profile. Cadres sign in with their phone number by default."""
    phone = profile_fields.get("phone") or None
    profile_fields["phone"] = phone
    _check_phone_free(phone)
    username = username or phone
    if not username:
        raise ValidationError({"phone": _("请填写手机号（用作登录名）。")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"phone": _("登录名 %(name)s 已存在。") % {"name": username}})
    user = User(username=username, email=email)
    if password:
        user.set_password(password)
    else:
        # Until the office sets a password or the person resets it, nobody can sign in as them.
        user.set_unusable_password()
    user.save()
    user_set_roles(user=user, roles=roles)
    return create_tracked(Profile, by=by, fields={"user": user, "name": name, **profile_fields})


@transaction.atomic
def cadre_create(*, by: User | None, name: str, phone: str, **fields) -> Profile:
    if not phone:
        raise ValidationError({"phone": _("驻企干部必须填写手机号。")})
    return person_create(by=by, name=name, phone=phone, roles=[Role.CADRE], **fields)


@transaction.atomic
def profile_update(
    *, profile: Profile, by: User | None, expected_version: int | None, **fields
) -> Profile:
    if "phone" in fields:
        fields["phone"] = fields["phone"] or None
        _check_phone_free(fields["phone"], exclude_profile_id=profile.pk)
    return save_versioned(profile, by=by, expected_version=expected_version, fields=fields)
