"""Monthly progress of a key project (月度进展) and the problems it reports."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel

from ..choices import Stage
from .projects import MONEY, KeyProject, ProjectMilestone


class ProjectProgress(TrackedModel):
    """One report per project per calendar month, filed by the team.

    The investment to date is not stored: it is the sum of the monthly amounts up to the month
    (selectors.progress), so a month filed late never leaves the later months' totals wrong.
    """

    project = models.ForeignKey(
        KeyProject,
        verbose_name=_("重点项目"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天。"))
    investment_month = models.DecimalField(
        _("本月完成投资（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    stage_reached = models.CharField(_("达到阶段"), max_length=16, choices=Stage.choices)
    milestones_met = models.ManyToManyField(
        ProjectMilestone, verbose_name=_("本月完成节点"), blank=True, related_name="met_in"
    )
    work_done = models.TextField(_("本月工作进展"))
    next_steps = models.TextField(_("下一步工作"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    is_late = models.BooleanField(_("逾期报送"), default=False)

    class Meta:
        verbose_name = _("月度进展")
        verbose_name_plural = _("月度进展")
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progress_one_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="progress_month_first"),
        ]

    def __str__(self):
        return f"{self.project} · {self.month:%Y-%m}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("月份须为该月第一天。")})


class ProjectProblem(models.Model):
    """A problem reported with a month's progress; each line can become a ticket (supervision
    links it: Ticket.project_problem, reverse name `ticket`)."""

    progress = models.ForeignKey(ProjectProgress, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    description = models.TextField(_("问题描述"))

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["progress", "position", "id"]

    def __str__(self):
        return self.description[:40]
