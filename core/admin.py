"""Admin building blocks shared by every app, and the admin of units, people and tokens.

Every write goes through a service (the pages, the API, the import and the commands call the
same functions). So the admin is read-only for models that have services, except where it is
the only screen for a job (units and their chat robots): there `ServiceAdmin` saves through the
service instead of `Model.save()`.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import audit, services
from .choices import AuditAction
from .models import AuditEvent, Profile, SubmissionToken, Unit

TRACKED_FIELDS = ("version", "updated_by", "created_at", "updated_at")


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """For models written only by services: the admin shows them, the pages change them."""


class ServiceAdmin(admin.ModelAdmin):
    """Saves through `create(by=..., **fields)` and `update(obj, by=..., **fields)`.

    The form has validated the fields already; the service validates again, records who changed
    the row and bumps its version (so an edit form open elsewhere becomes stale). Deleting is
    left to the pages (there is none: units are referenced from everywhere).
    """

    readonly_fields = TRACKED_FIELDS

    def create(self, *, by, **fields):
        raise NotImplementedError

    def update(self, obj, *, by, **fields):
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        names = form.changed_data if change else list(form.cleaned_data)
        concrete = {field.name for field in obj._meta.concrete_fields}
        fields = {name: form.cleaned_data[name] for name in names if name in concrete}
        if change:
            saved = self.update(obj, by=request.user, **fields)
        else:
            saved = self.create(by=request.user, **fields)
        obj.pk = saved.pk
        obj.version = saved.version


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = (
        "name",
        "parent",
        "level",
        "kind",
        "is_dispatching",
        "is_responsible",
        "has_webhook",
    )
    list_filter = ("level", "kind", "is_dispatching", "is_responsible")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent",)
    # Every editable field is on the form, webhook_url (the unit's chat robot) included;
    # robot addresses are https, so a bare host gets https:// rather than http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def create(self, *, by, **fields):
        return services.unit_create(by=by, **fields)

    def update(self, obj, *, by, **fields):
        return services.unit_update(unit=obj, by=by, expected_version=None, **fields)

    @admin.display(boolean=True, description=_("机器人推送"))
    def has_webhook(self, obj):
        return bool(obj.webhook_url)


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ("name", "phone", "unit", "enterprise", "rank", "title")
    list_filter = ("rank", "user__groups", "unit__level")
    search_fields = ("name", "phone", "user__username")


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(ReadOnlyAdmin):
    list_display = ("token", "user", "result_url", "created_at")
    search_fields = ("token", "user__username")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail: readable, never added to, changed or deleted here, not even by a
    superuser (the office reads it at /audit/)."""

    list_display = ("at", "actor_name", "action", "content_type", "object_repr", "ip_address")
    list_filter = ("action", "content_type")
    search_fields = ("actor_name", "object_repr", "note")
    date_hierarchy = "at"
    list_select_related = ("content_type",)


# Django's user admin is where a superuser deactivates a login, changes its roles (groups) or sets
# its password: those go into the audit trail like the portal's own services.
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    AUDITED_FIELDS = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "is_superuser",
    )

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = audit.snapshot(User.objects.get(pk=obj.pk), self.AUDITED_FIELDS)
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj, self.AUDITED_FIELDS)
        if before is None:
            audit.record(request.user, AuditAction.CREATED, obj, audit.initial(after))
            return
        changes = audit.diff(before, after)
        if not changes:
            return
        action = AuditAction.CHANGED
        if "is_active" in changes:
            action = AuditAction.ACTIVATED if obj.is_active else AuditAction.DEACTIVATED
        audit.record(request.user, action, obj, changes)

    def save_related(self, request, form, formsets, change):
        old = services.user_role_names(form.instance) if change else []
        super().save_related(request, form, formsets, change)
        new = services.user_role_names(form.instance)
        if old != new:
            audit.record(
                request.user, AuditAction.ROLE_CHANGED, form.instance, {"roles": [old, new]}
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = User.objects.filter(pk=id).first()
            if target is not None:
                # The action only: never the new password or its hash.
                audit.record(
                    request.user, AuditAction.PASSWORD_RESET, target, note=_("后台设置密码")
                )
        return response
