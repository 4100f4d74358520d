"""What stationing adds to pages of the apps below it (see core.panels)."""

from core.panels import register_panel

from .selectors import assignment_list


def enterprise_assignments(request, enterprise) -> dict:
    """The cadres stationed at an enterprise, as far as the user may see assignments."""
    assignments = (
        assignment_list(user=request.user)
        .filter(enterprise=enterprise)
        .order_by("-programme__start_date", "cadre__sort_key", "pk")
    )
    return {"assignments": assignments}


register_panel(
    "enterprise-detail",
    order=10,
    template="stationing/organisation/panels/enterprise_assignments.html",
    context=enterprise_assignments,
)
