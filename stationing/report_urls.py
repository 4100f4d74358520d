from django.urls import path

from . import report_views as views

urlpatterns = [
    path(
        "assignments/<int:pk>/reports/",
        views.AssignmentReportsView.as_view(),
        name="assignment-reports",
    ),
    path(
        "assignments/<int:pk>/periods/<int:period_pk>/report/",
        views.ReportStartView.as_view(),
        name="report-start",
    ),
    path("assignments/<int:pk>/plan/", views.PlanStartView.as_view(), name="plan-start"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report-edit"),
    path("reports/<int:pk>/autosave/", views.ReportAutosaveView.as_view(), name="report-autosave"),
    path(
        "reports/<int:pk>/review/",
        views.ReportDecisionView.as_view(action="review"),
        name="report-review",
    ),
    path(
        "reports/<int:pk>/return/",
        views.ReportDecisionView.as_view(action="return"),
        name="report-return",
    ),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan-edit"),
    path(
        "plans/<int:pk>/approve/",
        views.PlanDecisionView.as_view(action="approve"),
        name="plan-approve",
    ),
    path(
        "plans/<int:pk>/return/",
        views.PlanDecisionView.as_view(action="return"),
        name="plan-return",
    ),
    path(
        "programmes/<int:pk>/reports/",
        views.ProgrammeMatrixView.as_view(),
        name="report-matrix",
    ),
    path("queues/plans/", views.PlanQueueView.as_view(), name="plan-queue"),
    path("queues/reports/", views.ReportQueueView.as_view(), name="report-queue"),
]
