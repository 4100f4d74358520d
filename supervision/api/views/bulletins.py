"""API for bulletins (通报): /api/v1/bulletins/.

The same selector, filters, permissions and services as the bulletin pages:

- reads go through supervision.selectors.bulletin_list: published bulletins for every signed-in
  user, drafts for the office over the programme (a draft out of scope is a 404);
- POST /bulletins/ drafts the bulletin of a period (or brings its draft up to date), PUT/PATCH
  edits a draft's text against its version, POST /bulletins/{id}/publish/ publishes it with
  the next number; GET /bulletins/{id}/pdf/ is the PDF of the print view;
- who may write: supervision.permissions.may_edit_bulletins (403 with the reason); a published
  bulletin or an old version: 409; field errors: 400.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.base import FIELD_ERRORS, NOT_FOUND, ErrorDetailSerializer
from core.api.errors import service_errors
from core.pdf import html_to_pdf, pdf_response
from supervision.api.serializers.bulletins import (
    BulletinGenerateSerializer,
    BulletinListItemSerializer,
    BulletinPublishSerializer,
    BulletinSerializer,
    BulletinUpdateSerializer,
)
from supervision.filtersets import BulletinFilterSet
from supervision.models import Bulletin
from supervision.permissions import may_edit_bulletins
from supervision.selectors import bulletin_list
from supervision.services import bulletin_generate, bulletin_publish, bulletin_update
from supervision.views.bulletins import PRINT_TEMPLATE, bulletin_filename, document_context

FORBIDDEN = OpenApiResponse(
    ErrorDetailSerializer, description=_("只有督查室可以生成、修改和发布通报。")
)
CONFLICT = OpenApiResponse(
    ErrorDetailSerializer,
    description=_(
        "通报已发布不能再修改，或版本号已过期（已被他人修改或重新生成）；detail 说明原因。"
    ),
)
WRITE_RESPONSES = {
    200: BulletinSerializer,
    400: FIELD_ERRORS,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}


class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """通报 (bulletins): a period's report rates, missed reports, red tickets, praise and
    criticism, drafted from the data by the office, edited and published with a number."""

    permission_classes = [IsAuthenticated]
    serializer_class = BulletinSerializer
    filterset_class = BulletinFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return bulletin_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return BulletinListItemSerializer
        return BulletinSerializer

    def perform_content_negotiation(self, request, force=False):
        # The PDF is a file whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "pdf")

    @extend_schema(
        summary=_("通报列表"),
        description=_(
            "已发布的通报所有登录用户可见；草稿仅所辖批次的督查室可见。按报告期由新到旧。"
            "列表不含数据和正文，请读取单期通报。"
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("通报详情"),
        description=_("含生成时的数据（facts）和各节正文。"),
        responses={200: BulletinSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("生成通报草稿"),
        description=_(
            "按报告期的数据生成通报草稿（督查室）。该期已有草稿时按最新数据更新，"
            "督查室改过的文字保持不变；该期通报已发布时原样返回（200），不作改动。"
            "新建草稿返回 201。"
        ),
        request=BulletinGenerateSerializer,
        responses={201: BulletinSerializer, **WRITE_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        # Who may write is answered before what was sent: a refused user gets 403, never 400.
        may_edit_bulletins(request.user).check()
        data = self.validated(BulletinGenerateSerializer)
        existed = Bulletin.objects.filter(period=data["period"]).exists()
        with service_errors():
            bulletin = bulletin_generate(period=data["period"], by=request.user)
        return self.respond(bulletin, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("修改通报草稿"),
        description=_(
            "修改草稿的标题、发文单位和各节正文，须带读取时的版本号（version）。"
            "已发布的通报不能修改（409）。"
        ),
        request=BulletinUpdateSerializer,
        responses=WRITE_RESPONSES,
    )
    def update(self, request, *args, **kwargs):
        bulletin = self.get_object()
        may_edit_bulletins(request.user, bulletin.programme).check()
        data = self.validated(BulletinUpdateSerializer)
        version = data.pop("version")
        fields = {
            name: data.get(name, getattr(bulletin, name))
            for name in ("title", "issuer", "overview", "praise", "criticism", "requirements")
        }
        with service_errors():
            bulletin = bulletin_update(
                bulletin=bulletin, by=request.user, expected_version=version, **fields
            )
        return self.respond(bulletin)

    @extend_schema(
        summary=_("修改通报草稿（部分字段）"),
        description=_("同 PUT：未给出的字段保持不变；须带版本号。"),
        request=BulletinUpdateSerializer,
        responses=WRITE_RESPONSES,
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary=_("发布通报"),
        description=_(
            "发布草稿并编号（如“驻企通报〔2027〕第3期”：发布年份内本批次的下一期）。"
            "须带版本号；发布后所有登录用户可见，不能再修改。"
        ),
        request=BulletinPublishSerializer,
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def publish(self, request, pk=None):
        bulletin = self.get_object()
        may_edit_bulletins(request.user, bulletin.programme).check()
        data = self.validated(BulletinPublishSerializer)
        with service_errors():
            bulletin = bulletin_publish(
                bulletin=bulletin, by=request.user, expected_version=data["version"]
            )
        return self.respond(bulletin)

    @extend_schema(
        summary=_("下载通报 PDF"),
        description=_("A4 公文样式的 PDF（与打印页相同），中文字体已嵌入。"),
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("PDF 文件")
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def pdf(self, request, pk=None):
        bulletin = self.get_object()
        html = render_to_string(
            PRINT_TEMPLATE, document_context(bulletin), request=request._request
        )
        return pdf_response(html_to_pdf(html), bulletin_filename(bulletin))

    # --- Shared -----------------------------------------------------------------------------

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, bulletin, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=bulletin.pk).first() or bulletin
        return Response(BulletinSerializer(fresh).data, status=status_code)
