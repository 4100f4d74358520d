"""Ticket pages, under /tickets/, bulletin pages, under /bulletins/, and appraisal pages, under
/appraisals/ (config/urls.py)."""

from django.urls import path

from .views import appraisal, bulletins, calendar, formalities, prints, project_problems, tickets

urlpatterns = [
    path("", tickets.TicketListView.as_view(), name="ticket-list"),
    path("new/", tickets.TicketCreateView.as_view(), name="ticket-create"),
    path(
        "from-problem/<int:problem_pk>/",
        tickets.TicketFromProblemView.as_view(),
        name="ticket-from-problem",
    ),
    path(
        "from-formality/<int:formality_pk>/",
        formalities.TicketFromFormalityView.as_view(),
        name="ticket-from-formality",
    ),
    path(
        "from-project-problem/<int:problem_pk>/",
        project_problems.TicketFromProjectProblemView.as_view(),
        name="ticket-from-project-problem",
    ),
    path("inbox/", tickets.TicketInboxView.as_view(), name="ticket-inbox"),
    path("mine/", tickets.TicketMineView.as_view(), name="ticket-mine"),
    path("settings/", calendar.CalendarSettingsView.as_view(), name="calendar-settings"),
    path("settings/days/", calendar.CalendarDaySaveView.as_view(), name="calendar-day-add"),
    path(
        "settings/days/<int:pk>/", calendar.CalendarDaySaveView.as_view(), name="calendar-day-edit"
    ),
    path(
        "settings/days/<int:pk>/delete/",
        calendar.CalendarDayDeleteView.as_view(),
        name="calendar-day-delete",
    ),
    path(
        "settings/categories/<slug:category>/",
        calendar.CategorySettingSaveView.as_view(),
        name="category-setting-save",
    ),
    path(
        "attachments/<int:pk>/", tickets.AttachmentDownloadView.as_view(), name="ticket-attachment"
    ),
    path("<int:pk>/", tickets.TicketDetailView.as_view(), name="ticket-detail"),
    # Before the action pattern, which would take "print" for a step's slug.
    path("<int:pk>/print/", prints.TicketPrintView.as_view(), name="ticket-print"),
    path("<int:pk>/<slug:action>/", tickets.TicketActionView.as_view(), name="ticket-action"),
]

bulletin_urlpatterns = [
    path("", bulletins.BulletinListView.as_view(), name="bulletin-list"),
    path("new/", bulletins.BulletinGenerateView.as_view(), name="bulletin-generate"),
    path("<int:pk>/", bulletins.BulletinDetailView.as_view(), name="bulletin-detail"),
    path("<int:pk>/edit/", bulletins.BulletinEditView.as_view(), name="bulletin-edit"),
    path(
        "<int:pk>/regenerate/",
        bulletins.BulletinRegenerateView.as_view(),
        name="bulletin-regenerate",
    ),
    path("<int:pk>/publish/", bulletins.BulletinPublishView.as_view(), name="bulletin-publish"),
    path("<int:pk>/print/", bulletins.BulletinPrintView.as_view(), name="bulletin-print"),
    path("<int:pk>/pdf/", bulletins.BulletinPdfView.as_view(), name="bulletin-pdf"),
]

appraisal_urlpatterns = [
    path("", appraisal.AppraisalIndexView.as_view(), name="appraisal-list"),
    path(
        "programmes/<int:pk>/",
        appraisal.AppraisalProgrammeView.as_view(),
        name="appraisal-programme",
    ),
    path("reviews/", appraisal.ReviewListView.as_view(), name="appraisal-reviews"),
    path(
        "reviews/<int:pk>/answer/",
        appraisal.ReviewAnswerView.as_view(),
        name="appraisal-review-answer",
    ),
    path("results/<int:pk>/", appraisal.CadreResultDetailView.as_view(), name="appraisal-result"),
    path(
        "results/<int:pk>/print/",
        prints.CadreResultPrintView.as_view(),
        name="appraisal-result-print",
    ),
    path(
        "results/<int:pk>/review/",
        appraisal.ReviewRequestCreateView.as_view(),
        name="appraisal-review-request",
    ),
    path("rate/", appraisal.CadreRateView.as_view(), name="appraisal-rate"),
    path("<int:pk>/", appraisal.AppraisalRunDetailView.as_view(), name="appraisal-detail"),
    path("<int:pk>/print/", prints.AppraisalRunPrintView.as_view(), name="appraisal-print"),
    path(
        "<int:pk>/units/",
        appraisal.AppraisalGroupView.as_view(tab="units"),
        name="appraisal-units",
    ),
    path(
        "<int:pk>/work-groups/",
        appraisal.AppraisalGroupView.as_view(tab="work_groups"),
        name="appraisal-work-groups",
    ),
    path(
        "<int:pk>/departments/",
        appraisal.AppraisalGroupView.as_view(tab="departments"),
        name="appraisal-departments",
    ),
    path("<int:pk>/publish/", appraisal.AppraisalPublishView.as_view(), name="appraisal-publish"),
    path("<int:pk>/compare/", appraisal.AppraisalCompareView.as_view(), name="appraisal-compare"),
]
