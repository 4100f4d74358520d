"""Half-monthly progress reports (半月报): periods, reports, their parts and submitted versions."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.inputs import CleanInputMixin
from core.models.base import TrackedModel

from ..choices import ItemStatus, ReportRating, ReportState
from ..periods import period_label


class ReportPeriod(models.Model):
    """A reporting period of a programme, generated from its cycle (see periods.py)."""

    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    number = models.PositiveSmallIntegerField(_("期次"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    due_at = models.DateTimeField(_("报送截止"))
    part = models.CharField(
        _("期别"),
        max_length=8,
        choices=[("first", _("上半月")), ("second", _("下半月")), ("month", _("整月"))],
    )

    class Meta:
        verbose_name = _("报告期")
        verbose_name_plural = _("报告期")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="period_unique_number"),
            models.UniqueConstraint(fields=["programme", "start"], name="period_unique_start"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """Computed, not stored, so it follows the reader's language."""
        return period_label(self.start, self.part)


class ProgressReport(TrackedModel):
    """One report per assignment per period. Submitted content is frozen in versions."""

    assignment = models.ForeignKey(
        "stationing.Assignment",
        verbose_name=_("驻企安排"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.ForeignKey(
        ReportPeriod, verbose_name=_("报告期"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    work_done = models.TextField(_("本期工作情况"), blank=True)
    next_steps = models.TextField(_("下一步工作措施"), blank=True)
    planned_steps = models.TextField(
        _("上期计划的本期工作"), blank=True, help_text=_("取自上期报告的下一步工作措施。")
    )
    days_on_site = models.PositiveSmallIntegerField(_("本期在企天数"), null=True, blank=True)
    behind_reason = models.TextField(_("进度滞后原因"), blank=True)
    remedy = models.TextField(_("解决办法"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    submission_count = models.PositiveSmallIntegerField(_("报送次数"), default=0)
    rating = models.CharField(_("评定"), max_length=16, choices=ReportRating.choices, blank=True)
    review_comment = models.TextField(_("审阅意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("半月报")
        verbose_name_plural = _("半月报")
        ordering = ["period__start", "assignment"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="report_one_per_assignment_period"
            )
        ]
        indexes = [
            # The office's review queue and its to-do count read the submitted reports only:
            # on a province a small part of a quarter of a million rows.
            models.Index(
                fields=["assignment"],
                condition=models.Q(state="submitted"),
                name="report_awaiting_review",
            ),
            # Who has handed in a period's report (the missing-report counts of the console,
            # the dashboard and the reminders), from the index alone: a province's period has
            # 10,000 reports, each on its own table page.
            models.Index(
                fields=["period", "assignment"],
                include=["state", "is_late"],
                name="report_handed_in_by_period",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.period}"


class ReportItemProgress(CleanInputMixin):
    """Progress of one plan item as reported in one report."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="item_progress"
    )
    item = models.ForeignKey(
        "stationing.WorkPlanItem", on_delete=models.PROTECT, related_name="reported_progress"
    )
    progress = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.IN_PROGRESS
    )
    note = models.CharField(_("进展说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("任务进度")
        verbose_name_plural = _("任务进度")
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="itemprogress_unique")
        ]

    def __str__(self):
        return f"{self.item}：{self.progress}%"


class ReportProblem(CleanInputMixin):
    """A problem found this period. Each line can become a ticket (the tickets issue links it)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    description = models.TextField(_("问题描述"))

    class Meta:
        verbose_name = _("发现的问题")
        verbose_name_plural = _("发现的问题")
        ordering = ["report", "position", "id"]

    def __str__(self):
        return self.description[:40]


class ProgressReportVersion(models.Model):
    """A submitted report frozen as it was sent; a returned report's earlier versions stay here."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    is_late = models.BooleanField(_("逾期报送"), default=False)

    class Meta:
        verbose_name = _("半月报版本")
        verbose_name_plural = _("半月报版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"
