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


class AuditAction(models.TextChoices):
    """What an audit event records (core.models.AuditEvent.action)."""

    CREATED = "created", _("创建")
    CHANGED = "changed", _("修改")
    SUBMITTED = "submitted", _("报送")
    APPROVED = "approved", _("批准")
    RETURNED = "returned", _("退回")
    REVIEWED = "reviewed", _("审阅")
    ACCEPTED = "accepted", _("受理")
    REJECTED = "rejected", _("不予受理")
    ASSIGNED = "assigned", _("交办")
    OBJECTED = "objected", _("提出异议")
    CONFIRMED = "confirmed", _("维持交办")
    HANDED_OVER = "handed_over", _("移交")
    PROGRESSED = "progressed", _("办理进展")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("同意延期")
    EXTENSION_REFUSED = "extension_refused", _("不同意延期")
    ANSWERED = "answered", _("答复")
    RATED = "rated", _("评价")
    ESCALATED = "escalated", _("升级督办")
    URGED = "urged", _("催办")
    WITHDRAWN = "withdrawn", _("撤回")
    RAN = "ran", _("运行")
    PUBLISHED = "published", _("发布")
    REVIEW_REQUESTED = "review_requested", _("申请复核")
    ROLE_CHANGED = "role_changed", _("角色变更")
    ACTIVATED = "activated", _("启用")
    DEACTIVATED = "deactivated", _("停用")
    PASSWORD_RESET = "password_reset", _("重设密码")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    TOKEN_CREATED = "token_created", _("生成令牌")
    TOKEN_REVOKED = "token_revoked", _("吊销令牌")
    SIGN_IN_FAILED = "sign_in_failed", _("登录失败")
    ACCESS_REFUSED = "access_refused", _("拒绝访问")
