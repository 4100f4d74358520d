"""Badges and labels of the ticket pages."""

from django import template
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import permissions, selectors
from ..choices import OPEN_STATES, Colour, EventKind, Level, Satisfaction, TicketState

register = template.Library()

STATE_CLASSES = {
    TicketState.SUBMITTED: "text-bg-info",
    TicketState.ACCEPTED: "text-bg-primary",
    TicketState.REJECTED: "text-bg-secondary",
    TicketState.ASSIGNED: "text-bg-primary",
    TicketState.OBJECTED: "text-bg-warning",
    TicketState.IN_PROGRESS: "text-bg-primary",
    TicketState.ANSWERED: "text-bg-success",
    TicketState.CLOSED: "text-bg-dark",
    TicketState.WITHDRAWN: "text-bg-secondary",
}
COLOUR_CLASSES = {
    Colour.GREEN: "text-bg-success",
    Colour.YELLOW: "text-bg-warning",
    Colour.RED: "text-bg-danger",
}


@register.filter
def state_class(state) -> str:
    return STATE_CLASSES.get(state, "text-bg-secondary")


@register.filter
def state_label(state) -> str:
    try:
        return str(TicketState(state).label)
    except ValueError:
        return state or "—"


@register.filter
def colour_class(colour) -> str:
    return COLOUR_CLASSES.get(colour, "text-bg-light border")


@register.filter
def colour_label(colour) -> str:
    try:
        return str(Colour(colour).label)
    except ValueError:
        return ""


@register.filter
def person(user) -> str:
    if user is None:
        return "—"
    profile = getattr(user, "profile", None)
    return getattr(profile, "name", "") or user.get_username()


@register.filter
def days_left_label(days) -> str:
    """'剩 3 个工作日' / '今日到期' / '超期 2 个工作日'."""
    if days is None:
        return ""
    if days > 0:
        return _("剩 %(n)d 个工作日") % {"n": days}
    if days == 0:
        return _("今日到期")
    return _("超期 %(n)d 个工作日") % {"n": -days}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


CLOCK_REASONS = {
    "assign": _lazy("交办起算"),
    "reassign": _lazy("改派后重新起算"),
    "extension": _lazy("同意延期"),
    "reopen": _lazy("不满意后重新办理，保留已同意的延期"),
}


def clock_change_label(clock: dict) -> str:
    """'办结期限：2026-12-07 → 2026-12-10（同意延期）' from an event's data["clock"]."""
    new = (clock.get("new_deadline") or "")[:10]
    old = (clock.get("old_deadline") or "")[:10]
    reason = CLOCK_REASONS.get(clock.get("reason"), clock.get("reason") or "")
    if clock.get("kept"):
        return _("办结期限：%(date)s 不变（%(reason)s，不早于原期限）") % {
            "date": new,
            "reason": reason,
        }
    if old and old != new:
        return _("办结期限：%(old)s → %(new)s（%(reason)s）") % {
            "old": old,
            "new": new,
            "reason": reason,
        }
    # The first deadline (交办): the timeline's usual wording, then why.
    return "；".join([_("办结期限：%(date)s") % {"date": new}, str(reason)])


@register.filter
def event_details(event) -> list[str]:
    """The event's extra data in words (unit, deadline, days, rating ...)."""
    data = event.data or {}
    details = []
    if data.get("unit"):
        details.append(_("承办单位：%(unit)s") % {"unit": data["unit"]})
    if data.get("co_units"):
        details.append(_("协办单位：%(units)s") % {"units": "、".join(data["co_units"])})
    if data.get("level"):
        details.append(_("层级：%(level)s") % {"level": _label(Level, data["level"])})
    if data.get("to_level"):
        details.append(
            _("层级：%(from)s → %(to)s")
            % {
                "from": _label(Level, data.get("from_level") or ""),
                "to": _label(Level, data["to_level"]),
            }
        )
    if data.get("days") and event.kind in (
        EventKind.REQUEST_EXTENSION,
        EventKind.APPROVE_EXTENSION,
        EventKind.REFUSE_EXTENSION,
    ):
        details.append(_("延长 %(n)s 个工作日") % {"n": data["days"]})
    clock = data.get("clock")
    if clock:
        details.append(clock_change_label(clock))
    elif data.get("deadline"):
        details.append(_("办结期限：%(date)s") % {"date": data["deadline"][:10]})
    if data.get("satisfaction"):
        details.append(_label(Satisfaction, data["satisfaction"]))
    if data.get("to"):
        details.append(
            _("移交给：%(name)s") % {"name": getattr(event, "to_name", "") or data["to"]}
        )
    return details


@register.simple_tag(takes_context=True)
def ticket_summary(context) -> dict:
    """Counts for the home page's 诉求 section: a department's open tickets by colour, an
    enterprise's tickets waiting for its rating and still open."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    summary = {}
    if permissions.may_use_inbox(user):
        summary["inbox"] = selectors.department_inbox(user=user).aggregate(
            total=Count("pk"),
            yellow=Count("pk", filter=selectors.colour_q(Colour.YELLOW)),
            red=Count("pk", filter=selectors.colour_q(Colour.RED)),
        )
    if permissions.is_enterprise_contact(user):
        summary["mine"] = selectors.own_ticket_list(user=user).aggregate(
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            answered=Count("pk", filter=Q(state=TicketState.ANSWERED)),
        )
    return summary
