"""/api/v1/: one router for all apps. Token: POST auth/token/ with username and password."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from enterprises.api.views import EnterpriseSurveyViewSet, EnterpriseViewSet, IndicatorReportViewSet
from stationing.api.report_views import (
    ProgressReportViewSet,
    ReportPeriodViewSet,
    WorkPlanViewSet,
)
from stationing.api.views import (
    AssignmentViewSet,
    CadreViewSet,
    ProgrammeViewSet,
    UnitViewSet,
    WorkGroupViewSet,
)
from supervision.api.views import TicketViewSet

router = DefaultRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("units", UnitViewSet, basename="unit")
router.register("work-groups", WorkGroupViewSet, basename="work-group")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("surveys", EnterpriseSurveyViewSet, basename="survey")
router.register("indicators", IndicatorReportViewSet, basename="indicator")
router.register("periods", ReportPeriodViewSet, basename="period")
router.register("work-plans", WorkPlanViewSet, basename="work-plan")
router.register("reports", ProgressReportViewSet, basename="report")
# "api-ticket": the pages already use "ticket-list" and "ticket-detail" as URL names.
router.register("tickets", TicketViewSet, basename="api-ticket")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *router.urls,
]
