"""One FilterSet per model, shared by the HTML list pages and the API viewsets."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import Rank, UnitKind, UnitLevel
from core.models import Profile, Unit
from core.selectors import unit_list

from .choices import AssignmentRole, PlanState, ProgrammeStatus, ReportState
from .models import Assignment, Programme, ProgressReport, ReportPeriod, WorkGroup, WorkPlan

# The "no filter" option of the HTML selects (the API ignores it).
ANY = _("全部")


def dispatching_unit_choices(request):
    """Dispatching units from the scoped selector (filter dropdowns use scoped querysets)."""
    return unit_list(user=getattr(request, "user", None)).filter(is_dispatching=True)


class ProgrammeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ProgrammeStatus.choices, empty_label=ANY
    )
    organiser = django_filters.NumberFilter(label=_("主办单位"))

    class Meta:
        model = Programme
        fields = ["q", "status", "organiser"]


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=UnitLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=UnitKind.choices)

    class Meta:
        model = Unit
        fields = ["q", "parent", "level", "kind", "is_dispatching", "is_responsible"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class WorkGroupFilterSet(django_filters.FilterSet):
    programme = django_filters.NumberFilter(label=_("驻企批次"))
    leader = django_filters.NumberFilter(label=_("带队领导"))

    class Meta:
        model = WorkGroup
        fields = ["programme", "leader"]


class CadreFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名或手机号"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(
        label=_("派出单位"), queryset=dispatching_unit_choices, empty_label=ANY
    )
    rank = django_filters.ChoiceFilter(label=_("职级"), choices=Rank.choices, empty_label=ANY)
    programme = django_filters.NumberFilter(
        label=_("驻企批次"), field_name="assignments__programme", distinct=True
    )

    class Meta:
        model = Profile
        fields = ["q", "unit", "rank", "programme"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(phone__icontains=value))


class AssignmentFilterSet(django_filters.FilterSet):
    # Plain ids, not model choices: a choice list would reveal which ids exist out of scope.
    programme = django_filters.NumberFilter(label=_("驻企批次"))
    cadre = django_filters.NumberFilter(label=_("驻企干部"))
    enterprise = django_filters.NumberFilter(label=_("企业"))
    work_group = django_filters.NumberFilter(label=_("工作组"))
    role = django_filters.ChoiceFilter(label=_("角色"), choices=AssignmentRole.choices)
    unit = django_filters.NumberFilter(label=_("派出单位"), field_name="cadre__unit")
    region = django_filters.NumberFilter(label=_("所属区域"), method="filter_region")
    active_on = django_filters.DateFilter(label=_("在驻日期"), method="filter_active_on")

    class Meta:
        model = Assignment
        fields = [
            "programme",
            "cadre",
            "enterprise",
            "work_group",
            "role",
            "unit",
            "region",
            "active_on",
        ]

    def filter_region(self, queryset, name, value):
        # A county includes its townships: match the region's whole subtree.
        region = Unit.objects.filter(pk=value).only("path").first()
        if region is None:
            return queryset.none()
        return queryset.filter(enterprise__region__path__startswith=region.path)

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=value)
        )


class ReportPeriodFilterSet(django_filters.FilterSet):
    programme = django_filters.NumberFilter(label=_("驻企批次"))
    part = django_filters.ChoiceFilter(
        label=_("期别"), choices=ReportPeriod._meta.get_field("part").choices
    )
    date = django_filters.DateFilter(label=_("包含日期"), method="filter_date")

    class Meta:
        model = ReportPeriod
        fields = ["programme", "part", "date"]

    def filter_date(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)


class ProgressReportFilterSet(django_filters.FilterSet):
    # Plain ids, as for assignments: a choice list would reveal which ids exist out of scope.
    programme = django_filters.NumberFilter(label=_("驻企批次"), field_name="assignment__programme")
    period = django_filters.NumberFilter(label=_("报告期"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ReportState.choices)
    unit = django_filters.NumberFilter(label=_("派出单位"), field_name="assignment__cadre__unit")
    work_group = django_filters.NumberFilter(label=_("工作组"), field_name="assignment__work_group")
    enterprise = django_filters.NumberFilter(label=_("企业"), field_name="assignment__enterprise")
    cadre = django_filters.NumberFilter(label=_("驻企干部"), field_name="assignment__cadre")
    assignment = django_filters.NumberFilter(label=_("驻企安排"))
    is_late = django_filters.BooleanFilter(label=_("逾期报送"))

    class Meta:
        model = ProgressReport
        fields = [
            "programme",
            "period",
            "state",
            "unit",
            "work_group",
            "enterprise",
            "cadre",
            "assignment",
            "is_late",
        ]


class WorkPlanFilterSet(django_filters.FilterSet):
    programme = django_filters.NumberFilter(label=_("驻企批次"))
    enterprise = django_filters.NumberFilter(label=_("企业"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=PlanState.choices)

    class Meta:
        model = WorkPlan
        fields = ["programme", "enterprise", "state"]
