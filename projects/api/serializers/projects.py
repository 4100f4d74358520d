"""Serializers for key projects (重点项目): /api/v1/projects/.

`KeyProjectSerializer` shows a project as the list page does (colour, investment completed,
late milestones, open problems, the team) and validates the office's register/edit input; its
related fields take their choices from the same selectors as the page form
(projects.forms.ProjectForm). `KeyProjectDetailSerializer` adds the milestones, the monthly
progress history and the stage moves, read-only. The stage-move and progress input serializers
validate shape; projects.services decides the rest (the chain, reasons, once per month).
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.base import ServiceModelSerializer
from core.api.fields import VERSION_HELP, ScopedPrimaryKeyRelatedField
from core.api.schema import NamedChoiceField
from core.models import Profile, Unit
from core.selectors import leader_list, unit_list
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list
from stationing.selectors import cadre_list, programme_list

from ...choices import Colour, MemberRole, ProjectCategory, Stage
from ...models import (
    KeyProject,
    ProjectMember,
    ProjectMilestone,
    ProjectProblem,
    ProjectProgress,
    ProjectStageMove,
)
from ...permissions import milestone_colour

# supervision names its ticket colours `Colour` too (黄牌/红牌); the schema names an enum after
# its choices class, so the project colours (临期/滞后) get a name of their own.
ProjectColour = models.TextChoices("ProjectColour", [(c.name, (c.value, c.label)) for c in Colour])


def person_name(user) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "profile", None), "name", "") or user.get_username()


def _today(serializer):
    return serializer.context.get("today") or timezone.localdate()


# --- Read-only parts --------------------------------------------------------------------------


class ProjectMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="profile.name", read_only=True, label=_("姓名"))
    role = NamedChoiceField(MemberRole, read_only=True, label=_("角色"))

    class Meta:
        model = ProjectMember
        fields = ["profile", "name", "role"]
        read_only_fields = fields


class ProjectMilestoneSerializer(serializers.ModelSerializer):
    colour = serializers.SerializerMethodField(
        label=_("节点状态"),
        help_text=_("未完成且已过计划日期为滞后，计划日期前 7 天内为临期；已完成为正常。"),
    )

    class Meta:
        model = ProjectMilestone
        fields = [
            "id",
            "project",
            "position",
            "title",
            "planned_date",
            "actual_date",
            "note",
            "colour",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(NamedChoiceField(ProjectColour))
    def get_colour(self, milestone) -> str:
        return str(milestone_colour(milestone, _today(self)))


class ProjectProblemSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(
        source="ticket_pk",
        read_only=True,
        allow_null=True,
        label=_("诉求编号"),
        help_text=_("已转为诉求时为该诉求的 id（/api/v1/tickets/{id}/），否则为空。"),
    )

    class Meta:
        model = ProjectProblem
        fields = ["id", "position", "description", "ticket"]
        read_only_fields = fields


class ProjectProgressSerializer(serializers.ModelSerializer):
    investment_to_date = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        label=_("累计完成投资（万元）"),
        help_text=_("截至该月（含）各月完成投资之和。"),
    )
    stage_reached = NamedChoiceField(Stage, read_only=True, label=_("达到阶段"))
    submitted_by_name = serializers.SerializerMethodField(label=_("报送人姓名"))
    problems = ProjectProblemSerializer(many=True, read_only=True, label=_("存在的问题"))

    class Meta:
        model = ProjectProgress
        fields = [
            "id",
            "project",
            "month",
            "investment_month",
            "investment_to_date",
            "stage_reached",
            "milestones_met",
            "work_done",
            "next_steps",
            "problems",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "is_late",
        ]
        read_only_fields = fields

    def get_submitted_by_name(self, progress) -> str:
        return person_name(progress.submitted_by)


class ProjectStageMoveSerializer(serializers.ModelSerializer):
    from_stage = NamedChoiceField(Stage, read_only=True, label=_("原阶段"))
    to_stage = NamedChoiceField(Stage, read_only=True, label=_("新阶段"))
    by_name = serializers.SerializerMethodField(label=_("操作人姓名"))

    class Meta:
        model = ProjectStageMove
        fields = ["id", "from_stage", "to_stage", "is_backward", "reason", "by", "by_name", "at"]
        read_only_fields = fields

    def get_by_name(self, move) -> str:
        return person_name(move.by)


# --- Projects ---------------------------------------------------------------------------------


class KeyProjectSerializer(ServiceModelSerializer):
    """A project as the list shows it; the office's input when registering or editing one."""

    programme_name = serializers.CharField(
        source="programme.name", read_only=True, label=_("驻企批次名称")
    )
    category = NamedChoiceField(ProjectCategory, label=_("项目类别"))
    stage = NamedChoiceField(
        Stage,
        required=False,
        label=_("当前阶段"),
        help_text=_("登记时可选，不填则从本批次的第一个阶段开始；之后只能通过 move-stage 变更。"),
    )
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        scope=lambda user: enterprise_list(user=user),
        required=False,
        allow_null=True,
        label=_("投资企业"),
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, default=None, label=_("投资企业名称")
    )
    leader = ScopedPrimaryKeyRelatedField(
        model=get_user_model(),
        scope=lambda user: leader_list(user=user),
        label=_("包项领导"),
    )
    leader_name = serializers.SerializerMethodField(label=_("包项领导姓名"))
    lead_unit = ScopedPrimaryKeyRelatedField(
        model=Unit, scope=lambda user: unit_list(user=user), label=_("牵头单位")
    )
    lead_unit_name = serializers.CharField(
        source="lead_unit.name", read_only=True, label=_("牵头单位名称")
    )
    co_units = ScopedPrimaryKeyRelatedField(
        model=Unit,
        scope=lambda user: unit_list(user=user),
        many=True,
        required=False,
        label=_("配合单位"),
    )
    region = ScopedPrimaryKeyRelatedField(
        model=Unit,
        scope=lambda user: unit_list(user=user).filter(kind="government"),
        required=False,
        allow_null=True,
        label=_("所在地区"),
    )
    region_name = serializers.CharField(
        source="region.name", read_only=True, default=None, label=_("所在地区名称")
    )
    team = ProjectMemberSerializer(
        source="memberships", many=True, read_only=True, label=_("工作专班")
    )
    team_leader = ScopedPrimaryKeyRelatedField(
        model=Profile,
        scope=lambda user: cadre_list(user=user),
        write_only=True,
        required=False,
        allow_null=True,
        label=_("专班组长"),
        help_text=_("干部编号。修改时与 team_members 一起替换整个专班。"),
    )
    team_members = ScopedPrimaryKeyRelatedField(
        model=Profile,
        scope=lambda user: cadre_list(user=user),
        many=True,
        write_only=True,
        required=False,
        label=_("专班成员"),
        help_text=_("干部编号列表。修改时与 team_leader 一起替换整个专班。"),
    )
    colour = NamedChoiceField(
        ProjectColour,
        read_only=True,
        label=_("节点状态"),
        help_text=_("按最差的未完成节点：有滞后节点为滞后，有 7 天内到期的节点为临期。"),
    )
    investment_to_date = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, label=_("累计完成投资（万元）")
    )
    investment_this_year = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, label=_("计划年度已完成投资（万元）")
    )
    late_milestones = serializers.IntegerField(read_only=True, label=_("滞后节点数"))
    yellow_milestones = serializers.IntegerField(read_only=True, label=_("临期节点数"))
    open_problems = serializers.IntegerField(
        read_only=True, label=_("待转诉求的问题数"), help_text=_("月度进展中尚未转为诉求的问题。")
    )

    scoped_fields = {"programme": lambda user: programme_list(user=user)}

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "programme",
            "programme_name",
            "name",
            "category",
            "industry_chain",
            "description",
            "total_investment",
            "plan_year",
            "year_planned_investment",
            "enterprise",
            "enterprise_name",
            "leader",
            "leader_name",
            "lead_unit",
            "lead_unit_name",
            "co_units",
            "region",
            "region_name",
            "team",
            "team_leader",
            "team_members",
            "stage",
            "start_date",
            "end_date",
            "colour",
            "investment_to_date",
            "investment_this_year",
            "late_milestones",
            "yellow_milestones",
            "open_problems",
            "updated_at",
            "version",
        ]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"plan_year": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, KeyProject):
            # As on the edit page: the programme is fixed, the stage moves through move-stage.
            fields["programme"].read_only = True
            fields["stage"].read_only = True
            # The leader already chosen stays valid on an edit.
            current = self.instance.leader
            fields["leader"].scope = lambda user: leader_list(user=user, current=current)
        return fields

    def get_leader_name(self, project) -> str:
        return person_name(project.leader)


