"""What the plan and report viewsets share: cadres write drafts, the office decides.

The same selectors, predicates and services as the pages (stationing/views/): a record out of
the user's scope is a 404; the cadres stationed at an enterprise write its plan, a report is
written by its own cadre, and the office approves, returns and reviews. Service errors are mapped
in one place (core.api.errors.service_errors): a field error is a 400, a stale version or a state
that forbids the action (a submitted plan is locked, only a submitted report can be reviewed) a
409.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.base import FIELD_ERRORS, FORBIDDEN, NOT_FOUND, STATE_CONFLICT

from ..permissions import CadreWritesOfficeDecides

DRAFT_FIELDS = ("work_done", "next_steps", "days_on_site", "behind_reason", "remedy")


def write_responses(serializer):
    return {
        200: serializer,
        400: FIELD_ERRORS,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STATE_CONFLICT,
    }


def create_responses(serializer):
    return {
        200: OpenApiResponse(serializer, description=_("已存在，返回现有记录。")),
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


def version_number(version) -> int:
    return version.number
