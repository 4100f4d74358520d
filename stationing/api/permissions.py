"""API permission classes; the predicates themselves live in stationing.permissions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..permissions import is_cadre, may_decide, may_edit_unit, may_set_up


class SetsUp(BasePermission):
    """Programmes, work groups, cadres, assignments and units: reads for any signed-in user (the
    selector scopes them), writes for the office (may_set_up)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        verdict = may_set_up(request.user)
        self.message = verdict.reason
        return bool(verdict)


class EditsUnits(SetsUp):
    """Units are readable by everyone; the office edits those of its territory (may_edit_unit)."""

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        verdict = may_edit_unit(request.user, obj)
        self.message = verdict.reason
        return bool(verdict)


class CadreWritesOfficeDecides(BasePermission):
    """Plans and reports: the cadres write, the office decides.

    - reads: any signed-in user; the selector scopes them (out of scope is a 404)
    - the view's `office_actions` (approve, return, review): the office only
    - other writes: cadres, and for an existing record only those `view.may_write(user, obj)`
      allows (stationing.permissions: the cadres stationed at the plan's enterprise, the
      report's own cadre)
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if view.action in view.office_actions:
            verdict = may_decide(request.user)
            self.message = verdict.reason
            return bool(verdict)
        self.message = view.writer_message
        return bool(is_cadre(request.user))

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action in view.office_actions:
            return True
        verdict = view.may_write(request.user, obj)
        self.message = verdict.reason
        return bool(verdict)
