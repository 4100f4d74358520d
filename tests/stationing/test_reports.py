import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.dates import SHANGHAI
from core.locking import StaleEditError
from stationing.choices import ReportState
from stationing.services import (
    item_is_behind,
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_get_or_create,
    work_plan_save_draft,
)

D = datetime.date


@pytest.fixture
def plan_item(world):
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=None,
        summary="",
        items=[
            {
                "area": "difficulties",
                "title": "落实贷款",
                "target": "2000万元",
                "owner": "张干部",
                "due_date": "2026-05-01",
            }
        ],
    )
    return plan.items.get()


def fill(report, by, **fields):
    data = {"work_done": "走访车间，召开座谈会", "days_on_site": 8, **fields}
    return report_save_draft(report=report, by=by, expected_version=report.version, fields=data)


def test_periods_are_generated_for_the_programme(periods):
    assert len(periods) == 24
    assert periods[1].start == D(2026, 3, 1) and periods[1].end == D(2026, 3, 15)


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (datetime.datetime(2026, 3, 18, 23, 59, 59, tzinfo=SHANGHAI), False),
        (datetime.datetime(2026, 3, 19, 0, 0, 0, tzinfo=SHANGHAI), True),
    ],
)
def test_on_time_until_the_due_second_in_shanghai(world, periods, moment, late):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    report = fill(report, world.cadre_a)
    with time_machine.travel(moment, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    assert report.state == ReportState.SUBMITTED
    assert report.is_late is late


def test_behind_plan_rule():
    start, due = D(2026, 3, 1), D(2026, 5, 1)  # 61 days
    assert not item_is_behind(progress=0, status="not_started", due=due, start=start, as_of=start)
    # Halfway through (day 30 of 61 -> 49%): 40% is behind, 50% is not.
    mid = D(2026, 3, 31)
    assert item_is_behind(progress=40, status="in_progress", due=due, start=start, as_of=mid)
    assert not item_is_behind(progress=50, status="in_progress", due=due, start=start, as_of=mid)
    # Past due and not done: behind; done: never behind.
    assert item_is_behind(
        progress=99, status="in_progress", due=due, start=start, as_of=D(2026, 5, 2)
    )
    assert not item_is_behind(progress=60, status="done", due=due, start=start, as_of=D(2026, 6, 1))


def test_reason_and_remedy_required_only_when_behind(world, periods, plan_item):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[2], by=None)
    report = fill(report, world.cadre_a)
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={},
        item_progress=[{"item": plan_item.pk, "progress": 10, "status": "in_progress"}],
    )
    with pytest.raises(ValidationError) as caught:
        report_submit(report=report, by=world.cadre_a)
    assert set(caught.value.message_dict) == {"behind_reason", "remedy"}
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={},
        item_progress=[{"item": plan_item.pk, "progress": 60, "status": "in_progress"}],
    )
    assert report_submit(report=report, by=world.cadre_a).state == ReportState.SUBMITTED


def test_double_submit_makes_one_report_and_one_version(world, periods):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    again = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    assert again.pk == report.pk
    report = fill(report, world.cadre_a)
    report_submit(report=report, by=world.cadre_a)
    report_submit(report=report, by=world.cadre_a)
    assert report.versions.count() == 1
    assert world.assignment_a.reports.count() == 1


def test_concurrent_draft_edit_is_refused_with_who_changed_it(world, periods):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    loaded = report.version
    report_save_draft(
        report=report, by=world.cadre_a, expected_version=loaded, fields={"work_done": "第一次"}
    )
    with pytest.raises(StaleEditError) as caught:
        report_save_draft(
            report=report, by=world.cadre_a, expected_version=loaded, fields={"work_done": "第二次"}
        )
    assert "张干部" in caught.value.messages[0]
    report.refresh_from_db()
    assert report.work_done == "第一次"


def test_return_and_resubmit_keeps_every_version_and_lateness_of_the_first(world, periods):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    report = fill(report, world.cadre_a)
    with time_machine.travel(datetime.datetime(2026, 3, 17, 10, tzinfo=SHANGHAI), tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    with pytest.raises(ValidationError):
        report_return(report=report, by=world.office, reason="")
    report = report_return(report=report, by=world.office, reason="工作情况过于简单")
    with pytest.raises(ValidationError):
        report_review(report=report, by=world.office, rating="good")
    report = fill(report, world.cadre_a, work_done="补充：协调电力增容，解决用电难题")
    with time_machine.travel(datetime.datetime(2026, 3, 25, 10, tzinfo=SHANGHAI), tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    assert report.is_late is False  # the first submission was on time
    versions = list(report.versions.order_by("number"))
    assert [v.content["work_done"] for v in versions] == [
        "走访车间，召开座谈会",
        "补充：协调电力增容，解决用电难题",
    ]
    assert versions[1].is_late is True
    report = report_review(report=report, by=world.office, rating="excellent", comment="好")
    assert report.state == ReportState.REVIEWED and report.rating == "excellent"
    with pytest.raises(ValidationError):
        report_save_draft(
            report=report, by=world.cadre_a, expected_version=None, fields={"work_done": "改"}
        )


def test_next_report_is_prefilled_from_the_last_one(world, periods, plan_item):
    first = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    first = fill(first, world.cadre_a, next_steps="协调银行授信")
    first = report_save_draft(
        report=first,
        by=world.cadre_a,
        expected_version=first.version,
        fields={},
        item_progress=[
            {
                "item": plan_item.pk,
                "progress": 30,
                "status": "in_progress",
                "note": "已对接两家银行",
            }
        ],
        problems=["用电指标不足", "  ", "招工难"],
    )
    assert list(first.problems.values_list("description", flat=True)) == ["用电指标不足", "招工难"]
    report_submit(report=first, by=world.cadre_a)
    second = report_get_or_create_draft(assignment=world.assignment_a, period=periods[2], by=None)
    assert second.planned_steps == "协调银行授信"
    row = second.item_progress.get()
    assert (row.progress, row.note) == (30, "已对接两家银行")


def test_no_report_is_owed_for_a_period_outside_the_stationing(world, periods):
    world.assignment_a.start_date = D(2026, 4, 1)
    world.assignment_a.save()
    with pytest.raises(ValidationError) as caught:
        report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    assert "period" in caught.value.message_dict


def test_a_paper_report_is_back_filled_with_its_real_moment(world, periods):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    report = fill(report, world.cadre_a)
    handed_in = datetime.datetime(2026, 3, 18, 16, tzinfo=SHANGHAI)
    report = report_submit(report=report, by=world.office, at=handed_in)
    assert report.submitted_at == handed_in and report.is_late is False
