"""API viewsets for enterprises (office writes), surveys and indicators (office or cadre)."""

from rest_framework.permissions import IsAuthenticated

from core.api.base import ServiceViewSet
from enterprises import services
from enterprises.api.permissions import EditsEnterprises, RecordsEnterpriseData
from enterprises.api.serializers import (
    EnterpriseSerializer,
    EnterpriseSurveySerializer,
    IndicatorReportSerializer,
)
from enterprises.filtersets import (
    EnterpriseFilterSet,
    EnterpriseSurveyFilterSet,
    IndicatorReportFilterSet,
)
from enterprises.selectors import enterprise_list, indicator_list, survey_list


class EnterpriseViewSet(ServiceViewSet):
    """企业 (enterprises). `?q=` searches name and credit code; `?region=` includes townships."""

    serializer_class = EnterpriseSerializer
    permission_classes = [IsAuthenticated, EditsEnterprises]
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "credit_code", "industry", "size", "employees", "updated_at"]
    create_service = staticmethod(services.enterprise_create)
    update_service = staticmethod(services.enterprise_update)
    instance_kwarg = "enterprise"

    def get_queryset(self):
        return enterprise_list(user=self.request.user)


class EnterpriseSurveyViewSet(ServiceViewSet):
    """企业调研 (a cadre's survey of an enterprise)."""

    serializer_class = EnterpriseSurveySerializer
    permission_classes = [IsAuthenticated, RecordsEnterpriseData]
    filterset_class = EnterpriseSurveyFilterSet
    ordering_fields = ["surveyed_on", "enterprise__name", "updated_at"]
    create_service = staticmethod(services.survey_create)
    update_service = staticmethod(services.survey_update)
    instance_kwarg = "survey"

    def get_queryset(self):
        return survey_list(user=self.request.user)


class IndicatorReportViewSet(ServiceViewSet):
    """月度经济指标 (an enterprise's monthly figures, one record per month)."""

    serializer_class = IndicatorReportSerializer
    permission_classes = [IsAuthenticated, RecordsEnterpriseData]
    filterset_class = IndicatorReportFilterSet
    ordering_fields = ["month", "enterprise__name", "output_value", "updated_at"]
    create_service = staticmethod(services.indicator_create)
    update_service = staticmethod(services.indicator_update)
    instance_kwarg = "indicator"

    def get_queryset(self):
        return indicator_list(user=self.request.user)
