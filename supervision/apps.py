from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Registrations with the layers below: notification kinds, scheduled jobs, panels.
        from . import jobs, notices, panels  # noqa: F401
