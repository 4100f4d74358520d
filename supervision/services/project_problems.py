"""Tickets from the problems in a key project's monthly progress (projects' ProjectProblem).

The same one action as a half-month report's problem line: the page prefills the ticket with
the problem and services.tickets.ticket_create links it to the problem and its project, so the
ticket names the project (Ticket.project) and the problem its ticket (ProjectProblem.ticket).
This module holds the rule it checks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from projects.models import KeyProject, ProjectProblem
from projects.permissions import may_raise_from_problem

from ..models import Ticket


def check_problem_ticket(problem: ProjectProblem, by, enterprise) -> KeyProject:
    """May `by` raise a ticket from `problem` for `enterprise`? Returns the project.

    1. Who: the project's team or the office (projects.permissions.may_raise_from_problem).
    2. What: a problem not already a ticket.
    3. For whom: the project's investing enterprise (a project without one cannot raise a
       ticket: the closed loop feeds back to an enterprise).
    """
    problem = (
        ProjectProblem.objects.select_for_update()
        .select_related("progress__project")
        .get(pk=problem.pk)
    )
    project = problem.progress.project
    verdict = may_raise_from_problem(by, project)
    if not verdict:
        raise PermissionDenied(verdict.reason)
    existing = Ticket.objects.filter(project_problem=problem).first()
    if existing is not None:
        raise ValidationError(
            _("该问题已转为诉求 %(number)s。") % {"number": existing.number}, code="duplicate"
        )
    if project.enterprise_id is None:
        raise ValidationError(_("该项目没有登记投资企业，无法提出企业诉求。"))
    if project.enterprise_id != enterprise.pk:
        raise ValidationError({"enterprise": _("诉求应以该项目的投资企业提出。")})
    return project
