"""Ticket filters, shared by the ticket list page and the API."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.choices import UnitKind
from core.filtersets import NO_MATCH, ScopedModelChoiceFilter, unit_choices
from core.forms import DateInput
from core.models import Unit
from core.selectors import leader_list
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list
from stationing.models import Programme, WorkGroup
from stationing.selectors import programme_list, work_group_list

from .choices import (
    OPEN_STATES,
    AppraisalGrade,
    BulletinState,
    Category,
    Colour,
    Level,
    Satisfaction,
    TicketState,
    Urgency,
)
from .models import Bulletin, CadreResult, Ticket
from .selectors import (
    answered_on_time_q,
    bulletin_list,
    by_urgency,
    colour_q,
    objection_q,
    pending_extension_q,
    stationed_by_q,
)

ANY = _("全部")
# "Any / yes / no" for the HTML select; the API sends true/false.
YES_NO_ANY = (("", ANY), ("true", _("是")), ("false", _("否")))


def responsible_unit_choices(request):
    return unit_choices(request, is_responsible=True)


def region_choices(request):
    return unit_choices(request, kind=UnitKind.GOVERNMENT)


# The units API's search for the same rows as region_choices.
REGION_SEARCH = {"kind": UnitKind.GOVERNMENT.value}


def enterprise_choices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Enterprise.objects.none()
    return enterprise_list(user=user).order_by("sort_key", "pk")


def leader_filter_choices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return get_user_model().objects.none()
    return leader_list(user=user)


def programme_filter_choices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Programme.objects.none()
    return programme_list(user=user)


def dispatching_unit_choices(request):
    return unit_choices(request, is_dispatching=True)


def work_group_filter_choices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return WorkGroup.objects.none()
    return work_group_list(user=user).select_related(None)  # labelled by name alone


class PersonChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(getattr(obj, "profile", None), "name", "") or obj.get_username()


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


AWAITING_CHOICES = (
    ("extension", _("延期申请待审批")),
    ("objection", _("交办异议待处理")),
)


class TicketOrderingFilter(django_filters.OrderingFilter):
    """The list's sortable columns (`ordering`, as the API names it). `urgency` is the lists'
    default made explicit: red, yellow, the other running tickets, then the rest, each by the
    nearest deadline (selectors.by_urgency). Every order ends with the primary key, so pages
    never overlap."""

    def filter(self, qs, value):
        if not value:
            return qs
        if "urgency" in value:
            return by_urgency(qs)
        return qs.order_by(*[self.get_ordering_value(param) for param in value], "-pk")


class TicketFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号、标题或企业"), method="filter_q")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=TicketState.choices, empty_label=ANY
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=ANY
    )
    urgency = django_filters.ChoiceFilter(
        label=_("紧急程度"), choices=Urgency.choices, empty_label=ANY
    )
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Level.choices, empty_label=ANY)
    colour = django_filters.ChoiceFilter(
        label=_("亮牌"), choices=Colour.choices, empty_label=ANY, method="filter_colour"
    )
    responsible_unit = django_filters.ModelChoiceFilter(
        label=_("承办单位"), queryset=responsible_unit_choices, empty_label=ANY
    )
    # The enterprises the user may see, by name; the API keeps `enterprise=<id>`, and an id out
    # of scope matches nothing (as one that does not exist), so nothing is disclosed.
    enterprise = ScopedModelChoiceFilter(
        label=_("企业"), queryset=enterprise_choices, empty_label=ANY
    )
    # A province's 500 regions are searched as the user types (core.widgets.ScopedSelect).
    region = ScopedModelChoiceFilter(
        label=_("所属区域"),
        queryset=region_choices,
        empty_label=ANY,
        method="filter_region",
        remote_query=REGION_SEARCH,
        always_remote=True,
    )
    leader = PersonFilter(label=_("包案领导"), queryset=leader_filter_choices, empty_label=ANY)
    urged = django_filters.BooleanFilter(
        label=_("督办"), field_name="is_urged", widget=forms.Select(choices=YES_NO_ANY)
    )
    created_from = django_filters.DateFilter(
        label=_("提出日期起"), field_name="created_at", lookup_expr="date__gte", widget=DateInput
    )
    created_to = django_filters.DateFilter(
        label=_("提出日期止"), field_name="created_at", lookup_expr="date__lte", widget=DateInput
    )
    deadline_from = django_filters.DateFilter(
        label=_("办结期限起"), field_name="deadline", lookup_expr="date__gte", widget=DateInput
    )
    deadline_to = django_filters.DateFilter(
        label=_("办结期限止"), field_name="deadline", lookup_expr="date__lte", widget=DateInput
    )
    awaiting = django_filters.ChoiceFilter(
        label=_("待决定"), choices=AWAITING_CHOICES, empty_label=ANY, method="filter_awaiting"
    )
    led_by_me = django_filters.BooleanFilter(
        label=_("我包案的诉求"),
        method="filter_led_by_me",
        widget=forms.Select(choices=YES_NO_ANY),
    )
    # The dashboard's drill-downs (and filters of their own).
    programme = ScopedModelChoiceFilter(
        label=_("驻企批次"), queryset=programme_filter_choices, empty_label=ANY
    )
    unit = ScopedModelChoiceFilter(
        label=_("派出单位"),
        queryset=dispatching_unit_choices,
        empty_label=ANY,
        method="filter_stationed_by",
    )
    work_group = ScopedModelChoiceFilter(
        label=_("工作组"),
        queryset=work_group_filter_choices,
        empty_label=ANY,
        method="filter_stationed_by",
    )
    open = django_filters.BooleanFilter(
        label=_("在办"), method="filter_open", widget=forms.Select(choices=YES_NO_ANY)
    )
    # Assigned to a unit and not withdrawn: the tickets a department is measured on.
    assigned = django_filters.BooleanFilter(
        label=_("已交办"), method="filter_assigned", widget=forms.Select(choices=YES_NO_ANY)
    )
    answered_on_time = django_filters.BooleanFilter(
        label=_("按期答复"),
        method="filter_answered_on_time",
        widget=forms.Select(choices=YES_NO_ANY),
    )
    satisfaction = django_filters.ChoiceFilter(
        label=_("满意度"), choices=Satisfaction.choices, empty_label=ANY
    )
    rated = django_filters.BooleanFilter(
        label=_("已评价"), method="filter_rated", widget=forms.Select(choices=YES_NO_ANY)
    )
    ordering = TicketOrderingFilter(
        label=_("排序"),
        empty_label=_("默认（红牌、黄牌优先，再按期限）"),
        fields=(
            ("deadline", "deadline"),
            ("created_at", "created_at"),
            ("number", "number"),
            ("state", "state"),
            ("urgency", "urgency"),
        ),
        field_labels={
            "urgency": _("亮牌与期限"),
            "deadline": _("办结期限"),
            "created_at": _("提出时间"),
            "number": _("编号"),
            "state": _("状态"),
        },
    )

    class Meta:
        model = Ticket
        fields = [
            "q",
            "state",
            "category",
            "urgency",
            "level",
            "colour",
            "responsible_unit",
            "enterprise",
            "region",
            "leader",
            "urged",
            "created_from",
            "created_to",
            "deadline_from",
            "deadline_to",
            "awaiting",
            "led_by_me",
            "ordering",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def filter_awaiting(self, queryset, name, value):
        if value == "extension":
            return queryset.filter(pending_extension_q())
        if value == "objection":
            return queryset.filter(objection_q())
        return queryset

    def filter_led_by_me(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        condition = Q(leader_id=user.pk)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_colour(self, queryset, name, value):
        return queryset.filter(colour_q(value))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_region(self, queryset, name, value):
        # A county includes its townships: match the region's whole subtree.
        return queryset.filter(enterprise__region__path__startswith=value.path)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_stationed_by(self, queryset, name, value):
        if value is NO_MATCH:
            return queryset.none()
        column = {"unit": "cadre__unit_id", "work_group": "work_group_id"}[name]
        return queryset.filter(stationed_by_q(**{column: value.pk}))

    def _flag(self, queryset, condition, value):
        if value is None:
            return queryset
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_open(self, queryset, name, value):
        return self._flag(queryset, Q(state__in=OPEN_STATES), value)

    def filter_assigned(self, queryset, name, value):
        condition = Q(responsible_unit__isnull=False, assigned_at__isnull=False) & ~Q(
            state=TicketState.WITHDRAWN
        )
        return self._flag(queryset, condition, value)

    def filter_answered_on_time(self, queryset, name, value):
        return self._flag(queryset, answered_on_time_q(), value)

    def filter_rated(self, queryset, name, value):
        return self._flag(queryset, ~Q(satisfaction=""), value)


# --- Bulletins (通报) ---------------------------------------------------------------------------


def bulletin_programme_choices(request):
    """The programmes of the bulletins the user may read."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Programme.objects.none()
    programmes = bulletin_list(user=user).order_by().values("programme_id")
    return Programme.objects.filter(pk__in=programmes).order_by("sort_key", "pk")


