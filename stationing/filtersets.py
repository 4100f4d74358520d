"""One FilterSet per model, shared by the HTML list pages and the API viewsets."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.choices import Rank, UnitKind, UnitLevel
from core.filtersets import NO_MATCH, ScopedModelChoiceField, ScopedModelChoiceFilter, unit_choices
from core.models import Profile, Unit
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list

from .choices import AssignmentRole, PlanState, ProgrammeStatus, ReportRating, ReportState
from .models import Assignment, Programme, ProgressReport, ReportPeriod, WorkGroup, WorkPlan
from .selectors import (
    assignments_owing_report,
    cadre_list,
    covering_assignments,
    handed_in_q,
    period_list,
    plan_overdue_q,
    programme_list,
    work_group_list,
)

# The "no filter" option of the HTML selects (the API ignores it).
ANY = _("全部")
YES_NO_ANY = (("", ANY), ("true", _("是")), ("false", _("否")))

# Filter dropdowns list what the user may see (scoped selectors); an id outside that list
# matches nothing, in the page and in the API alike (core.filtersets.ScopedModelChoiceFilter).


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def programme_choices(request):
    user = _user(request)
    return programme_list(user=user) if user else Programme.objects.none()


def enterprise_choices(request):
    user = _user(request)
    return enterprise_list(user=user) if user else Enterprise.objects.none()


def cadre_choices(request):
    user = _user(request)
    return cadre_list(user=user) if user else Profile.objects.none()


def work_group_choices(request):
    user = _user(request)
    return work_group_list(user=user) if user else WorkGroup.objects.none()


def period_choices(request):
    """Periods that have begun (no report exists for a later one), latest first."""
    user = _user(request)
    if not user:
        return ReportPeriod.objects.none()
    return (
        period_list(user=user)
        .filter(start__lte=timezone.localdate())
        .select_related("programme")
        .order_by("-start", "programme__sort_key", "pk")
    )


class PeriodChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        # Programmes share period labels ("3月上半月"): name the programme too.
        return f"{obj.programme.name} · {obj.label}"


class PeriodFilter(ScopedModelChoiceFilter):
    field_class = PeriodChoiceField


def dispatching_unit_choices(request):
    """Dispatching units from the scoped selector (filter dropdowns use scoped querysets)."""
    return unit_choices(request, is_dispatching=True)


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
    q = django_filters.CharFilter(label=_("干部或企业名称"), method="filter_q")
    programme = ScopedModelChoiceFilter(
        label=_("驻企批次"), queryset=programme_choices, empty_label=ANY
    )
    cadre = ScopedModelChoiceFilter(label=_("驻企干部"), queryset=cadre_choices, empty_label=ANY)
    enterprise = ScopedModelChoiceFilter(
        label=_("企业"), queryset=enterprise_choices, empty_label=ANY
    )
    work_group = ScopedModelChoiceFilter(
        label=_("工作组"), queryset=work_group_choices, empty_label=ANY
    )
    role = django_filters.ChoiceFilter(
        label=_("角色"), choices=AssignmentRole.choices, empty_label=ANY
    )
    unit = ScopedModelChoiceFilter(
        label=_("派出单位"),
        queryset=dispatching_unit_choices,
        field_name="cadre__unit",
        empty_label=ANY,
    )
    region = django_filters.NumberFilter(label=_("所属区域"), method="filter_region")
    active_on = django_filters.DateFilter(label=_("在驻日期"), method="filter_active_on")
    # The office console's drill-down from a unit's missing reports: the stationings that owe
    # this period's report and have not handed it in (stationing.selectors' rule).
    owing_period = django_filters.NumberFilter(
        label=_("缺报期次"), method="filter_owing_period", widget=forms.HiddenInput
    )

    # The dashboard's drill-downs: the stationings that owe a report for a period (handed in or
    # not), and those whose enterprise's plan is overdue (one row per enterprise, the first
    # stationing, as the plan queue lists them).
    covers_period = django_filters.NumberFilter(
        label=_("应报期次"), method="filter_covers_period", widget=forms.HiddenInput
    )
    plan_overdue = django_filters.BooleanFilter(
        label=_("计划逾期未报"),
        method="filter_plan_overdue",
        widget=forms.Select(choices=YES_NO_ANY),
    )

    class Meta:
        model = Assignment
        fields = [
            "q",
            "programme",
            "cadre",
            "enterprise",
            "work_group",
            "role",
            "unit",
            "region",
            "active_on",
            "owing_period",
            "covers_period",
            "plan_overdue",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(cadre__name__icontains=value) | Q(enterprise__name__icontains=value)
        )

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

    def filter_owing_period(self, queryset, name, value):
        period = ReportPeriod.objects.filter(pk=value).first()
        if period is None:
            return queryset.none()
        return assignments_owing_report(period=period, assignments=queryset)

    def filter_covers_period(self, queryset, name, value):
        period = ReportPeriod.objects.filter(pk=value).first()
        if period is None:
            return queryset.none()
        return covering_assignments(queryset, period)

    def filter_plan_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(plan_overdue_q()) if value else queryset.exclude(plan_overdue_q())


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
    q = django_filters.CharFilter(label=_("干部或企业名称"), method="filter_q")
    programme = ScopedModelChoiceFilter(
        label=_("驻企批次"),
        queryset=programme_choices,
        field_name="assignment__programme",
        empty_label=ANY,
    )
    period = PeriodFilter(label=_("报告期"), queryset=period_choices, empty_label=ANY)
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=ReportState.choices, empty_label=ANY
    )
    unit = ScopedModelChoiceFilter(
        label=_("派出单位"),
        queryset=dispatching_unit_choices,
        field_name="assignment__cadre__unit",
        empty_label=ANY,
    )
    work_group = ScopedModelChoiceFilter(
        label=_("工作组"),
        queryset=work_group_choices,
        field_name="assignment__work_group",
        empty_label=ANY,
    )
    enterprise = ScopedModelChoiceFilter(
        label=_("企业"),
        queryset=enterprise_choices,
        field_name="assignment__enterprise",
        empty_label=ANY,
    )
    cadre = ScopedModelChoiceFilter(
        label=_("驻企干部"),
        queryset=cadre_choices,
        field_name="assignment__cadre",
        empty_label=ANY,
    )
    # The API's link from a stationing to its reports; not offered as a page filter.
    assignment = django_filters.NumberFilter(label=_("驻企安排"), widget=forms.HiddenInput)
    is_late = django_filters.BooleanFilter(
        label=_("逾期报送"), widget=forms.Select(choices=YES_NO_ANY)
    )
    rating = django_filters.ChoiceFilter(
        label=_("评价"), choices=ReportRating.choices, empty_label=ANY
    )
    region = django_filters.NumberFilter(
        label=_("所属区域"), method="filter_region", widget=forms.HiddenInput
    )
    # Submitted, reviewed or returned: counted as handed in (stationing.selectors.handed_in_q).
    handed_in = django_filters.BooleanFilter(
        label=_("已报送"), method="filter_handed_in", widget=forms.Select(choices=YES_NO_ANY)
    )

    class Meta:
        model = ProgressReport
        fields = [
            "q",
            "programme",
            "period",
            "state",
            "unit",
            "work_group",
            "enterprise",
            "cadre",
            "assignment",
            "is_late",
            "rating",
            "region",
            "handed_in",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(assignment__cadre__name__icontains=value)
            | Q(assignment__enterprise__name__icontains=value)
        )

    def filter_region(self, queryset, name, value):
        # A county includes its townships: match the region's whole subtree.
        region = Unit.objects.filter(pk=value).only("path").first()
        if region is None:
            return queryset.none()
        return queryset.filter(assignment__enterprise__region__path__startswith=region.path)

    def filter_handed_in(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(handed_in_q()) if value else queryset.exclude(handed_in_q())


class WorkPlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("企业名称"), field_name="enterprise__name", lookup_expr="icontains"
    )
    programme = ScopedModelChoiceFilter(
        label=_("驻企批次"), queryset=programme_choices, empty_label=ANY
    )
    enterprise = ScopedModelChoiceFilter(
        label=_("企业"), queryset=enterprise_choices, empty_label=ANY
    )
    state = django_filters.ChoiceFilter(label=_("状态"), choices=PlanState.choices, empty_label=ANY)
    # The dispatching unit of a cadre stationed at the plan's enterprise in its programme.
    unit = ScopedModelChoiceFilter(
        label=_("派出单位"),
        queryset=dispatching_unit_choices,
        method="filter_unit",
        empty_label=ANY,
    )

    work_group = ScopedModelChoiceFilter(
        label=_("工作组"),
        queryset=work_group_choices,
        method="filter_work_group",
        empty_label=ANY,
    )
    region = django_filters.NumberFilter(
        label=_("所属区域"), method="filter_region", widget=forms.HiddenInput
    )

    class Meta:
        model = WorkPlan
        fields = ["q", "programme", "enterprise", "state", "unit", "work_group", "region"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_unit(self, queryset, name, value):
        if value is NO_MATCH:
            return queryset.none()
        stationed = Assignment.objects.filter(
            programme=OuterRef("programme"), enterprise=OuterRef("enterprise"), cadre__unit=value
        )
        return queryset.filter(Exists(stationed))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_work_group(self, queryset, name, value):
        if value is NO_MATCH:
            return queryset.none()
        stationed = Assignment.objects.filter(
            programme=OuterRef("programme"), enterprise=OuterRef("enterprise"), work_group=value
        )
        return queryset.filter(Exists(stationed))

    def filter_region(self, queryset, name, value):
        # A county includes its townships: match the region's whole subtree.
        region = Unit.objects.filter(pk=value).only("path").first()
        if region is None:
            return queryset.none()
        return queryset.filter(enterprise__region__path__startswith=region.path)
