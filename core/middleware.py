"""The portal's own middleware: the language, the audit trail's request binding, and the
settled heap.

ChosenLanguageMiddleware — Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so a government PC with an
English browser would get English pages. The portal's language is Chinese; English is what a
user picks with the switcher (stored in the language cookie by Django's set_language view).
"""

import gc

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


class SettledHeapMiddleware:
    """After a process's first request, moves what it has loaded for good (modules, pypinyin's
    phrase data, compiled templates, URL patterns, catalogues: some 400,000 objects) out of the
    garbage collector's sight with gc.freeze().

    Without it every full collection walks all of them again: about 120 ms, which fell on every
    third or fourth request of a page that allocates much (the report matrix's p95 was three
    times its median in `make bench`). What the first request leaves alive is long-lived by
    then; its cyclic garbage is collected first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.settled = False  # one instance per process

    def __call__(self, request):
        response = self.get_response(request)
        if not self.settled:
            self.settled = True
            gc.collect()
            gc.freeze()
        return response
