"""API viewsets for programmes, units, work groups, cadres and assignments (office writes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import IsAuthenticated

from core import services as core_services
from core.api.base import ServiceViewSet
from core.selectors import unit_list
from stationing import services
from stationing.api.permissions import EditsUnits, SetsUp
from stationing.api.serializers.organisation import (
    AssignmentSerializer,
    CadreSerializer,
    ProgrammeSerializer,
    UnitSerializer,
    WorkGroupSerializer,
)
from stationing.filtersets import (
    AssignmentFilterSet,
    CadreFilterSet,
    ProgrammeFilterSet,
    UnitFilterSet,
    WorkGroupFilterSet,
)
from stationing.selectors import assignment_list, cadre_list, programme_list, work_group_list


class ProgrammeViewSet(ServiceViewSet):
    """驻企批次 (stationing programmes)."""

    serializer_class = ProgrammeSerializer
    permission_classes = [IsAuthenticated, SetsUp]
    filterset_class = ProgrammeFilterSet
    ordering_fields = ["name", "start_date", "end_date", "status", "updated_at"]
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)
    instance_kwarg = "programme"

    def get_queryset(self):
        return programme_list(user=self.request.user)


class UnitViewSet(ServiceViewSet):
    """单位 (government units). Every signed-in user may read them; the office edits its own."""

    serializer_class = UnitSerializer
    permission_classes = [IsAuthenticated, EditsUnits]
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "path", "level", "kind"]
    create_service = staticmethod(core_services.unit_create)
    update_service = staticmethod(core_services.unit_update)
    instance_kwarg = "unit"

    def get_queryset(self):
        return unit_list(user=self.request.user)


class WorkGroupViewSet(ServiceViewSet):
    """工作组 (work groups of a programme)."""

    serializer_class = WorkGroupSerializer
    permission_classes = [IsAuthenticated, SetsUp]
    filterset_class = WorkGroupFilterSet
    ordering_fields = ["name", "programme"]
    create_service = staticmethod(services.work_group_create)
    update_service = staticmethod(services.work_group_update)
    instance_kwarg = "work_group"

    def get_queryset(self):
        return work_group_list(user=self.request.user)


class CadreViewSet(ServiceViewSet):
    """驻企干部 (stationed cadres). Creating one creates their login (phone number)."""

    serializer_class = CadreSerializer
    # The schema names these records 驻企干部, not the profile's 人员 (core.api.schema).
    schema_noun = _("驻企干部")
    permission_classes = [IsAuthenticated, SetsUp]
    filterset_class = CadreFilterSet
    ordering_fields = ["name", "rank", "unit__path"]
    create_service = staticmethod(core_services.cadre_create)
    update_service = staticmethod(core_services.profile_update)
    instance_kwarg = "profile"

    def get_queryset(self):
        return cadre_list(user=self.request.user)


class AssignmentViewSet(ServiceViewSet):
    """驻企安排 (which cadre is stationed at which enterprise in a programme)."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated, SetsUp]
    filterset_class = AssignmentFilterSet
    ordering_fields = ["start_date", "end_date", "enterprise__name", "cadre__name", "role"]
    create_service = staticmethod(services.assignment_create)
    update_service = staticmethod(services.assignment_update)
    instance_kwarg = "assignment"

    def get_queryset(self):
        return assignment_list(user=self.request.user)
