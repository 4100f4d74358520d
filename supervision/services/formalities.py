"""Tickets from approval formalities stuck past their time limit (projects' 代办制, seed 004).

The one action mirrors a half-month report's problem line: the page prefills the ticket
(category 审批, the formality and its deadline in the text) and services.tickets.ticket_create
links it to the formality and its project. This module holds the rule it checks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import KeyProject, ProjectFormality
from projects.selectors.formalities import stuck_q
from projects.services.formalities import may_update_formality

from ..models import Ticket


def check_formality_ticket(formality: ProjectFormality, by, enterprise) -> KeyProject:
    """May `by` raise a ticket from `formality` for `enterprise`? Returns the project.

    1. Who: whoever may record the formality (office, responsible leader, team, its agent).
    2. What: a formality 办理中 past its deadline, not already a ticket.
    3. For whom: the project's investing enterprise (a project without one cannot raise a
       ticket: the closed loop feeds back to an enterprise).
    """
    formality = (
        ProjectFormality.objects.select_for_update().select_related("project").get(pk=formality.pk)
    )
    verdict = may_update_formality(by, formality)
    if not verdict:
        raise PermissionDenied(verdict.reason)
    existing = Ticket.objects.filter(project_formality=formality).first()
    if existing is not None:
        raise ValidationError(
            _("该审批手续已转为诉求 %(number)s。") % {"number": existing.number}, code="duplicate"
        )
    if not ProjectFormality.objects.filter(stuck_q(timezone.localdate()), pk=formality.pk).exists():
        raise ValidationError(_("只有超过办理时限仍未办结的审批手续可以转为诉求。"))
    project = formality.project
    if project.enterprise_id is None:
        raise ValidationError(_("该项目没有登记投资企业，无法提出企业诉求。"))
    if project.enterprise_id != enterprise.pk:
        raise ValidationError({"enterprise": _("诉求应以该项目的投资企业提出。")})
    return project
