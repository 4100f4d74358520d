"""The dashboard's chooser: a programme the user may see, and optional narrowing filters, each
offered from the scoped selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import UnitKind
from core.forms import PortalForm
from core.selectors import unit_list
from core.widgets import FastSelect, ScopedSelect
from stationing.selectors import programme_list, work_group_list


class DashboardFilterForm(PortalForm):
    # Rendered in Python (FastSelect): a province has 500 regions, and Django's template per
    # option was most of the cached page's time.
    programme = forms.ModelChoiceField(
        label=_("驻企批次"), queryset=None, empty_label=None, widget=FastSelect
    )
    # A province's 500 regions are searched as the user types, as on the lists.
    region = forms.ModelChoiceField(
        label=_("所属区域"),
        queryset=None,
        required=False,
        empty_label=_("全部"),
        widget=ScopedSelect(remote_query={"kind": UnitKind.GOVERNMENT.value}, always_remote=True),
    )
    unit = forms.ModelChoiceField(
        label=_("派出单位"), queryset=None, required=False, empty_label=_("全部"), widget=FastSelect
    )
    work_group = forms.ModelChoiceField(
        label=_("工作组"), queryset=None, required=False, empty_label=_("全部"), widget=FastSelect
    )

    def __init__(self, *args, user, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit's label is its own name: no parent join for a province's units.
        units = unit_list(user=user).select_related(None).order_by("tree_key", "pk")
        self.fields["programme"].queryset = programme_list(user=user).order_by(
            "-start_date", "sort_key", "pk"
        )
        self.fields["region"].queryset = units.filter(kind=UnitKind.GOVERNMENT)
        self.fields["unit"].queryset = units.filter(is_dispatching=True)
        groups = work_group_list(user=user).select_related(None).order_by("sort_key", "pk")
        self.fields["work_group"].queryset = (
            groups.filter(programme=programme) if programme is not None else groups.none()
        )
