from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.views import AuditEventListView
from notifications.health import healthz
from supervision.urls import appraisal_urlpatterns, bulletin_urlpatterns
from supervision.views.dashboard import DashboardView
from supervision.views.feeds import CalendarFeedView
from supervision.views.home import HomeView

urlpatterns = [
    # For load balancers and monitoring: no login, no data (notifications/health.py).
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", HomeView.as_view(), name="home"),
    path("password/", include("core.urls")),
    path("", include("stationing.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("projects/", include("projects.urls")),
    path("tickets/", include("supervision.urls")),
    path("bulletins/", include(bulletin_urlpatterns)),
    path("appraisals/", include(appraisal_urlpatterns)),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("audit/", AuditEventListView.as_view(), name="audit-list"),
    path("", include("notifications.urls")),
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$",
        CalendarFeedView.as_view(),
        name="calendar-feed",
    ),
]
