"""Notification pages, at the site root (config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/<int:pk>/open/",
        views.NotificationOpenView.as_view(),
        name="notification-open",
    ),
    path(
        "notifications/settings/",
        views.NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
    path(
        "notifications/settings/calendar/reset/",
        views.CalendarFeedResetView.as_view(),
        name="calendar-feed-reset",
    ),
    path(
        "notifications/failed/",
        views.NotificationFailuresView.as_view(),
        name="notification-failures",
    ),
    path(
        "notifications/failed/emails/<int:pk>/retry/",
        views.FailedEmailRetryView.as_view(),
        name="notification-email-retry",
    ),
    path(
        "notifications/failed/webhooks/<int:pk>/retry/",
        views.FailedWebhookRetryView.as_view(),
        name="webhook-delivery-retry",
    ),
]
