"""Serializers for reporting periods, work plans (一企一策) and half-monthly reports (半月报).

Reading serializers show a record as the pages do; input serializers validate the shape of what a
client sends, and the services (stationing.services) decide the rest: states, required fields on
submission, the behind-plan rule and stale versions.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import VERSION_HELP, ScopedPrimaryKeyRelatedField
from core.api.schema import NamedChoiceField

from ...choices import ItemStatus, PeriodStatus, ReportRating, ReportState
from ...models import (
    Assignment,
    ProgressReport,
    ProgressReportVersion,
    ReportItemProgress,
    ReportPeriod,
)
from ...periods import MAX_PERIOD_DAYS
from ...selectors import period_list, period_status, report_assignment_list


class ReportPeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, label=_("报告期名称"))

    class Meta:
        model = ReportPeriod
        fields = ["id", "programme", "number", "start", "end", "due_at", "label", "part"]
        read_only_fields = fields


class ReportItemProgressSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="item.title", read_only=True, label=_("工作任务"))
    status = NamedChoiceField(ItemStatus, read_only=True, label=_("状态"))

    class Meta:
        model = ReportItemProgress
        fields = ["item", "title", "progress", "status", "note"]
        read_only_fields = fields


class ReportVersionSerializer(serializers.ModelSerializer):
    content = serializers.JSONField(
        read_only=True, label=_("内容"), help_text=_("报送时的报告内容，此后不再改变。")
    )

    class Meta:
        model = ProgressReportVersion
        fields = ["number", "submitted_at", "is_late", "content"]
        read_only_fields = fields


class PeriodStatusField(NamedChoiceField):
    """The report as the cadre and the office see it for its period (selectors.period_status)."""

    def __init__(self, **kwargs):
        super().__init__(PeriodStatus, source="*", read_only=True, **kwargs)

    def to_representation(self, report):
        now = self.context.get("now") or timezone.localtime()
        return period_status(report=report, period=report.period, now=now)


class ProgressReportSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(
        source="assignment.programme_id", read_only=True, label=_("驻企批次")
    )
    enterprise = serializers.IntegerField(
        source="assignment.enterprise_id", read_only=True, label=_("企业")
    )
    enterprise_name = serializers.CharField(
        source="assignment.enterprise.name", read_only=True, label=_("企业名称")
    )
    cadre = serializers.IntegerField(
        source="assignment.cadre_id", read_only=True, label=_("驻企干部")
    )
    cadre_name = serializers.CharField(
        source="assignment.cadre.name", read_only=True, label=_("干部姓名")
    )
    period_label = serializers.CharField(
        source="period.label", read_only=True, label=_("报告期名称")
    )
    state = NamedChoiceField(ReportState, read_only=True, label=_("状态"))
    # Blank until the office reviews the report.
    rating = NamedChoiceField(ReportRating, allow_blank=True, read_only=True, label=_("评定"))
    status = PeriodStatusField(label=_("报送情况"))
    item_progress = ReportItemProgressSerializer(many=True, read_only=True, label=_("任务进度"))
    problems = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="description", label=_("发现的问题")
    )
    versions = ReportVersionSerializer(many=True, read_only=True, label=_("已报送版本"))

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "assignment",
            "programme",
            "enterprise",
            "enterprise_name",
            "cadre",
            "cadre_name",
            "period",
            "period_label",
            "state",
            "status",
            "work_done",
            "planned_steps",
            "next_steps",
            "days_on_site",
            "behind_reason",
            "remedy",
            "item_progress",
            "problems",
            "submitted_at",
            "first_submitted_at",
            "is_late",
            "rating",
            "review_comment",
            "reviewed_at",
            "return_reason",
            "returned_at",
            "versions",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):
    assignment = ScopedPrimaryKeyRelatedField(
        model=Assignment,
        scope=lambda user: report_assignment_list(user=user),
        label=_("驻企安排"),
    )
    period = ScopedPrimaryKeyRelatedField(
        model=ReportPeriod, scope=lambda user: period_list(user=user), label=_("报告期")
    )


class ReportItemProgressInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        label=_("工作任务"), help_text=_("本报告所列任务的编号；其他编号将被忽略。")
    )
    # The range is the service's rule (stationing.services.item_progress_value), so the API
    # and the page refuse 150 or -5 with one message naming the item.
    progress = serializers.IntegerField(
        label=_("完成进度（%）"), help_text=_("0 到 100 之间的整数。")
    )
    status = NamedChoiceField(ItemStatus, label=_("状态"))
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", label=_("进展说明")
    )


class ProgressReportUpdateSerializer(serializers.Serializer):
    """Save the draft. A field left out keeps its value; lists replace the whole list."""

    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)
    work_done = serializers.CharField(required=False, allow_blank=True, label=_("本期工作情况"))
    next_steps = serializers.CharField(required=False, allow_blank=True, label=_("下一步工作措施"))
    days_on_site = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_PERIOD_DAYS,
        label=_("本期在企天数"),
    )
    behind_reason = serializers.CharField(required=False, allow_blank=True, label=_("进度滞后原因"))
    remedy = serializers.CharField(required=False, allow_blank=True, label=_("解决办法"))
    item_progress = ReportItemProgressInputSerializer(
        many=True, required=False, label=_("任务进度")
    )
    problems = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        label=_("发现的问题"),
        help_text=_("每行一个问题；空行忽略。"),
    )


class ReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class ReportReviewSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=ReportRating.choices, label=_("评定"))
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("审阅意见")
    )


class ReportReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, label=_("退回原因"), help_text=_("退回时必填。")
    )
