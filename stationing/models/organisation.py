"""Programmes, work groups and who is stationed where (units and people are in core)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NaturallyOrdered, Profile, TrackedModel, Unit

from ..choices import AssignmentRole, ProgrammeStatus, ReportCycle


class Programme(NaturallyOrdered, TrackedModel):
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
        _("工作计划报送期限（天）"), default=7, help_text=_("自进驻之日起计算。")
    )
    growth_targets = models.JSONField(
        _("增长目标（%）"),
        default=dict,
        blank=True,
        help_text=_('如 {"output_value": 17, "value_added": 16, "profit_tax": 10}。'),
    )
    appraisal_weights = models.JSONField(_("考核权重"), default=dict, blank=True)
    grade_bands = models.JSONField(_("考核等次分数线"), default=dict, blank=True)

    class Meta:
        verbose_name = _("驻企批次")
        verbose_name_plural = _("驻企批次")
        ordering = ["-start_date", "sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="programme_end_after_start",
            )
        ]

    def __str__(self):
        return self.name

    # A programme runs about a year; these bounds only stop typing slips (20 years, a due
    # delay of 300 days) from generating hundreds of periods or dates past the calendar.
    MAX_YEARS = 10
    MAX_REPORT_DUE_DAYS = 60
    MAX_PLAN_DUE_DAYS = 90

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("结束日期不能早于开始日期。")
        elif (
            self.start_date
            and self.end_date
            and self.end_date.year - self.start_date.year > (self.MAX_YEARS)
        ):
            errors["end_date"] = _("驻企批次最长 %(years)d 年，请检查结束日期。") % {
                "years": self.MAX_YEARS
            }
        limits = (
            ("report_due_days", self.MAX_REPORT_DUE_DAYS),
            ("plan_due_days", self.MAX_PLAN_DUE_DAYS),
        )
        for name, most in limits:
            value = getattr(self, name)
            if value is not None and not 0 <= value <= most:
                errors[name] = _("“%(field)s”须在 0 到 %(max)d 之间。") % {
                    "field": self._meta.get_field(name).verbose_name,
                    "max": most,
                }
        if errors:
            raise ValidationError(errors)


class WorkGroup(NaturallyOrdered, TrackedModel):
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
        ordering = ["programme", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="workgroup_unique_name")
        ]

    def __str__(self):
        return self.name


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
        ordering = ["programme", "enterprise__sort_key", "cadre__sort_key", "pk"]
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
                    "进驻日期应在驻企批次的起止日期（%(start)s 至 %(end)s）之内。"
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
