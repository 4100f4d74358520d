"""API for key projects (重点项目, 领导包项): /api/v1/projects/.

The same selectors, filters, predicates and services as the project pages (projects/views/):

- reads go through projects.selectors.project_list: the team and the responsible leader see
  their projects, the office and the leaders those of their programmes, a department the ones it
  leads, helps or handles tickets for; anything else is a 404;
- the list takes the page's filters (projects.filtersets.KeyProjectFilterSet) and `ordering`;
- the office registers and edits projects (POST, PUT, PATCH with `version`: a stale one is a
  409); there is no DELETE;
- `move-stage` moves a project along its programme's chain (forward freely, backward only with
  a reason), `progress` lists the monthly progress (GET) or files a month's (POST, the team
  only, once per month: a second one is a 409); `milestones` lists the milestones.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from core.api.base import (
    FIELD_ERRORS,
    NOT_FOUND,
    STALE,
    ErrorDetailSerializer,
    ServiceViewSet,
)
from core.api.errors import Conflict, service_errors
from core.api.filters import NaturalOrderingFilter

from ... import services
from ...filtersets import KeyProjectFilterSet
from ...models import ProjectMember, ProjectMilestone, ProjectProblem, ProjectStageMove
from ...permissions import may_file_progress, may_manage_projects, may_move_stage
from ...selectors import (
    milestone_list,
    progress_list,
    project_list,
    stage_rank,
    with_figures,
)
from ..serializers.projects import (
    KeyProjectDetailSerializer,
    KeyProjectSerializer,
    ProgressSubmitSerializer,
    ProjectMilestoneSerializer,
    ProjectProgressSerializer,
    StageMoveSerializer,
)

FORBIDDEN = OpenApiResponse(ErrorDetailSerializer, description=_("您的角色不能执行此操作。"))
DUPLICATE = OpenApiResponse(ErrorDetailSerializer, description=_("该月进展已经报送。"))


class ManagesProjects(BasePermission):
    """Registering and editing: the office (may_manage_projects). Reads are scoped by the
    selector; the actions check their own predicates on the project."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.action not in {
            "create",
            "update",
            "partial_update",
        }:
            return True
        verdict = may_manage_projects(request.user)
        self.message = verdict.reason
        return bool(verdict)


class ProjectOrderingFilter(NaturalOrderingFilter):
    """`ordering=stage` sorts along the chain (招商 … 投产), not alphabetically."""

    aliases = {"stage": "stage_rank"}

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        return [
            ("-" if term.startswith("-") else "")
            + self.aliases.get(term.lstrip("-"), term.lstrip("-"))
            for term in ordering
        ]


def _progress_rows(user):
    """Monthly progress as the project page shows it: newest first, with its problems (and the
    ticket each became) and the milestones it met."""
    problems = ProjectProblem.objects.annotate(ticket_pk=F("ticket__pk")).order_by("position", "pk")
    return (
        progress_list(user=user)
        .prefetch_related(Prefetch("problems", queryset=problems), "milestones_met")
        .order_by("-month")
    )


def _is_duplicate_month(exc: DjangoValidationError) -> bool:
    errors = getattr(exc, "error_dict", {}).get("month", [])
    return any(error.code == "duplicate" for error in errors)


