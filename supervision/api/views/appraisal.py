"""API for the appraisal (考核): /api/v1/appraisals/.

The same selectors, filters, permissions and services as the appraisal pages
(supervision/views/appraisal.py):

- runs and results go through supervision.selectors.appraisal: office and leaders read every
  run of their programmes (drafts too), a dispatching unit's staff the published results of
  their cadres, a cadre their own published result; a run out of scope is a 404;
- `results` takes the page's filters (supervision.filtersets.CadreResultFilterSet: unit, work
  group, grade, name);
- starting a run and publishing call supervision.services.appraisal (office only: 403); a start
  while another run of the programme is being computed, or publishing a run that is not a
  draft, is a 409 with the reason.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.base import FIELD_ERRORS, NOT_FOUND, ErrorDetailSerializer
from core.api.errors import Conflict, service_errors
from core.api.filters import NaturalOrderingFilter
from supervision import permissions
from supervision.api.serializers.appraisal import (
    AppraisalRunCreateSerializer,
    AppraisalRunSerializer,
    CadreResultSerializer,
    DepartmentResultSerializer,
    UnitResultSerializer,
)
from supervision.filtersets import CadreResultFilterSet
from supervision.selectors import (
    appraisal_run_list,
    cadre_result_list,
    department_result_list,
    unit_result_list,
)
from supervision.services import AppraisalBusyError, appraisal_publish, appraisal_run_create

FORBIDDEN = OpenApiResponse(ErrorDetailSerializer, description=_("只有督查室可以进行考核和发布。"))
CONFLICT = OpenApiResponse(
    ErrorDetailSerializer,
    description=_("该批次的考核正在计算中，或考核当前状态不允许此操作；detail 说明原因。"),
)


class AppraisalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """考核 (appraisal runs): each run is a frozen, versioned roll-up of a programme as of a date,
    draft until the office publishes it."""

    permission_classes = [IsAuthenticated]
    serializer_class = AppraisalRunSerializer
    # The run list filters by these; the results action has the page's CadreResultFilterSet.
    filterset_class = None
    filterset_fields = ["programme", "state"]
    ordering_fields = ["as_of", "number", "created_at", "published_at"]

    def get_queryset(self):
        if self.action == "results":
            # Narrowed to the run by the action (the FilterSet and the schema need the model).
            return cadre_result_list(user=self.request.user).order_by("rank", "cadre__sort_key")
        return appraisal_run_list(user=self.request.user).order_by("programme_id", "-number")

    def scoped_run(self, pk):
        return get_object_or_404(appraisal_run_list(user=self.request.user), pk=pk)

    @extend_schema(
        summary=_("考核列表"),
        description=_(
            "当前用户可查看的考核（各版本）：督查室和领导看所辖批次的全部版本（含草稿），"
            "派出单位人员和驻企干部只看已发布、含本单位干部或本人结果的版本。"
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("考核详情"), responses={200: AppraisalRunSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("进行考核"),
        description=_(
            "督查室按截止日期计算批次的考核，生成新版本（草稿）。该批次的考核正在计算时返回 409；"
            "已有发布的结果时须填写重新考核原因。"
        ),
        request=AppraisalRunCreateSerializer,
        responses={
            201: AppraisalRunSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            409: CONFLICT,
        },
    )
    def create(self, request):
        permissions.may_run_appraisal(request.user).check()
        serializer = AppraisalRunCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            try:
                run = appraisal_run_create(
                    programme=data["programme"],
                    as_of=data.get("as_of"),
                    by=request.user,
                    reason=data.get("reason", ""),
                )
            except AppraisalBusyError as exc:
                raise Conflict(detail=" ".join(exc.messages), code="busy") from exc
        return Response(AppraisalRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("发布考核结果"),
        description=_("督查室发布草稿；发布后结果不再改变，重新考核生成新版本。"),
        request=None,
        responses={200: AppraisalRunSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request, pk=None):
        run = self.scoped_run(pk)
        permissions.may_run_appraisal(request.user).check()
        with service_errors():
            run = appraisal_publish(run=run, by=request.user)
        return Response(AppraisalRunSerializer(run).data)

    @extend_schema(
        summary=_("干部考核结果"),
        description=_(
            "该版本中当前用户可查看的干部结果：各项得分（不计入的为 null）、依据的数量、总分、"
            "等次和名次。可按派出单位、工作组、等次和姓名筛选（与页面相同）。"
        ),
        responses={200: CadreResultSerializer(many=True), 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[DjangoFilterBackend, NaturalOrderingFilter],
        filterset_class=CadreResultFilterSet,
        ordering_fields=["rank", "total", "cadre__name", "unit__name"],
    )
    def results(self, request, pk=None):
        run = self.scoped_run(pk)
        queryset = self.get_queryset().filter(run=run)
        return self._page(self.filter_queryset(queryset), CadreResultSerializer)

    @extend_schema(
        summary=_("派出单位考核结果"),
        description=_("干部数、平均分、各等次人数；干部数达到最少人数的单位按平均分排名。"),
        responses={200: UnitResultSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def units(self, request, pk=None):
        run = self.scoped_run(pk)
        queryset = unit_result_list(user=request.user, run=run).order_by(
            "rank", "-mean_total", "unit__tree_key", "pk"
        )
        return self._page(queryset, UnitResultSerializer)

    @extend_schema(
        summary=_("承办单位考核结果"),
        description=_(
            "交办诉求数、按期答复率、满意度、平均答复用时；诉求数达到最少件数的单位排名。"
        ),
        responses={200: DepartmentResultSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def departments(self, request, pk=None):
        run = self.scoped_run(pk)
        queryset = department_result_list(user=request.user, run=run).order_by(
            "rank", "-on_time_rate", "unit__tree_key", "pk"
        )
        return self._page(queryset, DepartmentResultSerializer)

    def _page(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)
