from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("企业")

    def ready(self):
        # A province's registry is too long for a dropdown: filters search it through the API.
        from core.widgets import register_remote_search

        from .models import Enterprise

        register_remote_search(Enterprise, "api-enterprise-list", "q")
