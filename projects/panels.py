"""Panels on the project page (core.panels): the approval formalities as a flow."""

from core.panels import register_panel

from .selectors.formalities import STUCK, formality_flow, formality_template_list
from .services.formalities import may_run_formalities


def formality_panel(request, project) -> dict:
    """The chain in order with each formality's status; whoever runs the chain (office, leader,
    team) sets it up from a template, records formalities and turns a stuck one into a ticket
    (supervision's view checks again). An agent may record their own formality."""
    user = request.user
    flow = formality_flow(user=user, project=project)
    may_run = bool(may_run_formalities(user, project))
    return {
        "project": project,
        "flow": flow,
        "stuck_count": sum(1 for row in flow if row["status"] == STUCK),
        "may_run": may_run,
        "may_raise": may_run,
        "templates": formality_template_list(user=user) if may_run else [],
    }


register_panel(
    "project-detail",
    order=5,  # before the tickets (supervision, 10)
    template="projects/formalities/flow.html",
    context=formality_panel,
)
