"""API for work plans (一企一策).

The same selectors, predicates and services as the pages (stationing/views/): a record out of
the user's scope is a 404; the cadres stationed at an enterprise write its plan, a report is
written by its own cadre, and the office approves, returns and reviews. Service errors are mapped
in one place (core.api.errors.service_errors): a field error is a 400, a stale version or a state
that forbids the action (a submitted plan is locked, only a submitted report can be reviewed) a
409.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.base import FIELD_ERRORS, NOT_FOUND
from core.api.errors import service_errors
from stationing.api.serializers.plans import (
    WorkPlanApproveSerializer,
    WorkPlanCreateSerializer,
    WorkPlanDiffQuerySerializer,
    WorkPlanDiffSerializer,
    WorkPlanReturnSerializer,
    WorkPlanSerializer,
    WorkPlanUpdateSerializer,
)

from ...filtersets import WorkPlanFilterSet
from ...models import WorkPlan, WorkPlanItem
from ...permissions import may_write_plan, may_write_work_plan
from ...selectors import with_first_start, work_plan_list
from ...services import (
    ITEM_FIELDS,
    work_plan_approve,
    work_plan_diff,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)
from .workflow import (
    WorkflowViewSet,
    create_responses,
    version_number,
    write_responses,
)


class WorkPlanViewSet(WorkflowViewSet):
    """一企一策工作计划 (work plans): the stationed cadres write, the office approves or returns."""

    serializer_class = WorkPlanSerializer
    filterset_class = WorkPlanFilterSet
    ordering_fields = ["enterprise__name", "state", "updated_at", "first_submitted_at"]
    office_actions = frozenset({"approve", "return_"})
    writer_message = _("只有驻该企业的干部可以填写工作计划。")

    def get_queryset(self):
        # with_first_start: every row's due day (work_plan_due_date) without a query per row.
        return with_first_start(work_plan_list(user=self.request.user)).prefetch_related(
            Prefetch(
                "items",
                queryset=WorkPlanItem.objects.filter(is_active=True).order_by("position", "id"),
                to_attr="active_items",
            ),
            "versions",
        )

    def may_write(self, user, plan):
        return may_write_work_plan(user, plan)

    @extend_schema(
        summary=_("打开企业的工作计划"),
        description=_("驻该企业的干部打开（没有时新建）本企业在该批次的工作计划。"),
        request=WorkPlanCreateSerializer,
        responses=create_responses(WorkPlanSerializer),
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(WorkPlanCreateSerializer)
        programme, enterprise = data["programme"], data["enterprise"]
        verdict = may_write_plan(
            request.user, programme_id=programme.pk, enterprise_id=enterprise.pk
        )
        if not verdict:
            self.permission_denied(request, message=verdict.reason)
        existed = WorkPlan.objects.filter(programme=programme, enterprise=enterprise).exists()
        with service_errors():
            plan = work_plan_get_or_create(
                programme=programme, enterprise=enterprise, by=request.user
            )
        return self.respond(plan, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("保存工作计划草稿"),
        description=_(
            "未提供的字段保持不变；提供 items 时以其替换全部任务（带 id 的修改原任务，"
            "不带 id 的新增，未列出的删除）。已报送待审批的计划不能修改（409）。"
        ),
        request=WorkPlanUpdateSerializer,
        responses=write_responses(WorkPlanSerializer),
    )
    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        data = self.validated(WorkPlanUpdateSerializer)
        items = data.get("items")
        if items is None:
            items = [
                {"id": item.pk, **{name: getattr(item, name) for name in ITEM_FIELDS}}
                for item in plan.active_items
            ]
        with service_errors():
            plan = work_plan_save_draft(
                plan=plan,
                by=request.user,
                expected_version=data.get("version"),
                summary=data.get("summary", plan.summary),
                items=items,
            )
        return self.respond(plan)

    @extend_schema(
        summary=_("保存工作计划草稿"),
        request=WorkPlanUpdateSerializer,
        responses=write_responses(WorkPlanSerializer),
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary=_("报送工作计划"),
        description=_("至少要有一项工作任务。重复报送不会产生新版本。"),
        request=None,
        responses=write_responses(WorkPlanSerializer),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self.get_object()
        with service_errors():
            plan = work_plan_submit(plan=plan, by=request.user)
        return self.respond(plan)

    @extend_schema(
        summary=_("批准工作计划"),
        request=WorkPlanApproveSerializer,
        responses=write_responses(WorkPlanSerializer),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        data = self.validated(WorkPlanApproveSerializer)
        with service_errors():
            plan = work_plan_approve(plan=plan, by=request.user, comment=data["comment"])
        return self.respond(plan)

    @extend_schema(
        summary=_("退回工作计划"),
        request=WorkPlanReturnSerializer,
        responses=write_responses(WorkPlanSerializer),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        plan = self.get_object()
        data = self.validated(WorkPlanReturnSerializer)
        with service_errors():
            plan = work_plan_return(plan=plan, by=request.user, comment=data["comment"])
        return self.respond(plan)

    @extend_schema(
        summary=_("比较两个版本"),
        parameters=[
            OpenApiParameter("a", OpenApiTypes.INT, required=True, description=_("版本号")),
            OpenApiParameter("b", OpenApiTypes.INT, required=True, description=_("版本号")),
        ],
        responses={200: WorkPlanDiffSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def diff(self, request, pk=None):
        plan = self.get_object()
        numbers = self.validated(WorkPlanDiffQuerySerializer, data=request.query_params)
        versions = {v.number: v for v in plan.versions.all()}
        missing = {
            key: [_("没有这个版本。")] for key, number in numbers.items() if number not in versions
        }
        if missing:
            raise ValidationError(missing)
        older, newer = sorted((versions[numbers["a"]], versions[numbers["b"]]), key=version_number)
        body = {"older": older.number, "newer": newer.number, **work_plan_diff(older, newer)}
        return Response(WorkPlanDiffSerializer(body).data)
