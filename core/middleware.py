"""The portal's own middleware: the language, and the audit trail's request binding.

ChosenLanguageMiddleware — Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so a government PC with an
English browser would get English pages. The portal's language is Chinese; English is what a
user picks with the switcher (stored in the language cookie by Django's set_language view).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from . import audit


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class AuditMiddleware:
    """Binds the request for the audit trail (core.audit reads its client address) and records
    every 403 answer as a refused access, with the reason the refusal gave.

    The one place refusals pass: a page's PermissionDenied (a Verdict's reason, or a role mixin)
    reaches process_exception before Django's 403 page is rendered; the API answers 403 itself
    with the reason in `detail`; a CSRF failure answers 403 from its middleware. All of them
    come back through __call__ as a 403 response. Placed after AuthenticationMiddleware, so the
    refused user is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.bind_request(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                audit.record_access_refused(request, self.reason(request, response))
        finally:
            audit.unbind_request(token)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request._refusal_reason = str(exception)
        return None

    @staticmethod
    def reason(request, response) -> str:
        reason = getattr(request, "_refusal_reason", "")
        if not reason:
            data = getattr(response, "data", None)  # a DRF Response
            if isinstance(data, dict):
                reason = str(data.get("detail", ""))
        return reason
