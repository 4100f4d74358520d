"""The audit trail: one row per thing someone did, never changed afterwards.

Rows are written by `core.audit.record()` (services call it in their own transaction) and are
append-only: this model refuses to save an existing row or delete one, its queryset refuses
`update()` and `delete()`, the admin is read-only for everyone, and a database trigger (migration
core 0003) refuses UPDATE and DELETE on the table whatever the client.

The actor and the object are kept as they were at the time: `actor_name` and `object_repr` are
text, `object_id` is no foreign key, and `actor` has no database constraint, so deleting a user
or an object later changes no audit row (and is not blocked by one).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AuditAction


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are never changed")

    def delete(self):
        raise AppendOnlyError("audit events are never deleted")

    # bulk_update goes through update(); _raw_delete is what Collector uses on fast deletes.
    def _raw_delete(self, using):
        raise AppendOnlyError("audit events are never deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # No constraint and no cascade: the row outlives the user and never blocks deleting one.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The login name at the time (the attempted one for a failed sign-in).
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    # {field: [old, new]}; never a password, hash or token (core.audit drops them by name).
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ("-at", "-pk")
        indexes = [
            models.Index(fields=["-at", "-id"], name="core_audit_at_idx"),
            models.Index(fields=["content_type", "object_id", "-at"], name="core_audit_object_idx"),
            models.Index(fields=["actor", "-at"], name="core_audit_actor_idx"),
            models.Index(fields=["action", "-at"], name="core_audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are never deleted")
