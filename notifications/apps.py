from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知与定时任务")

    def ready(self):
        # core cannot import the engine (it is the lower layer), so its services announce a
        # first e-mail address with a signal and the engine resends what it skipped.
        from core.signals import user_email_added

        from .services import _on_email_added

        user_email_added.connect(_on_email_added, dispatch_uid="notifications-resend-skipped")
