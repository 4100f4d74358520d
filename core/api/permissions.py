"""API permission classes shared by every app; the predicates live in each app's permissions.py."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.permissions import is_office


class OfficeWrites(BasePermission):
    """Reads for any signed-in user (the selector scopes them); writes for the office only."""

    message = _("只有督查室可以修改此数据。")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_office(request.user)
