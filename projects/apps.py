from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("重点项目")

    def ready(self):
        # Registrations: notification kinds, scheduled jobs, the approval-formality panel and the
        # 重点项目 sheet of the Excel import.
        from . import imports, jobs, notices, panels  # noqa: F401
