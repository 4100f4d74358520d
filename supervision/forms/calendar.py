"""Forms of the ticket pages. They render and pre-validate; supervision.services writes.

Choice lists come from scoped selectors. Attachments are checked by content in the form (so a
refused file is reported next to the file field) and again by the service that stores them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PortalForm
from core.selectors import unit_list


class CalendarDayForm(PortalForm):
    date = forms.DateField(label=_("日期"), widget=DateInput)
    is_workday = forms.TypedChoiceField(
        label=_("安排"),
        choices=[("0", _("放假")), ("1", _("调休上班"))],
        coerce=lambda value: value == "1",
        initial="0",
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：春节")}),
    )


class CategorySettingForm(PortalForm):
    normal_days = forms.IntegerField(label=_("一般"), min_value=1, max_value=120)
    urgent_days = forms.IntegerField(label=_("紧急"), min_value=1, max_value=120)
    critical_days = forms.IntegerField(label=_("特急"), min_value=1, max_value=120)
    default_unit = forms.ModelChoiceField(label=_("默认承办单位"), queryset=None, required=False)

    def __init__(self, *args, user, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["default_unit"]
        field.queryset = unit_list(user=user).filter(is_responsible=True).order_by("tree_key", "pk")
        if unit_choices is not None:
            # One list for the page's eleven forms instead of a query per form.
            field.choices = unit_choices
        for name in ("normal_days", "urgent_days", "critical_days"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
