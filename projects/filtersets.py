"""One FilterSet per model, shared by the HTML list pages and the API viewsets."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import UnitKind
from core.filtersets import ScopedModelChoiceField, ScopedModelChoiceFilter
from core.models import Unit
from core.selectors import leader_list, unit_list
from stationing.models import Programme
from stationing.selectors import programme_list

from .choices import Colour, ProjectCategory, Stage
from .models import KeyProject
from .permissions import progress_missing_q, project_colour_q
from .selectors import due_days_by_programme

ANY = _("全部")
YES_NO_ANY = (("", ANY), ("true", _("是")), ("false", _("否")))


def _user(request):
    return getattr(request, "user", None)


def programme_choices(request):
    user = _user(request)
    if user is None or not user.is_authenticated:
        return Programme.objects.none()
    return programme_list(user=user)


def leader_choices(request):
    user = _user(request)
    if user is None or not user.is_authenticated:
        return get_user_model().objects.none()
    return leader_list(user=user)


def unit_choices(request):
    return unit_list(user=_user(request)).filter(kind=UnitKind.DEPARTMENT)


def region_choices(request):
    return unit_list(user=_user(request)).filter(kind=UnitKind.GOVERNMENT)


class ScopedPersonChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(getattr(obj, "profile", None), "name", "") or obj.get_username()


class LeaderFilter(ScopedModelChoiceFilter):
    field_class = ScopedPersonChoiceField


class KeyProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("项目名称"), method="filter_q")
    programme = ScopedModelChoiceFilter(
        label=_("驻企批次"), queryset=programme_choices, empty_label=ANY
    )
    category = django_filters.ChoiceFilter(
        label=_("项目类别"), choices=ProjectCategory.choices, empty_label=ANY
    )
    stage = django_filters.ChoiceFilter(label=_("当前阶段"), choices=Stage.choices, empty_label=ANY)
    colour = django_filters.ChoiceFilter(
        label=_("节点状态"), choices=Colour.choices, empty_label=ANY, method="filter_colour"
    )
    leader = LeaderFilter(label=_("包项领导"), queryset=leader_choices, empty_label=ANY)
    unit = ScopedModelChoiceFilter(
        label=_("责任单位"), queryset=unit_choices, empty_label=ANY, method="filter_unit"
    )
    region = ScopedModelChoiceFilter(
        label=_("所在地区"),
        queryset=region_choices,
        empty_label=ANY,
        method="filter_region",
        remote_query={"kind": UnitKind.GOVERNMENT.value},
        always_remote=True,
    )
    # The dashboard's per-unit rows count projects by the unit that leads them (牵头单位).
    lead_unit = ScopedModelChoiceFilter(label=_("牵头单位"), queryset=unit_choices, empty_label=ANY)
    progress_missing = django_filters.BooleanFilter(
        label=_("月度进展未报"),
        method="filter_progress_missing",
        widget=forms.Select(choices=YES_NO_ANY),
    )

    class Meta:
        model = KeyProject
        fields = [
            "q",
            "programme",
            "category",
            "stage",
            "colour",
            "leader",
            "unit",
            "region",
            "lead_unit",
            "progress_missing",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_colour(self, queryset, name, value):
        return queryset.filter(project_colour_q(value)) if value else queryset

    def filter_unit(self, queryset, name, value: Unit):
        """Led by the unit or helped by it (牵头或配合)."""
        if not value:
            return queryset
        helped = KeyProject.objects.filter(co_units=value).values("pk")
        return queryset.filter(Q(lead_unit=value) | Q(pk__in=helped))

    def filter_region(self, queryset, name, value: Unit):
        # A county includes its townships.
        return queryset.filter(region__path__startswith=value.path) if value else queryset

    def filter_progress_missing(self, queryset, name, value):
        if value is None:
            return queryset
        missing = progress_missing_q(due_days_by_programme())
        return queryset.filter(missing if value else ~missing)
