"""API permission classes; the predicates themselves live in stationing.permissions."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from stationing.choices import Role
from stationing.permissions import can_manage_programme_data
from stationing.roles import actor_for
from stationing.selectors import assignment_list


class OfficeWrites(BasePermission):
    """Reads for any signed-in user (the selector scopes them); writes for the office only."""

    message = _("只有督查室可以修改此数据。")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_manage_programme_data(request.user)


def is_stationed_for(user, *, programme_id: int, enterprise_id: int) -> bool:
    """The user is a cadre stationed at this enterprise in this programme (plan writers)."""
    profile_id = actor_for(user).profile_id
    if profile_id is None:
        return False
    return (
        assignment_list(user=user)
        .filter(cadre_id=profile_id, programme_id=programme_id, enterprise_id=enterprise_id)
        .exists()
    )


def is_own_assignment(user, assignment) -> bool:
    """The report's writer is the assignment's own cadre, not a team-mate or the office."""
    profile_id = actor_for(user).profile_id
    return profile_id is not None and profile_id == assignment.cadre_id


class CadreWritesOfficeDecides(BasePermission):
    """Plans and reports: the cadres write, the office decides.

    - reads: any signed-in user; the selector scopes them (out of scope is a 404)
    - the view's `office_actions` (approve, return, review): the office only
    - other writes: cadres, and for an existing record only those `view.may_write(user, obj)`
      allows (the cadres stationed at the plan's enterprise, the report's own cadre)
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if view.action in view.office_actions:
            self.message = _("只有督查室可以审批和审阅。")
            return can_manage_programme_data(request.user)
        self.message = view.writer_message
        return actor_for(request.user).has(Role.CADRE)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action in view.office_actions:
            return True
        self.message = view.writer_message
        return view.may_write(request.user, obj)
