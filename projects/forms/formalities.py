"""Forms of the approval formalities: a template's step (office) and a project's formality."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _l

from core.forms import DateInput, PortalForm, PortalModelForm, VersionedFormMixin
from core.selectors import unit_list
from stationing.selectors import cadre_list

from ..models import FormalityStep, FormalityTemplate, ProjectFormality


def _responsible_units(user):
    return unit_list(user=user).filter(is_responsible=True).order_by("sort_key", "pk")


class FormalityStepForm(PortalModelForm):
    class Meta:
        model = FormalityStep
        fields = ["position", "name", "default_unit", "time_limit_days", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].queryset = _responsible_units(user)
        self.fields["position"].required = False


class FormalityForm(VersionedFormMixin, PortalModelForm):
    class Meta:
        model = ProjectFormality
        fields = [
            "state",
            "responsible_unit",
            "agent",
            "started_on",
            "finished_on",
            "time_limit_days",
            "note",
        ]
        widgets = {"started_on": DateInput(), "finished_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _responsible_units(user)
        agents = Q(pk__in=cadre_list(user=user).values("user_id"))
        if self.instance.agent_id:
            agents |= Q(pk=self.instance.agent_id)  # an agent who has left stays selectable
        self.fields["agent"].queryset = (
            get_user_model().objects.filter(agents).select_related("profile").order_by("pk")
        )
        self.fields["agent"].label_from_instance = _agent_label


def _agent_label(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None and profile.name else user.get_username()


class InstantiateForm(PortalForm):
    template = forms.ModelChoiceField(
        label=_l("项目类型"), queryset=FormalityTemplate.objects.order_by("kind")
    )
