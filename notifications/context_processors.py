"""The unread-notification badge in every page's header."""

from django.utils.functional import cached_property

from .selectors import unread_notification_count


class NotificationBadge:
    """Counted on first use (one COUNT query), so pages that do not show the header, and the
    API, never pay for it; a template may read it several times."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_notification_count(user=self.user)

    @property
    def label(self) -> str:
        return "99+" if self.unread > 99 else str(self.unread)


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notification_badge": None}
    return {"notification_badge": NotificationBadge(user)}
