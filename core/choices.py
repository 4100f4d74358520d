"""Choices of the shared core: roles (Django group names) and the kinds of unit and rank."""

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
    GOVERNMENT = "government", _("党委政府（属地）")
    DEPARTMENT = "department", _("部门单位")


class Rank(models.TextChoices):
    CLERK = "clerk", _("科员")
    DEPUTY_SECTION = "deputy_section", _("副科级")
    SECTION = "section", _("正科级")
    DEPUTY_DIVISION = "deputy_division", _("副处级")
    DIVISION = "division", _("正处级")
    OTHER = "other", _("其他")
