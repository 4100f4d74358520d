"""The team's monthly progress form (made for a phone)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.views import ServiceFormView

from .. import services
from ..forms import ProgressForm
from ..permissions import may_file_progress
from ..selectors import progress_status, project_stage_chain
from .projects import ProjectObjectMixin


class ProgressCreateView(ProjectObjectMixin, ServiceFormView):
    form_class = ProgressForm
    title = _("报送月度进展")
    template_name = "projects/progress/progress_form.html"
    fieldsets = [
        (None, ["month", "investment_month", "stage_reached"], "col-12 col-md-4"),
        (None, ["milestones_met"], "col-12"),
        (None, ["work_done", "problems", "next_steps"], "col-12"),
    ]
    success_message = _("月度进展已报送。")

    def has_permission(self):
        may_file_progress(self.request.user, self.project).check()
        return True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["chain"] = project_stage_chain(self.project)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        self.status = progress_status(self.project)
        initial["month"] = self.status["to_file"]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = getattr(self, "status", None) or progress_status(self.project)
        context["status"] = status
        context["due_at"] = formats.date_format(status["to_file_due_at"], "Y-m-d H:i")
        return context

    def perform(self, form):
        data = self.service_fields(form)
        return services.progress_submit(project=self.project, by=self.request.user, **data)

    def get_success_url_for(self, obj):
        return reverse("project-detail", args=[self.project.pk]) + "#progress"
