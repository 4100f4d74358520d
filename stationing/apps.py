from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationingConfig(AppConfig):
    name = "stationing"
    verbose_name = _("驻企工作")

    def ready(self):
        # Registrations with the layers below: notification kinds, scheduled jobs, and the
        # panel this app adds to the enterprise page.
        from . import jobs, notices, panels  # noqa: F401
