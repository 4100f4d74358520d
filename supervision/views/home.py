"""The home page (/): who the user is and what waits for them.

It lives in supervision, the top layer, because its to-do spans both apps: tickets here, work
plans and half-month reports in stationing (supervision.selectors.todo counts them).
"""

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from core.choices import Role
from core.permissions import is_office
from core.roles import actor_for
from core.selectors import profile_for
from core.views import PortalLoginRequiredMixin
from enterprises.selectors import enterprise_list
from stationing.permissions import (
    may_edit_report,
    may_edit_work_plan,
    may_see_overview,
    may_write_plan,
    may_write_report,
)
from stationing.selectors import (
    assignment_list,
    cadre_list,
    cadre_stationing_todo,
    programme_list,
)

from .. import permissions, selectors
from .tickets import annotate_clock


class HomeView(PortalLoginRequiredMixin, TemplateView):
    """One home page; each role sees who they are and what to do next: the office its to-do
    (tickets to accept, objections and extensions to decide, red and yellow tickets, plans and
    reports waiting), a department its unit's, a leader the tickets they are in charge of."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actor = actor_for(user)
        context["profile"] = profile_for(user=user)
        context.update(
            console=None,
            cadre_home=None,
            department_home=None,
            enterprise_home=None,
            leader_home=None,
            cockpit_url="",
        )
        todo = []
        if is_office(user):
            todo += selectors.office_todo(user=user)
            # The office console: the office starts its day on its home, so today's work stays
            # in one place rather than on a second page one click away.
            context["console"] = selectors.office_console(user=user)
        if actor.has(Role.LEADER):
            todo += selectors.leader_todo(user=user)
        context["office_todo"] = todo
        context["department_todo"] = (
            selectors.department_todo(user=user) if permissions.may_use_inbox(user) else []
        )
        if permissions.may_use_inbox(user):
            context["department_home"] = home = selectors.department_home(user=user)
            annotate_clock(home["tickets"])
        if actor.has(Role.LEADER):
            context["leader_home"] = home = selectors.leader_home(user=user)
            annotate_clock(home["tickets"])
            context["cockpit_url"] = cockpit_url(home["groups"])
        if may_see_overview(user):
            programmes = programme_list(user=user)
            context["programmes"] = programmes[:10]
            context["counts"] = {
                "programmes": programmes.count(),
                # Both in one read of a province's 10,000 enterprises.
                **enterprise_list(user=user).aggregate(
                    enterprises=Count("pk"), key_enterprises=Count("pk", filter=Q(is_key=True))
                ),
                "cadres": cadre_list(user=user).count(),
                "assignments": assignment_list(user=user).count(),
            }
        if actor.has(Role.CADRE):
            context["my_assignments"] = cadre_assignments(user, actor.profile_id)
            context["my_results"] = latest_published_results(user)
            context["cadre_home"] = home = selectors.cadre_home(user=user)
            annotate_clock(home.tickets)
        if actor.has(Role.ENTERPRISE) and actor.enterprise_id:
            context["my_enterprise"] = (
                enterprise_list(user=user).filter(pk=actor.enterprise_id).first()
            )
            context["enterprise_home"] = home = selectors.enterprise_home(user=user)
            annotate_clock(home["tickets"])
        return context


def cockpit_url(groups) -> str:
    """The leadership cockpit filtered to the work group the leader leads, when the cockpit
    exists (its URL name `dashboard`); with several groups, the whole cockpit."""
    try:
        url = reverse("dashboard")
    except NoReverseMatch:
        return ""
    if len(groups) == 1:
        return (
            f"{url}?{urlencode({'programme': groups[0].programme_id, 'work_group': groups[0].pk})}"
        )
    return url


def latest_published_results(user) -> list:
    """The cadre's latest published appraisal result in each programme (a rerun after a review
    is a newer one of the same programme)."""
    latest = {}
    for result in selectors.own_published_results(user=user):
        latest.setdefault(result.run.programme_id, result)
    return list(latest.values())


def cadre_assignments(user, profile_id) -> list:
    """The cadre's stationings; an active one carries `todo` (stationing.selectors'
    cadre_stationing_todo: this period's report and the plan) with what the cadre may do about
    each: fill the report in (填报) or only read it (查看), write the plan or only read it."""
    assignments = list(assignment_list(user=user).filter(cadre_id=profile_id))
    todo = {row.assignment.pk: row for row in cadre_stationing_todo(user=user)}
    for assignment in assignments:
        row = todo.get(assignment.pk)
        assignment.todo = row
        if row is None:
            continue
        for entry in row.periods:
            entry.can_write = bool(
                may_edit_report(user, entry.report)
                if entry.report is not None
                else may_write_report(user, assignment)
            )
        row.can_write_plan = bool(
            may_edit_work_plan(user, row.plan)
            if row.plan is not None
            else may_write_plan(
                user, programme_id=assignment.programme_id, enterprise_id=assignment.enterprise_id
            )
        )
    return assignments
