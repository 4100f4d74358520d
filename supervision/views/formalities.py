"""One action from an approval formality stuck past its time limit: a ticket form prefilled
(category 审批, the formality, its unit and deadline in the text) and linked to the formality
and its project. A formality already turned into a ticket goes to that ticket."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise
from projects.selectors.formalities import project_formality_list
from projects.services.formalities import may_update_formality

from ..choices import Category
from ..models import Ticket
from .tickets import TicketCreateView


class TicketFromFormalityView(TicketCreateView):
    title = gettext_lazy("审批手续超期转为诉求")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.formality = get_object_or_404(
            project_formality_list(user=request.user).select_related("project__enterprise"),
            pk=kwargs["formality_pk"],
        )
        existing = Ticket.objects.filter(project_formality=self.formality).first()
        if existing is not None:
            messages.info(
                request, _("该审批手续已转为诉求 %(number)s。") % {"number": existing.number}
            )
            return redirect("ticket-detail", pk=existing.pk)
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        verdict = may_update_formality(self.request.user, self.formality)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        return True

    @cached_property
    def enterprises(self):
        return Enterprise.objects.filter(pk=self.formality.project.enterprise_id)

    @cached_property
    def chosen_enterprise(self):
        return self.enterprises.first()

    def get_initial(self):
        initial = super().get_initial()
        formality = self.formality
        values = {
            "project": formality.project.name,
            "name": formality.name,
            "deadline": formality.deadline.isoformat() if formality.deadline else "",
            "days": (timezone.localdate() - formality.deadline).days if formality.deadline else 0,
            "unit": formality.responsible_unit.name if formality.responsible_unit else _("未定"),
        }
        initial["category"] = Category.APPROVALS
        initial["title"] = _("%(project)s%(name)s手续超期未办结") % values
        initial["description"] = (
            _(
                "%(project)s的%(name)s手续（责任单位：%(unit)s）应于 %(deadline)s 前办结，"
                "已超期 %(days)s 天，请协调办理。"
            )
            % values
        )
        return initial

    def get_cancel_url(self):
        return f"{reverse('project-detail', args=[self.formality.project_id])}#formalities"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "subtitle",
            _("来自 %(project)s 的审批手续“%(name)s”")
            % {"project": self.formality.project.name, "name": self.formality.name},
        )
        context = super().get_context_data(**kwargs)
        if self.chosen_enterprise is None:
            context["form"].add_error(None, _("该项目没有登记投资企业，无法提出企业诉求。"))
        return context
