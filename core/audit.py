"""The audit trail's one writer: who did what to which object, when, from where, old and new.

Services call `record()` inside their own transaction, so a change that rolls back leaves no
audit row, and a recorded row always describes a change that happened. The web request (for the
address) is not passed down to services: `AuditMiddleware` (core.middleware) binds it for the
request's duration and `record()` reads it from there; scheduled jobs run without one.

Secrets never enter the trail. `changes` keys that name a secret (password, token, key,
webhook, session …) are dropped, and any value that looks like a password hash is replaced, in
`changes` and in the note, whatever the caller passed. Password resets and token creations are
recorded as the action alone.

The two events with no service behind them are recorded here too: failed sign-ins (Django's
`user_login_failed` signal, connected in CoreConfig.ready(); the attempted login name, never the
password) and refused access (every 403 answer, by the middleware, with the refusal's reason).
"""

import contextvars
import datetime
import logging
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, Role
from .models import AuditEvent, Profile
from .signin import client_ip

logger = logging.getLogger(__name__)

NOTE_LENGTH = AuditEvent._meta.get_field("note").max_length
REPR_LENGTH = AuditEvent._meta.get_field("object_repr").max_length
NAME_LENGTH = AuditEvent._meta.get_field("actor_name").max_length
# Long texts (an answer, a report's work done) are kept, but not without end.
VALUE_LENGTH = 2000

# A field whose name has one of these parts ("api_key", "webhook_url", "password") is a secret.
SECRET_PARTS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "token",
        "secret",
        "key",
        "webhook",
        "credential",
        "credentials",
        "session",
        "otp",
        "signature",
        "salt",
        "hash",
    }
)
# Names with such a part that are no secret.
NOT_SECRET = frozenset({"is_key"})
# Django's password hash formats ("pbkdf2_sha256$…", "argon2$…", "!" + random for unusable).
PASSWORD_HASH = re.compile(
    r"(pbkdf2_sha\d+|argon2|bcrypt(_sha256)?|scrypt|sha1|md5|unsalted_md5|unsalted_sha1|crypt)"
    r"\$\S+"
)
REDACTED = "[已隐去]"

_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


# --- The request being served (bound by core.middleware.AuditMiddleware) -----------------------


def bind_request(request) -> contextvars.Token:
    return _request.set(request)


def unbind_request(token: contextvars.Token) -> None:
    _request.reset(token)


def current_request():
    return _request.get()


# --- Values ------------------------------------------------------------------------------------


def is_secret(name: str) -> bool:
    name = str(name).lower()
    if name in NOT_SECRET:
        return False
    return any(part in SECRET_PARTS for part in re.split(r"[^a-z0-9]+|_", name))


def _scrub_text(text: str) -> str:
    return PASSWORD_HASH.sub(REDACTED, text)


def jsonable(value):
    """The value as the trail keeps it: JSON types, local ISO times, objects as their text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _scrub_text(value[:VALUE_LENGTH])
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if not is_secret(k)}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return _scrub_text(str(value)[:VALUE_LENGTH])


def snapshot(obj, fields: Iterable[str]) -> dict:
    """The named fields of a model instance (or a dict) as the trail keeps them.

    A foreign key is kept as the related object's text (who or what it was then), a many-to-many
    field as the sorted texts of its objects; secret fields are left out.
    """
    result = {}
    for name in fields:
        if is_secret(name):
            continue
        if isinstance(obj, Mapping):
            result[name] = jsonable(obj.get(name))
            continue
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = [str(related) for related in getattr(obj, name).all()] if obj.pk else []
        elif field.is_relation:
            related = getattr(obj, name)
            value = None if related is None else str(related)
        else:
            value = getattr(obj, field.attname)
        result[name] = jsonable(value)
    return result


def diff(before, after, fields: Iterable[str] | None = None) -> dict:
    """{field: [old, new]} for the fields whose value differs, secrets left out.

    `before` and `after` are model instances or dicts (e.g. `snapshot()`s taken before and after
    a change); `fields` defaults to the keys of both (dicts).
    """
    if fields is None:
        fields = []
        for side in (before, after):
            if isinstance(side, Mapping):
                fields += [key for key in side if key not in fields]
    fields = [name for name in fields if not is_secret(name)]
    old = before if isinstance(before, Mapping) else snapshot(before, fields)
    new = after if isinstance(after, Mapping) else snapshot(after, fields)
    changes = {}
    for name in fields:
        old_value, new_value = jsonable(old.get(name)), jsonable(new.get(name))
        if old_value != new_value:
            changes[name] = [old_value, new_value]
    return changes


def initial(values: Mapping) -> dict:
    """{field: [None, value]} of a new object's non-empty values (its created event)."""
    result = {}
    for name, value in values.items():
        value = jsonable(value)
        if not is_secret(name) and value not in (None, "", [], {}):
            result[str(name)] = [None, value]
    return result


