"""API permission classes shared by every app; the predicates live in each app's permissions.py."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.permissions import is_office


class OfficeWrites(BasePermission):
    """Reads for any signed-in user (the selector scopes them); writes for the office only."""

    message = _("只有督查室可以修改此数据。")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_office(request.user)


class SignedInUnlessDebug(BasePermission):
    """The API schema and its docs page (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): open while
    developing (DEBUG on), for signed-in users only on a server. Read per request, so tests that
    switch DEBUG see the change."""

    message = _("请先登录。")

    def has_permission(self, request, view):
        return settings.DEBUG or bool(request.user and request.user.is_authenticated)
