from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("无需发送")
