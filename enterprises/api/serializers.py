"""Serializers for enterprises, surveys and monthly indicators.

They validate shape; enterprises.services validates the rest (credit code, one report per
month) and saves.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.base import ServiceModelSerializer
from core.api.fields import EmailAddressField, MobileField
from core.selectors import territory_regions
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.permissions import may_record_enterprise_data
from enterprises.selectors import enterprise_list
from enterprises.validators import normalize_credit_code


class EnterpriseSerializer(ServiceModelSerializer):
    # No length limit or validators here: the code is normalised first (case, surrounding
    # spaces), then the model's validator words what is wrong with it (length, letters, check).
    credit_code = serializers.CharField(
        label=_("统一社会信用代码"), help_text=_("18位，GB 32100-2015；小写和首尾空格会被规范化。")
    )
    # Normalised and checked as the page and the import do it (core.validators).
    contact_mobile = MobileField(
        required=False, allow_blank=True, max_length=11, label=_("联系人手机")
    )
    contact_email = EmailAddressField(required=False, allow_blank=True, label=_("联系人邮箱"))
    region_name = serializers.CharField(source="region.name", read_only=True, label=_("区域名称"))
    is_stationed = serializers.BooleanField(read_only=True, label=_("已派驻干部"))

    scoped_fields = {"region": territory_regions}

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "industry",
            "industry_detail",
            "ownership",
            "size",
            "region",
            "region_name",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_mobile",
            "contact_email",
            "employees",
            "main_products",
            "is_key",
            "listing_status",
            "is_stationed",
            "version",
        ]

    def validate_credit_code(self, value):
        return normalize_credit_code(value)


class RecordedDataSerializer(ServiceModelSerializer):
    """Surveys and indicators: recorded by the office or a cadre stationed at the enterprise.

    Any other enterprise is refused exactly like an id that does not exist, so the answer never
    tells whether it exists.
    """

    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, label=_("企业名称")
    )

    scoped_fields = {"enterprise": lambda user: enterprise_list(user=user)}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # A record stays with its enterprise, as on the page (whose URL names it).
            fields["enterprise"].read_only = True
        return fields

    def validate_enterprise(self, enterprise):
        if not may_record_enterprise_data(self.user, enterprise.pk):
            self.fields["enterprise"].fail("does_not_exist", pk_value=enterprise.pk)
        return enterprise


class EnterpriseSurveySerializer(RecordedDataSerializer):
    class Meta:
        model = EnterpriseSurvey
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "surveyed_on",
            "surveyed_by",
            "fixed_assets",
            "output_value",
            "sales",
            "profit_tax",
            "main_markets",
            "equipment",
            "renovation_plans",
            "difficulties",
            "suggestions",
            "version",
        ]
        read_only_fields = ["surveyed_by"]


class IndicatorReportSerializer(RecordedDataSerializer):
    profit_tax = serializers.DecimalField(
        max_digits=15, decimal_places=2, read_only=True, allow_null=True, label=_("利税（万元）")
    )

    class Meta:
        model = IndicatorReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "month",
            "output_value",
            "value_added",
            "revenue",
            "profit",
            "tax",
            "investment",
            "profit_tax",
            "employees",
            "source",
            "reported_by",
            "version",
        ]
        read_only_fields = ["reported_by"]
        # Who may mark figures as the statistics bureau's: enterprises.services asks
        # enterprises.permissions.may_record_statistics and answers on `source`.
        extra_kwargs = {"month": {"help_text": _("任意一天均可，保存为该月第一天。")}}
