"""API for reporting periods, work plans (一企一策) and half-monthly reports (半月报).

The same selectors and services as the pages (stationing/report_views.py): a plan or report out
of the user's scope is a 404; the cadres stationed at an enterprise write its plan, a report is
written by its own cadre, and the office approves, returns and reviews. Service errors are mapped
in one place (errors.service_errors): a field error is a 400, a stale version or a state that
forbids the action (a submitted plan is locked, only a submitted report can be reviewed) a 409.
"""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from stationing.filtersets import (
    ProgressReportFilterSet,
    ReportPeriodFilterSet,
    WorkPlanFilterSet,
)
from stationing.models import (
    Assignment,
    ProgressReport,
    ReportItemProgress,
    WorkPlan,
    WorkPlanItem,
)
from stationing.selectors import period_list, report_list, work_plan_list
from stationing.services import (
    ITEM_FIELDS,
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_approve,
    work_plan_diff,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)

from .base import FIELD_ERRORS, FORBIDDEN, NOT_FOUND, STATE_CONFLICT
from .errors import service_errors
from .permissions import CadreWritesOfficeDecides, is_own_assignment, is_stationed_for
from .report_serializers import (
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReportPeriodSerializer,
    ReportReturnSerializer,
    ReportReviewSerializer,
    ReportSubmitSerializer,
    WorkPlanApproveSerializer,
    WorkPlanCreateSerializer,
    WorkPlanDiffQuerySerializer,
    WorkPlanDiffSerializer,
    WorkPlanReturnSerializer,
    WorkPlanSerializer,
    WorkPlanUpdateSerializer,
)

DRAFT_FIELDS = ("work_done", "next_steps", "days_on_site", "behind_reason", "remedy")


def _write_responses(serializer):
    return {
        200: serializer,
        400: FIELD_ERRORS,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STATE_CONFLICT,
    }


def _create_responses(serializer):
    return {
        200: OpenApiResponse(serializer, description=_("已存在,返回现有记录。")),
        201: OpenApiResponse(serializer, description=_("已新建。")),
        400: FIELD_ERRORS,
        403: FORBIDDEN,
    }


class WorkflowViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve through a selector; writes are explicit methods calling the services.

    `serializer_class` shows the record (every answer, reads and writes); each write validates
    its input with its own serializer (`validated()`) and answers with the record re-read through
    the selector (`respond()`).
    """

    permission_classes = [IsAuthenticated, CadreWritesOfficeDecides]
    office_actions: frozenset[str] = frozenset()
    writer_message = ""

    def may_write(self, user, obj) -> bool:
        raise NotImplementedError

    def get_serializer_context(self):
        # One "now" for the whole answer, so every row's status is judged at the same moment.
        return {**super().get_serializer_context(), "now": timezone.localtime()}

    def validated(self, serializer_class, data=None) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def respond(self, obj, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(fresh).data, status=status_code)


# --- Periods -------------------------------------------------------------------------------


class ReportPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """报告期 (reporting periods of a programme). `?programme=` lists one programme's periods."""

    serializer_class = ReportPeriodSerializer
    filterset_class = ReportPeriodFilterSet
    ordering_fields = ["number", "start", "due_at"]

    def get_queryset(self):
        return period_list(user=self.request.user).order_by("programme_id", "number")


# --- Work plans ----------------------------------------------------------------------------


