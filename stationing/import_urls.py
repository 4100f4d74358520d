"""Excel import pages (office staff): upload, preview, confirm, and blank templates."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.ImportUploadView.as_view(), name="import-upload"),
    path(
        "template/<slug:kind>/", import_views.ImportTemplateView.as_view(), name="import-template"
    ),
    path("<uuid:upload_id>/", import_views.ImportPreviewView.as_view(), name="import-preview"),
    path(
        "<uuid:upload_id>/confirm/",
        import_views.ImportConfirmView.as_view(),
        name="import-confirm",
    ),
]
