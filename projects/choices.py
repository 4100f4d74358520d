from django.db import models
from django.utils.translation import gettext_lazy as _


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
    APPROVAL = "approval", _("审批")
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
