"""Enterprise pages: list, detail, create/edit, the cadre's survey and monthly figures.

Reads go through enterprises.selectors (scoped), writes through enterprises.services; an
enterprise outside the user's scope is a 404, a page the user's role may not use is a 403.
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
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

from . import services
from .filtersets import EnterpriseFilterSet
from .forms import (
    EnterpriseCreateForm,
    EnterpriseUpdateForm,
    IndicatorForm,
    IndicatorUpdateForm,
    SurveyForm,
)
from .permissions import may_edit_enterprise, may_record_enterprise_data
from .selectors import enterprise_list, indicator_list, survey_list

MONEY_FIELDS = ("fixed_assets", "output_value", "sales", "profit_tax")


ENTERPRISE_EXPORT_COLUMNS = [
    Column(_("企业名称"), "name", width=32),
    Column(_("统一社会信用代码"), "credit_code", width=22),
    Column(_("所属区域"), "region.name"),
    Column(_("地址"), "address", width=32),
    Column(_("行业门类"), "get_industry_display"),
    Column(_("细分行业"), "industry_detail"),
    Column(_("经济类型"), "get_ownership_display"),
    Column(_("企业规模"), "get_size_display"),
    Column(_("上市情况"), "get_listing_status_display"),
    Column(_("重点企业"), "is_key"),
    Column(_("已派驻干部"), "is_stationed"),
    Column(_("法定代表人"), "legal_representative"),
    Column(_("联系人"), "contact_name"),
    Column(_("联系电话"), "contact_phone"),
    Column(_("联系人手机"), "contact_mobile"),
    Column(_("联系人邮箱"), "contact_email", width=26),
    Column(_("职工人数"), "employees"),
    Column(_("主要产品"), "main_products", width=32),
]


class EnterpriseListView(FilteredListView):
    template_name = "enterprises/enterprise_list.html"
    filterset_class = EnterpriseFilterSet
    context_object_name = "enterprises"
    # Names in natural (pinyin) order through sort_key, regions in tree order.
    sort_fields = {
        "name": (_("企业名称"), ("sort_key",)),
        "region": (_("所属区域"), ("region__tree_key",)),
        "industry": (_("行业门类"), ("industry",)),
        "employees": (_("职工人数"), ("employees",)),
    }
    export_columns = ENTERPRISE_EXPORT_COLUMNS
    export_title = _("企业列表")

    def get_base_queryset(self):
        return enterprise_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = bool(may_edit_enterprise(self.request.user))
        return context


class EnterpriseDetailView(PortalLoginRequiredMixin, DetailView):
    template_name = "enterprises/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return enterprise_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        enterprise = self.object
        context["surveys"] = survey_list(user=user).filter(enterprise=enterprise)
        context["indicators"] = (
            indicator_list(user=user).filter(enterprise=enterprise).order_by("-month")
        )
        # Panels of the apps above this one (the cadres stationed here, from stationing).
        context["panels"] = render_panels("enterprise-detail", self.request, enterprise)
        context["can_edit"] = bool(may_edit_enterprise(user))
        context["can_record"] = bool(may_record_enterprise_data(user, enterprise.pk))
        return context


# --- Enterprise create / edit (office) --------------------------------------------------------


class EnterpriseFormMixin(RoleRequiredMixin):
    fieldsets = [
        (_("基本信息"), ["name", "credit_code", "region", "address"], "col-12"),
        (
            _("分类"),
            ["industry", "industry_detail", "ownership", "size", "listing_status", "is_key"],
            "col-12 col-md-6",
        ),
        (
            _("联系方式"),
            [
                "legal_representative",
                "contact_name",
                "contact_phone",
                "contact_mobile",
                "contact_email",
                "employees",
            ],
            "col-12 col-md-6",
        ),
        (_("经营情况"), ["main_products"], "col-12"),
    ]

    breadcrumb_parents = ((_("企业"), reverse_lazy("enterprise-list")),)

    def has_permission(self):
        may_edit_enterprise(self.request.user).check()
        return True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_success_url_for(self, obj):
        return reverse("enterprise-detail", args=[obj.pk])


class EnterpriseCreateView(EnterpriseFormMixin, ServiceFormView):
    form_class = EnterpriseCreateForm
    title = _("登记企业")

    def get_cancel_url(self):
        return reverse("enterprise-list")

    def perform(self, form):
        return services.enterprise_create(by=self.request.user, **self.service_fields(form))


class EnterpriseUpdateView(EnterpriseFormMixin, ServiceUpdateView):
    form_class = EnterpriseUpdateForm
    title = _("修改企业信息")
    selector = enterprise_list
    update_service = services.enterprise_update
    object_kwarg = "enterprise"
    detail_url_name = "enterprise-detail"


# --- Surveys and monthly indicators (stationed cadre or office) -------------------------------


def enterprise_crumbs(enterprise) -> list:
    return [
        (_("企业"), reverse("enterprise-list")),
        (enterprise.name, reverse("enterprise-detail", args=[enterprise.pk])),
    ]


class EnterpriseRecordMixin(RoleRequiredMixin):
    """The enterprise from the URL, in the user's scope (else 404), and the right to record."""

    @cached_property
    def enterprise(self):
        return get_object_or_404(enterprise_list(user=self.request.user), pk=self.kwargs["pk"])

    def has_permission(self):
        may_record_enterprise_data(self.request.user, self.enterprise.pk).check()
        return True

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", self.enterprise.name)
        kwargs.setdefault("enterprise", self.enterprise)
        return super().get_context_data(**kwargs)

    def get_cancel_url(self):
        return reverse("enterprise-detail", args=[self.enterprise.pk])

    def get_breadcrumb_parents(self):
        return enterprise_crumbs(self.enterprise)


