"""Predicates of the shared core, and the verdict every app's predicates return.

Each app keeps all its predicates in its own `permissions.py`. A predicate returns a `Verdict`:
true when allowed; when not, it carries the reason in Chinese, which the page shows (403) and the
API returns as its error message. Views, serializers, selectors and services ask the predicates;
none writes its own check.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .roles import actor_for


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def check(self) -> None:
        """Raise PermissionDenied (a 403 page, or the API's 403) with the reason."""
        if not self.allowed:
            raise PermissionDenied(self.reason)


ALLOWED = Verdict(True)


def allow_if(condition: bool, reason) -> Verdict:
    return ALLOWED if condition else Verdict(False, str(reason))


def is_office(user: User) -> Verdict:
    """Office staff (and superusers) set up programmes, units, work groups, cadres and imports,
    and decide plans, reports and tickets."""
    return allow_if(actor_for(user).is_office, _("只有督查室可以进行此操作。"))


def is_office_or_leader(user: User) -> Verdict:
    """The office's overviews (submission matrix, queues) are open to leaders too."""
    actor = actor_for(user)
    return allow_if(
        actor.is_office or actor.sees_programmes_of_unit, _("只有督查室和领导可以查看。")
    )


def may_reset_password(user: User, target: User) -> Verdict:
    """The office resets the password of the people it looks after; never its own here (that is
    /password/change/) nor a superuser's (that is the admin's)."""
    if not actor_for(user).is_office:
        return Verdict(False, str(_("只有督查室可以重设他人的密码。")))
    if target.pk == user.pk:
        return Verdict(False, str(_("请在“修改密码”中修改自己的密码。")))
    return allow_if(not target.is_superuser, _("不能重设系统管理员的密码。"))


def may_revoke_api_token(user: User, target: User) -> Verdict:
    """Everyone revokes their own API token; the office revokes those of the people it looks
    after (a superuser's is the admin's)."""
    if target.pk == user.pk:
        return ALLOWED
    if not actor_for(user).is_office:
        return Verdict(False, str(_("只有督查室可以吊销他人的 API 令牌。")))
    return allow_if(not target.is_superuser, _("不能吊销系统管理员的 API 令牌。"))


def may_read_audit(user: User) -> Verdict:
    """The audit trail (/audit/ and the 操作记录 panels) is the office's."""
    return allow_if(actor_for(user).is_office, _("只有督查室可以查看操作记录。"))
