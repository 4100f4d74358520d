"""Forms of the work plan and half-monthly report pages (cadre and office)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm

from ..choices import TaskArea


class PlanDecisionForm(PortalForm):
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回时必填。"),
    )


class PlanForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    summary = forms.CharField(
        label=_("总体思路"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("结合企业调研，说明帮扶的重点和目标。"),
    )


ITEM_INPUTS = ("id", "area", "title", "target", "owner", "due_date")


def read_plan_items(data) -> list[dict]:
    """Rows of the plan editor (item-N-area …); a row left completely blank is ignored."""
    indexes = sorted(
        {
            int(key.split("-")[1])
            for key in data
            if key.startswith("item-") and key.count("-") >= 2 and key.split("-")[1].isdigit()
        }
    )
    rows = []
    for index in indexes:
        row = {name: (data.get(f"item-{index}-{name}") or "").strip() for name in ITEM_INPUTS}
        if not any(row[name] for name in ITEM_INPUTS if name not in ("id", "area")):
            continue
        rows.append(row)
    return rows


TASK_AREAS = TaskArea.choices
