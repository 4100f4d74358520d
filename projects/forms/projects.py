"""Forms of the project pages: register and edit a project (office), move its stage, milestones.

They render and pre-validate; the services write. Every choice list comes from a scoped
selector.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import UnitKind
from core.forms import DateInput, PortalForm, PortalModelForm, TokenFormMixin, VersionedFormMixin
from core.models import Profile
from core.selectors import leader_list, unit_list
from core.widgets import ScopedSelect, ScopedSelectMultiple
from enterprises.selectors import enterprise_list
from stationing.selectors import cadre_list, programme_list

from ..choices import Stage
from ..models import KeyProject, ProjectMilestone


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(getattr(obj, "profile", None), "name", "") or obj.get_username()


class ProjectForm(PortalModelForm):
    # A province's 10,000 cadres and enterprises are searched as the user types, not sent
    # (core.widgets.ScopedSelect): rendered whole, this form took 12 s and 1.6 MB.
    team_leader = forms.ModelChoiceField(
        label=_("专班组长"),
        queryset=Profile.objects.none(),
        required=False,
        widget=ScopedSelect(),
    )
    team_members = forms.ModelMultipleChoiceField(
        label=_("专班成员"),
        queryset=Profile.objects.none(),
        required=False,
        widget=ScopedSelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = KeyProject
        fields = [
            "programme",
            "name",
            "category",
            "industry_chain",
            "description",
            "total_investment",
            "plan_year",
            "year_planned_investment",
            "enterprise",
            "leader",
            "lead_unit",
            "co_units",
            "region",
            "stage",
            "start_date",
            "end_date",
        ]
        field_classes = {"leader": PersonChoiceField}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "enterprise": ScopedSelect(),
            # A province's 600 units, three times over: searched too.
            "lead_unit": ScopedSelect(),
            "co_units": ScopedSelectMultiple(attrs={"size": 6}),
            "region": ScopedSelect(remote_query={"kind": UnitKind.GOVERNMENT.value}),
            "total_investment": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            "year_planned_investment": forms.NumberInput(
                attrs={"inputmode": "decimal", "step": "0.01"}
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        self.fields["programme"].queryset = programme_list(user=user)
        self.fields["enterprise"].queryset = enterprise_list(user=user).order_by("sort_key", "pk")
        self.fields["leader"].queryset = leader_list(
            user=user, current=instance.leader if instance else None
        )
        units = unit_list(user=user)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["region"].queryset = units.filter(kind="government")
        cadres = cadre_list(user=user).order_by("sort_key", "pk")
        self.fields["team_leader"].queryset = cadres
        self.fields["team_members"].queryset = cadres
        if instance is not None:
            # The stage moves on the project page (with its history and the backward rule).
            del self.fields["stage"]
            members = list(instance.memberships.all())
            leader = next((m for m in members if m.role == "leader"), None)
            self.fields["team_leader"].initial = leader.profile_id if leader else None
            self.fields["team_members"].initial = [
                m.profile_id for m in members if m.role != "leader"
            ]
            self.fields["programme"].disabled = True
        else:
            self.fields["stage"].required = False
            self.fields["stage"].help_text = _("不选则从本批次的第一个阶段开始。")


class ProjectCreateForm(TokenFormMixin, ProjectForm):
    pass


class ProjectUpdateForm(VersionedFormMixin, ProjectForm):
    pass


class StageMoveForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_stage = forms.ChoiceField(label=_("变更为"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("回退到前面的阶段时必须填写。"),
    )

    def __init__(self, *args, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chain is not None:
            labels = dict(Stage.choices)
            self.fields["to_stage"].choices = [(stage, labels[stage]) for stage in chain]


class MilestoneForm(PortalModelForm):
    class Meta:
        model = ProjectMilestone
        fields = ["title", "planned_date", "actual_date", "note"]
        widgets = {"planned_date": DateInput(), "actual_date": DateInput()}


class MilestoneCreateForm(TokenFormMixin, MilestoneForm):
    pass


class MilestoneUpdateForm(VersionedFormMixin, MilestoneForm):
    def __init__(self, *args, office: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not office:
            # The leader and the team record the actual date only.
            for name in ("title", "planned_date", "note"):
                self.fields[name].disabled = True
