from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationingConfig(AppConfig):
    name = "stationing"
    verbose_name = _("驻企工作")
