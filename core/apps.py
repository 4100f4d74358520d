from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("组织与人员")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from . import audit

        # Failed sign-ins go into the audit trail (the page and the API token endpoint alike).
        user_login_failed.connect(
            audit.record_sign_in_failed, dispatch_uid="core.audit.sign_in_failed"
        )