class WorkPlanViewSet(WorkflowViewSet):
    """一企一策工作计划 (work plans): the stationed cadres write, the office approves or returns."""

    serializer_class = WorkPlanSerializer
    filterset_class = WorkPlanFilterSet
    ordering_fields = ["enterprise__name", "state", "updated_at", "first_submitted_at"]
    office_actions = frozenset({"approve", "return_"})
    writer_message = _("只有驻该企业的干部可以填写工作计划。")

    def get_queryset(self):
        first_start = (
            Assignment.objects.filter(
                programme_id=OuterRef("programme_id"), enterprise_id=OuterRef("enterprise_id")
            )
            .order_by("start_date")
            .values("start_date")[:1]
        )
        return (
            work_plan_list(user=self.request.user)
            .annotate(first_start=Subquery(first_start))
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=WorkPlanItem.objects.filter(is_active=True).order_by("position", "id"),
                    to_attr="active_items",
                ),
                "versions",
            )
        )

    def may_write(self, user, plan) -> bool:
        return is_stationed_for(
            user, programme_id=plan.programme_id, enterprise_id=plan.enterprise_id
        )

    @extend_schema(
        summary=_("打开企业的工作计划"),
        description=_("驻该企业的干部打开(没有时新建)本企业在该批次的工作计划。"),
        request=WorkPlanCreateSerializer,
        responses=_create_responses(WorkPlanSerializer),
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(WorkPlanCreateSerializer)
        programme, enterprise = data["programme"], data["enterprise"]
        if not is_stationed_for(
            request.user, programme_id=programme.pk, enterprise_id=enterprise.pk
        ):
            self.permission_denied(request, message=self.writer_message)
        existed = WorkPlan.objects.filter(programme=programme, enterprise=enterprise).exists()
        with service_errors():
            plan = work_plan_get_or_create(
                programme=programme, enterprise=enterprise, by=request.user
            )
        return self.respond(plan, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("保存工作计划草稿"),
        description=_(
            "未提供的字段保持不变;提供 items 时以其替换全部任务(带 id 的修改原任务,"
            "不带 id 的新增,未列出的删除)。已报送待审批的计划不能修改(409)。"
        ),
        request=WorkPlanUpdateSerializer,
        responses=_write_responses(WorkPlanSerializer),
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
        responses=_write_responses(WorkPlanSerializer),
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary=_("报送工作计划"),
        description=_("至少要有一项工作任务。重复报送不会产生新版本。"),
        request=None,
        responses=_write_responses(WorkPlanSerializer),
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
        responses=_write_responses(WorkPlanSerializer),
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
        responses=_write_responses(WorkPlanSerializer),
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
        older, newer = sorted((versions[numbers["a"]], versions[numbers["b"]]), key=_number)
        body = {"older": older.number, "newer": newer.number, **work_plan_diff(older, newer)}
        return Response(WorkPlanDiffSerializer(body).data)


def _number(version) -> int:
    return version.number


# --- Half-monthly reports ------------------------------------------------------------------


class ProgressReportViewSet(WorkflowViewSet):
    """半月报 (half-monthly reports): the cadre writes and submits; the office reviews, returns."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    ordering_fields = ["period__start", "submitted_at", "updated_at", "state"]
    office_actions = frozenset({"review", "return_"})
    writer_message = _("只有本人可以填写自己的半月报。")

    def get_queryset(self):
        return report_list(user=self.request.user).prefetch_related(
            Prefetch(
                "item_progress",
                queryset=ReportItemProgress.objects.select_related("item").order_by(
                    "item__position", "item_id"
                ),
            ),
            "problems",
            "versions",
        )

    def may_write(self, user, report) -> bool:
        return is_own_assignment(user, report.assignment)

    @extend_schema(
        summary=_("打开本期半月报"),
        description=_(
            "本人打开(没有时新建)某驻企安排在某报告期的半月报,按上期内容预填。"
            "重复请求返回同一份报告。"
        ),
        request=ProgressReportCreateSerializer,
        responses=_create_responses(ProgressReportSerializer),
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(ProgressReportCreateSerializer)
        assignment, period = data["assignment"], data["period"]
        if not is_own_assignment(request.user, assignment):
            self.permission_denied(request, message=self.writer_message)
        existed = ProgressReport.objects.filter(assignment=assignment, period=period).exists()
        with service_errors():
            report = report_get_or_create_draft(
                assignment=assignment, period=period, by=request.user
            )
        return self.respond(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("保存半月报草稿"),
        description=_(
            "未提供的字段保持不变。已报送的报告不能修改(409);被退回的报告可修改后重新报送。"
        ),
        request=ProgressReportUpdateSerializer,
        responses=_write_responses(ProgressReportSerializer),
    )
    def update(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.validated(ProgressReportUpdateSerializer)
        with service_errors():
            report = report_save_draft(
                report=report,
                by=request.user,
                expected_version=data.get("version"),
                fields={name: data[name] for name in DRAFT_FIELDS if name in data},
                item_progress=data.get("item_progress"),
                problems=data.get("problems"),
            )
        return self.respond(report)

    @extend_schema(
        summary=_("保存半月报草稿"),
        request=ProgressReportUpdateSerializer,
        responses=_write_responses(ProgressReportSerializer),
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary=_("报送半月报"),
        description=_(
            "截止时间(报告期结束后 N 天 23:59:59,北京时间)之后报送的标记为逾期。"
            "重复报送返回同一份报告,不产生新版本。"
        ),
        request=ReportSubmitSerializer,
        responses=_write_responses(ProgressReportSerializer),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReportSubmitSerializer)
        with service_errors():
            report = report_submit(
                report=report, by=request.user, expected_version=data.get("version")
            )
        return self.respond(report)

    @extend_schema(
        summary=_("审阅半月报"),
        request=ReportReviewSerializer,
        responses=_write_responses(ProgressReportSerializer),
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReportReviewSerializer)
        with service_errors():
            report = report_review(
                report=report, by=request.user, rating=data["rating"], comment=data["comment"]
            )
        return self.respond(report)

    @extend_schema(
        summary=_("退回半月报"),
        request=ReportReturnSerializer,
        responses=_write_responses(ProgressReportSerializer),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReportReturnSerializer)
        with service_errors():
            report = report_return(report=report, by=request.user, reason=data["reason"])
        return self.respond(report)
