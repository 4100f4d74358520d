from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Registrations with the layers below: notification kinds, scheduled jobs, panels, and
        # the official calendar for approval formalities' time limits (projects, a layer below,
        # cannot read it).
        from projects.services.formalities import use_working_days

        from . import jobs, notices, panels  # noqa: F401
        from .workdays import add_working_days

        use_working_days(add_working_days)
