"""Serializers for the appraisal API (/api/v1/appraisals/): runs, and a run's cadre, unit and
department results. Results are read-only: supervision.services.appraisal writes them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.schema import NamedChoiceField
from stationing.models import Programme
from stationing.selectors import programme_list
from supervision.choices import AppraisalGrade, AppraisalState
from supervision.models import AppraisalRun, CadreResult, DepartmentResult, UnitResult


class AppraisalRunSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(
        source="programme.name", read_only=True, label=_("驻企批次名称")
    )
    state = NamedChoiceField(AppraisalState, read_only=True, label=_("状态"))
    settings_snapshot = serializers.JSONField(
        read_only=True,
        label=_("考核设置"),
        help_text=_(
            "计算时的设置：weights（各项权重）、bands（等次分数线）、excellent_quota_percent"
            "（优秀比例）、unit_min_sample、department_min_sample、review_working_days。"
        ),
    )

    class Meta:
        model = AppraisalRun
        fields = [
            "id",
            "programme",
            "programme_name",
            "number",
            "as_of",
            "state",
            "reason",
            "settings_snapshot",
            "created_at",
            "finished_at",
            "published_at",
            "cadre_count",
            "excellent_quota",
            "excellent_count",
            "quota_overrun",
        ]
        read_only_fields = fields


class AppraisalRunCreateSerializer(serializers.Serializer):
    programme = ScopedPrimaryKeyRelatedField(
        model=Programme,
        scope=lambda user: programme_list(user=user),
        label=_("驻企批次"),
    )
    as_of = serializers.DateField(
        required=False, label=_("考核截止日期"), help_text=_("不填则为批次结束日期。")
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        label=_("重新考核原因"),
        help_text=_("该批次已有发布的考核结果时必填。"),
    )


class CadreResultSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, label=_("干部姓名"))
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, default=None, label=_("派出单位名称")
    )
    work_group_name = serializers.CharField(
        source="work_group.name", read_only=True, default=None, label=_("工作组名称")
    )
    grade = NamedChoiceField(AppraisalGrade, read_only=True, allow_blank=True, label=_("等次"))
    detail = serializers.JSONField(
        read_only=True,
        label=_("明细"),
        help_text=_(
            "plan_items：计入的工作任务（id、title、due_date、progress）；enterprises：所驻企业；"
            "review_points：已评定报告的合计分；stars：企业评价合计星数。"
        ),
    )

    class Meta:
        model = CadreResult
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit",
            "unit_name",
            "work_group",
            "work_group_name",
            "reports",
            "attendance",
            "plan",
            "problems",
            "enterprise_rating",
            "office_rating",
            "total",
            "grade",
            "quota_moved",
            "rank",
            "expected_entries",
            "reports_on_time",
            "reports_late",
            "reports_missing",
            "days_on_site",
            "has_approved_plan",
            "plan_items",
            "tickets_counted",
            "tickets_satisfied",
            "tickets_basic",
            "ratings_counted",
            "reviews_counted",
            "detail",
        ]
        read_only_fields = fields


class UnitResultSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("派出单位名称"))

    class Meta:
        model = UnitResult
        fields = [
            "id",
            "unit",
            "unit_name",
            "cadre_count",
            "mean_total",
            "excellent",
            "good",
            "passed",
            "failed",
            "rank",
        ]
        read_only_fields = fields


class DepartmentResultSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("承办单位名称"))

    class Meta:
        model = DepartmentResult
        fields = [
            "id",
            "unit",
            "unit_name",
            "tickets_assigned",
            "answered_on_time",
            "on_time_rate",
            "rated",
            "satisfied",
            "basic",
            "satisfaction",
            "mean_working_days",
            "rank",
        ]
        read_only_fields = fields
