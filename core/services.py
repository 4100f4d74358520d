"""Writes for units and people (logins, profiles and their roles).

Pages, the API, the Excel import and management commands all call these; nothing else saves
these models. Each function validates (full_clean), records who changed what, and bumps the
version so stale edits are refused.
"""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import audit
from .choices import AuditAction, Role
from .locking import create_tracked, save_new_version, save_versioned
from .models import Profile, Unit
from .permissions import may_reset_password, may_revoke_api_token
from .roles import forget_actor
from .selectors import api_token_is_expired
from .signals import user_email_added
from .validators import normalize_email, validate_email_address

logger = logging.getLogger(__name__)


def ensure_role_groups() -> dict[str, Group]:
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


def user_role_names(user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def user_set_roles(*, user: User, roles: list[str], by: User | None = None) -> None:
    """Give `user` exactly `roles`; a change is recorded in the audit trail (by `by`)."""
    old = user_role_names(user) if user.pk else []
    _apply_roles(user, roles)
    new = sorted(str(role) for role in roles)
    if old != new:
        audit.record(
            by, AuditAction.ROLE_CHANGED, user, {"roles": [old, new]}, object_repr=_person(user)
        )


def _apply_roles(user: User, roles: list[str]) -> None:
    groups = ensure_role_groups()
    user.groups.set([groups[role] for role in roles])
    forget_actor(user)


def _person(user: User, name: str | None = None) -> str:
    """How the audit trail names a person: 姓名（登录名）."""
    if name is None:
        name = Profile.objects.filter(user=user).values_list("name", flat=True).first()
    return f"{name}（{user.get_username()}）" if name else user.get_username()


# What the trail keeps of a person's profile and login when they change.
PROFILE_AUDIT_FIELDS = ("name", "phone", "unit", "enterprise", "rank", "title")


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


def clean_email(email: str | None, *, field: str = "email") -> str:
    """The address normalised (core.validators), or "" for none; an invalid one is refused on
    `field` with the message the pages, the API and the import give."""
    email = normalize_email(email)
    if email:
        try:
            validate_email_address(email)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return email


def user_email_set(*, user: User, email: str | None) -> bool:
    """Set the user's e-mail address (validated). Returns whether it changed.

    When an empty address becomes one, `user_email_added` is sent after commit, so the
    notifications skipped for want of an address can still go out
    (notifications.services.resend_skipped).
    """
    email = clean_email(email)
    if email == user.email:
        return False
    had_none = not user.email
    user.email = email
    user.save(update_fields=["email"])
    if had_none and email:
        transaction.on_commit(lambda: user_email_added.send(sender=User, user=user), robust=True)
    return True


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
    user = User(username=username, email=clean_email(email))
    if password:
        user.set_password(password)
    else:
        # Until the office sets a password or the person resets it, nobody can sign in as them.
        user.set_unusable_password()
    user.save()
    _apply_roles(user, roles)
    profile = create_tracked(Profile, by=by, fields={"user": user, "name": name, **profile_fields})
    created = {
        "username": user.get_username(),
        "email": user.email,
        "roles": sorted(str(role) for role in roles),
        **audit.snapshot(profile, PROFILE_AUDIT_FIELDS),
    }
    audit.record(
        by, AuditAction.CREATED, user, audit.initial(created), object_repr=_person(user, name)
    )
    return profile


@transaction.atomic
def cadre_create(*, by: User | None, name: str, phone: str, **fields) -> Profile:
    if not phone:
        raise ValidationError({"phone": _("驻企干部必须填写手机号。")})
    return person_create(by=by, name=name, phone=phone, roles=[Role.CADRE], **fields)


@transaction.atomic
def profile_update(
    *, profile: Profile, by: User | None, expected_version: int | None, **fields
) -> Profile:
    """Save the profile's fields; `email`, when given, is the login's address (User.email)."""
    email = fields.pop("email", None)
    if "phone" in fields:
        fields["phone"] = fields["phone"] or None
        _check_phone_free(fields["phone"], exclude_profile_id=profile.pk)
    if email is not None:
        email = clean_email(email)  # refused before anything is written
    before = Profile.objects.select_related("user", "unit", "enterprise").get(pk=profile.pk)
    old = {**audit.snapshot(before, PROFILE_AUDIT_FIELDS), "email": before.user.email}
    profile = save_versioned(profile, by=by, expected_version=expected_version, fields=fields)
    if email is not None:
        user_email_set(user=profile.user, email=email)
    new = {**audit.snapshot(profile, PROFILE_AUDIT_FIELDS), "email": profile.user.email}
    changes = audit.diff(old, new)
    if changes:
        audit.record(
            by,
            AuditAction.CHANGED,
            profile.user,
            changes,
            object_repr=_person(profile.user, profile.name),
        )
    return profile


# --- Passwords --------------------------------------------------------------------------------

# No 0/O, 1/l/I: the office reads the temporary password out on the phone.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 # nosec B105
TEMPORARY_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class PasswordResetResult:
    """What the office is told: the temporary password (shown once, never stored in clear), or
    the address the reset link went to."""

    temporary_password: str = ""
    emailed_to: str = ""


def password_reset_link(user: User) -> str:
    """The one-time link to set a new password (Django's PasswordResetConfirmView)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def password_reset_email_send(*, user: User, by_office: bool = False) -> None:
    """E-mail `user` a link to set a new password, in Chinese (after the transaction commits).

    Both the 忘记密码 page and the office's reset send this one e-mail."""
    if not user.email:
        return
    profile = Profile.objects.filter(user=user).first()
    context = {
        "name": profile.name if profile else user.get_username(),
        "username": user.get_username(),
        "link": password_reset_link(user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
        "by_office": by_office,
        "site_url": settings.SITE_URL,
    }
    subject = "".join(
        render_to_string("registration/password_reset_subject.txt", context).splitlines()
    )
    body = render_to_string("registration/password_reset_email.html", context)
    address = user.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


@transaction.atomic
def user_password_reset(*, user: User, by: User) -> PasswordResetResult:
    """The office resets someone's password.

    1. Refused unless `by` may (core.permissions.may_reset_password).
    2. With an e-mail address: the old password stops working at once (unusable) and the person
       is e-mailed a link to choose a new one. Without: a temporary password is set and returned
       for the office to pass on, once; the person changes it at /password/change/.
    3. Either way their open sessions end (the password hash changed), and the profile records
       who reset it and when (updated_by, updated_at, a new version); the log says so too.
    """
    may_reset_password(by, user).check()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        password_reset_email_send(user=user, by_office=True)
        result = PasswordResetResult(emailed_to=user.email)
    else:
        temporary = "".join(
            secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _i in range(TEMPORARY_PASSWORD_LENGTH)
        )
        user.set_password(temporary)
        user.save(update_fields=["password"])
        result = PasswordResetResult(temporary_password=temporary)
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is not None:
        save_new_version(profile, by=by, update_fields=["version", "updated_by", "updated_at"])
    # The action and how the person was told; never the password, its hash or the link.
    audit.record(
        by,
        AuditAction.PASSWORD_RESET,
        user,
        note=_("已发送重设链接") if result.emailed_to else _("已设置临时密码"),
        object_repr=_person(user, profile.name if profile else None),
    )
    logger.info(
        "password of user %s reset by user %s (%s)",
        user.pk,
        by.pk,
        "link e-mailed" if result.emailed_to else "temporary password",
    )
    return result


# --- API tokens -------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """A new API token for `user`; the old one, if any, stops working at once."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    logger.info("API token issued to user %s", user.pk)
    # Who got a new token and when; never its key.
    audit.record(user, AuditAction.TOKEN_CREATED, user, object_repr=_person(user))
    return token


@transaction.atomic
def api_token_obtain(*, user: User) -> Token:
    """The token endpoint's answer: the user's token while it works, else a new one (an expired
    token is replaced, never handed out again)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not api_token_is_expired(token):
        return token
    return api_token_issue(user=user)


@transaction.atomic
def api_token_revoke(*, user: User, by: User) -> bool:
    """Delete `user`'s API token (core.permissions.may_revoke_api_token); False if none."""
    may_revoke_api_token(by, user).check()
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        logger.info("API token of user %s revoked by user %s", user.pk, by.pk)
        audit.record(by, AuditAction.TOKEN_REVOKED, user, object_repr=_person(user))
    return bool(deleted)
