import datetime

import pytest
from django.core.exceptions import ValidationError

from core.locking import StaleEditError
from stationing.choices import PlanState
from stationing.selectors import plan_due_date, plan_is_overdue
from stationing.services import (
    work_plan_approve,
    work_plan_diff,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)
from tests.factories import AssignmentFactory, ProfileFactory, UserFactory


def item(**overrides):
    data = {
        "area": "difficulties",
        "title": "协调流动资金贷款",
        "target": "6月底前落实贷款2000万元",
        "owner": "张干部",
        "due_date": "2026-06-30",
    }
    data.update(overrides)
    return data


@pytest.fixture
def plan(world):
    return work_plan_get_or_create(
        programme=world.programme, enterprise=world.ent_a, by=world.cadre_a
    )


def test_a_plan_without_items_cannot_be_submitted(world, plan):
    with pytest.raises(ValidationError) as caught:
        work_plan_submit(plan=plan, by=world.cadre_a)
    assert "至少要有一项" in caught.value.messages[0]


def test_submit_approve_revise_and_diff(world, plan):
    plan = work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=plan.version,
        summary="稳产扩能",
        items=[
            item(),
            item(area="party", title="建立党支部", target="9月前成立", due_date="2026-09-30"),
        ],
    )
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    assert plan.state == PlanState.SUBMITTED and plan.latest_number == 1
    with pytest.raises(ValidationError):
        work_plan_save_draft(
            plan=plan, by=world.cadre_a, expected_version=None, summary="x", items=[item()]
        )
    plan = work_plan_approve(plan=plan, by=world.office, comment="同意")
    assert plan.state == PlanState.APPROVED and plan.approved_number == 1

    first_items = list(plan.items.order_by("position"))
    revised = [
        {**item(target="9月底前落实贷款3000万元"), "id": first_items[0].pk},
        item(area="employees", title="稳定用工", target="春节后返岗率95%", due_date="2026-04-30"),
    ]
    plan = work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=plan.version,
        summary="稳产扩能",
        items=revised,
    )
    assert plan.state == PlanState.DRAFT and plan.approved_number == 1
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    assert plan.latest_number == 2
    v1, v2 = plan.versions.get(number=1), plan.versions.get(number=2)
    diff = work_plan_diff(v1, v2)
    assert [entry["title"] for entry in diff["added"]] == ["稳定用工"]
    assert [entry["title"] for entry in diff["removed"]] == ["建立党支部"]
    assert diff["changed"][0]["fields"] == {
        "target": ("6月底前落实贷款2000万元", "9月底前落实贷款3000万元")
    }
    # The approved version stays approved while the revision waits.
    assert v1.state == PlanState.APPROVED and v2.state == PlanState.SUBMITTED


def test_return_requires_a_comment_and_the_plan_can_be_resubmitted(world, plan):
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="", items=[item()]
    )
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    with pytest.raises(ValidationError) as caught:
        work_plan_return(plan=plan, by=world.office, comment="  ")
    assert "comment" in caught.value.message_dict
    plan = work_plan_return(plan=plan, by=world.office, comment="目标不够具体")
    assert plan.state == PlanState.RETURNED
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    assert plan.state == PlanState.SUBMITTED and plan.latest_number == 2


def test_double_submit_makes_one_version(world, plan):
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="", items=[item()]
    )
    work_plan_submit(plan=plan, by=world.cadre_a)
    work_plan_submit(plan=plan, by=world.cadre_a)
    assert plan.versions.count() == 1


def test_second_editor_with_a_stale_version_is_refused_with_who_changed_it(world, plan):
    # A team-mate at the same enterprise (the office only decides plans; it does not edit them).
    team_mate = UserFactory(roles=["cadre"])
    AssignmentFactory(
        programme=world.programme,
        cadre=ProfileFactory(user=team_mate, unit=world.dev_bureau),
        enterprise=world.ent_a,
    )
    loaded_version = plan.version
    work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=loaded_version,
        summary="第一人",
        items=[item()],
    )
    with pytest.raises(StaleEditError) as caught:
        work_plan_save_draft(
            plan=plan,
            by=team_mate,
            expected_version=loaded_version,
            summary="第二人",
            items=[item()],
        )
    assert "张干部" in caught.value.messages[0]
    plan.refresh_from_db()
    assert plan.summary == "第一人"


def test_plan_due_seven_days_after_stationing_and_overdue(world):
    due = plan_due_date(programme=world.programme, enterprise_id=world.ent_a.pk)
    assert due == world.assignment_a.start_date + datetime.timedelta(days=7)
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    last_second = datetime.datetime.combine(due, datetime.time(23, 59, 59), tzinfo=shanghai)
    assert not plan_is_overdue(due_date=due, first_submitted_at=None, now=last_second)
    assert plan_is_overdue(
        due_date=due, first_submitted_at=None, now=last_second + datetime.timedelta(seconds=1)
    )
