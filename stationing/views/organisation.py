"""The programme, work group, cadre and assignment pages (the home page is supervision's).

Reads go through stationing.selectors (scoped), writes through stationing.services, list filters
through stationing.filtersets; the shared page behaviour is in stationing.web.
"""

from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from core import services as core_services
from core.exports import Column
from core.expressions import related_count
from core.inputs import parse_id
from core.permissions import may_reset_password
from core.roles import actor_for
from core.views import (
    FilteredListView,
    PortalLoginRequiredMixin,
    RoleRequiredMixin,
    ServiceFormView,
    ServiceUpdateView,
)
from stationing import services
from stationing.filtersets import AssignmentFilterSet, CadreFilterSet, ProgrammeFilterSet
from stationing.forms.organisation import (
    AssignmentCreateForm,
    AssignmentUpdateForm,
    CadreCreateForm,
    CadreUpdateForm,
    ProgrammeCreateForm,
    ProgrammeUpdateForm,
    WorkGroupCreateForm,
    WorkGroupUpdateForm,
)
from stationing.models import Assignment, WorkGroup
from stationing.permissions import may_see_overview, may_set_up
from stationing.selectors import assignment_list, cadre_list, programme_list, work_group_list

PROGRAMME_FIELDSETS = [
    (_("基本信息"), ["name", "organiser", "status"], "col-12"),
    (_("起止日期"), ["start_date", "end_date"], "col-6"),
    (_("报送要求"), ["report_cycle", "report_due_days", "plan_due_days"], "col-12 col-md-4"),
    (None, ["description"], "col-12"),
]


# --- Cadres -----------------------------------------------------------------------------------


def _stationed_at(cadre) -> str:
    return "、".join(assignment.enterprise.name for assignment in cadre.stationings)


CADRE_EXPORT_COLUMNS = [
    Column(_("姓名"), "name"),
    Column(_("手机号"), "phone"),
    Column(_("派出单位"), "unit.name", width=24),
    Column(_("职级"), "get_rank_display"),
    Column(_("职务"), "title"),
    Column(_("驻点企业"), _stationed_at, width=40),
]

ASSIGNMENT_EXPORT_COLUMNS = [
    Column(_("驻企批次"), "programme.name", width=24),
    Column(_("企业"), "enterprise.name", width=28),
    Column(_("所属区域"), "enterprise.region.name"),
    Column(_("驻企干部"), "cadre.name"),
    Column(_("派出单位"), "cadre.unit.name", width=24),
    Column(_("工作组"), "work_group.name"),
    Column(_("角色"), "get_role_display"),
    Column(_("开始日期"), "start_date"),
    Column(_("结束日期"), "end_date"),
]


