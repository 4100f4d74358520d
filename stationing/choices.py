from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


class ReportCycle(models.TextChoices):
    HALF_MONTH = "half_month", _("每半月")
    MONTH = "month", _("每月")


class AssignmentRole(models.TextChoices):
    LEADER = "leader", _("组长")
    MEMBER = "member", _("队员")


class TaskArea(models.TextChoices):
    """The six tasks of a stationed cadre (seed 000): a plan item belongs to one of them."""

    STRATEGY = "strategy", _("发展规划")
    DIFFICULTIES = "difficulties", _("解难帮扶")
    MANAGEMENT = "management", _("规范管理/股改上市")
    PARTY = "party", _("党建")
    EMPLOYEES = "employees", _("职工稳定")
    RESEARCH = "research", _("调研反映")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    BLOCKED = "blocked", _("受阻")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    REVIEWED = "reviewed", _("已审阅")


class ReportRating(models.TextChoices):
    EXCELLENT = "excellent", _("优")
    GOOD = "good", _("良")
    FAIR = "fair", _("中")
    POOR = "poor", _("差")


class PeriodStatus(models.TextChoices):
    """What a cadre sees for one assignment in one period."""

    NOT_STARTED = "not_started", _("未开始")
    DRAFT = "draft", _("草稿")
    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("逾期报送")
    RETURNED = "returned", _("已退回")
    REVIEWED = "reviewed", _("已审阅")
    MISSING = "missing", _("逾期未报")
    UPCOMING = "upcoming", _("未到期")


class StationingNotice(models.TextChoices):
    """Notification kinds sent by stationing (registered in stationing.notices)."""

    REPORT_DUE_SOON = "report_due_soon", _("半月报即将截止")
    REPORT_DUE_TODAY = "report_due_today", _("半月报今日截止")
    REPORT_OVERDUE = "report_overdue", _("半月报逾期未报")
    PLAN_DUE_SOON = "plan_due_soon", _("工作计划即将截止")
    PLAN_OVERDUE = "plan_overdue", _("工作计划逾期未报")
    # Sent only when someone else hands the cadre's report in (the office entering a paper
    # report); a cadre's own submission is confirmed on the page. Older rows are of every kind.
    REPORT_SUBMITTED = "report_submitted", _("半月报已报送")
    REPORT_RETURNED = "report_returned", _("半月报被退回")
    REPORT_REVIEWED = "report_reviewed", _("半月报已审阅")
    # The office's one-click reminder from its console: once a day per stationing and period.
    REPORT_CHASED = "report_chased", _("督查室催报半月报")
