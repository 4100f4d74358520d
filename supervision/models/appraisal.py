"""The end-of-period appraisal (考核): per-programme settings, frozen runs and their results,
and the enterprise contacts' star ratings of their cadres.

A run stores, for every cadre, each component and the counts behind it, so a result can be
explained without recomputing it; published runs are never written again (services.appraisal).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AppraisalGrade, AppraisalState, ReviewState

SCORE = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True}
RATE = {"max_digits": 5, "decimal_places": 4, "null": True, "blank": True}


class AppraisalSettings(models.Model):
    """What of the appraisal a programme may set besides its weights and grade bands (those are
    the programme's `appraisal_weights` and `grade_bands`). No row: the defaults."""

    programme = models.OneToOneField(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.CASCADE,
        related_name="appraisal_settings",
    )
    excellent_quota_percent = models.PositiveSmallIntegerField(
        _("优秀比例（%）"), default=20, validators=[MaxValueValidator(100)]
    )
    unit_min_sample = models.PositiveSmallIntegerField(
        _("单位和工作组参加排名的最少干部数"), default=3, validators=[MinValueValidator(1)]
    )
    department_min_sample = models.PositiveSmallIntegerField(
        _("承办单位参加排名的最少诉求数"), default=5, validators=[MinValueValidator(1)]
    )
    review_working_days = models.PositiveSmallIntegerField(
        _("申请复核期限（工作日）"), default=5, help_text=_("自考核结果发布之日起计算。")
    )

    class Meta:
        verbose_name = _("考核设置")
        verbose_name_plural = _("考核设置")

    def __str__(self):
        return str(self.programme)


class AppraisalRun(models.Model):
    """One computation of a programme's appraisal as of a date: draft → published.

    Only one run of a programme may be running at a time (the partial unique constraint: a
    second start fails to insert). Each run is a new version; `reason` says why a version after
    a published one was made.
    """

    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.PROTECT,
        related_name="appraisal_runs",
    )
    number = models.PositiveIntegerField(_("版本号"))
    as_of = models.DateField(_("考核截止日期"))
    settings_snapshot = models.JSONField(_("考核设置"), default=dict)
    state = models.CharField(
        _("状态"), max_length=16, choices=AppraisalState.choices, default=AppraisalState.RUNNING
    )
    reason = models.TextField(_("重新考核原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("计算完成时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    cadre_count = models.PositiveIntegerField(_("参加考核干部数"), default=0)
    excellent_quota = models.PositiveIntegerField(_("优秀名额"), default=0)
    excellent_count = models.PositiveIntegerField(_("优秀人数"), default=0)
    # Cadres tied at the quota's boundary all keep 优秀: how many more than the quota that made.
    quota_overrun = models.PositiveIntegerField(_("并列超出名额"), default=0)

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="appraisalrun_unique_number"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(state="running"),
                name="appraisalrun_one_running_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.programme} · {self.as_of} · v{self.number}"


class CadreResult(models.Model):
    """One cadre's components, the counts behind each, total, grade and rank in a run.

    A component is None when it was left out (nothing to measure); the weights of the others
    were renormalised. Unit and work group are frozen as they were when the run was made.
    """

    run = models.ForeignKey(
        AppraisalRun, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="cadres"
    )
    cadre = models.ForeignKey(
        "core.Profile", verbose_name=_("驻企干部"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("派出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_group = models.ForeignKey(
        "stationing.WorkGroup",
        verbose_name=_("工作组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Components, 0-100, rounded half up to 2 decimals (None: left out).
    reports = models.DecimalField(_("报告报送（R）"), **SCORE)
    attendance = models.DecimalField(_("在岗考勤（A）"), **SCORE)
    plan = models.DecimalField(_("计划完成（P）"), **SCORE)
    problems = models.DecimalField(_("问题解决（S）"), **SCORE)
    enterprise_rating = models.DecimalField(_("企业评价（E）"), **SCORE)
    office_rating = models.DecimalField(_("日常评定（O）"), **SCORE)
    # The counts behind them.
    expected_entries = models.PositiveIntegerField(_("应报期数"), default=0)
    reports_on_time = models.PositiveIntegerField(_("按时报送"), default=0)
    reports_late = models.PositiveIntegerField(_("逾期报送"), default=0)
    reports_missing = models.PositiveIntegerField(_("未报"), default=0)
    days_on_site = models.PositiveIntegerField(_("在企天数"), default=0)
    has_approved_plan = models.BooleanField(_("有已批准的工作计划"), default=False)
    plan_items = models.PositiveIntegerField(_("计入的工作任务数"), default=0)
    tickets_counted = models.PositiveIntegerField(_("计入的诉求数"), default=0)
    tickets_satisfied = models.PositiveIntegerField(_("满意"), default=0)
    tickets_basic = models.PositiveIntegerField(_("基本满意"), default=0)
    ratings_counted = models.PositiveIntegerField(_("企业评价人数"), default=0)
    reviews_counted = models.PositiveIntegerField(_("已评定报告数"), default=0)
    detail = models.JSONField(_("明细"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), **SCORE)
    grade = models.CharField(_("等次"), max_length=16, choices=AppraisalGrade.choices, blank=True)
    quota_moved = models.BooleanField(_("因优秀比例调整"), default=False)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        verbose_name = _("干部考核结果")
        verbose_name_plural = _("干部考核结果")
        ordering = ["run", "rank", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["run", "cadre"], name="cadreresult_unique")]

    def __str__(self):
        return f"{self.cadre} {self.total}"


class GroupResult(models.Model):
    """The roll-up of a set of cadres: count, mean total, count per grade, rank."""

    cadre_count = models.PositiveIntegerField(_("干部数"), default=0)
    mean_total = models.DecimalField(_("平均分"), **SCORE)
    excellent = models.PositiveIntegerField(_("优秀"), default=0)
    good = models.PositiveIntegerField(_("良好"), default=0)
    passed = models.PositiveIntegerField(_("合格"), default=0)
    failed = models.PositiveIntegerField(_("不合格"), default=0)
    # None: fewer cadres than the programme's minimum sample; listed unranked.
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        abstract = True


class UnitResult(GroupResult):
    run = models.ForeignKey(
        AppraisalRun, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("派出单位"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("派出单位考核结果")
        verbose_name_plural = _("派出单位考核结果")
        ordering = ["run", "rank", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="unitresult_unique")]

    def __str__(self):
        return f"{self.unit} {self.mean_total}"


class WorkGroupResult(GroupResult):
    run = models.ForeignKey(
        AppraisalRun, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="work_groups"
    )
    work_group = models.ForeignKey(
        "stationing.WorkGroup",
        verbose_name=_("工作组"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作组考核结果")
        verbose_name_plural = _("工作组考核结果")
        ordering = ["run", "rank", "work_group_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "work_group"], name="workgroupresult_unique")
        ]

    def __str__(self):
        return f"{self.work_group} {self.mean_total}"


class DepartmentResult(models.Model):
    """A responsible department's ticket performance in the programme."""

    run = models.ForeignKey(
        AppraisalRun, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="departments"
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    tickets_assigned = models.PositiveIntegerField(_("交办诉求数"), default=0)
    answered_on_time = models.PositiveIntegerField(_("按期答复数"), default=0)
    on_time_rate = models.DecimalField(_("按期答复率"), **RATE)
    rated = models.PositiveIntegerField(_("已评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basic = models.PositiveIntegerField(_("基本满意"), default=0)
    satisfaction = models.DecimalField(_("满意度"), **RATE)
    mean_working_days = models.DecimalField(_("平均答复用时（工作日）"), **SCORE)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办单位考核结果")
        verbose_name_plural = _("承办单位考核结果")
        ordering = ["run", "rank", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="departmentresult_unique")
        ]

    def __str__(self):
        return f"{self.unit} {self.on_time_rate}"


class CadreRating(models.Model):
    """An enterprise contact's 1-5 stars for a cadre stationed at their enterprise.

    Append-only: rating again adds a row, and the latest row of each contact (by the as-of date
    of a run) is the one the appraisal counts, so earlier runs stay reproducible.
    """

    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("企业联络人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cadre = models.ForeignKey(
        "core.Profile",
        verbose_name=_("驻企干部"),
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    programme = models.ForeignKey(
        "stationing.Programme",
        verbose_name=_("驻企批次"),
        on_delete=models.PROTECT,
        related_name="cadre_ratings",
    )
    stars = models.PositiveSmallIntegerField(
        _("星级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业对干部的评价")
        verbose_name_plural = _("企业对干部的评价")
        ordering = ["programme", "cadre", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="cadrerating_stars_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.cadre} {self.stars}★"


class ResultReviewRequest(models.Model):
    """A cadre's request for a review (申请复核) of their published result, within the window the
    run's settings set; the office answers it. When the answer changes the result, the office's
    rerun is a new version of the appraisal (`new_run`), with the review as its reason.

    One request per result: asking twice is refused (the unique constraint keeps it so).
    """

    result = models.ForeignKey(
        CadreResult,
        verbose_name=_("考核结果"),
        on_delete=models.CASCADE,
        related_name="review_requests",
    )
    cadre = models.ForeignKey(
        "core.Profile", verbose_name=_("驻企干部"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("复核理由"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    answer = models.TextField(_("复核意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    new_run = models.ForeignKey(
        AppraisalRun,
        verbose_name=_("重新考核版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考核结果复核申请")
        verbose_name_plural = _("考核结果复核申请")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["result"], name="resultreviewrequest_one_per_result")
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_state_display()}"


GRADE_FIELDS = {
    AppraisalGrade.EXCELLENT: "excellent",
    AppraisalGrade.GOOD: "good",
    AppraisalGrade.PASS: "passed",
    AppraisalGrade.FAIL: "failed",
}
