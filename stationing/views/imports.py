"""Excel import pages for office staff: upload → preview → confirm, and the blank templates.

The work is done by stationing.imports.run_import (shared with `manage.py import_xlsx`); these
views keep the uploaded file between preview and confirm and turn the report into a page.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.idempotency import AlreadySubmitted, claim_token, previous_submission, record_result
from core.views import RoleRequiredMixin
from stationing.forms.imports import ImportUploadForm
from stationing.imports import KINDS, run_import
from stationing.imports.storage import delete_upload, find_upload, save_upload
from stationing.imports.xlsx_templates import (
    XLSX_CONTENT_TYPE,
    template_bytes,
    template_filename,
    template_kinds,
)
from stationing.permissions import may_import

SESSION_KEY = "import_uploads"  # {upload id: original file name}, for display only
MAX_ERRORS_SHOWN = 5000
MAX_WARNINGS_SHOWN = 10


def _file_name(request, upload_id: uuid.UUID) -> str:
    return request.session.get(SESSION_KEY, {}).get(str(upload_id), "")


def _forget(request, upload_id: uuid.UUID) -> None:
    names = request.session.get(SESSION_KEY, {})
    if names.pop(str(upload_id), None) is not None:
        request.session[SESSION_KEY] = names


def _already_imported(request, upload_id: uuid.UUID) -> bool:
    return previous_submission(token=str(upload_id), user=request.user) is not None


def _gone(request, upload_id: uuid.UUID):
    """The upload is no longer there: imported already, or expired."""
    if _already_imported(request, upload_id):
        messages.info(request, _("该文件已经导入，请勿重复提交。"))
    else:
        messages.warning(request, _("上传的文件已过期或不存在，请重新上传。"))
    return redirect("import-upload")


class ImportRequiredMixin(RoleRequiredMixin):
    def has_permission(self) -> bool:
        may_import(self.request.user).check()
        return True


class ImportUploadView(ImportRequiredMixin, FormView):
    template_name = "stationing/imports/upload.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = KINDS
        context["max_bytes"] = settings.IMPORT_MAX_BYTES
        return context

    def form_valid(self, form):
        uploaded = form.cleaned_data["file"]
        upload_id = save_upload(self.request.user, uploaded)
        names = self.request.session.get(SESSION_KEY, {})
        names = dict(list(names.items())[-19:])  # keep the session small
        names[str(upload_id)] = uploaded.name
        self.request.session[SESSION_KEY] = names
        return redirect("import-preview", upload_id=upload_id)


class ImportPreviewView(ImportRequiredMixin, TemplateView):
    """What the import would do, checked against the database by a rolled-back trial run."""

    template_name = "stationing/imports/preview.html"

    def get(self, request, *args, upload_id, **kwargs):
        path = find_upload(request.user, upload_id)
        if path is None:
            return _gone(request, upload_id)
        report = run_import(path, user=request.user, commit=False)
        return self.render_to_response(self.preview_context(request, upload_id, report))

    @staticmethod
    def preview_context(request, upload_id, report, *, rechecked=False):
        errors = report.errors
        return {
            "upload_id": upload_id,
            "file_name": _file_name(request, upload_id),
            "report": report,
            "summary": report.summary(),
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_truncated": len(errors) > MAX_ERRORS_SHOWN,
            "warnings": report.warnings,
            "rechecked": rechecked,
        }


class ImportConfirmView(ImportRequiredMixin, TemplateView):
    """Import for real. The file is checked again: the database may have changed meanwhile.

    The upload's id is the submission token, claimed inside the import's transaction: a
    double-clicked confirm waits for the first, then finds the token taken and imports nothing.
    A failed import rolls the token back with everything else, so it can be corrected and retried.
    """

    template_name = "stationing/imports/preview.html"
    http_method_names = ["post"]

    def post(self, request, *args, upload_id, **kwargs):
        if _already_imported(request, upload_id):
            return _gone(request, upload_id)
        path = find_upload(request.user, upload_id)
        if path is None:
            return _gone(request, upload_id)
        result_url = reverse("import-upload")

        def claim():
            record_result(claim_token(token=str(upload_id), user=request.user), result_url)

        try:
            report = run_import(path, user=request.user, commit=True, before_write=claim)
        except AlreadySubmitted as done:
            messages.info(request, _("该文件已经导入，请勿重复提交。"))
            return redirect(done.result_url or result_url)
        if not report.committed:
            return self.render_to_response(
                ImportPreviewView.preview_context(request, upload_id, report, rechecked=True)
            )
        delete_upload(request.user, upload_id)
        _forget(request, upload_id)
        messages.success(request, _("导入完成。%(counts)s。") % {"counts": report.counts_text()})
        for warning in report.warnings[:MAX_WARNINGS_SHOWN]:
            messages.warning(request, warning)
        return redirect(result_url)


class ImportTemplateView(ImportRequiredMixin, View):
    """A blank template for one kind of sheet, or all four in one workbook (kind "all")."""

    def get(self, request, *args, kind, **kwargs):
        kinds = template_kinds(kind)
        if kinds is None:
            raise Http404
        response = HttpResponse(
            template_bytes(kinds, user=request.user), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(True, template_filename(kind))
        return response
