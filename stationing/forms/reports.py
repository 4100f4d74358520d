"""Forms of the work plan and half-monthly report pages (cadre and office)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm

from ..choices import ItemStatus, ReportRating
from ..periods import MAX_PERIOD_DAYS


class ReportForm(PortalForm):
    """The report's own fields. Item progress and problem lines are repeated inputs that the view
    reads by name (item-<id>-progress, problem), because their number varies."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    work_done = forms.CharField(
        label=_("本期工作情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("做了哪些事、见了哪些人、解决了什么。"),
    )
    next_steps = forms.CharField(
        label=_("下一步工作措施"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    days_on_site = forms.IntegerField(
        label=_("本期在企天数"),
        required=False,
        min_value=0,
        max_value=MAX_PERIOD_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    behind_reason = forms.CharField(
        label=_("进度滞后原因"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy = forms.CharField(
        label=_("解决办法"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def read_item_progress(data, item_ids) -> list[dict]:
    """item-<id>-progress / -status / -note inputs -> the service's item_progress list.

    Values go to the service as typed: it refuses a progress outside 0-100 or not a number
    (never clamped), an unknown status and NUL, with the same messages as the API."""
    entries = []
    for item_id in item_ids:
        raw = data.get(f"item-{item_id}-progress")
        if raw is None:
            continue
        entries.append(
            {
                "item": item_id,
                "progress": raw.strip() or "0",
                "status": data.get(f"item-{item_id}-status") or ItemStatus.IN_PROGRESS,
                "note": data.get(f"item-{item_id}-note", ""),
            }
        )
    return entries


class ReviewForm(PortalForm):
    # A blank first choice: a careless submit must not rate a report 优.
    rating = forms.ChoiceField(label=_("评定"), choices=[("", "---------"), *ReportRating.choices])
    comment = forms.CharField(
        label=_("审阅意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(PortalForm):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))
