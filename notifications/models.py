"""Notifications: the in-app inbox row is written first; e-mail and webhooks go out after commit.

A row is unique per (kind, object, period, recipient), so a reminder job that runs twice, or a
task delivered twice, finds the row already there and sends nothing more.

The tables keep the names they had when the engine lived in the supervision app.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DeliveryState
from .kinds import DEFAULT_RELEVANCE, kind_label


class KindLabelMixin:
    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def default_relevant_until():
    """For rows written without notify() (the admin, tests): the default rule of kinds.py."""
    return timezone.now() + DEFAULT_RELEVANCE


class Notification(KindLabelMixin, models.Model):
    kind = models.CharField(_("类型"), max_length=32)
    object_key = models.CharField(_("对象"), max_length=64, help_text=_("如 report:12、ticket:7。"))
    period_key = models.CharField(
        _("期次"), max_length=64, blank=True, help_text=_("同一对象在不同期限各提醒一次。")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Until when the notice is worth e-mailing late, once a missing address is added: its kind's
    # rule (notifications.kinds), filled by notify(). Past it, a skipped e-mail stays skipped.
    relevant_until = models.DateTimeField(
        _("补发截止"),
        default=default_relevant_until,
        help_text=_("收件人补填邮箱后，此时间之前的通知才补发邮件。"),
    )
    email_state = models.CharField(
        _("邮件状态"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
        db_index=True,
    )
    email_attempts = models.PositiveSmallIntegerField(_("邮件尝试次数"), default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    # "<worker name>:<pid>" of the process sending it (delivery.claimer); "" outside a worker.
    email_claimed_by = models.CharField(max_length=255, blank=True)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_error = models.TextField(_("邮件错误"), blank=True)

    class Meta:
        db_table = "supervision_notification"
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "period_key", "recipient"],
                name="notification_once_per_recipient",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class WebhookDelivery(KindLabelMixin, models.Model):
    """A JSON POST to a unit's chat robot (企业微信/钉钉), one per (kind, object, period, unit)."""

    kind = models.CharField(_("类型"), max_length=32)
    object_key = models.CharField(_("对象"), max_length=64)
    period_key = models.CharField(_("期次"), max_length=64, blank=True)
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("地址"), max_length=500)
    payload = models.JSONField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        db_table = "supervision_webhookdelivery"
        verbose_name = _("机器人推送")
        verbose_name_plural = _("机器人推送")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "period_key", "unit"], name="webhook_once_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.kind} {self.object_key}"


class NotificationPreference(models.Model):
    """E-mail can be switched off per kind; the in-app inbox always gets everything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(_("类型"), max_length=32)
    email = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        db_table = "supervision_notificationpreference"
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.email}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret of a user's iCalendar feed URL; resetting it makes old URLs stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "supervision_calendarfeed"
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return f"{self.user_id}"


class JobRun(models.Model):
    """When each scheduled job last ran, so `run_due_jobs` and beat share one notion of due."""

    name = models.CharField(max_length=64, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)

    class Meta:
        db_table = "supervision_jobrun"
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")

    def __str__(self):
        return self.name