class SurveyCreateView(EnterpriseRecordMixin, ServiceFormView):
    form_class = SurveyForm
    title = _("企业调研")
    fieldsets = [
        (None, ["surveyed_on"], "col-12 col-md-4"),
        (_("经营数据（万元）"), list(MONEY_FIELDS), "col-6 col-md-3"),
        (
            _("调研情况"),
            ["main_markets", "equipment", "renovation_plans", "difficulties", "suggestions"],
            "col-12",
        ),
    ]

    def get_initial(self):
        return {"surveyed_on": timezone.localdate()}

    def perform(self, form):
        return services.survey_create(
            by=self.request.user, enterprise=self.enterprise, **self.service_fields(form)
        )

    def get_success_url_for(self, obj):
        return reverse("enterprise-detail", args=[self.enterprise.pk]) + "#surveys"


INDICATOR_FIELDSET = (
    _("当月数（万元）"),
    ["output_value", "value_added", "revenue", "profit", "tax", "investment", "employees"],
    "col-6 col-md-3",
)


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class IndicatorCreateView(EnterpriseRecordMixin, ServiceFormView):
    form_class = IndicatorForm
    title = _("填报月度指标")
    template_name = "enterprises/indicator_form.html"
    fieldsets = [INDICATOR_FIELDSET]
    manual_fields = ("month",)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["enterprise"] = self.enterprise
        return kwargs

    def get_initial(self):
        # Figures are filed after the month ends, so last month is the usual choice.
        return {"month": previous_month(timezone.localdate())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.is_bound and form.has_error("month"):
            try:
                month = form.fields["month"].clean(form["month"].data)
            except ValidationError:
                month = None
            if month:
                context["existing_indicator"] = (
                    indicator_list(user=self.request.user)
                    .filter(enterprise=self.enterprise, month=month)
                    .first()
                )
        context.setdefault("existing_indicator", None)
        return context

    def perform(self, form):
        return services.indicator_create(
            by=self.request.user, enterprise=self.enterprise, **self.service_fields(form)
        )

    def get_success_url_for(self, obj):
        return reverse("enterprise-detail", args=[self.enterprise.pk]) + "#indicators"


class IndicatorUpdateView(RoleRequiredMixin, ServiceFormView):
    form_class = IndicatorUpdateForm
    title = _("修改月度指标")
    template_name = "enterprises/indicator_form.html"
    fieldsets = [INDICATOR_FIELDSET]

    @cached_property
    def object(self):
        return get_object_or_404(indicator_list(user=self.request.user), pk=self.kwargs["pk"])

    def has_permission(self):
        may_record_enterprise_data(self.request.user, self.object.enterprise_id).check()
        return True

    def get_breadcrumb_parents(self):
        return enterprise_crumbs(self.object.enterprise)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("subtitle", self.object.enterprise.name)
        kwargs.setdefault("enterprise", self.object.enterprise)
        kwargs.setdefault("indicator", self.object)
        kwargs.setdefault("existing_indicator", None)
        return super().get_context_data(**kwargs)

    def get_cancel_url(self):
        return reverse("enterprise-detail", args=[self.object.enterprise_id]) + "#indicators"

    def perform(self, form):
        return services.indicator_update(
            indicator=self.object,
            by=self.request.user,
            expected_version=self.expected_version(form),
            **self.service_fields(form),
        )

    def get_success_url_for(self, obj):
        return self.get_cancel_url()