@extend_schema_view(
    list=extend_schema(
        summary=_("重点项目列表"),
        description=_(
            "当前用户范围内的重点项目：包项领导和工作专班看自己的项目，督查室和领导看本辖区"
            "驻企批次的项目，部门看牵头、配合或承办其诉求的项目。筛选条件与项目列表页相同；"
            "ordering 可按 name、stage（按阶段顺序）、total_investment、investment_to_date、"
            "late_milestones、plan_year、updated_at 排序，前加“-”为倒序。"
        ),
    ),
    retrieve=extend_schema(
        summary=_("重点项目详情"),
        description=_("含项目节点、月度进展（由近及远）和阶段变更记录。"),
        responses={200: KeyProjectDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("登记重点项目"),
        description=_(
            "督查室登记。所选批次、企业、领导、单位和干部须在本人范围内，否则该字段报错（400）。"
        ),
    ),
    update=extend_schema(
        summary=_("修改重点项目"),
        description=_(
            "督查室修改。批次和阶段不在此修改（阶段用 move-stage）；"
            "带上 version 时若项目已被他人修改则返回 409。"
        ),
    ),
    partial_update=extend_schema(
        summary=_("修改重点项目的部分字段"),
        description=_("未提供的字段保持不变；team_leader 和 team_members 一起替换整个专班。"),
    ),
)
class KeyProjectViewSet(ServiceViewSet):
    """重点项目 (key projects): one project, one leader, one team, followed to the end."""

    serializer_class = KeyProjectSerializer
    permission_classes = [IsAuthenticated, ManagesProjects]
    filterset_class = KeyProjectFilterSet
    filter_backends = [DjangoFilterBackend, ProjectOrderingFilter]
    ordering_fields = [
        "name",
        "stage",
        "total_investment",
        "investment_to_date",
        "late_milestones",
        "plan_year",
        "updated_at",
    ]
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)
    instance_kwarg = "project"

    def get_queryset(self):
        user = self.request.user
        queryset = (
            with_figures(project_list(user=user), today=self.today)
            .annotate(stage_rank=stage_rank())
            .prefetch_related(
                "co_units",
                Prefetch(
                    "memberships",
                    queryset=ProjectMember.objects.select_related("profile").order_by(
                        "role", "profile__sort_key", "pk"
                    ),
                ),
            )
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "milestones",
                    queryset=ProjectMilestone.objects.order_by("planned_date", "position", "pk"),
                    to_attr="ordered_milestones",
                ),
                Prefetch(
                    "progress_reports", queryset=_progress_rows(user), to_attr="progress_history"
                ),
                Prefetch(
                    "stage_moves",
                    # Scoped through the projects they hang on.
                    queryset=ProjectStageMove.objects.select_related("by__profile").order_by(
                        "-at", "-pk"
                    ),
                    to_attr="stage_history",
                ),
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return KeyProjectDetailSerializer
        return KeyProjectSerializer

    @property
    def today(self):
        if not hasattr(self, "_today"):
            self._today = timezone.localdate()
        return self._today

    def get_serializer_context(self):
        # One day for the whole answer: every milestone's colour is judged on the same date.
        return {**super().get_serializer_context(), "today": self.today}

    def validated(self, serializer_class, **context) -> dict:
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, project, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=project.pk).first() or project
        return Response(
            KeyProjectSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    # --- Stage ----------------------------------------------------------------------------

    @extend_schema(
        summary=_("变更项目阶段"),
        description=_(
            "督查室、包项领导和工作专班可以变更。可向后跳过若干阶段；回退到前面的阶段须填写"
            "原因，否则 reason 字段报错（400）。阶段须在本批次的阶段链中。"
        ),
        request=StageMoveSerializer,
        responses={
            200: KeyProjectSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    @action(detail=True, methods=["post"], url_path="move-stage", url_name="move-stage")
    def move_stage(self, request, pk=None):
        project = self.get_object()
        verdict = may_move_stage(request.user, project)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        data = self.validated(StageMoveSerializer)
        try:
            with service_errors():
                project = services.project_move_stage(
                    project=project,
                    by=request.user,
                    to_stage=data["stage"],
                    reason=data["reason"],
                    expected_version=data.get("version"),
                )
        except ValidationError as exc:
            # The service words its errors for the page's form field, `to_stage`.
            if isinstance(exc.detail, dict) and "to_stage" in exc.detail:
                exc.detail["stage"] = exc.detail.pop("to_stage")
            raise
        return self.respond(project)

    # --- Milestones and monthly progress ---------------------------------------------------

    @extend_schema(
        summary=_("项目节点"),
        description=_("按计划完成日期排列，每个节点带状态（正常、临期、滞后）。"),
        responses={200: ProjectMilestoneSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def milestones(self, request, pk=None):
        project = self.get_object()
        rows = (
            milestone_list(user=request.user)
            .filter(project=project)
            .order_by("planned_date", "position", "pk")
        )
        serializer = ProjectMilestoneSerializer(
            rows, many=True, context=self.get_serializer_context()
        )
        return Response(serializer.data)

    @extend_schema(
        methods=["GET"],
        summary=_("月度进展"),
        description=_("项目的月度进展，按月份由近及远，含每月的问题及其转成的诉求。"),
        responses={200: ProjectProgressSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("报送月度进展"),
        description=_(
            "工作专班成员报送（其他人 403）。每个项目每月一次，重复报送返回 409；不能报送以后"
            "月份，达到阶段不能早于当前阶段（400）。所选节点记为完成，达到阶段晚于当前阶段时"
            "项目随之前移。"
        ),
        request=ProgressSubmitSerializer,
        responses={
            201: ProjectProgressSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: DUPLICATE,
        },
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def progress(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            rows = _progress_rows(request.user).filter(project=project)
            serializer = ProjectProgressSerializer(
                rows, many=True, context=self.get_serializer_context()
            )
            return Response(serializer.data)
        verdict = may_file_progress(request.user, project)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        data = self.validated(ProgressSubmitSerializer, project=project)
        with service_errors():
            try:
                progress = services.progress_submit(project=project, by=request.user, **data)
            except DjangoValidationError as exc:
                if _is_duplicate_month(exc):
                    raise Conflict(" ".join(exc.messages), code="duplicate") from exc
                raise
        # Read back among the project's months: the running total is a window over them, which
        # a filter on the one row would cut short.
        rows = _progress_rows(request.user).filter(project=project)
        fresh = next(row for row in rows if row.pk == progress.pk)
        serializer = ProjectProgressSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED)
