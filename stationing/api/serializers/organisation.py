"""Serializers for programmes, units, work groups, cadres and assignments.

They validate shape; the services in stationing.services validate the rest and save. Related
fields take their choices from the same selectors as the page forms (stationing.forms), so a
value the page does not offer is one the API refuses, on the same field.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.base import ServiceModelSerializer
from core.api.fields import EmailAddressField, MobileField
from core.models import Profile, Unit
from core.selectors import leader_list, territory_regions, territory_units
from enterprises.selectors import enterprise_list
from stationing.models import Assignment, Programme, WorkGroup
from stationing.permissions import may_keep_unit_top_level
from stationing.selectors import (
    cadre_list,
    cadre_unit_list,
    programme_list,
    work_group_list,
)


class ProgrammeFixedOnUpdateMixin:
    """A work group or an assignment stays in the programme it was created in, as on the page
    (whose URL fixes it): moved, its reports and work group would belong to another one."""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and "programme" in fields:
            fields["programme"].read_only = True
        return fields


class ProgrammeSerializer(ServiceModelSerializer):
    organiser_name = serializers.CharField(
        source="organiser.name", read_only=True, label=_("主办单位名称")
    )

    scoped_fields = {"organiser": territory_regions}

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "organiser",
            "organiser_name",
            "start_date",
            "end_date",
            "status",
            "description",
            "report_cycle",
            "report_due_days",
            "plan_due_days",
            "growth_targets",
            "appraisal_weights",
            "grade_bands",
            "version",
        ]


class UnitSerializer(ServiceModelSerializer):
    scoped_fields = {"parent": territory_units}

    def validate(self, attrs):
        # A new top-level unit would sit outside the office's territory, beyond its reach; only a
        # unit that already is top-level (a county, say) keeps an empty parent.
        if "parent" in attrs or self.instance is None:
            was_top_level = self.instance is not None and self.instance.parent_id is None
            if attrs.get("parent") is None and not was_top_level:
                verdict = may_keep_unit_top_level(self.user)
                if not verdict:
                    raise serializers.ValidationError({"parent": verdict.reason})
        return attrs

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "parent",
            "level",
            "kind",
            "is_dispatching",
            "is_responsible",
            "contact_name",
            "contact_phone",
            "path",
            "version",
        ]
        read_only_fields = ["path"]


class WorkGroupSerializer(ProgrammeFixedOnUpdateMixin, ServiceModelSerializer):
    leader_name = serializers.CharField(
        source="leader.profile.name", read_only=True, default=None, label=_("带队领导姓名")
    )

    scoped_fields = {"programme": lambda user: programme_list(user=user)}

    def get_fields(self):
        fields = super().get_fields()
        # As the page: the leader already chosen stays valid on an edit.
        current = self.instance.leader if isinstance(self.instance, WorkGroup) else None
        fields["leader"].queryset = leader_list(user=self.user, current=current)
        return fields

    class Meta:
        model = WorkGroup
        fields = ["id", "programme", "name", "leader", "leader_name", "description", "version"]


class CadreSerializer(ServiceModelSerializer):
    """A stationed cadre (a Profile with the cadre role). Creating one creates the login."""

    # Required: the phone number is the cadre's login name. Declared explicitly so the service,
    # not a serializer validator, words the "already used" error. Phone and e-mail are
    # normalised and checked as the page and the import do it (core.validators).
    phone = MobileField(label=_("手机号"))
    # The login's address (User.email); profile_update saves it, and a first address resends
    # the e-mails skipped for want of one. Omitted on an update: the address is left alone.
    email = EmailAddressField(
        source="user.email", required=False, allow_blank=True, label=_("电子邮箱")
    )
    username = serializers.CharField(source="user.username", read_only=True, label=_("登录名"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("派出单位名称"))

    def get_fields(self):
        fields = super().get_fields()
        current_id = self.instance.unit_id if isinstance(self.instance, Profile) else None
        fields["unit"].queryset = cadre_unit_list(user=self.user, current_id=current_id)
        return fields

    def validate(self, attrs):
        # The services take the address as `email`, not nested under the login.
        user = attrs.pop("user", None)
        if user is not None and "email" in user:
            attrs["email"] = user["email"]
        return attrs

    class Meta:
        model = Profile
        fields = [
            "id",
            "name",
            "phone",
            "email",
            "unit",
            "unit_name",
            "rank",
            "title",
            "username",
            "version",
        ]
        # A cadre always has a dispatching unit; it is also what puts them in the office's scope.
        extra_kwargs = {"unit": {"required": True, "allow_null": False}}


class AssignmentSerializer(ProgrammeFixedOnUpdateMixin, ServiceModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True, label=_("干部姓名"))
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, label=_("企业名称")
    )

    scoped_fields = {
        "programme": lambda user: programme_list(user=user),
        "cadre": lambda user: cadre_list(user=user),
        "enterprise": lambda user: enterprise_list(user=user),
        "work_group": lambda user: work_group_list(user=user),
    }

    class Meta:
        model = Assignment
        fields = [
            "id",
            "programme",
            "cadre",
            "cadre_name",
            "enterprise",
            "enterprise_name",
            "work_group",
            "start_date",
            "end_date",
            "role",
            "version",
        ]
