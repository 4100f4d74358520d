"""What supervision adds to pages of the apps below it (see core.panels)."""

from core.choices import Role
from core.panels import register_panel
from core.roles import actor_for
from stationing.selectors import assignment_list

from .forms.appraisal import CadreRatingForm
from .selectors import own_cadre_rating_list, ticket_list


def enterprise_cadre_ratings(request, enterprise) -> dict | None:
    """For the enterprise's own contact: each cadre stationed there (per programme) with the
    contact's latest rating and a form to rate them (1-5 stars). Nobody else sees the panel."""
    actor = actor_for(request.user)
    if not actor.has(Role.ENTERPRISE) or actor.enterprise_id != enterprise.pk:
        return None
    assignments = (
        assignment_list(user=request.user)
        .filter(enterprise=enterprise)
        .order_by("-programme__start_date", "cadre__sort_key", "pk")
    )
    latest = {}
    for rating in own_cadre_rating_list(user=request.user):
        latest.setdefault((rating.programme_id, rating.cadre_id), rating)
    rows, seen = [], set()
    for assignment in assignments:
        key = (assignment.programme_id, assignment.cadre_id)
        if key in seen:
            continue
        seen.add(key)
        rating = latest.get(key)
        rows.append(
            {
                "assignment": assignment,
                "rating": rating,
                "form": CadreRatingForm(
                    initial={
                        "cadre": assignment.cadre_id,
                        "programme": assignment.programme_id,
                        "stars": rating.stars if rating else None,
                    },
                    auto_id=f"rate-{assignment.pk}-%s",
                ),
            }
        )
    return {"rating_rows": rows}


register_panel(
    "enterprise-detail",
    order=20,
    template="supervision/appraisal/panels/enterprise_ratings.html",
    context=enterprise_cadre_ratings,
)


def project_tickets(request, project) -> dict:
    """The tickets of a key project (raised from its problems or formalities), as far as the
    user may see tickets."""
    tickets = ticket_list(user=request.user).filter(project=project).order_by("-created_at", "-pk")
    return {"project_tickets": list(tickets)}


register_panel(
    "project-detail",
    order=10,
    template="supervision/tickets/panels/project_tickets.html",
    context=project_tickets,
)
