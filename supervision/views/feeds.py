"""The personal iCalendar feed of deadlines (calendar_feed.py builds it)."""

from django.http import Http404, HttpResponse
from django.views import View

from notifications.selectors import calendar_feed_owner

from ..calendar_feed import feed_bytes


class CalendarFeedView(View):
    """GET /calendar/<token>.ics: no sign-in (calendar apps cannot), the secret token is the key."""

    def get(self, request, token):
        user = calendar_feed_owner(token=token)
        if user is None:
            raise Http404
        response = HttpResponse(feed_bytes(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="stationing.ics"'
        response["Cache-Control"] = "private, max-age=900"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response
