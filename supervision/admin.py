"""Admin for tickets and their settings.

Tickets, their events, extension requests and attachments are read-only here: every change of a
ticket goes through supervision.services, so the timeline stays complete. The holiday table and
the per-category time limits are read-only too: the office edits them on the settings page,
through the same services.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyAdminMixin

from .models import (
    AppraisalRun,
    AppraisalSettings,
    CadreRating,
    CadreResult,
    CalendarDay,
    CategorySetting,
    DepartmentResult,
    ExtensionRequest,
    ResultReviewRequest,
    Ticket,
    TicketAttachment,
    TicketEvent,
    UnitResult,
    WorkGroupResult,
)


class TicketEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ("at", "kind", "actor", "from_state", "to_state", "comment", "data")
    readonly_fields = fields
    ordering = ("at", "id")


class ExtensionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ExtensionRequest
    extra = 0
    fields = ("requested_at", "requested_by", "days", "reason", "state", "decided_by", "comment")
    readonly_fields = fields


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TicketAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "enterprise",
        "category",
        "state",
        "level",
        "responsible_unit",
        "deadline",
        "is_urged",
    )
    list_filter = ("state", "category", "urgency", "level", "is_urged", "responsible_unit")
    search_fields = ("number", "title", "description", "enterprise__name")
    date_hierarchy = "created_at"
    list_select_related = ("enterprise", "responsible_unit")
    inlines = [TicketEventInline, ExtensionInline, AttachmentInline]


@admin.register(CategorySetting)
class CategorySettingAdmin(ReadOnlyAdmin):
    list_display = ("category", "normal_days", "urgent_days", "critical_days", "default_unit")
    list_select_related = ("default_unit",)
    autocomplete_fields = ("default_unit",)

    def has_add_permission(self, request):
        return False  # one row per category, created by a migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("ticket", "days", "state", "requested_by", "requested_at", "decided_by")
    list_filter = ("state",)
    search_fields = ("ticket__number", "ticket__title", "reason")
    list_select_related = ("ticket", "requested_by", "decided_by")


@admin.register(TicketAttachment)
class TicketAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "ticket", "content_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "ticket__number", "ticket__title")
    list_select_related = ("ticket", "uploaded_by")
    exclude = ("storage_name",)


# --- Appraisal (考核): results are written by supervision.services.appraisal only --------------


@admin.register(AppraisalSettings)
class AppraisalSettingsAdmin(admin.ModelAdmin):
    """What a programme sets besides its weights and bands; a run snapshots it when it starts."""

    list_display = (
        "programme",
        "excellent_quota_percent",
        "unit_min_sample",
        "department_min_sample",
        "review_working_days",
    )


@admin.register(AppraisalRun)
class AppraisalRunAdmin(ReadOnlyAdmin):
    list_display = ("programme", "number", "as_of", "state", "cadre_count", "published_at")
    list_filter = ("state", "programme")


@admin.register(CadreResult)
class CadreResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "cadre", "unit", "total", "grade", "quota_moved", "rank")
    list_filter = ("grade", "run__programme")
    search_fields = ("cadre__name",)
    list_select_related = ("run__programme", "cadre", "unit")


@admin.register(UnitResult)
class UnitResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "unit", "cadre_count", "mean_total", "rank")
    list_select_related = ("run__programme", "unit")


@admin.register(WorkGroupResult)
class WorkGroupResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "work_group", "cadre_count", "mean_total", "rank")
    list_select_related = ("run__programme", "work_group")


@admin.register(DepartmentResult)
class DepartmentResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "unit", "tickets_assigned", "on_time_rate", "satisfaction", "rank")
    list_select_related = ("run__programme", "unit")


@admin.register(CadreRating)
class CadreRatingAdmin(ReadOnlyAdmin):
    list_display = ("programme", "cadre", "contact", "stars", "created_at")
    list_select_related = ("programme", "cadre", "contact")


@admin.register(ResultReviewRequest)
class ResultReviewRequestAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "result", "state", "created_at", "answered_at")
    list_filter = ("state",)
    list_select_related = ("cadre", "result__run__programme", "result__cadre")
