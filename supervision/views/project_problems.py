"""One action from a problem in a key project's monthly progress: the ticket form prefilled
with the problem and linked to it and its project (as a half-month report's problem line is).
A problem already turned into a ticket goes to that ticket."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise
from projects.permissions import may_raise_from_problem
from projects.selectors import project_problem_list

from ..models import Ticket
from .tickets import TicketCreateView


class TicketFromProjectProblemView(TicketCreateView):
    title = gettext_lazy("项目问题转为诉求")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project_problem = get_object_or_404(
            project_problem_list(user=request.user), pk=kwargs["problem_pk"]
        )
        existing = Ticket.objects.filter(project_problem=self.project_problem).first()
        if existing is not None:
            messages.info(request, _("该问题已转为诉求 %(number)s。") % {"number": existing.number})
            return redirect("ticket-detail", pk=existing.pk)
        if self.project.enterprise_id is None:
            # Nothing to fill in: a ticket needs the investing enterprise to answer to.
            messages.warning(request, _("该项目没有登记投资企业，无法提出企业诉求。"))
            return redirect(self.get_cancel_url())
        return super().dispatch(request, *args, **kwargs)

    @property
    def project(self):
        return self.project_problem.progress.project

    def has_permission(self):
        verdict = may_raise_from_problem(self.request.user, self.project)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        return True

    @cached_property
    def enterprises(self):
        return Enterprise.objects.filter(pk=self.project.enterprise_id)

    @cached_property
    def chosen_enterprise(self):
        return self.enterprises.first()

    def get_initial(self):
        initial = super().get_initial()
        description = self.project_problem.description
        initial["title"] = f"{self.project.name}：{description[:40]}"[:200]
        initial["description"] = description
        return initial

    def get_cancel_url(self):
        return f"{reverse('project-detail', args=[self.project.pk])}#progress"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "subtitle",
            _("来自 %(project)s %(month)s的月度进展")
            % {
                "project": self.project.name,
                "month": self.project_problem.progress.month.strftime("%Y-%m"),
            },
        )
        return super().get_context_data(**kwargs)