def clean_changes(changes: Mapping | None) -> dict:
    """A caller's {field: [old, new]} made safe: secrets dropped, hashes replaced, values JSON.
    (A value that is not an [old, new] pair is taken as the new value.)"""
    cleaned = {}
    for name, value in (changes or {}).items():
        if is_secret(name):
            continue
        if isinstance(value, list | tuple) and len(value) == 2:
            cleaned[str(name)] = [jsonable(value[0]), jsonable(value[1])]
        else:
            cleaned[str(name)] = [None, jsonable(value)]
    return cleaned


# --- Writing -----------------------------------------------------------------------------------


def _actor(user) -> User | None:
    if user is None or isinstance(user, AnonymousUser):
        return None
    return user if getattr(user, "is_authenticated", False) else None


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping | None = None,
    note: str = "",
    request=None,
    *,
    object_repr: str | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Append one event: `actor` (None for the system or a job) did `action` (AuditAction) to
    `obj`, with `changes` ({field: [old, new]}) and a short `note`.

    Written in the caller's transaction. `request` defaults to the request being served (its
    client address is kept). `object_repr` names what `obj` cannot (the attempted login of a
    failed sign-in, the refused path); `actor_name` the login of a refused sign-in.
    """
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    request = request if request is not None else current_request()
    user = _actor(actor)
    content_type = None
    object_id = ""
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        object_id = str(obj.pk)
        if object_repr is None:
            object_repr = str(obj)
    if actor_name is None:
        actor_name = user.get_username() if user is not None else ""
    return AuditEvent.objects.create(
        actor=user,
        actor_name=actor_name[:NAME_LENGTH],
        action=action,
        content_type=content_type,
        object_id=object_id,
        object_repr=_scrub_text(object_repr or "")[:REPR_LENGTH],
        changes=clean_changes(changes),
        ip_address=client_ip(request) if request is not None else None,
        note=_scrub_text(str(note or ""))[:NOTE_LENGTH],
    )


def record_sign_in_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """user_login_failed: the login name tried and the address; Django has already masked the
    secret credentials, and nothing but the name is kept."""
    username = str((credentials or {}).get(User.USERNAME_FIELD) or "")
    _record_safely(
        None,
        AuditAction.SIGN_IN_FAILED,
        request=request,
        object_repr=username,
        actor_name=username,
    )


def record_access_refused(request, reason: str = "") -> None:
    """A 403 answer: who was refused what (the path and method), why, and from where."""
    _record_safely(
        getattr(request, "user", None),
        AuditAction.ACCESS_REFUSED,
        request=request,
        object_repr=f"{request.method} {request.path}",
        note=reason,
    )


def _record_safely(actor, action, **kwargs) -> None:
    """Events outside any service (sign-in, refusals): written on their own, and a failure to
    write one is logged rather than turned into an error page for the person refused."""
    try:
        with transaction.atomic():
            record(actor, action, **kwargs)
    except DatabaseError:
        logger.exception("could not record audit event %s", action)


# --- Reading -----------------------------------------------------------------------------------

# Change keys that are no model field of the object (the label shown for them).
KEY_LABELS = {
    "roles": _("角色"),
    "items": _("工作任务"),
    "co_units": _("协办单位"),
    "problems": _("发现的问题"),
    "attempts": _("尝试次数"),
}
EMPTY = _("（空）")
# A person's events are the login's (auth.user) and carry their profile's fields too.
LABEL_MODELS = {User: (Profile,)}


def _concrete_field(label_models, key: str):
    for model in label_models:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if field.concrete:
            return field
    return None


def _shown(value, field=None, key: str = "") -> str:
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if isinstance(value, list):
        return "、".join(_shown(item, field, key) for item in value)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if key == "roles":
        return str(dict(Role.choices).get(value, value))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    return str(value)


def change_lines(event: AuditEvent) -> list[dict]:
    """The event's changes as the page shows them: the field's label (the model's verbose name,
    or KEY_LABELS), the old and the new value with choices as their labels. Reads the object's
    model through the event's content type (select_related by the selector): no query."""
    model = event.content_type.model_class() if event.content_type_id else None
    label_models = [model, *LABEL_MODELS.get(model, ())] if model is not None else []
    lines = []
    for key, pair in (event.changes or {}).items():
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        field = _concrete_field(label_models, key)
        label = getattr(field, "verbose_name", None) or KEY_LABELS.get(key, key)
        lines.append(
            {
                "label": str(label),
                "old": _shown(old, field, key),
                "new": _shown(new, field, key),
            }
        )
    return lines


def changes_text(event: AuditEvent) -> str:
    """One line per change, 字段：旧值 → 新值 (the export's column)."""
    return "\n".join(
        f"{line['label']}：{line['old']} → {line['new']}" for line in change_lines(event)
    )
