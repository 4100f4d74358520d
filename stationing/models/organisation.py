"""Programmes, government units, work groups, people and who is stationed where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AssignmentRole, ProgrammeStatus, Rank, ReportCycle, Role, UnitKind, UnitLevel
from .base import TrackedModel


class Unit(TrackedModel):
    """A government body: territorial government (市/县/乡镇) or a department.

    A department may dispatch cadres (派出单位), handle tickets (承办单位), or both. `path` holds
    the ids from the root down ("/1/4/9/") so "this unit and everything under it" is one indexed
    prefix filter, which scoping uses on every request.
    """

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("层级"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    is_dispatching = models.BooleanField(_("派出单位"), default=False)
    is_responsible = models.BooleanField(_("承办单位"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    webhook_url = models.URLField(
        _("机器人推送地址"),
        max_length=500,
        blank=True,
        help_text=_("企业微信或钉钉群机器人的 Webhook 地址;填写后本单位的提醒同时推送到群里。"),
    )
    path = models.CharField(
        _("层级路径"), max_length=255, editable=False, db_index=True, default=""
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path", "name"]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        prefix = self.parent.path if self.parent_id else "/"
        new_path = f"{prefix}{self.pk}/"
        if new_path != old_path:
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            # Moving a unit moves its whole subtree.
            for child in self.children.all():
                child.save(update_fields=["path"])

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
            ancestor = ancestor.parent

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Programme(TrackedModel):
    """A stationing programme (驻企批次): who runs it, when, and its reporting rules."""

    name = models.CharField(_("名称"), max_length=100)
    organiser = models.ForeignKey(
        Unit, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="programmes"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    description = models.TextField(_("说明"), blank=True)
    report_cycle = models.CharField(
        _("报告周期"), max_length=16, choices=ReportCycle.choices, default=ReportCycle.HALF_MONTH
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("报告期满后几日内报送"), default=3, help_text=_("每期结束后第几日 23:59:59 截止。")
    )
    plan_due_days = models.PositiveSmallIntegerField(
        _("工作计划报送期限(天)"), default=7, help_text=_("自进驻之日起计算。")
    )
    growth_targets = models.JSONField(
        _("增长目标(%)"),
        default=dict,
        blank=True,
        help_text=_('如 {"output_value": 17, "value_added": 16, "profit_tax": 10}。'),
    )
    appraisal_weights = models.JSONField(_("考核权重"), default=dict, blank=True)
    grade_bands = models.JSONField(_("考核等次分数线"), default=dict, blank=True)

    class Meta:
        verbose_name = _("驻企批次")
        verbose_name_plural = _("驻企批次")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="programme_end_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})


class WorkGroup(TrackedModel):
    """A group of stationed cadres in a programme, led by a leader (领导带队)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("驻企批次"), on_delete=models.CASCADE, related_name="work_groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("带队领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_work_groups",
    )
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工作组")
        verbose_name_plural = _("工作组")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="workgroup_unique_name")
        ]

    def __str__(self):
        return self.name


class Profile(TrackedModel):
    """A person behind a login: name, phone, and what the role binds them to.

    A cadre has a dispatching unit and a rank; a department handler is bound to its unit; an
    enterprise contact to its enterprise; office staff and leaders to the unit whose programmes
    they run or watch. Roles themselves are Django groups (see choices.Role).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("驻企干部填派出单位;职能部门人员填本部门;督查室和领导填所在机关。"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text=_("仅企业联络人填写。"),
    )
    rank = models.CharField(_("职级"), max_length=20, choices=Rank.choices, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name

    @property
    def roles(self) -> set[str]:
        return {group.name for group in self.user.groups.all()}

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class Assignment(TrackedModel):
    """A cadre stationed in an enterprise within a programme (驻企安排)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("驻企批次"), on_delete=models.PROTECT, related_name="assignments"
    )
    cadre = models.ForeignKey(
        Profile, verbose_name=_("驻企干部"), on_delete=models.PROTECT, related_name="assignments"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    work_group = models.ForeignKey(
        WorkGroup,
        verbose_name=_("工作组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    start_date = models.DateField(_("进驻日期"))
    end_date = models.DateField(_("撤离日期"), null=True, blank=True)
    role = models.CharField(
        _("角色"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.MEMBER
    )

    class Meta:
        verbose_name = _("驻企安排")
        verbose_name_plural = _("驻企安排")
        ordering = ["programme", "enterprise__name", "cadre__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cadre", "enterprise"], name="assignment_unique_per_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.cadre} → {self.enterprise}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("撤离日期不能早于进驻日期。")
        if self.programme_id and self.start_date:
            programme = self.programme
            if not programme.start_date <= self.start_date <= programme.end_date:
                errors["start_date"] = _(
                    "进驻日期应在驻企批次的起止日期(%(start)s 至 %(end)s)之内。"
                ) % {
                    "start": programme.start_date,
                    "end": programme.end_date,
                }
        if (
            self.work_group_id
            and self.programme_id
            and self.work_group.programme_id != self.programme_id
        ):
            errors["work_group"] = _("工作组不属于该驻企批次。")
        if errors:
            raise ValidationError(errors)
