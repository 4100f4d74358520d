"""Government units and the people behind the logins: the organisation every app scopes by.

They sit in the shared core because "who is this user and where do they belong" (core.roles) is
asked by every app; a unit's tables keep the names they had when they lived in stationing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Rank, Role, UnitKind, UnitLevel
from ..ordering import person_key, tree_key
from .base import NaturallyOrdered, TrackedModel

TREE_KEY_LENGTH = 1000


class Unit(NaturallyOrdered, TrackedModel):
    """A government body: territorial government (市/县/乡镇) or a department.

    A department may dispatch cadres (派出单位), handle tickets (承办单位), or both. `path` holds
    the ids from the root down ("/1/4/9/") so "this unit and everything under it" is one indexed
    prefix filter, which scoping uses on every request. `tree_key` is kept the same way from the
    natural-order keys (core.ordering): ordering by it lists a unit before its children and the
    siblings in natural order, which is the order every unit list and dropdown shows.
    """

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("层级"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    is_dispatching = models.BooleanField(_("派出单位"), default=False)
    is_responsible = models.BooleanField(_("承办单位"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    webhook_url = models.URLField(
        _("机器人推送地址"),
        max_length=500,
        blank=True,
        help_text=_("企业微信或钉钉群机器人的 Webhook 地址；填写后本单位的提醒同时推送到群里。"),
    )
    path = models.CharField(
        _("层级路径"), max_length=255, editable=False, db_index=True, default=""
    )
    tree_key = models.CharField(
        _("树形排序键"), max_length=TREE_KEY_LENGTH, editable=False, db_index=True, default=""
    )

    class Meta:
        db_table = "stationing_unit"
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["tree_key", "pk"]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        old_path, old_tree_key = self.path, self.tree_key
        super().save(*args, **kwargs)
        prefix = self.parent.path if self.parent_id else "/"
        new_path = f"{prefix}{self.pk}/"
        new_tree_key = tree_key(self.parent.tree_key if self.parent_id else "", self.sort_key)
        new_tree_key = new_tree_key[:TREE_KEY_LENGTH]
        if new_path != old_path or new_tree_key != old_tree_key:
            Unit.objects.filter(pk=self.pk).update(path=new_path, tree_key=new_tree_key)
            self.path, self.tree_key = new_path, new_tree_key
            # Moving or renaming a unit moves its whole subtree.
            for child in self.children.all():
                child.save(update_fields=["path", "tree_key"])

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
            ancestor = ancestor.parent

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Profile(NaturallyOrdered, TrackedModel):
    """A person behind a login: name, phone, and what the role binds them to.

    A cadre has a dispatching unit and a rank; a department handler is bound to its unit; an
    enterprise contact to its enterprise; office staff and leaders to the unit whose programmes
    they run or watch. Roles themselves are Django groups (see choices.Role). People sort by the
    pinyin of their name, the surname read as a surname (core.ordering.person_key).
    """

    sort_key_function = staticmethod(person_key)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("驻企干部填派出单位；职能部门人员填本部门；督查室和领导填所在机关。"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text=_("仅企业联络人填写。"),
    )
    rank = models.CharField(_("职级"), max_length=20, choices=Rank.choices, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        db_table = "stationing_profile"
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["sort_key", "pk"]

    def __str__(self):
        return self.name

    @property
    def roles(self) -> set[str]:
        return {group.name for group in self.user.groups.all()}

    def has_role(self, role: Role) -> bool:
        return role in self.roles
