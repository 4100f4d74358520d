"""Key project pages: the list (and 我的项目), the project page, register/edit (office), stage
moves and milestones.

Reads go through projects.selectors (scoped: out of scope is a 404), writes through
projects.services; a page the user's role may not use is a 403.
"""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.exports import Column
from core.panels import render_panels
from core.views import (
    FilteredListView,
    PortalLoginRequiredMixin,
    RoleRequiredMixin,
    ServiceFormView,
    ServiceUpdateView,
)

from .. import services
from ..choices import Colour, Stage
from ..filtersets import KeyProjectFilterSet
from ..forms import (
    MilestoneCreateForm,
    MilestoneUpdateForm,
    ProjectCreateForm,
    ProjectUpdateForm,
    StageMoveForm,
)
from ..models import ProjectMember, ProjectProblem
from ..permissions import (
    may_file_progress,
    may_manage_projects,
    may_move_stage,
    may_raise_from_problem,
    may_record_milestone,
    milestone_colour,
)
from ..selectors import (
    investment_curve,
    milestone_list,
    my_project_list,
    progress_list,
    progress_status,
    project_list,
    project_stage_chain,
    stage_move_list,
    stage_rank,
    with_figures,
)

LIST_CRUMB = (_("重点项目"), reverse_lazy("project-list"))

PROJECT_EXPORT_COLUMNS = [
    Column(_("项目名称"), "name", width=32),
    Column(_("驻企批次"), "programme.name"),
    Column(_("项目类别"), "get_category_display"),
    Column(_("产业链"), "industry_chain"),
    Column(_("当前阶段"), "get_stage_display"),
    Column(_("节点状态"), lambda p: Colour(p.colour).label),
    Column(_("包项领导"), lambda p: p.leader.profile.name if hasattr(p.leader, "profile") else ""),
    Column(_("牵头单位"), "lead_unit.name"),
    Column(_("所在地区"), "region.name"),
    Column(_("投资企业"), "enterprise.name"),
    Column(_("总投资（万元）"), "total_investment"),
    Column(_("计划年度"), "plan_year"),
    Column(_("年度计划投资（万元）"), "year_planned_investment"),
    Column(_("年度已完成投资（万元）"), "investment_this_year"),
    Column(_("累计完成投资（万元）"), "investment_to_date"),
    Column(_("滞后节点"), "late_milestones"),
    Column(_("待转诉求的问题"), "open_problems"),
    Column(_("计划开工日期"), "start_date"),
    Column(_("计划竣工日期"), "end_date"),
]


class ProjectListView(FilteredListView):
    template_name = "projects/projects/project_list.html"
    filterset_class = KeyProjectFilterSet
    context_object_name = "projects"
    title = _("重点项目")
    sort_fields = {
        "name": (_("项目名称"), ("sort_key",)),
        "stage": (_("当前阶段"), ("stage_rank",)),
        "investment": (_("总投资"), ("total_investment",)),
        "completed": (_("累计完成投资"), ("investment_to_date",)),
        "late": (_("滞后节点"), ("late_milestones",)),
    }
    export_columns = PROJECT_EXPORT_COLUMNS
    export_title = _("重点项目")

    def get_base_queryset(self):
        return self.annotate(project_list(user=self.request.user))

    @staticmethod
    def annotate(queryset):
        return with_figures(queryset).annotate(stage_rank=stage_rank())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["can_create"] = bool(may_manage_projects(self.request.user))
        context["mine"] = False
        return context


