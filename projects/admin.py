"""Admin for key projects: read-only, the pages and services change them (core.admin says
why)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyAdminMixin

from .models import KeyProject, ProjectMember, ProjectMilestone, ProjectProgress, ProjectSettings


class ProjectMemberInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectMember
    extra = 0


class ProjectMilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectMilestone
    extra = 0
    fields = ("title", "planned_date", "actual_date")


@admin.register(KeyProject)
class KeyProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "programme", "category", "stage", "leader", "lead_unit")
    list_filter = ("category", "stage", "programme")
    search_fields = ("name",)
    inlines = [ProjectMemberInline, ProjectMilestoneInline]


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReadOnlyAdmin):
    list_display = ("project", "month", "investment_month", "stage_reached", "submitted_at")
    list_filter = ("month",)


@admin.register(ProjectSettings)
class ProjectSettingsAdmin(ReadOnlyAdmin):
    list_display = ("programme", "progress_due_day")
