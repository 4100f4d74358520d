"""One-enterprise-one-policy work plans (一企一策工作计划), their items and approved versions."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import TrackedModel

from ..choices import ItemStatus, PlanState, TaskArea


class WorkPlan(TrackedModel):
    """The plan of one enterprise in one programme, written by its stationed cadre(s).

    The items are live: cadres edit them while the plan is a draft or returned. Submitting freezes
    a copy as a WorkPlanVersion, which the office approves or returns; revising an approved plan
    edits the live items again and the next submission is a new version.
    """

    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    summary = models.TextField(_("总体思路"), blank=True)
    latest_number = models.PositiveIntegerField(_("已报送版本数"), default=0)
    approved_number = models.PositiveIntegerField(_("现行批准版本"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        ordering = ["programme", "enterprise__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "enterprise"], name="workplan_one_per_enterprise"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.programme}"


class WorkPlanItem(TrackedModel):
    """A task (工作任务): area, measurable target, owner, due date, status and progress."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("工作计划"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    area = models.CharField(_("任务类别"), max_length=16, choices=TaskArea.choices)
    title = models.CharField(_("工作任务"), max_length=200)
    target = models.CharField(_("可衡量目标"), max_length=300)
    owner = models.CharField(_("责任人"), max_length=50)
    due_date = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    is_active = models.BooleanField(
        _("有效"), default=True, help_text=_("已在报告中引用的任务删除时只停用，保留历史。")
    )

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return self.title


class WorkPlanVersion(models.Model):
    """A submitted plan, frozen: summary and items as they were, and the office's decision."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("工作计划"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    summary = models.TextField(_("总体思路"), blank=True)
    items = models.JSONField(_("工作任务"), default=list)
    state = models.CharField(
        _("状态"), max_length=16, choices=PlanState.choices, default=PlanState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("工作计划版本")
        verbose_name_plural = _("工作计划版本")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="workplanversion_unique")
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"
