"""Notification pages and the calendar feed, at the site root (config/urls.py)."""

from django.urls import path, re_path

from . import notification_views as views

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
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$",
        views.CalendarFeedView.as_view(),
        name="calendar-feed",
    ),
]
