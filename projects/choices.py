from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectCategory(models.TextChoices):
    """The three lists of seed 003 (十大基础设施、十大产业、十大民生项目)."""

    INFRASTRUCTURE = "infrastructure", _("基础设施")
    INDUSTRY = "industry", _("产业")
    LIVELIHOOD = "livelihood", _("民生")


class Stage(models.TextChoices):
    """Seed 001's chain, in order. A programme may use a shorter chain (ProjectSettings.stages),
    always in this order."""

    ATTRACT = "attract", _("招商")
    NEGOTIATE = "negotiate", _("洽谈")
    SIGN = "sign", _("签约")
    FILING = "filing", _("立项")
    APPROVAL = "approval", pgettext_lazy("project stage", "审批")
    FINANCING = "financing", _("融资")
    CONSTRUCTION = "construction", _("建设")
    PRODUCTION = "production", _("投产")


STAGE_ORDER = [value for value, _label in Stage.choices]


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    MEMBER = "member", _("成员")


class Colour(models.TextChoices):
    """A milestone's (and through its worst open milestone, a project's) colour."""

    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("滞后")


COLOUR_RANK = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}

# A milestone turns yellow this many days before its planned date (issue 13).
MILESTONE_WARNING_DAYS = 7
# Monthly progress is due by this day of the following month unless the programme says otherwise.
DEFAULT_PROGRESS_DUE_DAY = 5


# --- Approval formalities (审批手续代办, seed 004) and reminders: models/formalities.py, jobs.py


class FormalityKind(models.TextChoices):
    """Seed 004's kinds of project, each with its own chain of formalities."""

    REAL_ESTATE = "real_estate", _("房地产")
    ENTERPRISE = "enterprise", _("企业建设")
    INFRASTRUCTURE = "infrastructure", _("基础设施")


class FormalityState(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    NOT_NEEDED = "not_needed", _("不需办理")


class ProjectNotice(models.TextChoices):
    """Notification kinds sent by projects (registered in projects.notices)."""

    MILESTONE_DUE_SOON = "milestone_due_soon", _("项目节点临近")
    MILESTONE_LATE = "milestone_late", _("项目节点滞后")
    PROGRESS_DUE = "project_progress_due", _("项目月度进展待报")
    PROGRESS_OVERDUE = "project_progress_overdue", _("项目月度进展逾期未报")
    FORMALITY_STUCK = "formality_stuck", _("审批手续超期")
