"""Ticket pages, under /tickets/ (config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.TicketListView.as_view(), name="ticket-list"),
    path("new/", views.TicketCreateView.as_view(), name="ticket-create"),
    path(
        "from-problem/<int:problem_pk>/",
        views.TicketFromProblemView.as_view(),
        name="ticket-from-problem",
    ),
    path("inbox/", views.TicketInboxView.as_view(), name="ticket-inbox"),
    path("mine/", views.TicketMineView.as_view(), name="ticket-mine"),
    path("settings/", views.CalendarSettingsView.as_view(), name="calendar-settings"),
    path("settings/days/", views.CalendarDaySaveView.as_view(), name="calendar-day-add"),
    path("settings/days/<int:pk>/", views.CalendarDaySaveView.as_view(), name="calendar-day-edit"),
    path(
        "settings/days/<int:pk>/delete/",
        views.CalendarDayDeleteView.as_view(),
        name="calendar-day-delete",
    ),
    path(
        "settings/categories/<slug:category>/",
        views.CategorySettingSaveView.as_view(),
        name="category-setting-save",
    ),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="ticket-attachment"),
    path("<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),
    path("<int:pk>/<slug:action>/", views.TicketActionView.as_view(), name="ticket-action"),
]
