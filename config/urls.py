from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("stationing.urls")),
    path("", include("stationing.report_urls")),
    path("enterprises/", include("enterprises.urls")),
    path("import/", include("stationing.import_urls")),
    path("tickets/", include("supervision.urls")),
    path("", include("supervision.notification_urls")),
]