class KeyProjectDetailSerializer(KeyProjectSerializer):
    """One project: the list's fields, its milestones, progress history and stage moves."""

    milestones = ProjectMilestoneSerializer(
        source="ordered_milestones", many=True, read_only=True, label=_("项目节点")
    )
    progress = ProjectProgressSerializer(
        source="progress_history",
        many=True,
        read_only=True,
        label=_("月度进展"),
        help_text=_("按月份由近及远。"),
    )
    stage_moves = ProjectStageMoveSerializer(
        source="stage_history", many=True, read_only=True, label=_("阶段变更记录")
    )

    class Meta(KeyProjectSerializer.Meta):
        fields = [*KeyProjectSerializer.Meta.fields, "milestones", "progress", "stage_moves"]


# --- Input of the actions ---------------------------------------------------------------------


class StageMoveSerializer(serializers.Serializer):
    stage = NamedChoiceField(Stage, label=_("变更为"))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        label=_("原因"),
        help_text=_("回退到前面的阶段时必须填写。"),
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class ProgressSubmitSerializer(serializers.Serializer):
    month = serializers.DateField(
        input_formats=["%Y-%m", "iso-8601"],
        label=_("月份"),
        help_text=_("YYYY-MM，或该月任一天（YYYY-MM-DD）。每个项目每月只能报送一次。"),
    )
    investment_month = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, label=_("本月完成投资（万元）")
    )
    stage_reached = NamedChoiceField(
        Stage,
        required=False,
        label=_("达到阶段"),
        help_text=_("不填则为项目当前阶段；晚于当前阶段时项目随之前移。"),
    )
    milestones_met = serializers.PrimaryKeyRelatedField(
        queryset=ProjectMilestone.objects.none(),
        many=True,
        required=False,
        label=_("本月完成节点"),
        help_text=_("该项目尚未完成的节点编号。"),
    )
    work_done = serializers.CharField(label=_("本月工作进展"))
    next_steps = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("下一步工作")
    )
    problems = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        required=False,
        default=list,
        label=_("存在的问题"),
        help_text=_("每项一个问题；报送后每个问题都可以转为诉求。"),
    )

    def get_fields(self):
        fields = super().get_fields()
        project = self.context.get("project")
        if project is not None:
            fields["milestones_met"].child_relation.queryset = project.milestones.all()
        return fields
