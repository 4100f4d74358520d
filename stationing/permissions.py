"""Who may do what in stationing: every predicate of the app, each returning a Verdict (allowed,
or the reason why not). Reads are scoped by selectors; these guard writes. Pages, the API and
the services ask here."""

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.permissions import Verdict, allow_if, is_office
from core.roles import actor_for

from .models import Assignment, WorkPlan


def may_write_report(user: User, assignment: Assignment) -> Verdict:
    """A report is written by the assignment's own cadre, not a team-mate or the office."""
    profile_id = actor_for(user).profile_id
    return allow_if(
        profile_id is not None and profile_id == assignment.cadre_id,
        _("只有本人可以填写自己的半月报。"),
    )


def may_write_plan(user: User, *, programme_id: int, enterprise_id: int) -> Verdict:
    """A plan is written by the cadres stationed at its enterprise in its programme."""
    profile_id = actor_for(user).profile_id
    stationed = (
        profile_id is not None
        and Assignment.objects.filter(
            cadre_id=profile_id, programme_id=programme_id, enterprise_id=enterprise_id
        ).exists()
    )
    return allow_if(stationed, _("只有驻该企业的干部可以填写工作计划。"))


def may_write_work_plan(user: User, plan: WorkPlan) -> Verdict:
    return may_write_plan(user, programme_id=plan.programme_id, enterprise_id=plan.enterprise_id)


def may_decide(user: User) -> Verdict:
    """Approving or returning plans, reviewing or returning reports: the office."""
    verdict = is_office(user)
    return verdict if verdict else Verdict(False, str(_("只有督查室可以审批和审阅。")))
