"""API permission classes; the predicates themselves live in stationing.permissions."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from stationing.permissions import can_manage_programme_data


class OfficeWrites(BasePermission):
    """Reads for any signed-in user (the selector scopes them); writes for the office only."""

    message = _("只有督查室可以修改此数据。")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_manage_programme_data(request.user)
