"""One FilterSet per model, shared by the HTML list pages and the API viewsets."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import UnitKind
from core.filtersets import unit_choices

from .choices import Industry, Ownership, Size
from .models import Enterprise, EnterpriseSurvey, IndicatorReport

# "Any / yes / no" for the HTML select; the API keeps sending true/false as before.
ANY = _("全部")
YES_NO_ANY = (("", ANY), ("true", _("是")), ("false", _("否")))


def region_choices(request):
    """Regions (government units) from the scoped selector, as every dropdown should."""
    return unit_choices(request, kind=UnitKind.GOVERNMENT)


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    region = django_filters.ModelChoiceFilter(
        label=_("所属区域"), queryset=region_choices, method="filter_region", empty_label=ANY
    )
    industry = django_filters.ChoiceFilter(
        label=_("行业门类"), choices=Industry.choices, empty_label=ANY
    )
    ownership = django_filters.ChoiceFilter(
        label=_("经济类型"), choices=Ownership.choices, empty_label=ANY
    )
    size = django_filters.ChoiceFilter(label=_("企业规模"), choices=Size.choices, empty_label=ANY)
    is_key = django_filters.BooleanFilter(
        label=_("重点企业"), widget=forms.Select(choices=YES_NO_ANY)
    )
    stationed = django_filters.BooleanFilter(
        label=_("已派驻干部"), field_name="is_stationed", widget=forms.Select(choices=YES_NO_ANY)
    )

    # Stationed today in a programme, optionally by a cadre of a dispatching unit and in a work
    # group: the three apply together, to one stationing (the dashboard's drill-down). Plain ids,
    # matched through the `assignments` relation stationing declares on Enterprise.
    programme = django_filters.NumberFilter(
        label=_("驻企批次"), method="filter_stationing", widget=forms.HiddenInput
    )
    unit = django_filters.NumberFilter(
        label=_("派出单位"), method="filter_stationing", widget=forms.HiddenInput
    )
    work_group = django_filters.NumberFilter(
        label=_("工作组"), method="filter_stationing", widget=forms.HiddenInput
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "region",
            "industry",
            "ownership",
            "size",
            "is_key",
            "stationed",
            "programme",
            "unit",
            "work_group",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_region(self, queryset, name, value):
        # A county includes its townships.
        return queryset.filter(region__path__startswith=value.path) if value else queryset

    def filter_stationing(self, queryset, name, value):
        """Applied once, for all three fields (the later calls find it done)."""
        if getattr(self, "_stationing_applied", False):
            return queryset
        self._stationing_applied = True
        data = self.form.cleaned_data
        fields = {
            "programme": "programme_id",
            "unit": "cadre__unit_id",
            "work_group": "work_group_id",
        }
        conditions = {column: data[key] for key, column in fields.items() if data.get(key)}
        if not conditions:
            return queryset
        return queryset.filter(Exists(stationed_today(**conditions)))


def stationed_today(**conditions):
    """Stationings active today at the outer enterprise (started, not ended) matching
    `conditions` (the `assignments` relation's fields)."""
    today = timezone.localdate()
    return Enterprise.objects.filter(
        Q(pk=OuterRef("pk"), assignments__start_date__lte=today)
        & (Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=today)),
        **{f"assignments__{column}": value for column, value in conditions.items()},
    )


class EnterpriseSurveyFilterSet(django_filters.FilterSet):
    # Plain ids, not model choices: a choice list would reveal which ids exist out of scope.
    enterprise = django_filters.NumberFilter(label=_("企业"))
    surveyed_after = django_filters.DateFilter(field_name="surveyed_on", lookup_expr="gte")
    surveyed_before = django_filters.DateFilter(field_name="surveyed_on", lookup_expr="lte")

    class Meta:
        model = EnterpriseSurvey
        fields = ["enterprise", "surveyed_after", "surveyed_before"]


class IndicatorReportFilterSet(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(label=_("企业"))
    month_from = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label=_("起始月份")
    )
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label=_("截止月份"))

    class Meta:
        model = IndicatorReport
        fields = ["enterprise", "month", "month_from", "month_to", "source"]
