"""HTML to PDF with WeasyPrint, for printable documents (bulletins).

The page's stylesheets are read from the static files (through the staticfiles finders, so no
collectstatic and no HTTP request is needed); any other URL is refused, since the portal runs on
closed networks. Chinese text needs a CJK font installed on the server: the print stylesheets
name "WenQuanYi Micro Hei" (Debian: fonts-wqy-microhei) after the Song faces.
"""

import logging
import mimetypes
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "http://portal.invalid/"
# WeasyPrint reports each rendering step at INFO; the portal's logs need only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class StaticFilesFetcher(URLFetcher):
    """Serves STATIC_URL paths from the static files; refuses everything else."""

    def fetch(self, url, headers=None):
        path = unquote(urlsplit(url).path)
        static = urlsplit(settings.STATIC_URL).path
        if url.startswith(BASE_URL) and path.startswith(static):
            found = finders.find(path.removeprefix(static))
            if found:
                mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                with open(found, "rb") as handle:
                    body = handle.read()
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        raise ValueError(f"not fetched: {url}")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF download named `filename` (UTF-8 name for the browser, ASCII fallback)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
