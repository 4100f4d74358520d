"""Who may do what with key projects, and the rules of the project work: every predicate of the
app, each returning a Verdict (allowed, or the reason why not), and the colour and deadline
rules, each in one home with its Python form next to its database form (Q / expression) so a
page, the API, the dashboard and the reminders judge alike.

- Stages move along the programme's chain (settings.stages or the full chain). Forward moves may
  skip stages; a move backward needs a recorded reason.
- A milestone without an actual date is red (滞后) once its planned date has passed, yellow
  (临期) from 7 days before it to the day itself, green before that. A met milestone is green.
  A project is the colour of its worst open milestone (no open milestone: green).
- Monthly progress for month M is due at the end of day N of month M+1 (N: the programme's
  progress_due_day, default 5). Owed from the month the project was registered; a month whose
  due moment has passed without progress is missing (缺报), one filed after it is late (逾报).
"""

import datetime

from django.contrib.auth.models import User
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import end_of_day, local_date
from core.permissions import ALLOWED, Verdict, allow_if, is_office
from core.roles import actor_for

from .choices import (
    DEFAULT_PROGRESS_DUE_DAY,
    MILESTONE_WARNING_DAYS,
    STAGE_ORDER,
    Colour,
)
from .models import KeyProject, ProjectMilestone, ProjectProgress, ProjectSettings

# --- Who may do what --------------------------------------------------------------------------


def may_manage_projects(user: User) -> Verdict:
    """Registering and editing projects, their team and their milestones: the office."""
    verdict = is_office(user)
    return verdict if verdict else Verdict(False, str(_("只有督查室可以登记和修改重点项目。")))


def is_team_member(user: User, project: KeyProject) -> bool:
    profile_id = actor_for(user).profile_id
    return bool(profile_id) and project.memberships.filter(profile_id=profile_id).exists()


def may_file_progress(user: User, project: KeyProject) -> Verdict:
    """Monthly progress is filed by the project's team (一支队伍)."""
    return allow_if(is_team_member(user, project), _("只有项目工作专班成员可以报送月度进展。"))


def may_move_stage(user: User, project: KeyProject) -> Verdict:
    """The office, the responsible leader and the team record where the project stands."""
    allowed = (
        actor_for(user).is_office or project.leader_id == user.pk or is_team_member(user, project)
    )
    return allow_if(allowed, _("只有督查室、包项领导和工作专班可以变更项目阶段。"))


def may_record_milestone(user: User, project: KeyProject) -> Verdict:
    """Actual dates are recorded by the office, the responsible leader or the team."""
    allowed = (
        actor_for(user).is_office or project.leader_id == user.pk or is_team_member(user, project)
    )
    return allow_if(allowed, _("只有督查室、包项领导和工作专班可以填写节点完成情况。"))


def may_raise_from_problem(user: User, project: KeyProject) -> Verdict:
    """A problem in a project's monthly progress becomes a ticket at the team's or the office's
    hand (the same one action as a half-month report's problem)."""
    allowed = actor_for(user).is_office or is_team_member(user, project)
    return allow_if(allowed, _("只有督查室和项目工作专班可以把项目问题转为诉求。"))


# --- Stages -----------------------------------------------------------------------------------


def stage_chain(settings: ProjectSettings | None) -> list[str]:
    """The programme's stages in order: its configured subset, or the whole chain."""
    stages = list(settings.stages) if settings is not None and settings.stages else []
    return [stage for stage in STAGE_ORDER if stage in stages] or list(STAGE_ORDER)


def is_backward(from_stage: str, to_stage: str) -> bool:
    return STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage)


def can_move_stage(chain: list[str], from_stage: str, to_stage: str, reason: str) -> Verdict:
    """Forward (skipping stages is fine) always; backward only with a reason."""
    if to_stage not in chain:
        return Verdict(False, str(_("该阶段不在本批次的项目阶段中。")))
    if to_stage == from_stage:
        return Verdict(False, str(_("项目已处于该阶段。")))
    if is_backward(from_stage, to_stage) and not (reason or "").strip():
        return Verdict(False, str(_("阶段回退须说明原因。")))
    return ALLOWED


# --- Milestone and project colours ------------------------------------------------------------


