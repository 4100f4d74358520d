"""Admin for the notification engine: inbox rows, robot pushes, preferences, calendar feeds and
job runs. Deliveries are read-only (the senders own them); the actions call the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyAdminMixin

from . import services as notification_services
from .choices import DeliveryState
from .models import CalendarFeed, JobRun, Notification, NotificationPreference, WebhookDelivery

# --- Notifications ----------------------------------------------------------------------------
# Inbox rows and robot pushes are written by notifications.delivery and changed only by its
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
class NotificationPreferenceAdmin(ReadOnlyAdmin):
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

    @admin.action(description=_("重置订阅地址（原地址失效）"))
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
