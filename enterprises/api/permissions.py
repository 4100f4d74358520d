"""API permission classes for enterprise data; the predicates live in enterprises.permissions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from enterprises.permissions import (
    RECORD_REASON,
    may_edit_enterprise,
    may_record_enterprise_data,
    may_record_some_enterprise_data,
)


class RecordsEnterpriseData(BasePermission):
    """Surveys and indicators: the office, or a cadre for the enterprises they are stationed at.

    Which enterprise a new record may name is checked by the serializer (an enterprise the user
    may not record for is an invalid choice); here only who may write at all, and for an
    existing record, whether this user may record for its enterprise.
    """

    message = RECORD_REASON

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(may_record_some_enterprise_data(request.user))

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return bool(may_record_enterprise_data(request.user, obj.enterprise_id))


class EditsEnterprises(BasePermission):
    """Enterprises: reads for any signed-in user (the selector scopes them), writes for those
    enterprises.permissions.may_edit_enterprise allows."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        verdict = may_edit_enterprise(request.user)
        self.message = verdict.reason
        return bool(verdict)
