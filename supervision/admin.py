"""Admin for tickets and their settings.

Tickets, their events, extension requests and attachments are read-only here: every change of a
ticket goes through supervision.services, so the timeline stays complete. The holiday table and
the per-category time limits can be edited (the settings page is the usual place).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import notification_services
from .choices import DeliveryState
from .models import (
    CalendarDay,
    CalendarFeed,
    CategorySetting,
    ExtensionRequest,
    JobRun,
    Notification,
    NotificationPreference,
    Ticket,
    TicketAttachment,
    TicketEvent,
    WebhookDelivery,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class CategorySettingAdmin(admin.ModelAdmin):
    list_display = ("category", "normal_days", "urgent_days", "critical_days", "default_unit")
    list_select_related = ("default_unit",)
    autocomplete_fields = ("default_unit",)

    def has_add_permission(self, request):
        return False  # one row per category, created by a migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
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


# --- Notifications ----------------------------------------------------------------------------
# Inbox rows and robot pushes are written by supervision.notifications and changed only by its
# senders (or the retry below), so they are read-only here; preferences may be edited.


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "subject",
        "recipient",
        "kind",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
    )
    list_filter = ("kind", "email_state", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("subject", "body", "object_key", "recipient__username", "recipient__email")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    actions = ["retry_email"]

    @admin.action(description=_("重新发送失败的邮件"))
    def retry_email(self, request, queryset):
        count = sum(
            notification_services.notification_email_retry(notification=row)
            for row in queryset.filter(email_state=DeliveryState.FAILED)
        )
        self.message_user(
            request, gettext("已重新发送 %(count)d 封邮件。") % {"count": count}, messages.SUCCESS
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "kind", "object_key", "created_at", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("object_key", "unit__name", "error")
    date_hierarchy = "created_at"
    list_select_related = ("unit",)
    actions = ["retry"]

    @admin.action(description=_("重新推送失败的消息"))
    def retry(self, request, queryset):
        count = sum(
            notification_services.webhook_delivery_retry(delivery=row)
            for row in queryset.filter(state=DeliveryState.FAILED)
        )
        self.message_user(
            request, gettext("已重新推送 %(count)d 条消息。") % {"count": count}, messages.SUCCESS
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email")
    list_filter = ("kind", "email")
    search_fields = ("user__username", "user__email", "user__profile__name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """The token is a secret: never shown; the only change is a reset (new token)."""

    list_display = ("user", "created_at")
    search_fields = ("user__username", "user__profile__name")
    list_select_related = ("user",)
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")
    actions = ["reset"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重置订阅地址(原地址失效)"))
    def reset(self, request, queryset):
        for feed in queryset.select_related("user"):
            notification_services.calendar_feed_reset(user=feed.user)
        self.message_user(
            request,
            gettext("已重置 %(count)d 个日历订阅地址。") % {"count": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "last_started_at", "last_finished_at", "last_result")
    search_fields = ("name", "last_result")