class CadreListView(FilteredListView):
    template_name = "stationing/organisation/cadre_list.html"
    filterset_class = CadreFilterSet
    context_object_name = "cadres"
    # Names in natural (pinyin) order through sort_key, units in tree order.
    sort_fields = {
        "name": (_("姓名"), ("sort_key",)),
        "unit": (_("派出单位"), ("unit__tree_key",)),
    }
    default_sort = "name"
    export_columns = CADRE_EXPORT_COLUMNS
    export_title = _("驻企干部")

    def get_base_queryset(self):
        user = self.request.user
        # One extra query for every page, however many rows: the cadres' own stationings.
        stationings = assignment_list(user=user).order_by("-start_date")
        return (
            cadre_list(user=user)
            .prefetch_related(Prefetch("assignments", queryset=stationings, to_attr="stationings"))
            .order_by("sort_key", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = bool(may_set_up(self.request.user))
        return context


class CadreDetailView(PortalLoginRequiredMixin, DetailView):
    template_name = "stationing/organisation/cadre_detail.html"
    context_object_name = "cadre"

    def get_queryset(self):
        return cadre_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            assignment_list(user=self.request.user)
            .filter(cadre=self.object)
            .order_by("-start_date")
        )
        context["can_edit"] = bool(may_set_up(self.request.user))
        context["can_reset_password"] = bool(
            may_reset_password(self.request.user, self.object.user)
        )
        return context


class AssignmentListView(FilteredListView):
    """Every stationing the user may see, filtered (programme, unit, work group, enterprise…),
    sortable and exportable; the programme page links here with its programme chosen."""

    template_name = "stationing/organisation/assignment_list.html"
    filterset_class = AssignmentFilterSet
    context_object_name = "assignments"
    sort_fields = {
        "enterprise": (_("企业"), ("enterprise__sort_key",)),
        "cadre": (_("驻企干部"), ("cadre__sort_key",)),
        "unit": (_("派出单位"), ("cadre__unit__tree_key",)),
        "programme": (_("驻企批次"), ("programme__start_date", "programme__sort_key")),
        "work_group": (_("工作组"), ("work_group__sort_key",)),
        "start_date": (_("开始日期"), ("start_date",)),
    }
    export_columns = ASSIGNMENT_EXPORT_COLUMNS
    export_title = _("驻企安排")

    def get_base_queryset(self):
        return assignment_list(user=self.request.user)


class SetUpRequiredMixin(RoleRequiredMixin):
    """Pages that set up programmes, work groups, cadres and assignments (may_set_up)."""

    def has_permission(self) -> bool:
        may_set_up(self.request.user).check()
        return True


class UserFormKwargsMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class CadreCreateView(UserFormKwargsMixin, SetUpRequiredMixin, ServiceFormView):
    form_class = CadreCreateForm
    title = _("新增驻企干部")
    breadcrumb_parents = ((_("驻企干部"), reverse_lazy("cadre-list")),)

    def get_cancel_url(self):
        return reverse("cadre-list")

    def perform(self, form):
        return core_services.cadre_create(by=self.request.user, **self.service_fields(form))

    def get_success_url_for(self, obj):
        return reverse("cadre-detail", args=[obj.pk])


class CadreUpdateView(UserFormKwargsMixin, SetUpRequiredMixin, ServiceUpdateView):
    form_class = CadreUpdateForm
    title = _("修改驻企干部信息")
    breadcrumb_parents = ((_("驻企干部"), reverse_lazy("cadre-list")),)
    selector = cadre_list
    update_service = core_services.profile_update
    object_kwarg = "profile"
    detail_url_name = "cadre-detail"


class CadrePasswordResetView(SetUpRequiredMixin, View):
    """The office resets a cadre's password (POST, after the detail page's confirmation).

    The answer is rendered, not redirected to: a temporary password is shown this once and kept
    nowhere else (not in a message cookie), and the page is not cached."""

    http_method_names = ["post"]

    def post(self, request, pk):
        cadre = get_object_or_404(cadre_list(user=request.user).select_related("user"), pk=pk)
        result = core_services.user_password_reset(user=cadre.user, by=request.user)
        response = TemplateResponse(
            request,
            "stationing/organisation/cadre_password_reset.html",
            {"cadre": cadre, "result": result},
        )
        add_never_cache_headers(response)
        return response


# --- Programmes -------------------------------------------------------------------------------


class ProgrammeListView(FilteredListView):
    template_name = "stationing/organisation/programme_list.html"
    filterset_class = ProgrammeFilterSet
    context_object_name = "programmes"

    def get_base_queryset(self):
        return (
            programme_list(user=self.request.user)
            .annotate(
                work_group_count=related_count(WorkGroup, "programme"),
                assignment_count=related_count(Assignment, "programme"),
            )
            .order_by("-start_date", "sort_key", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = bool(may_set_up(self.request.user))
        return context


class ProgrammeDetailView(PortalLoginRequiredMixin, DetailView):
    template_name = "stationing/organisation/programme_detail.html"
    context_object_name = "programme"

    def get_queryset(self):
        return programme_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        """Each work group with its first GROUP_ROWS stationings and its size, a page of groups
        at a time; the counts by aggregate. A province's programme (200 groups, 10,000
        stationings) rendered every stationing: 10 s and 5 MB. The assignment list, linked from
        each group, holds them all, filtered and paged."""
        context = super().get_context_data(**kwargs)
        user = self.request.user
        programme = self.object
        stationed = assignment_list(user=user).filter(programme=programme).order_by()
        groups = work_group_list(user=user).filter(programme=programme)
        page = Paginator(groups, GROUPS_PER_PAGE).get_page(self.request.GET.get("page"))
        shown = [group.pk for group in page]
        sizes = dict(
            stationed.filter(work_group__in=shown)
            .values_list("work_group")
            .annotate(n=Count("pk"))
            .order_by()
        )
        first_rows = defaultdict(list)
        for assignment in _first_rows(stationed.filter(work_group__in=shown), "work_group_id"):
            first_rows[assignment.work_group_id].append(assignment)
        context["groups"] = [
            {
                "work_group": group,
                "assignments": first_rows.get(group.pk, []),
                "size": sizes.get(group.pk, 0),
            }
            for group in page
        ]
        context["page_obj"] = page
        # Stationings without a work group (or in a group the user cannot see) come last.
        ungrouped = stationed.exclude(work_group__in=groups.values("pk"))
        context["ungrouped"], context["ungrouped_size"] = [], 0
        if not page.has_next():
            context["ungrouped"] = list(_first_rows(ungrouped, None))
            context["ungrouped_size"] = ungrouped.count()
        context["group_rows"] = GROUP_ROWS
        context["counts"] = {
            "work_groups": page.paginator.count,
            **stationed.aggregate(
                assignments=Count("pk"),
                cadres=Count("cadre", distinct=True),
                enterprises=Count("enterprise", distinct=True),
            ),
        }
        context["can_edit"] = bool(may_set_up(user))
        context["can_see_overview"] = bool(may_see_overview(user))
        return context


GROUP_ROWS = 10  # stationings shown under each work group; the assignment list has the rest
GROUPS_PER_PAGE = 20


def _first_rows(assignments, partition: str | None):
    """The first GROUP_ROWS stationings (by enterprise, then cadre) of each `partition` value,
    in one query."""
    order = ["enterprise__sort_key", "cadre__sort_key", "pk"]
    numbered = assignments.annotate(
        row=Window(RowNumber(), partition_by=[F(partition)] if partition else None, order_by=order)
    )
    return numbered.filter(row__lte=GROUP_ROWS).order_by(*order)


class ProgrammeCreateView(UserFormKwargsMixin, SetUpRequiredMixin, ServiceFormView):
    form_class = ProgrammeCreateForm
    title = _("新建驻企批次")
    breadcrumb_parents = ((_("驻企批次"), reverse_lazy("programme-list")),)
    fieldsets = PROGRAMME_FIELDSETS

    def get_initial(self):
        actor = actor_for(self.request.user)
        return {"organiser": actor.unit_id}

    def get_cancel_url(self):
        return reverse("programme-list")

    def perform(self, form):
        return services.programme_create(by=self.request.user, **self.service_fields(form))

    def get_success_url_for(self, obj):
        return reverse("programme-detail", args=[obj.pk])


class ProgrammeUpdateView(UserFormKwargsMixin, SetUpRequiredMixin, ServiceUpdateView):
    form_class = ProgrammeUpdateForm
    title = _("修改驻企批次")
    breadcrumb_parents = ((_("驻企批次"), reverse_lazy("programme-list")),)
    fieldsets = PROGRAMME_FIELDSETS
    selector = programme_list
    update_service = services.programme_update
    object_kwarg = "programme"
    detail_url_name = "programme-detail"


# --- Work groups and assignments (within one programme) ---------------------------------------


class ProgrammeChildMixin(UserFormKwargsMixin, SetUpRequiredMixin):
    """A create form under /programmes/<pk>/: the programme must be in the user's scope."""

    @cached_property
    def programme(self):
        return get_object_or_404(programme_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programme"] = self.programme
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", self.programme.name)
        return super().get_context_data(**kwargs)

    def get_cancel_url(self):
        return reverse("programme-detail", args=[self.programme.pk])

    def get_breadcrumb_parents(self):
        return [
            (_("驻企批次"), reverse("programme-list")),
            (self.programme.name, reverse("programme-detail", args=[self.programme.pk])),
        ]

    def get_success_url_for(self, obj):
        return reverse("programme-detail", args=[self.programme.pk])


class ProgrammeChildUpdateMixin(ProgrammeChildMixin):
    """An edit form for an object of a programme; `object` comes from a scoped selector."""

    def get_object_queryset(self):
        raise NotImplementedError

    @cached_property
    def object(self):
        return get_object_or_404(self.get_object_queryset(), pk=self.kwargs["pk"])

    @cached_property
    def programme(self):
        return self.object.programme

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs


class WorkGroupCreateView(ProgrammeChildMixin, ServiceFormView):
    form_class = WorkGroupCreateForm
    title = _("新建工作组")

    def perform(self, form):
        return services.work_group_create(
            by=self.request.user, programme=self.programme, **self.service_fields(form)
        )


class WorkGroupUpdateView(ProgrammeChildUpdateMixin, ServiceFormView):
    form_class = WorkGroupUpdateForm
    title = _("修改工作组")

    def get_object_queryset(self):
        return work_group_list(user=self.request.user)

    def perform(self, form):
        return services.work_group_update(
            work_group=self.object,
            by=self.request.user,
            expected_version=self.expected_version(form),
            **self.service_fields(form),
        )


class AssignmentCreateView(ProgrammeChildMixin, ServiceFormView):
    form_class = AssignmentCreateForm
    title = _("安排干部进驻")

    def get_initial(self):
        # Links from an enterprise or a cadre page preselect it; the form's scoped choices
        # still decide what is valid.
        initial = {"start_date": max(self.programme.start_date, timezone.localdate())}
        if initial["start_date"] > self.programme.end_date:
            initial["start_date"] = self.programme.start_date
        for name in ("cadre", "enterprise", "work_group"):
            value = parse_id(self.request.GET.get(name))
            if value is not None:
                initial[name] = value
        return initial

    def perform(self, form):
        return services.assignment_create(
            by=self.request.user, programme=self.programme, **self.service_fields(form)
        )


class AssignmentUpdateView(ProgrammeChildUpdateMixin, ServiceFormView):
    form_class = AssignmentUpdateForm
    title = _("修改驻企安排")

    def get_object_queryset(self):
        return assignment_list(user=self.request.user)

    def perform(self, form):
        return services.assignment_update(
            assignment=self.object,
            by=self.request.user,
            expected_version=self.expected_version(form),
            **self.service_fields(form),
        )
