"""Who may write enterprise data: every predicate of the app, each returning a Verdict (allowed,
or the reason why not). Reads go through enterprises.selectors. Pages, the API and the services
ask here; templates get the answers as flags from their views."""

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.permissions import Verdict, allow_if, is_office
from core.roles import actor_for

from .models import Enterprise

RECORD_REASON = _("只有督查室或该企业的驻企干部可以填报。")


def is_stationed_at(user: User, enterprise_id: int) -> bool:
    """A cadre with an assignment at this enterprise (in any programme).

    Assignments belong to stationing, which sits above this app; the query goes through the
    relation stationing declares on Enterprise instead of importing its models.
    """
    actor = actor_for(user)
    if not (actor.has(Role.CADRE) and actor.profile_id):
        return False
    return Enterprise.objects.filter(
        pk=enterprise_id, assignments__cadre_id=actor.profile_id
    ).exists()


def _office_only(user: User, reason) -> Verdict:
    verdict = is_office(user)
    return verdict if verdict else Verdict(False, str(reason))


def may_edit_enterprise(user: User) -> Verdict:
    """Registering and editing enterprises is the office's."""
    return _office_only(user, _("只有督查室可以修改此数据。"))


def may_record_enterprise_data(user: User, enterprise_id: int) -> Verdict:
    """Surveys and monthly figures: the office, or a cadre stationed at that enterprise."""
    return allow_if(bool(is_office(user)) or is_stationed_at(user, enterprise_id), RECORD_REASON)


def may_record_some_enterprise_data(user: User) -> Verdict:
    """Whether the user records surveys and figures at all (which enterprise: the one above)."""
    return allow_if(bool(is_office(user)) or actor_for(user).has(Role.CADRE), RECORD_REASON)


def may_record_statistics(user: User) -> Verdict:
    """Figures marked as the statistics bureau's come from the office (or its import)."""
    return _office_only(user, _("只有督查室可以录入统计部门数据。"))
