"""Admin for programmes, work groups and assignments: read-only, the pages change them
(core.admin says why)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyAdminMixin

from .models import Assignment, Programme, WorkGroup


class WorkGroupInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WorkGroup
    extra = 0
    fields = ("name", "leader")
    autocomplete_fields = ("leader",)


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "organiser", "start_date", "end_date", "status")
    list_filter = ("status", "report_cycle")
    search_fields = ("name",)
    date_hierarchy = "start_date"
    autocomplete_fields = ("organiser",)
    inlines = [WorkGroupInline]


@admin.register(WorkGroup)
class WorkGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "programme", "leader")
    list_filter = ("programme",)
    search_fields = ("name",)
    autocomplete_fields = ("leader", "programme")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
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
