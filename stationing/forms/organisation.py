"""Forms for programme, work group, cadre and assignment pages.

They render and pre-validate; the services in stationing.services do the writes. Every choice
list comes from a scoped selector, so a dropdown never offers what the user may not see.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DateInput,
    EmailAddressField,
    MobileField,
    PortalModelForm,
    TokenFormMixin,
    VersionedFormMixin,
)
from core.models import Profile
from core.selectors import leader_list, territory_regions
from core.widgets import ScopedSelect
from enterprises.selectors import enterprise_list
from stationing.models import Assignment, Programme, WorkGroup
from stationing.selectors import cadre_list, cadre_unit_list, work_group_list


class CadreForm(PortalModelForm):
    # The login's address (User.email): reminders are e-mailed there. profile_update saves it.
    # Phone and e-mail are normalised and checked as the API and the import do it
    # (core.validators).
    email = EmailAddressField(
        label=_("电子邮箱"),
        required=False,
        help_text=_("填写后，提醒和退回通知会同时发到该邮箱。"),
    )

    class Meta:
        model = Profile
        fields = ["name", "phone", "unit", "rank", "title"]
        field_classes = {"phone": MobileField}
        widgets = {
            "phone": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "off", "maxlength": 11}
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = cadre_unit_list(
            user=user, current_id=self.instance.unit_id if self.instance.pk else None
        )
        self.fields["unit"].label = _("派出单位")
        self.fields["unit"].help_text = ""
        self.fields["unit"].required = True
        self.fields["phone"].required = True
        self.fields["phone"].help_text = _("驻企干部用手机号登录。")
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
        self.order_fields(["name", "phone", "email"])


class CadreCreateForm(TokenFormMixin, CadreForm):
    pass


class CadreUpdateForm(VersionedFormMixin, CadreForm):
    pass


class ProgrammeForm(PortalModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "organiser",
            "start_date",
            "end_date",
            "status",
            "report_cycle",
            "report_due_days",
            "plan_due_days",
            "description",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = territory_regions(user)


class ProgrammeCreateForm(TokenFormMixin, ProgrammeForm):
    pass


class ProgrammeUpdateForm(VersionedFormMixin, ProgrammeForm):
    pass


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.name if profile else obj.get_username()


class WorkGroupForm(PortalModelForm):
    class Meta:
        model = WorkGroup
        fields = ["name", "leader", "description"]
        field_classes = {"leader": PersonChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, programme, **kwargs):
        super().__init__(*args, **kwargs)
        # The service refuses a name already used in the programme (work_group_create).
        self.programme = programme
        self.fields["leader"].queryset = leader_list(
            user=user, current=self.instance.leader if self.instance.pk else None
        )


class WorkGroupCreateForm(TokenFormMixin, WorkGroupForm):
    pass


class WorkGroupUpdateForm(VersionedFormMixin, WorkGroupForm):
    pass


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit}）" if obj.unit_id else obj.name


class AssignmentForm(PortalModelForm):
    class Meta:
        model = Assignment
        fields = ["cadre", "enterprise", "work_group", "role", "start_date", "end_date"]
        field_classes = {"cadre": CadreChoiceField}
        # A province's 10,000 cadres and enterprises are searched as the user types, not sent
        # (core.widgets.ScopedSelect): rendered whole, this form took 10 s and 1.3 MB.
        widgets = {
            "cadre": ScopedSelect(),
            "enterprise": ScopedSelect(),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, user, programme, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's clean() checks dates and work group against the programme.
        self.instance.programme = programme
        self.fields["cadre"].queryset = cadre_list(user=user).order_by("sort_key", "pk")
        self.fields["enterprise"].queryset = enterprise_list(user=user).order_by("sort_key", "pk")
        self.fields["work_group"].queryset = work_group_list(user=user).filter(programme=programme)


class AssignmentCreateForm(TokenFormMixin, AssignmentForm):
    pass


class AssignmentUpdateForm(VersionedFormMixin, AssignmentForm):
    pass