class MyProjectListView(ProjectListView):
    """我的项目: a leader's 包项 projects and a team member's, with the same columns."""

    title = _("我的项目")

    def get_base_queryset(self):
        return self.annotate(my_project_list(user=self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mine"] = True
        return context


def stage_flow(chain: list[str], current: str) -> list[dict]:
    labels = dict(Stage.choices)
    index = chain.index(current) if current in chain else -1
    return [
        {
            "value": stage,
            "label": labels[stage],
            "state": "done" if i < index else ("current" if i == index else "ahead"),
        }
        for i, stage in enumerate(chain)
    ]


def project_crumbs(project) -> list:
    return [LIST_CRUMB, (project.name, reverse("project-detail", args=[project.pk]))]


class ProjectDetailView(PortalLoginRequiredMixin, DetailView):
    template_name = "projects/projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return with_figures(project_list(user=self.request.user)).prefetch_related(
            "co_units",
            Prefetch(
                "memberships",
                queryset=ProjectMember.objects.select_related("profile__unit"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.object
        today = timezone.localdate()
        chain = project_stage_chain(project)
        milestones = list(
            milestone_list(user=user).filter(project=project).order_by("planned_date", "pk")
        )
        for milestone in milestones:
            milestone.colour = milestone_colour(milestone, today)
        problems = ProjectProblem.objects.annotate(
            ticket_pk=F("ticket__pk"), ticket_number=F("ticket__number")
        ).order_by("position", "pk")
        progress = list(
            progress_list(user=user)
            .filter(project=project)
            .prefetch_related(Prefetch("problems", queryset=problems), "milestones_met")
            .order_by("-month")
        )
        can_move = bool(may_move_stage(user, project))
        context.update(
            {
                "title": project.name,
                "breadcrumbs": [LIST_CRUMB, (project.name, "")],
                "flow": stage_flow(chain, project.stage),
                "milestones": milestones,
                "progress_rows": progress,
                "status": progress_status(project),
                "curve": investment_curve(project, progress),
                "stage_moves": stage_move_list(user=user, project=project).order_by("-at", "-pk"),
                "stage_form": (
                    StageMoveForm(chain=chain, initial={"version": project.version})
                    if can_move
                    else None
                ),
                "can_edit": bool(may_manage_projects(user)),
                "can_file": bool(may_file_progress(user, project)),
                "can_record": bool(may_record_milestone(user, project)),
                # A ticket is an enterprise's: without an investing enterprise the action would
                # only be refused (supervision.services.project_problems), so it is not offered.
                "can_raise": bool(may_raise_from_problem(user, project))
                and project.enterprise_id is not None,
                "panels": render_panels("project-detail", self.request, project),
            }
        )
        return context


class ProjectFormMixin(RoleRequiredMixin):
    fieldsets = [
        (
            _("基本信息"),
            ["programme", "name", "category", "industry_chain", "description"],
            "col-12",
        ),
        (
            _("投资（万元）"),
            ["total_investment", "plan_year", "year_planned_investment", "enterprise"],
            "col-12 col-md-6",
        ),
        (
            _("一个项目、一位领导、一支队伍"),
            ["leader", "lead_unit", "co_units", "region", "team_leader", "team_members"],
            "col-12 col-md-6",
        ),
        (_("进度"), ["stage", "start_date", "end_date"], "col-12 col-md-4"),
    ]
    breadcrumb_parents = (LIST_CRUMB,)

    def has_permission(self):
        may_manage_projects(self.request.user).check()
        return True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_success_url_for(self, obj):
        return reverse("project-detail", args=[obj.pk])


class ProjectCreateView(ProjectFormMixin, ServiceFormView):
    form_class = ProjectCreateForm
    title = _("登记重点项目")

    def get_cancel_url(self):
        return reverse("project-list")

    def perform(self, form):
        return services.project_create(by=self.request.user, **self.service_fields(form))


class ProjectUpdateView(ProjectFormMixin, ServiceUpdateView):
    form_class = ProjectUpdateForm
    title = _("修改重点项目")
    selector = project_list
    update_service = services.project_update
    object_kwarg = "project"
    detail_url_name = "project-detail"

    def get_breadcrumb_parents(self):
        return project_crumbs(self.object)

    def perform(self, form):
        return services.project_update(
            project=self.object,
            by=self.request.user,
            expected_version=self.expected_version(form),
            **self.service_fields(form, exclude=("programme",)),
        )


class ProjectObjectMixin(RoleRequiredMixin):
    """The project of the URL (`pk`), in the user's scope, else 404."""

    @cached_property
    def project(self):
        return get_object_or_404(project_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return reverse("project-detail", args=[self.project.pk])

    def get_breadcrumb_parents(self):
        return project_crumbs(self.project)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", self.project.name)
        return super().get_context_data(**kwargs)


class StageMoveView(ProjectObjectMixin, ServiceFormView):
    """The stage form of the project page; shown on its own page only when it has errors."""

    form_class = StageMoveForm
    title = _("变更项目阶段")

    def has_permission(self):
        may_move_stage(self.request.user, self.project).check()
        return True

    def get(self, request, *args, **kwargs):
        return redirect("project-detail", pk=self.project.pk)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["chain"] = project_stage_chain(self.project)
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.project_move_stage(
            project=self.project,
            by=self.request.user,
            to_stage=data["to_stage"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    def get_success_url_for(self, obj):
        return reverse("project-detail", args=[obj.pk])


class MilestoneCreateView(ProjectObjectMixin, ServiceFormView):
    form_class = MilestoneCreateForm
    title = _("添加项目节点")
    fieldsets = [(None, ["title", "planned_date", "actual_date", "note"], "col-12 col-md-6")]

    def has_permission(self):
        may_manage_projects(self.request.user).check()
        return True

    def perform(self, form):
        return services.milestone_add(
            project=self.project, by=self.request.user, **self.service_fields(form)
        )

    def get_success_url_for(self, obj):
        return reverse("project-detail", args=[self.project.pk]) + "#milestones"


class MilestoneUpdateView(RoleRequiredMixin, ServiceFormView):
    form_class = MilestoneUpdateForm
    title = _("修改项目节点")
    fieldsets = [(None, ["title", "planned_date", "actual_date", "note"], "col-12 col-md-6")]

    @cached_property
    def milestone(self):
        return get_object_or_404(milestone_list(user=self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def office(self) -> bool:
        return bool(may_manage_projects(self.request.user))

    def has_permission(self):
        may_record_milestone(self.request.user, self.milestone.project).check()
        return True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.milestone, office=self.office)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", f"{self.milestone.project} · {self.milestone}")
        return super().get_context_data(**kwargs)

    def get_cancel_url(self):
        return reverse("project-detail", args=[self.milestone.project_id]) + "#milestones"

    def get_breadcrumb_parents(self):
        return project_crumbs(self.milestone.project)

    def perform(self, form):
        fields = self.service_fields(form)
        if not self.office:
            fields = {"actual_date": fields.get("actual_date")}
        return services.milestone_update(
            milestone=self.milestone,
            by=self.request.user,
            expected_version=self.expected_version(form),
            **fields,
        )

    def get_success_url_for(self, obj):
        return self.get_cancel_url()
