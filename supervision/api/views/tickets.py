"""API for problem tickets (企业诉求): /api/v1/tickets/.

The same selectors, filters, permissions and services as the ticket pages (supervision/views/):

- reads go through supervision.selectors.ticket_list: a ticket out of the user's scope is a 404,
  its events and attachment downloads included;
- the list takes the page's filters (supervision.filtersets.TicketFilterSet) and carries
  `state_counts`: the number of tickets per state under the other filters (state and page
  ignored), as the page's tabs show them;
- each step of the loop is a POST action generated from the step table (supervision.steps):
  its serializer validates the input and its service takes the step; the role check is
  supervision.permissions.may_attempt (wrong role: 403 with the reason), the state check is the
  service's, by the same rules (TransitionError: 409 with the reason), a field error is a 400
  under the field;
- a ticket's content cannot be changed after it is raised: there is no PUT or PATCH.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.base import FIELD_ERRORS, NOT_FOUND, ErrorDetailSerializer
from core.api.errors import Conflict, service_errors
from core.api.pagination import NarrowPageNumberPagination
from supervision import attachments, permissions, steps
from supervision.api.serializers.tickets import (
    TicketCreateSerializer,
    TicketEventSerializer,
    TicketListItemSerializer,
    TicketSerializer,
)
from supervision.choices import TicketState
from supervision.filtersets import TicketFilterSet
from supervision.selectors import attachment_list, state_counts, ticket_event_list, ticket_list
from supervision.services import ticket_attach_many, ticket_create

FORBIDDEN = OpenApiResponse(ErrorDetailSerializer, description=_("您的角色不能执行此操作。"))
STATE_CONFLICT = OpenApiResponse(
    ErrorDetailSerializer,
    description=_(
        "诉求当前的状态不允许此操作（如已被他人受理、已超过异议期限、由其他经办人负责），"
        "或版本号已过期；detail 说明原因。"
    ),
)
STEP_RESPONSES = {
    200: TicketSerializer,
    400: FIELD_ERRORS,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: STATE_CONFLICT,
}


class TicketPagination(NarrowPageNumberPagination):
    """Pages of tickets, with the counts per state under the other filters (`state_counts`)."""

    state_counts: list[dict] | None = None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["state_counts"] = self.state_counts or []
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["state_counts"] = {
            "type": "array",
            "description": str(
                _("各状态的诉求数：按除状态和页码以外的筛选条件统计，每个状态一项（数量可为 0）。")
            ),
            "items": {
                "type": "object",
                "required": ["state", "label", "count"],
                "properties": {
                    "state": {"type": "string", "enum": list(TicketState.values)},
                    "label": {"type": "string"},
                    "count": {"type": "integer"},
                },
            },
        }
        schema["required"] = [*schema.get("required", []), "state_counts"]
        return schema


def _with_attachments(queryset, user):
    return queryset.prefetch_related(
        Prefetch(
            "attachments",
            queryset=attachment_list(user=user).order_by("uploaded_at", "pk"),
            to_attr="visible_attachments",
        )
    )


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """企业诉求 (problem tickets): raised by a cadre or the enterprise, routed by the office to a
    department, answered and rated. Every step is an event on the ticket's timeline."""

    permission_classes = [IsAuthenticated]
    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    # Filtering and `ordering` (urgency included) come from TicketFilterSet alone, as on the
    # pages; DRF's own OrderingFilter would override the FilterSet's urgency order.
    filter_backends = [DjangoFilterBackend]
    pagination_class = TicketPagination

    def get_queryset(self):
        queryset = (
            ticket_list(user=self.request.user)
            .prefetch_related("co_units")
            .order_by("-created_at", "-id")
        )
        if self.action == "retrieve":
            queryset = _with_attachments(queryset, self.request.user)
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return TicketListItemSerializer
        return TicketSerializer

    def get_serializer_context(self):
        # One moment for the whole answer: every row's colour is judged at the same time.
        return {**super().get_serializer_context(), "now": timezone.now()}

    def perform_content_negotiation(self, request, force=False):
        # A download is a file whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "attachment"
        )

    # --- Reading --------------------------------------------------------------------------

    @extend_schema(
        summary=_("诉求列表"),
        description=_(
            "当前用户范围内的诉求：督查室和领导看辖区内的，承办或协办单位看交办给本单位的，"
            "驻企干部看所驻企业的，企业联络人看本企业的。列表不含 allowed_actions 和 attachments，"
            "请读取单条诉求。state_counts 给出各状态的数量（按除状态外的其他筛选条件）。"
        ),
    )
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        counts = self._counts()
        # The filters were valid (or the backend answered 400): the state counts add up to
        # the list's count, so the table is read once for both.
        state = request.query_params.get("state")
        self.paginator.use_count(counts.get(state, 0) if state else sum(counts.values()))
        page = self.paginate_queryset(queryset)
        self.paginator.state_counts = self._state_counts(counts)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def _counts(self) -> dict[str, int]:
        params = self.request.query_params.copy()
        for name in ("state", "page", "ordering"):
            params.pop(name, None)
        others = TicketFilterSet(
            params or None, queryset=ticket_list(user=self.request.user), request=self.request
        )
        return state_counts(others.qs if others.is_valid() else others.queryset)

    def _state_counts(self, counts: dict[str, int]):
        return [
            {"state": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in TicketState.choices
        ]

    @extend_schema(
        summary=_("诉求详情"),
        description=_("含当前用户此刻可执行的操作（allowed_actions）和附件。"),
        responses={200: TicketSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("办理记录"),
        description=_("诉求的全部办理记录（时间线），按时间先后；每步含操作人、前后状态和说明。"),
        responses={200: TicketEventSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        ticket = self.get_object()
        events = (
            ticket_event_list(user=request.user, ticket=ticket)
            .order_by("at", "pk")
            .prefetch_related(
                Prefetch(
                    "attachments",
                    queryset=attachment_list(user=request.user).order_by("uploaded_at", "pk"),
                )
            )
        )
        serializer = TicketEventSerializer(events, many=True, context=self.get_serializer_context())
        return Response(serializer.data)

    @extend_schema(
        summary=_("下载附件"),
        description=_("只有能看到该诉求的用户可以下载；以附件方式返回，不在浏览器中打开。"),
        parameters=[
            OpenApiParameter(
                "attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("附件编号")
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("文件内容")
            ),
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment",
        filter_backends=[],
        pagination_class=None,
    )
    def attachment(self, request, pk=None, attachment_id=None):
        ticket = self.get_object()
        attachment = get_object_or_404(
            attachment_list(user=request.user).filter(ticket=ticket), pk=attachment_id
        )
        return attachments.download_response(attachment)

    # --- Raising ---------------------------------------------------------------------------

    @extend_schema(
        summary=_("提出诉求"),
        description=_(
            "驻企干部为所驻企业、企业联络人为本企业提出诉求；企业不在可提出范围内时 enterprise "
            "字段报错（400）。附件以 multipart/form-data 的 attachments 字段上传。"
            "提出后内容不能再修改。"
        ),
        request=TicketCreateSerializer,
        responses={201: TicketSerializer, 400: FIELD_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(TicketCreateSerializer)
        uploads = data.pop("attachments", [])
        with service_errors(), transaction.atomic():
            ticket = ticket_create(by=request.user, **data)
            self.attach(ticket, uploads)
        return self.respond(ticket, status.HTTP_201_CREATED)

    # --- Shared -----------------------------------------------------------------------------

    def take(self, step: steps.Step) -> Response:
        """Scope (404), role (403), state and conditions (409), input (400), then the service
        (409 for a step refused meanwhile)."""
        ticket = self.get_object()
        verdict = permissions.may_attempt(self.request.user, ticket, step.name)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        verdict = steps.possible_now(step, self.request.user, ticket)
        if not verdict:
            raise Conflict(verdict.reason, code="state")
        data = self.validated(step.serializer, ticket=ticket)
        uploads = data.pop("attachments", None) or []
        with service_errors(), transaction.atomic():
            ticket = steps.take(step, ticket=ticket, by=self.request.user, data=data)
            self.attach(ticket, uploads)
        return self.respond(ticket)

    def validated(self, serializer_class, **context) -> dict:
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, ticket, status_code=status.HTTP_200_OK) -> Response:
        """The ticket read back through the selector, as GET /tickets/{id}/ shows it."""
        fresh = (
            _with_attachments(self.get_queryset(), self.request.user).filter(pk=ticket.pk).first()
        )
        serializer = TicketSerializer(fresh or ticket, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    def attach(self, ticket, uploads) -> None:
        """Keep the uploads on the step just taken, through the service the pages use too."""
        if uploads:
            ticket_attach_many(ticket=ticket, by=self.request.user, uploads=uploads)


# --- The steps of the loop --------------------------------------------------------------------


def _step_action(step: steps.Step):
    """POST /api/v1/tickets/{id}/<slug>/ for one entry of the step table, documented with the
    entry's serializer."""

    def take_step(self, request, pk=None):
        return self.take(step)

    take_step.__name__ = step.name
    take_step.__qualname__ = f"TicketViewSet.{step.name}"
    take_step.__doc__ = str(step.description)
    routed = action(detail=True, methods=["post"], url_path=step.slug, url_name=step.slug)(
        take_step
    )
    return extend_schema(
        summary=step.summary,
        description=step.description,
        request=step.serializer,
        responses=STEP_RESPONSES,
    )(routed)


# One route per step; the router reads them when it builds the URLs (config/api_urls.py).
for _step in steps.STEPS.values():
    setattr(TicketViewSet, _step.name, _step_action(_step))
