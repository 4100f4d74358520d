from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Registrations with the layers below: notification kinds and scheduled jobs.
        from . import jobs, notices  # noqa: F401
