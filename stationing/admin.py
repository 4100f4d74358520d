from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Profile, Programme, SubmissionToken, Unit, WorkGroup
from .services import programme_sync_periods


class TrackedAdmin(admin.ModelAdmin):
    readonly_fields = ("version", "updated_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        # Admin edits bump the version too, so open edit forms elsewhere become stale.
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Unit)
class UnitAdmin(TrackedAdmin):
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

    @admin.display(boolean=True, description=_("机器人推送"))
    def has_webhook(self, obj):
        return bool(obj.webhook_url)


class WorkGroupInline(admin.TabularInline):
    model = WorkGroup
    extra = 0
    fields = ("name", "leader")
    autocomplete_fields = ("leader",)


@admin.register(Programme)
class ProgrammeAdmin(TrackedAdmin):
    list_display = ("name", "organiser", "start_date", "end_date", "status")
    list_filter = ("status", "report_cycle")
    search_fields = ("name",)
    date_hierarchy = "start_date"
    autocomplete_fields = ("organiser",)
    inlines = [WorkGroupInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        programme_sync_periods(programme=obj)


@admin.register(WorkGroup)
class WorkGroupAdmin(TrackedAdmin):
    list_display = ("name", "programme", "leader")
    list_filter = ("programme",)
    search_fields = ("name",)
    autocomplete_fields = ("leader", "programme")


@admin.register(Profile)
class ProfileAdmin(TrackedAdmin):
    list_display = ("name", "phone", "unit", "enterprise", "rank", "title")
    list_filter = ("rank", "user__groups", "unit__level")
    search_fields = ("name", "phone", "user__username")
    autocomplete_fields = ("user", "unit", "enterprise")


@admin.register(Assignment)
class AssignmentAdmin(TrackedAdmin):
    list_display = (
        "cadre",
        "enterprise",
        "programme",
        "work_group",
        "role",
        "start_date",
        "end_date",
    )
    list_filter = ("programme", "role", "work_group")
    search_fields = ("cadre__name", "cadre__phone", "enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("cadre", "enterprise", "programme", "work_group")
    date_hierarchy = "start_date"


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(admin.ModelAdmin):
    list_display = ("token", "user", "result_url", "created_at")
    search_fields = ("token", "user__username")
    readonly_fields = ("token", "user", "result_url", "created_at")
