from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Django group names (exact, English) with the label users see."""

    OFFICE = "office", _("督查室")
    CADRE = "cadre", _("驻企干部")
    DEPARTMENT = "department", _("职能部门")
    ENTERPRISE = "enterprise", _("企业联络人")
    LEADER = "leader", _("领导")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("党委政府(属地)")
    DEPARTMENT = "department", _("部门单位")


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


class Rank(models.TextChoices):
    CLERK = "clerk", _("科员")
    DEPUTY_SECTION = "deputy_section", _("副科级")
    SECTION = "section", _("正科级")
    DEPUTY_DIVISION = "deputy_division", _("副处级")
    DIVISION = "division", _("正处级")
    OTHER = "other", _("其他")


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
