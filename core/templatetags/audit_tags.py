"""`{% audit_panel obj %}`: an object's latest audit events on its detail page, for the office.

Plans, reports and tickets live in apps above core; their detail templates load this tag, so
core needs to know none of them. For anyone who may not read the trail it renders nothing.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from .. import audit
from ..permissions import may_read_audit
from ..selectors import audit_events_for
from ..views import audit_actor_label

register = template.Library()

PANEL_EVENTS = 10


@register.inclusion_tag("core/audit_panel.html", takes_context=True)
def audit_panel(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not may_read_audit(user):
        return {"show": False}
    events = audit_events_for(user=user, obj=obj)
    latest = list(events[:PANEL_EVENTS])
    for event in latest:
        event.actor_label = audit_actor_label(event)
        event.lines = audit.change_lines(event)
    meta = obj._meta
    query = urlencode({"object_type": f"{meta.app_label}.{meta.model_name}", "object_id": obj.pk})
    return {
        "show": True,
        "events": latest,
        "total": events.count() if len(latest) == PANEL_EVENTS else len(latest),
        "all_url": f"{reverse('audit-list')}?{query}",
    }
