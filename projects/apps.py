from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("重点项目")

    def ready(self):
        # Registrations with the layers below: notification kinds and scheduled jobs.
        from . import jobs, notices  # noqa: F401
