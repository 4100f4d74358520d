"""Serializers for reporting periods, work plans (一企一策) and half-monthly reports (半月报).

Reading serializers show a record as the pages do; input serializers validate the shape of what a
client sends, and the services (stationing.services) decide the rest: states, required fields on
submission, the behind-plan rule and stale versions.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import VERSION_HELP, ScopedPrimaryKeyRelatedField
from core.api.schema import NamedChoiceField
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list

from ...choices import ItemStatus, PlanState, TaskArea
from ...models import (
    Programme,
    WorkPlan,
    WorkPlanItem,
    WorkPlanVersion,
)
from ...selectors import (
    plan_is_overdue,
    programme_list,
    work_plan_due_date,
)


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

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_date(self, plan):
        return work_plan_due_date(plan)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, plan) -> bool:
        return plan_is_overdue(
            due_date=work_plan_due_date(plan),
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
        help_text=_("修改已有任务时填写；新任务不填。计划中未列出的任务将被删除。"),
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
        help_text=_("改动的字段：字段名 → [旧值，新值]。"),
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
