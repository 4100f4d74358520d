"""Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so a government PC with an
English browser would get English pages. The portal's language is Chinese; English is what a
user picks with the switcher (stored in the language cookie by Django's set_language view).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
