"""API permission classes for enterprise data; the predicates live in enterprises.permissions."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.choices import Role
from core.permissions import is_office
from core.roles import actor_for
from enterprises.permissions import can_record_enterprise_data


class RecordsEnterpriseData(BasePermission):
    """Surveys and indicators: the office, or a cadre for the enterprises they are stationed at.

    Which enterprise a new record may name is checked by the serializer (an enterprise the user
    may not record for is an invalid choice); here only who may write at all, and for an
    existing record, whether this user may record for its enterprise.
    """

    message = _("只有督查室或该企业的驻企干部可以填报。")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return is_office(request.user) or actor_for(request.user).has(Role.CADRE)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return can_record_enterprise_data(request.user, obj.enterprise_id)