class BulletinFilterSet(django_filters.FilterSet):
    """Filters of the bulletin list page and /api/v1/bulletins/."""

    q = django_filters.CharFilter(label=_("搜索标题"), method="search")
    programme = ScopedModelChoiceFilter(
        label=_("驻企批次"), queryset=bulletin_programme_choices, empty_label=ANY
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=BulletinState.choices, empty_label=ANY
    )
    year = django_filters.NumberFilter(label=_("年份"), min_value=2000, max_value=2100)

    class Meta:
        model = Bulletin
        fields = ["q", "programme", "state", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset


# --- Appraisal results ------------------------------------------------------------------------


class CadreResultFilterSet(django_filters.FilterSet):
    """A run's cadre results (the run page and /api/v1/appraisals/{id}/results/): by name,
    dispatching unit, work group and grade. The unit and work group choices are those of the
    results given (already scoped to the user and the run)."""

    q = django_filters.CharFilter(label=_("干部姓名"), method="filter_q")
    unit = ScopedModelChoiceFilter(
        label=_("派出单位"), queryset=Unit.objects.none(), empty_label=ANY
    )
    work_group = ScopedModelChoiceFilter(
        label=_("工作组"), queryset=WorkGroup.objects.none(), empty_label=ANY
    )
    grade = django_filters.ChoiceFilter(
        label=_("等次"), choices=AppraisalGrade.choices, empty_label=ANY
    )

    class Meta:
        model = CadreResult
        fields = ["q", "unit", "work_group", "grade"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        if queryset is not None:
            self.filters["unit"].queryset = Unit.objects.filter(
                pk__in=queryset.order_by().values("unit_id")
            ).order_by("tree_key", "pk")
            self.filters["work_group"].queryset = WorkGroup.objects.filter(
                pk__in=queryset.order_by().values("work_group_id")
            ).order_by("sort_key", "pk")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(cadre__name__icontains=value) if value else queryset
