"""Key projects (重点项目) under a leader's charge (领导包项): the project, its team, its stage
history and milestones, and the per-programme settings of the project work."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NaturallyOrdered, TrackedModel

from ..choices import (
    DEFAULT_PROGRESS_DUE_DAY,
    STAGE_ORDER,
    MemberRole,
    ProjectCategory,
    Stage,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectSettings(TrackedModel):
    """How a programme runs its key projects: its stage chain and the monthly progress deadline.

    Kept here rather than on stationing's Programme: the programme is a lower layer and knows
    nothing of projects. A programme without a row uses the full chain and the default day.
    """

    programme = models.OneToOneField(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.CASCADE,
        related_name="project_settings",
    )
    stages = models.JSONField(
        _("项目阶段"),
        default=list,
        blank=True,
        help_text=_("本批次使用的阶段（按招商至投产的顺序取其中若干）；不填则使用全部阶段。"),
    )
    progress_due_day = models.PositiveSmallIntegerField(
        _("月度进展报送日"),
        default=DEFAULT_PROGRESS_DUE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("每月进展须在次月此日 23:59:59 前报送。"),
    )

    class Meta:
        verbose_name = _("重点项目设置")
        verbose_name_plural = _("重点项目设置")

    def __str__(self):
        return str(self.programme)

    def clean(self):
        stages = list(self.stages or [])
        if any(stage not in STAGE_ORDER for stage in stages) or len(set(stages)) != len(stages):
            raise ValidationError({"stages": _("阶段只能从招商至投产中选取，且不能重复。")})
        self.stages = sorted(stages, key=STAGE_ORDER.index)


class KeyProject(NaturallyOrdered, TrackedModel):
    """一个项目、一位领导、一支队伍、一抓到底 (seed 003)."""

    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.PROTECT,
        related_name="key_projects",
    )
    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(_("项目类别"), max_length=16, choices=ProjectCategory.choices)
    industry_chain = models.CharField(_("产业链"), max_length=100, blank=True)
    description = models.TextField(_("建设内容"), blank=True)
    total_investment = models.DecimalField(
        _("总投资（万元）"), validators=[MinValueValidator(0)], **MONEY
    )
    plan_year = models.PositiveSmallIntegerField(_("计划年度"))
    year_planned_investment = models.DecimalField(
        _("年度计划投资（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("投资企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_projects",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包项领导"),
        on_delete=models.PROTECT,
        related_name="led_key_projects",
    )
    lead_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="led_key_projects",
    )
    co_units = models.ManyToManyField(
        "core.Unit", verbose_name=_("配合单位"), blank=True, related_name="co_key_projects"
    )
    region = models.ForeignKey(
        "core.Unit",
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="region_key_projects",
    )
    members = models.ManyToManyField(
        "core.Profile",
        verbose_name=_("工作专班"),
        through="projects.ProjectMember",
        blank=True,
        related_name="key_projects",
    )
    stage = models.CharField(_("当前阶段"), max_length=16, choices=Stage.choices)
    start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    end_date = models.DateField(_("计划竣工日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["programme", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="keyproject_unique_name"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="keyproject_end_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("计划竣工日期不能早于计划开工日期。")})


class ProjectMember(models.Model):
    """A cadre on a project's team (一支队伍), as its head (组长) or a member."""

    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(
        "core.Profile",
        verbose_name=_("干部"),
        on_delete=models.PROTECT,
        related_name="project_memberships",
    )
    role = models.CharField(
        _("角色"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    class Meta:
        verbose_name = _("专班成员")
        verbose_name_plural = _("专班成员")
        ordering = ["project", "role", "profile__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "profile"], name="projectmember_unique")
        ]

    def __str__(self):
        return f"{self.profile} · {self.project}"


class ProjectStageMove(models.Model):
    """One move along the stage chain. Append-only: the history is evidence."""

    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="stage_moves")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    is_backward = models.BooleanField(_("回退"), default=False)
    reason = models.TextField(_("原因"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["project", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_backward=False) | ~models.Q(reason=""),
                name="stagemove_backward_needs_reason",
            )
        ]

    def __str__(self):
        return f"{self.project_id} {self.from_stage} → {self.to_stage}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("阶段变更记录不可修改。"))
        super().save(*args, **kwargs)


class ProjectMilestone(TrackedModel):
    """A dated step of a project (e.g. 3月底前完成前期工作，4月份开工)."""

    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点名称"), max_length=200)
    planned_date = models.DateField(_("计划完成日期"))
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "planned_date", "position", "pk"]

    def __str__(self):
        return self.title
