"""/api/v1/: one router for all apps. Token: POST auth/token/ with username and password
(core/api/tokens.py: tokens expire, failures count towards the sign-in lockout)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from core.api.tokens import TokenObtainView
from enterprises.api.views import EnterpriseSurveyViewSet, EnterpriseViewSet, IndicatorReportViewSet
from projects.api.views.projects import KeyProjectViewSet
from stationing.api.views.organisation import (
    AssignmentViewSet,
    CadreViewSet,
    ProgrammeViewSet,
    UnitViewSet,
    WorkGroupViewSet,
)
from stationing.api.views.plans import WorkPlanViewSet
from stationing.api.views.reports import ProgressReportViewSet, ReportPeriodViewSet
from supervision.api.views.appraisal import AppraisalViewSet
from supervision.api.views.bulletins import BulletinViewSet
from supervision.api.views.tickets import TicketViewSet

router = DefaultRouter()
# Basenames start with "api-": the pages use the plain names (enterprise-list, ticket-detail…).
router.register("programmes", ProgrammeViewSet, basename="api-programme")
router.register("units", UnitViewSet, basename="api-unit")
router.register("work-groups", WorkGroupViewSet, basename="api-work-group")
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register("cadres", CadreViewSet, basename="api-cadre")
router.register("assignments", AssignmentViewSet, basename="api-assignment")
router.register("surveys", EnterpriseSurveyViewSet, basename="api-survey")
router.register("indicators", IndicatorReportViewSet, basename="api-indicator")
router.register("periods", ReportPeriodViewSet, basename="api-period")
router.register("work-plans", WorkPlanViewSet, basename="api-work-plan")
router.register("reports", ProgressReportViewSet, basename="api-report")
router.register("tickets", TicketViewSet, basename="api-ticket")
router.register("projects", KeyProjectViewSet, basename="api-project")
router.register("appraisals", AppraisalViewSet, basename="api-appraisal")
router.register("bulletins", BulletinViewSet, basename="api-bulletin")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    *router.urls,
]
