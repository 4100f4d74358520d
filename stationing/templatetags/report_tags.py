from django import template
from django.utils.translation import gettext as _

from stationing.choices import PeriodStatus, PlanState

register = template.Library()

STATUS_CLASSES = {
    PeriodStatus.ON_TIME: "text-bg-success",
    PeriodStatus.REVIEWED: "text-bg-primary",
    PeriodStatus.LATE: "text-bg-warning",
    PeriodStatus.RETURNED: "text-bg-warning",
    PeriodStatus.MISSING: "text-bg-danger",
    PeriodStatus.DRAFT: "text-bg-info",
    PeriodStatus.NOT_STARTED: "text-bg-light border",
    PeriodStatus.UPCOMING: "text-bg-light border",
    PlanState.APPROVED: "text-bg-success",
    PlanState.SUBMITTED: "text-bg-info",
}

PERIOD_LABELS = dict(PeriodStatus.choices)


@register.filter
def status_class(status) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def period_status_label(status) -> str:
    return str(PERIOD_LABELS.get(status, "—")) if status else "—"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def due_days_label(days) -> str:
    """Calendar days to a report or plan's due day: '还剩 3 天' / '今天截止' / '已逾期 2 天'."""
    if days is None:
        return ""
    if days > 0:
        return _("还剩 %(n)d 天") % {"n": days}
    if days == 0:
        return _("今天截止")
    return _("已逾期 %(n)d 天") % {"n": -days}
