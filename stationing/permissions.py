"""Who may do what in stationing: every predicate of the app, each returning a Verdict (allowed,
or the reason why not). Reads are scoped by selectors; these guard writes. Pages, the API, the
import and the services ask here; templates get the answers as flags from their views."""

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import Unit
from core.permissions import ALLOWED, Verdict, allow_if, is_office, is_office_or_leader
from core.roles import actor_for
from core.selectors import in_territory

from .choices import PlanState, ReportState
from .models import Assignment, ProgressReport, WorkPlan

# A report can be edited until the office has it: a draft, or one the office sent back.
REPORT_EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


def _office_only(user: User, reason) -> Verdict:
    verdict = is_office(user)
    return verdict if verdict else Verdict(False, str(reason))


# --- Setting up programmes, work groups, cadres, assignments and units ------------------------


def may_set_up(user: User) -> Verdict:
    """Programmes, work groups, cadres, assignments and units are set up by the office."""
    return _office_only(user, _("只有督查室可以修改此数据。"))


def may_import(user: User) -> Verdict:
    """The Excel import (page and `import_xlsx --user`) is the office's."""
    return _office_only(user, _("只有督查室可以导入数据。"))


def may_edit_unit(user: User, unit: Unit) -> Verdict:
    """The office edits its own unit and the units below it."""
    verdict = may_set_up(user)
    if not verdict:
        return verdict
    return allow_if(in_territory(user, unit), _("只能修改本单位及下级单位。"))


def may_keep_unit_top_level(user: User) -> Verdict:
    """A unit without a parent would lie outside every office's territory: only a superuser
    creates one (a county, say)."""
    return allow_if(actor_for(user).is_superuser, _("请选择上级单位。"))


def may_see_overview(user: User) -> Verdict:
    """The submission matrix, the plan and report queues and the home page's figures: the office
    and leaders."""
    return is_office_or_leader(user)


# --- Plans and reports -------------------------------------------------------------------------


def is_cadre(user: User) -> Verdict:
    """Plans and reports are written by cadres; which ones, the predicates below decide."""
    return allow_if(actor_for(user).has(Role.CADRE), _("只有驻企干部可以填写工作计划和半月报。"))


def may_write_report(user: User, assignment: Assignment) -> Verdict:
    """A report is written by the assignment's own cadre, not a team-mate or the office."""
    profile_id = actor_for(user).profile_id
    return allow_if(
        profile_id is not None and profile_id == assignment.cadre_id,
        _("只有本人可以填写自己的半月报。"),
    )


def may_edit_report(user: User, report: ProgressReport) -> Verdict:
    """The own cadre edits a draft or a returned report; a handed-in one waits for the office."""
    verdict = may_write_report(user, report.assignment)
    if not verdict:
        return verdict
    return allow_if(report.state in REPORT_EDITABLE_STATES, _("报告已报送，不能修改。"))


def may_submit_report(user: User, assignment: Assignment, *, on_paper: bool = False) -> Verdict:
    """The own cadre submits; a report handed in on paper is entered later by the office."""
    if on_paper and is_office(user):
        return ALLOWED
    return may_write_report(user, assignment)


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


def may_edit_work_plan(user: User, plan: WorkPlan) -> Verdict:
    """The stationed cadres edit a plan unless it waits for the office's decision (editing an
    approved plan starts a revision)."""
    verdict = may_write_work_plan(user, plan)
    if not verdict:
        return verdict
    return allow_if(plan.state != PlanState.SUBMITTED, _("计划已报送待审批，审批前不能修改。"))


def may_submit_plan(user: User, plan: WorkPlan, *, on_paper: bool = False) -> Verdict:
    """The stationed cadres submit; a plan handed in on paper is entered later by the office."""
    if on_paper and is_office(user):
        return ALLOWED
    return may_write_work_plan(user, plan)


def may_decide(user: User) -> Verdict:
    """Approving or returning plans, reviewing or returning reports: the office."""
    return _office_only(user, _("只有督查室可以审批和审阅。"))
