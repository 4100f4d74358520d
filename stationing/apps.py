from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationingConfig(AppConfig):
    name = "stationing"
    verbose_name = _("驻企工作")

    def ready(self):
        # Registrations with the layers below: notification kinds, scheduled jobs, and the
        # panel this app adds to the enterprise page.
        from core.models import Profile, Unit
        from core.widgets import register_remote_search

        from . import jobs, notices, panels  # noqa: F401

        # The units API (this app's) searches a long unit choice, such as a province's regions.
        register_remote_search(Unit, "api-unit-list", "q")
        # The cadres API searches the cadre choices of the report, stationing and plan filters
        # (a province's 10,000 cadres took two seconds to render as options); the only person
        # choices that are searched (ScopedSelect) are cadre choices.
        register_remote_search(Profile, "api-cadre-list", "q")
