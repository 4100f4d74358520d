"""Pages of the approval formalities (审批手续代办): the office's templates, a project's chain
(set up from a template, each formality recorded), and the flow panel of the project page
(templates/projects/formalities/flow.html, rendered by the formality_flow tag)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.views import OfficeRequiredMixin, PortalLoginRequiredMixin, ServiceFormView

from ..forms.formalities import FormalityForm, FormalityStepForm, InstantiateForm
from ..models import FormalityStep
from ..selectors import project_list
from ..selectors.formalities import formality_template_list, project_formality_list
from ..services.formalities import (
    formality_step_delete,
    formality_step_save,
    formality_update,
    may_edit_templates,
    may_run_formalities,
    may_update_formality,
    project_formalities_instantiate,
)

TEMPLATES_TITLE = gettext_lazy("审批手续模板")


def _templates_crumb():
    return (str(TEMPLATES_TITLE), reverse("formality-templates"))


class FormalityTemplateListView(PortalLoginRequiredMixin, TemplateView):
    """Every kind's chain with its steps; the office edits them here."""

    template_name = "projects/formalities/templates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["templates"] = formality_template_list(user=self.request.user)
        context["may_edit"] = bool(may_edit_templates(self.request.user))
        context["title"] = TEMPLATES_TITLE
        context["breadcrumbs"] = [(str(TEMPLATES_TITLE), "")]
        return context


class FormalityStepCreateView(OfficeRequiredMixin, ServiceFormView):
    form_class = FormalityStepForm
    title = gettext_lazy("添加手续")

    @cached_property
    def template(self):
        return get_object_or_404(
            formality_template_list(user=self.request.user), kind=self.kwargs["kind"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", str(self.template))
        return super().get_context_data(**kwargs)

    def get_breadcrumb_parents(self):
        return [_templates_crumb()]

    def get_cancel_url(self):
        return reverse("formality-templates")

    def perform(self, form):
        data = form.cleaned_data
        return formality_step_save(
            template=self.template,
            by=self.request.user,
            name=data["name"],
            time_limit_days=data["time_limit_days"],
            default_unit=data["default_unit"],
            position=data.get("position"),
            note=data["note"],
        )

    def get_success_url_for(self, obj):
        return f"{reverse('formality-templates')}#template-{self.template.kind}"


class FormalityStepUpdateView(FormalityStepCreateView):
    title = gettext_lazy("修改手续")

    @cached_property
    def step(self):
        return get_object_or_404(
            FormalityStep.objects.select_related("template"), pk=self.kwargs["pk"]
        )

    @cached_property
    def template(self):
        return self.step.template

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.step}

    def perform(self, form):
        data = form.cleaned_data
        return formality_step_save(
            template=self.template,
            step=self.step,
            by=self.request.user,
            name=data["name"],
            time_limit_days=data["time_limit_days"],
            default_unit=data["default_unit"],
            position=data.get("position"),
            note=data["note"],
        )


class FormalityStepDeleteView(OfficeRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        step = get_object_or_404(FormalityStep, pk=pk)
        kind = step.template.kind
        formality_step_delete(step=step, by=request.user)
        messages.success(request, _("已删除“%(name)s”。") % {"name": step.name})
        return redirect(f"{reverse('formality-templates')}#template-{kind}")


class FormalityInstantiateView(PortalLoginRequiredMixin, View):
    """Set up (or extend) a project's chain from the template of its kind."""

    http_method_names = ["post"]

    def post(self, request, pk):
        project = get_object_or_404(project_list(user=request.user), pk=pk)
        may_run_formalities(request.user, project).check()
        form = InstantiateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择项目类型。"))
        else:
            created = project_formalities_instantiate(
                project=project, template=form.cleaned_data["template"], by=request.user
            )
            messages.success(request, _("已生成%(count)s项审批手续。") % {"count": len(created)})
        return redirect(f"{reverse('project-detail', args=[project.pk])}#formalities")


class FormalityUpdateView(ServiceFormView):
    form_class = FormalityForm
    title = gettext_lazy("办理审批手续")

    @cached_property
    def formality(self):
        formality = get_object_or_404(
            project_formality_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        may_update_formality(self.request.user, formality).check()
        return formality

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.formality, "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", f"{self.formality.project.name} · {self.formality.name}")
        return super().get_context_data(**kwargs)

    def project_url(self):
        return f"{reverse('project-detail', args=[self.formality.project_id])}#formalities"

    def get_breadcrumb_parents(self):
        return [(self.formality.project.name, self.project_url())]

    def get_cancel_url(self):
        return self.project_url()

    def perform(self, form):
        return formality_update(
            formality=self.formality,
            by=self.request.user,
            expected_version=self.expected_version(form),
            **self.service_fields(form),
        )

    def get_success_url_for(self, obj):
        return self.project_url()
