"""Key project rules: stages, milestone and project colours, investment totals, progress due."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from projects.filtersets import KeyProjectFilterSet
from projects.models import KeyProject, ProjectMilestone, ProjectSettings, ProjectStageMove
from projects.permissions import milestone_colour, milestone_colour_q, project_colour_q
from projects.selectors import (
    investment_total,
    progress_list,
    progress_status,
    project_list,
    with_figures,
)
from projects.services import milestone_add, progress_submit, project_move_stage

from .project_helpers import create_project

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def test_stage_may_skip_forward(world):
    project = create_project(world)
    project = project_move_stage(project=project, by=world.office, to_stage="construction")
    assert project.stage == "construction"
    move = ProjectStageMove.objects.get(project=project)
    assert (move.from_stage, move.to_stage, move.is_backward) == ("sign", "construction", False)


def test_stage_backward_needs_a_reason(world):
    project = create_project(world, stage="construction")
    with pytest.raises(ValidationError) as error:
        project_move_stage(project=project, by=world.office, to_stage="approval")
    assert "reason" in error.value.message_dict
    project = project_move_stage(
        project=project, by=world.office, to_stage="approval", reason="环评需补充材料，退回审批"
    )
    assert project.stage == "approval"
    assert ProjectStageMove.objects.get(project=project).is_backward


def test_stage_outside_programme_chain_is_refused(world):
    ProjectSettings.objects.create(
        programme=world.programme, stages=["filing", "approval", "construction", "production"]
    )
    project = create_project(world, stage="filing")
    with pytest.raises(ValidationError):
        project_move_stage(project=project, by=world.office, to_stage="financing")


def test_stage_move_needs_the_right_person(world):
    project = create_project(world)
    with pytest.raises(PermissionDenied):
        project_move_stage(project=project, by=world.cadre_a, to_stage="construction")
    # The team and the responsible leader may.
    project_move_stage(project=project, by=world.cadre_b, to_stage="filing")
    project_move_stage(project=project, by=world.leader, to_stage="approval")


@pytest.mark.parametrize(
    ("days_before", "colour"),
    [(8, "green"), (7, "yellow"), (0, "yellow"), (-1, "red")],
)
def test_milestone_colour(world, days_before, colour):
    project = create_project(world)
    planned = TODAY + datetime.timedelta(days=days_before)
    milestone = milestone_add(project=project, by=world.office, title="开工", planned_date=planned)
    assert milestone_colour(milestone, TODAY) == colour
    # The database form agrees with the Python one.
    assert ProjectMilestone.objects.filter(milestone_colour_q(colour, TODAY)).get() == milestone
    # And the project follows its (only) milestone.
    assert KeyProject.objects.filter(project_colour_q(colour, TODAY)).get() == project
    assert with_figures(KeyProject.objects.all(), TODAY).get().colour == colour


def test_met_milestone_is_green_and_project_follows_worst_open_one(world):
    project = create_project(world)
    late = milestone_add(
        project=project, by=world.office, title="完成拆迁", planned_date=TODAY.replace(day=1)
    )
    milestone_add(project=project, by=world.office, title="开工", planned_date=TODAY)
    annotated = with_figures(KeyProject.objects.all(), TODAY).get()
    assert annotated.colour == "red"
    assert annotated.late_milestones == 1 and annotated.yellow_milestones == 1
    late.actual_date = TODAY
    assert milestone_colour(late, TODAY) == "green"
    ProjectMilestone.objects.filter(pk=late.pk).update(actual_date=TODAY)
    assert with_figures(KeyProject.objects.all(), TODAY).get().colour == "yellow"


def _submit(world, project, month, amount, **kwargs):
    values = {"work_done": "推进施工", "stage_reached": project.stage}
    values.update(kwargs)
    return progress_submit(
        project=project,
        by=world.cadre_b,
        month=month,
        investment_month=Decimal(amount),
        **values,
    )


def test_investment_totals_are_sums_of_monthly_amounts(world):
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC)):
        project = create_project(world)
        _submit(world, project, datetime.date(2026, 5, 1), "1200.50")
        # A month filed late, earlier than the first: the totals still add up in month order.
        _submit(world, project, datetime.date(2026, 4, 1), "800")
    assert investment_total(project) == {
        "to_date": Decimal("2000.50"),
        "this_year": Decimal("2000.50"),
    }
    rows = {r.month.month: r.investment_to_date for r in progress_list(user=world.office)}
    assert rows == {4: Decimal("800"), 5: Decimal("2000.50")}
    annotated = with_figures(project_list(user=world.office)).get()
    assert annotated.investment_to_date == Decimal("2000.50")
    assert annotated.investment_this_year == Decimal("2000.50")


def test_progress_once_per_month_and_only_by_the_team(world):
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC)):
        project = create_project(world)
        with pytest.raises(PermissionDenied):
            progress_submit(
                project=project,
                by=world.cadre_a,
                month=datetime.date(2026, 5, 1),
                investment_month=Decimal(1),
                work_done="x",
            )
        _submit(world, project, datetime.date(2026, 5, 1), "10")
        with pytest.raises(ValidationError):
            _submit(world, project, datetime.date(2026, 5, 1), "10")


def test_progress_moves_the_stage_forward_and_meets_milestones(world):
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC)):
        project = create_project(world)
        milestone = milestone_add(
            project=project, by=world.office, title="签订投资协议", planned_date=TODAY
        )
        _submit(
            world,
            project,
            datetime.date(2026, 5, 1),
            "10",
            stage_reached="filing",
            milestones_met=[milestone],
        )
        project.refresh_from_db()
        milestone.refresh_from_db()
        assert project.stage == "filing"
        assert milestone.actual_date == datetime.date(2026, 5, 31)
        with pytest.raises(ValidationError):
            _submit(world, project, datetime.date(2026, 6, 1), "1", stage_reached="sign")


def test_progress_due_missing_and_late(world):
    with time_machine.travel(datetime.datetime(2026, 4, 10, 2, tzinfo=datetime.UTC)):
        project = create_project(world)
    # 2026-05-05 23:59:59 is April's deadline; on 5 May it is not yet due.
    with time_machine.travel(datetime.datetime(2026, 5, 5, 12, tzinfo=datetime.UTC)):
        status = progress_status(project)
        assert status["last_due_state"] == "not_owed"
        assert status["to_file"] == datetime.date(2026, 4, 1)
        assert not status["to_file_late"]
    with time_machine.travel(datetime.datetime(2026, 5, 6, 2, tzinfo=datetime.UTC)):
        status = progress_status(project)
        assert status["last_due_state"] == "missing"
        assert status["missing"] == [datetime.date(2026, 4, 1)]
        missing = KeyProjectFilterSet(
            {"progress_missing": "true"}, queryset=KeyProject.objects.all()
        )
        assert list(missing.qs) == [project]
        row = _submit(world, project, datetime.date(2026, 4, 1), "5")
        assert row.is_late
        assert progress_status(project)["last_due_state"] == "late"
        missing = KeyProjectFilterSet(
            {"progress_missing": "true"}, queryset=KeyProject.objects.all()
        )
        assert list(missing.qs) == []


def test_progress_due_day_follows_the_programme(world):
    ProjectSettings.objects.create(programme=world.programme, progress_due_day=10)
    with time_machine.travel(datetime.datetime(2026, 4, 10, 2, tzinfo=datetime.UTC)):
        project = create_project(world)
    with time_machine.travel(datetime.datetime(2026, 5, 8, 2, tzinfo=datetime.UTC)):
        assert progress_status(project)["last_due_state"] == "not_owed"
        assert not _submit(world, project, datetime.date(2026, 4, 1), "5").is_late
