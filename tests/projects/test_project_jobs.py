"""Key projects' reminders: a milestone due within 7 days, a milestone late, monthly progress
due and overdue, a formality past its limit — to the team and the leader, each sent once."""

import datetime

import pytest
import time_machine

from core.dates import SHANGHAI
from notifications.jobs import JOBS, run_job
from notifications.models import Notification
from projects.choices import FormalityKind, FormalityState, ProjectNotice
from projects.models import FormalityTemplate, ProjectMilestone, ProjectProgress
from projects.services.formalities import formality_update, project_formalities_instantiate

from .formality_helpers import make_project


def sh(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def run(name, moment) -> str:
    with time_machine.travel(moment, tick=False):
        return run_job(name, moment)


def told(kind) -> set[tuple[str, str]]:
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "period_key")
    )


@pytest.fixture
def project(world):
    with time_machine.travel(sh(2026, 10, 10, 9), tick=False):
        return make_project(world, team=[world.cadre_a, world.cadre_b])


def test_jobs_are_registered():
    assert {
        "projects-milestone-reminders",
        "projects-progress-reminders",
        "projects-formality-reminders",
    } <= set(JOBS)


def test_milestone_due_within_seven_days_then_late_each_once(world, project):
    milestone = ProjectMilestone.objects.create(
        project=project, title="主体封顶", planned_date=datetime.date(2026, 11, 20)
    )
    name = "projects-milestone-reminders"
    assert run(name, sh(2026, 11, 12, 8, 10)) == "0 milestone notifications"  # 8 days before
    assert run(name, sh(2026, 11, 13, 8, 10)) == "3 milestone notifications"  # 7 days
    assert run(name, sh(2026, 11, 13, 8, 10)) == "0 milestone notifications"  # rerun
    assert run(name, sh(2026, 11, 20, 8, 10)) == "0 milestone notifications"  # on the day
    key = "planned:2026-11-20"
    assert told(ProjectNotice.MILESTONE_DUE_SOON) == {
        ("cadre_a", key),
        ("cadre_b", key),
        ("leader", key),
    }
    assert run(name, sh(2026, 11, 21, 8, 10)) == "3 milestone notifications"  # late
    assert run(name, sh(2026, 11, 22, 8, 10)) == "0 milestone notifications"
    assert told(ProjectNotice.MILESTONE_LATE) == told(ProjectNotice.MILESTONE_DUE_SOON)
    notification = Notification.objects.filter(kind=ProjectNotice.MILESTONE_LATE).first()
    assert notification.object_key == f"milestone:{milestone.pk}"
    assert notification.link == f"/projects/{project.pk}/"
    # A milestone met in time is not chased.
    ProjectMilestone.objects.create(
        project=project,
        title="设备进场",
        planned_date=datetime.date(2026, 11, 25),
        actual_date=datetime.date(2026, 11, 21),
    )
    assert run(name, sh(2026, 11, 24, 8, 10)) == "0 milestone notifications"


def test_monthly_progress_due_and_overdue_each_once(world, project):
    name = "projects-progress-reminders"
    assert run(name, sh(2026, 11, 2, 8, 15)) == "0 progress notifications"  # due on the 5th
    assert run(name, sh(2026, 11, 3, 8, 15)) == "3 progress notifications"
    assert run(name, sh(2026, 11, 5, 8, 15)) == "0 progress notifications"
    assert told(ProjectNotice.PROGRESS_DUE) == {
        ("cadre_a", "progress:2026-10"),
        ("cadre_b", "progress:2026-10"),
        ("leader", "progress:2026-10"),
    }
    assert run(name, sh(2026, 11, 6, 8, 15)) == "3 progress notifications"
    assert run(name, sh(2026, 11, 6, 8, 15)) == "0 progress notifications"
    assert run(name, sh(2026, 11, 7, 8, 15)) == "0 progress notifications"
    assert told(ProjectNotice.PROGRESS_OVERDUE) == told(ProjectNotice.PROGRESS_DUE)
    # Filed: nothing next month either until it is owed again, and not for a filed month.
    ProjectProgress.objects.create(
        project=project,
        month=datetime.date(2026, 11, 1),
        stage_reached="construction",
        work_done="完成桩基施工。",
        submitted_at=sh(2026, 12, 2, 9),
    )
    assert run(name, sh(2026, 12, 3, 8, 15)) == "0 progress notifications"


def test_project_registered_this_month_owes_nothing_yet(world):
    with time_machine.travel(sh(2026, 11, 1, 9), tick=False):
        make_project(world, "新登记项目", team=[world.cadre_a])
    assert run("projects-progress-reminders", sh(2026, 11, 4, 8, 15)) == "0 progress notifications"


def test_stuck_formality_is_told_once(world, project):
    template = FormalityTemplate.objects.get(kind=FormalityKind.ENTERPRISE)
    project_formalities_instantiate(project=project, template=template, by=None)
    with time_machine.travel(sh(2026, 10, 12, 9), tick=False):
        formality = formality_update(
            formality=project.formalities.get(name="施工许可"),
            by=world.office,
            state=FormalityState.IN_PROGRESS,
            agent=world.department,
        )
    assert formality.deadline == datetime.date(2026, 10, 21)
    name = "projects-formality-reminders"
    assert run(name, sh(2026, 10, 21, 8, 20)) == "0 formality notifications"
    assert run(name, sh(2026, 10, 22, 8, 20)) == "4 formality notifications"
    assert run(name, sh(2026, 10, 23, 8, 20)) == "0 formality notifications"
    assert {user for user, _key in told(ProjectNotice.FORMALITY_STUCK)} == {
        "department",
        "cadre_a",
        "cadre_b",
        "leader",
    }
