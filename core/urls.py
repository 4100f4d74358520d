"""Password pages under /password/ (config/urls.py): Django's own auth views with the portal's
Chinese templates and forms.

- 忘记密码: /password/reset/ asks for the registered e-mail address and answers the same whether
  or not it is known; people without an address are told to ask the office.
- /password/reset/<uidb64>/<token>/: the link in the e-mail (also sent when the office resets
  the password of someone who has an address, core.services.user_password_reset).
- /password/change/: a signed-in user changes their own password (after a temporary one).
- /password/token/ (API 令牌): a signed-in user gets, replaces or revokes their API token.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import PasswordResetRequestForm, PortalPasswordChangeForm, PortalSetPasswordForm
from .views import ApiTokenView

urlpatterns = [
    path(
        "reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            template_name="registration/password_reset_form.html",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=PortalSetPasswordForm,
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "change/",
        auth_views.PasswordChangeView.as_view(
            form_class=PortalPasswordChangeForm,
            template_name="registration/password_change_form.html",
            success_url=reverse_lazy("password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("token/", ApiTokenView.as_view(), name="api_token"),
]
