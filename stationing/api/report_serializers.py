"""Serializers for reporting periods, work plans (一企一策) and half-monthly reports (半月报).

Reading serializers show a record as the pages do; input serializers validate the shape of what a
client sends, and the services (stationing.services) decide the rest: states, required fields on
submission, the behind-plan rule and stale versions.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list
from stationing.choices import (
    ItemStatus,
    PeriodStatus,
    PlanState,
    ReportRating,
    ReportState,
    TaskArea,
)
from stationing.models import (
    Assignment,
    Programme,
    ProgressReport,
    ProgressReportVersion,
    ReportItemProgress,
    ReportPeriod,
    WorkPlan,
    WorkPlanItem,
    WorkPlanVersion,
)
from stationing.selectors import period_list, period_status, programme_list, report_assignment_list
from stationing.services import plan_due_date, plan_is_overdue

from .schema import NamedChoiceField

VERSION_HELP = _("记录版本号。修改时可带上读取时的版本号,若记录已被他人修改则返回 409。")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id chosen from what the user may see: an id out of scope is refused like a missing one."""

    def __init__(self, *, model: type[Model], scope: Callable[..., QuerySet], **kwargs):
        self.scope = scope
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None) or AnonymousUser())


# --- Periods -------------------------------------------------------------------------------


class ReportPeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, label=_("报告期名称"))

    class Meta:
        model = ReportPeriod
        fields = ["id", "programme", "number", "start", "end", "due_at", "label", "part"]
        read_only_fields = fields


# --- Work plans ----------------------------------------------------------------------------


class WorkPlanItemSerializer(serializers.ModelSerializer):
    area = NamedChoiceField(TaskArea, read_only=True, label=_("任务类别"))
    status = NamedChoiceField(ItemStatus, read_only=True, label=_("状态"))

    class Meta:
        model = WorkPlanItem
        fields = [
            "id",
            "position",
            "area",
            "title",
            "target",
            "owner",
            "due_date",
            "status",
            "progress",
        ]
        read_only_fields = fields


class WorkPlanVersionSummarySerializer(serializers.ModelSerializer):
    state = NamedChoiceField(PlanState, read_only=True, label=_("状态"))

    class Meta:
        model = WorkPlanVersion
        fields = ["number", "state", "submitted_at", "decided_at", "comment"]
        read_only_fields = fields


class WorkPlanSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(
        source="programme.name", read_only=True, label=_("驻企批次名称")
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, label=_("企业名称")
    )
    state = NamedChoiceField(PlanState, read_only=True, label=_("状态"))
    items = WorkPlanItemSerializer(
        source="active_items", many=True, read_only=True, label=_("工作任务")
    )
    versions = WorkPlanVersionSummarySerializer(many=True, read_only=True, label=_("已报送版本"))
    due_date = serializers.SerializerMethodField(
        label=_("报送期限"), help_text=_("首位干部进驻后按批次设定的天数。")
    )
    is_overdue = serializers.SerializerMethodField(label=_("逾期未报送"))

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "programme",
            "programme_name",
            "enterprise",
            "enterprise_name",
            "state",
            "summary",
            "items",
            "versions",
            "latest_number",
            "approved_number",
            "first_submitted_at",
            "due_date",
            "is_overdue",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def _due_date(self, plan):
        if hasattr(plan, "first_start"):  # annotated by the viewset: no query per row
            if plan.first_start is None:
                return None
            return plan.first_start + datetime.timedelta(days=plan.programme.plan_due_days)
        return plan_due_date(programme=plan.programme, enterprise_id=plan.enterprise_id)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_date(self, plan):
        return self._due_date(plan)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, plan) -> bool:
        return plan_is_overdue(
            due_date=self._due_date(plan),
            first_submitted_at=plan.first_submitted_at,
            now=self.context.get("now"),
        )


class WorkPlanCreateSerializer(serializers.Serializer):
    programme = ScopedPrimaryKeyRelatedField(
        model=Programme, scope=lambda user: programme_list(user=user), label=_("驻企批次")
    )
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        scope=lambda user: enterprise_list(user=user),
        label=_("企业"),
    )


class WorkPlanItemInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False,
        allow_null=True,
        label=_("任务编号"),
        help_text=_("修改已有任务时填写;新任务不填。计划中未列出的任务将被删除。"),
    )
    area = NamedChoiceField(TaskArea, label=_("任务类别"))
    title = serializers.CharField(max_length=200, label=_("工作任务"))
    target = serializers.CharField(max_length=300, label=_("可衡量目标"))
    owner = serializers.CharField(max_length=50, label=_("责任人"))
    due_date = serializers.DateField(label=_("完成时限"))


class WorkPlanUpdateSerializer(serializers.Serializer):
    """Save the draft. A field left out keeps its value; `items` replaces the whole list."""

    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)
    summary = serializers.CharField(required=False, allow_blank=True, label=_("总体思路"))
    items = WorkPlanItemInputSerializer(many=True, required=False, label=_("工作任务"))


class WorkPlanApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("审批意见")
    )


class WorkPlanReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(
        allow_blank=True, label=_("审批意见"), help_text=_("退回时必填。")
    )


class PlanItemSnapshotSerializer(serializers.Serializer):
    """An item as it was frozen in a submitted version (values as text)."""

    id = serializers.IntegerField()
    position = serializers.CharField()
    area = serializers.CharField()
    title = serializers.CharField()
    target = serializers.CharField()
    owner = serializers.CharField()
    due_date = serializers.CharField()


class PlanItemChangeSerializer(serializers.Serializer):
    item = PlanItemSnapshotSerializer(help_text=_("较新版本中的任务。"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text=_("改动的字段:字段名 → [旧值, 新值]。"),
    )


class WorkPlanDiffSerializer(serializers.Serializer):
    older = serializers.IntegerField(label=_("较早版本号"))
    newer = serializers.IntegerField(label=_("较新版本号"))
    summary_changed = serializers.BooleanField(label=_("总体思路有改动"))
    added = PlanItemSnapshotSerializer(many=True, label=_("新增任务"))
    removed = PlanItemSnapshotSerializer(many=True, label=_("删除任务"))
    changed = PlanItemChangeSerializer(many=True, label=_("修改的任务"))


class WorkPlanDiffQuerySerializer(serializers.Serializer):
    a = serializers.IntegerField(min_value=1, label=_("版本号"))
    b = serializers.IntegerField(min_value=1, label=_("版本号"))


# --- Half-monthly reports ------------------------------------------------------------------


class ReportItemProgressSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="item.title", read_only=True, label=_("工作任务"))
    status = NamedChoiceField(ItemStatus, read_only=True, label=_("状态"))

    class Meta:
        model = ReportItemProgress
        fields = ["item", "title", "progress", "status", "note"]
        read_only_fields = fields


class ReportVersionSerializer(serializers.ModelSerializer):
    content = serializers.JSONField(
        read_only=True, label=_("内容"), help_text=_("报送时的报告内容,此后不再改变。")
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
        label=_("工作任务"), help_text=_("本报告所列任务的编号;其他编号将被忽略。")
    )
    progress = serializers.IntegerField(min_value=0, max_value=100, label=_("完成进度(%)"))
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
        required=False, allow_null=True, min_value=0, max_value=31, label=_("本期在企天数")
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
        help_text=_("每行一个问题;空行忽略。"),
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
