"""API for reporting periods and half-monthly reports (半月报).

The same selectors, predicates and services as the pages (stationing/views/): a record out of
the user's scope is a 404; the cadres stationed at an enterprise write its plan, a report is
written by its own cadre, and the office approves, returns and reviews. Service errors are mapped
in one place (core.api.errors.service_errors): a field error is a 400, a stale version or a state
that forbids the action (a submitted plan is locked, only a submitted report can be reviewed) a
409.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action

from core.api.errors import service_errors

from ...filtersets import ProgressReportFilterSet, ReportPeriodFilterSet
from ...models import ProgressReport, ReportItemProgress
from ...permissions import may_write_report
from ...selectors import period_list, report_list
from ...services import (
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
)
from ..serializers.reports import (
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReportPeriodSerializer,
    ReportReturnSerializer,
    ReportReviewSerializer,
    ReportSubmitSerializer,
)
from .workflow import (
    DRAFT_FIELDS,
    WorkflowViewSet,
    create_responses,
    write_responses,
)


class ReportPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """报告期 (reporting periods of a programme). `?programme=` lists one programme's periods."""

    serializer_class = ReportPeriodSerializer
    filterset_class = ReportPeriodFilterSet
    ordering_fields = ["number", "start", "due_at"]

    def get_queryset(self):
        return period_list(user=self.request.user).order_by("programme_id", "number")


class ProgressReportViewSet(WorkflowViewSet):
    """半月报 (half-monthly reports): the cadre writes and submits; the office reviews, returns."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    ordering_fields = ["period__start", "submitted_at", "updated_at", "state"]
    office_actions = frozenset({"review", "return_"})
    writer_message = _("只有本人可以填写自己的半月报。")

    def get_queryset(self):
        # Newest periods first (a programme's periods are created in their order), read
        # backwards along the (period, assignment) index: ordering by the period's start and
        # the assignment's names sorted a province's 250,000 reports for every page.
        return (
            report_list(user=self.request.user)
            .order_by("-period_id", "-assignment_id")
            .prefetch_related(
                Prefetch(
                    "item_progress",
                    queryset=ReportItemProgress.objects.select_related("item").order_by(
                        "item__position", "item_id"
                    ),
                ),
                "problems",
                "versions",
            )
        )

    def may_write(self, user, report):
        return may_write_report(user, report.assignment)

    @extend_schema(
        summary=_("打开本期半月报"),
        description=_(
            "本人打开（没有时新建）某驻企安排在某报告期的半月报，按上期内容预填。"
            "重复请求返回同一份报告。"
        ),
        request=ProgressReportCreateSerializer,
        responses=create_responses(ProgressReportSerializer),
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(ProgressReportCreateSerializer)
        assignment, period = data["assignment"], data["period"]
        verdict = may_write_report(request.user, assignment)
        if not verdict:
            self.permission_denied(request, message=verdict.reason)
        existed = ProgressReport.objects.filter(assignment=assignment, period=period).exists()
        with service_errors():
            report = report_get_or_create_draft(
                assignment=assignment, period=period, by=request.user
            )
        return self.respond(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("保存半月报草稿"),
        description=_(
            "未提供的字段保持不变。已报送的报告不能修改（409）；被退回的报告可修改后重新报送。"
        ),
        request=ProgressReportUpdateSerializer,
        responses=write_responses(ProgressReportSerializer),
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
        responses=write_responses(ProgressReportSerializer),
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary=_("报送半月报"),
        description=_(
            "截止时间（报告期结束后 N 天 23:59:59，北京时间）之后报送的标记为逾期。"
            "重复报送返回同一份报告，不产生新版本。"
        ),
        request=ReportSubmitSerializer,
        responses=write_responses(ProgressReportSerializer),
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
        responses=write_responses(ProgressReportSerializer),
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
        responses=write_responses(ProgressReportSerializer),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ReportReturnSerializer)
        with service_errors():
            report = report_return(report=report, by=request.user, reason=data["reason"])
        return self.respond(report)
