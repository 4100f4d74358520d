"""Stationing's pages: people, programmes and assignments; plans and reports; Excel import."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import imports, organisation, plans, prints, reports

import_patterns = [
    path("", imports.ImportUploadView.as_view(), name="import-upload"),
    path("template/<slug:kind>/", imports.ImportTemplateView.as_view(), name="import-template"),
    path("<uuid:upload_id>/", imports.ImportPreviewView.as_view(), name="import-preview"),
    path(
        "<uuid:upload_id>/confirm/",
        imports.ImportConfirmView.as_view(),
        name="import-confirm",
    ),
]

urlpatterns = [
    # The home page (`home`, at /) is supervision's: its to-do spans both apps (config/urls.py).
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Cadres
    path("cadres/", organisation.CadreListView.as_view(), name="cadre-list"),
    path("cadres/new/", organisation.CadreCreateView.as_view(), name="cadre-create"),
    path("cadres/<int:pk>/", organisation.CadreDetailView.as_view(), name="cadre-detail"),
    path("cadres/<int:pk>/edit/", organisation.CadreUpdateView.as_view(), name="cadre-update"),
    path(
        "cadres/<int:pk>/reset-password/",
        organisation.CadrePasswordResetView.as_view(),
        name="cadre-password-reset",
    ),
    # Programmes, their work groups and assignments
    path("programmes/", organisation.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/new/", organisation.ProgrammeCreateView.as_view(), name="programme-create"),
    path(
        "programmes/<int:pk>/", organisation.ProgrammeDetailView.as_view(), name="programme-detail"
    ),
    path(
        "programmes/<int:pk>/edit/",
        organisation.ProgrammeUpdateView.as_view(),
        name="programme-update",
    ),
    path(
        "programmes/<int:pk>/work-groups/new/",
        organisation.WorkGroupCreateView.as_view(),
        name="work-group-create",
    ),
    path(
        "work-groups/<int:pk>/edit/",
        organisation.WorkGroupUpdateView.as_view(),
        name="work-group-update",
    ),
    path(
        "programmes/<int:pk>/assignments/new/",
        organisation.AssignmentCreateView.as_view(),
        name="assignment-create",
    ),
    path(
        "assignments/<int:pk>/edit/",
        organisation.AssignmentUpdateView.as_view(),
        name="assignment-update",
    ),
    # Work plans and half-monthly reports
    path(
        "assignments/<int:pk>/reports/",
        reports.AssignmentReportsView.as_view(),
        name="assignment-reports",
    ),
    path(
        "assignments/<int:pk>/periods/<int:period_pk>/report/",
        reports.ReportStartView.as_view(),
        name="report-start",
    ),
    path("assignments/<int:pk>/plan/", plans.PlanStartView.as_view(), name="plan-start"),
    path("assignments/", organisation.AssignmentListView.as_view(), name="assignment-list"),
    path("plans/", plans.PlanListView.as_view(), name="plan-list"),
    path("reports/", reports.ReportListView.as_view(), name="report-list"),
    path("reports/chase/", reports.ReportChaseView.as_view(), name="report-chase"),
    path("reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/print/", prints.ReportPrintView.as_view(), name="report-print"),
    path("reports/<int:pk>/edit/", reports.ReportEditView.as_view(), name="report-edit"),
    path(
        "reports/<int:pk>/autosave/", reports.ReportAutosaveView.as_view(), name="report-autosave"
    ),
    path(
        "reports/<int:pk>/review/",
        reports.ReportDecisionView.as_view(action="review"),
        name="report-review",
    ),
    path(
        "reports/<int:pk>/return/",
        reports.ReportDecisionView.as_view(action="return"),
        name="report-return",
    ),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/print/", prints.PlanPrintView.as_view(), name="plan-print"),
    path("plans/<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan-edit"),
    path(
        "plans/<int:pk>/approve/",
        plans.PlanDecisionView.as_view(action="approve"),
        name="plan-approve",
    ),
    path(
        "plans/<int:pk>/return/",
        plans.PlanDecisionView.as_view(action="return"),
        name="plan-return",
    ),
    path(
        "programmes/<int:pk>/reports/",
        reports.ProgrammeMatrixView.as_view(),
        name="report-matrix",
    ),
    path("queues/plans/", plans.PlanQueueView.as_view(), name="plan-queue"),
    path("queues/reports/", reports.ReportQueueView.as_view(), name="report-queue"),
    # Excel import (office staff)
    path("import/", include(import_patterns)),
]