def milestone_colour(milestone: ProjectMilestone, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if milestone.actual_date is not None:
        return Colour.GREEN
    if milestone.planned_date < today:
        return Colour.RED
    if milestone.planned_date <= today + datetime.timedelta(days=MILESTONE_WARNING_DAYS):
        return Colour.YELLOW
    return Colour.GREEN


def milestone_colour_q(colour: str, today: datetime.date | None = None, prefix: str = "") -> Q:
    """`milestone_colour` as a condition on ProjectMilestone (`prefix`: the path to it, e.g.
    "milestones__")."""
    today = today or timezone.localdate()
    warn = today + datetime.timedelta(days=MILESTONE_WARNING_DAYS)
    open_ = Q(**{f"{prefix}actual_date__isnull": True})
    planned = f"{prefix}planned_date"
    if colour == Colour.RED:
        return open_ & Q(**{f"{planned}__lt": today})
    if colour == Colour.YELLOW:
        return open_ & Q(**{f"{planned}__gte": today, f"{planned}__lte": warn})
    return ~open_ | Q(**{f"{planned}__gt": warn})


def project_colour(milestones, today: datetime.date | None = None) -> str:
    """The worst colour among a project's milestones (met ones are green)."""
    colours = {milestone_colour(m, today) for m in milestones}
    for colour in (Colour.RED, Colour.YELLOW):
        if colour in colours:
            return colour
    return Colour.GREEN


def _milestones_of_outer(colour: str, today) -> Exists:
    return Exists(
        ProjectMilestone.objects.filter(milestone_colour_q(colour, today), project=OuterRef("pk"))
    )


def project_colour_expression(today: datetime.date | None = None) -> Case:
    """`project_colour` as an annotation on KeyProject."""
    today = today or timezone.localdate()
    return Case(
        When(_milestones_of_outer(Colour.RED, today), then=Value(Colour.RED.value)),
        When(_milestones_of_outer(Colour.YELLOW, today), then=Value(Colour.YELLOW.value)),
        default=Value(Colour.GREEN.value),
    )


def project_colour_q(colour: str, today: datetime.date | None = None) -> Q:
    """`project_colour` as a condition on KeyProject."""
    today = today or timezone.localdate()
    red = _milestones_of_outer(Colour.RED, today)
    yellow = _milestones_of_outer(Colour.YELLOW, today)
    if colour == Colour.RED:
        return Q(red)
    if colour == Colour.YELLOW:
        return ~Q(red) & Q(yellow)
    return ~Q(red) & ~Q(yellow)


# --- Monthly progress deadlines ---------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def due_day(settings: ProjectSettings | None) -> int:
    return settings.progress_due_day if settings is not None else DEFAULT_PROGRESS_DUE_DAY


def progress_due_at(month: datetime.date, day: int) -> datetime.datetime:
    """The moment month `month`'s progress is due: day `day` of the next month, 23:59:59."""
    return end_of_day(next_month(month).replace(day=day))


def last_due_month(day: int, now: datetime.datetime | None = None) -> datetime.date:
    """The latest month whose progress has fallen due by `now`."""
    now = now or timezone.now()
    month = previous_month(local_date(now))
    while progress_due_at(month, day) > now:
        month = previous_month(month)
    return month


def first_owed_month(project: KeyProject) -> datetime.date:
    """Progress is owed from the month the project was registered in the portal."""
    return first_of_month(local_date(project.created_at))


def owed_months(project: KeyProject, day: int, now=None) -> list[datetime.date]:
    """The months (oldest first) whose progress has fallen due for `project` by `now`."""
    last = last_due_month(day, now)
    months, month = [], first_owed_month(project)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def is_late_submission(month: datetime.date, day: int, at: datetime.datetime) -> bool:
    return at > progress_due_at(month, day)


def progress_missing_q(due_days: dict[int, int], now=None) -> Q:
    """Projects without progress for the latest month that has fallen due, as a condition on
    KeyProject. `due_days` maps programme ids to their due day (others: the default), read by
    selectors.progress.due_days_by_programme."""
    now = now or timezone.now()
    by_day: dict[int, list[int]] = {}
    for programme_id, day in due_days.items():
        by_day.setdefault(day, []).append(programme_id)
    condition = Q(pk__in=[])
    days = {*by_day, DEFAULT_PROGRESS_DUE_DAY}
    for day in days:
        month = last_due_month(day, now)
        if day == DEFAULT_PROGRESS_DUE_DAY:
            others = [pid for d, ids in by_day.items() if d != day for pid in ids]
            applies = ~Q(programme_id__in=others)
        else:
            applies = Q(programme_id__in=by_day[day])
        filed = Exists(ProjectProgress.objects.filter(project=OuterRef("pk"), month=month))
        month_end = next_month(month) - datetime.timedelta(days=1)
        registered_in_time = Q(created_at__lte=end_of_day(month_end))
        condition |= applies & registered_in_time & ~Q(filed)
    return condition
