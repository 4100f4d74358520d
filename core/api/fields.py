"""Serializers for reporting periods, work plans (一企一策) and half-monthly reports (半月报).

Reading serializers show a record as the pages do; input serializers validate the shape of what a
client sends, and the services (stationing.services) decide the rest: states, required fields on
submission, the behind-plan rule and stale versions.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.validators import (
    EMAIL_MAX_LENGTH,
    mobile_validator,
    normalize_email,
    normalize_mobile,
    validate_email_address,
)

VERSION_HELP = _("记录版本号。修改时可带上读取时的版本号，若记录已被他人修改则返回 409。")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id chosen from what the user may see: an id out of scope is refused like a missing one."""

    def __init__(self, *, model: type[Model], scope: Callable[..., QuerySet], **kwargs):
        self.scope = scope
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None) or AnonymousUser())


class MobileField(serializers.CharField):
    """A mainland mobile number, normalised and checked as the pages and the import do it
    (core.validators): the same values pass, with the same message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs["validators"] = [*kwargs.get("validators", ()), mobile_validator]
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return normalize_mobile(super().to_internal_value(data))


class EmailAddressField(serializers.CharField):
    """An e-mail address, normalised and checked as the pages and the import do it
    (core.validators)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_email_address]
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return normalize_email(super().to_internal_value(data))
