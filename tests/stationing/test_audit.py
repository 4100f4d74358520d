"""Plans and reports write the audit trail: who created, changed, submitted, approved, returned
and reviewed what, with the old and new values; the office sees it on the detail pages."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.choices import AuditAction
from core.dates import SHANGHAI
from core.models import AuditEvent
from stationing.services import (
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_approve,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)

pytestmark = pytest.mark.django_db

ITEM = {
    "area": "difficulties",
    "title": "落实贷款",
    "target": "2000万元",
    "owner": "张干部",
    "due_date": "2026-05-01",
}


def trail(obj) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(obj)
    return [
        (event.actor, event.action, event.changes, event.note)
        for event in AuditEvent.objects.filter(
            content_type=content_type, object_id=str(obj.pk)
        ).order_by("pk")
    ]


def test_a_plan_from_creation_to_approval(world):
    plan = work_plan_get_or_create(
        programme=world.programme, enterprise=world.ent_a, by=world.cadre_a
    )
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="稳产扩能", items=[ITEM]
    )
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    plan = work_plan_return(plan=plan, by=world.office, comment="目标不够具体")
    item = {**ITEM, "id": plan.items.get().pk, "target": "2026年6月前落实2000万元"}
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="稳产扩能", items=[item]
    )
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    plan = work_plan_approve(plan=plan, by=world.office)

    cadre, office = world.cadre_a, world.office
    assert trail(plan) == [
        (cadre, AuditAction.CREATED, {"state": [None, "draft"]}, ""),
        (
            cadre,
            AuditAction.CHANGED,
            {"summary": ["", "稳产扩能"], "items": [[], ["落实贷款（2026-05-01）"]]},
            "",
        ),
        (
            cadre,
            AuditAction.SUBMITTED,
            {"state": ["draft", "submitted"], "latest_number": [0, 1]},
            "",
        ),
        (office, AuditAction.RETURNED, {"state": ["submitted", "returned"]}, "目标不够具体"),
        (
            cadre,
            AuditAction.SUBMITTED,
            {"state": ["returned", "submitted"], "latest_number": [1, 2]},
            "",
        ),
        (
            office,
            AuditAction.APPROVED,
            {"state": ["submitted", "approved"], "approved_number": [None, 2]},
            "",
        ),
    ]


def test_saving_an_unchanged_plan_records_nothing(world):
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="稳产", items=[ITEM]
    )
    before = len(trail(plan))
    item = {**ITEM, "id": plan.items.get().pk}
    work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="稳产", items=[item]
    )
    assert len(trail(plan)) == before


def _submitted_report(world, periods, **fields):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={"work_done": "走访车间", "days_on_site": 8, **fields},
    )
    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, tzinfo=SHANGHAI), tick=False):
        return report_submit(report=report, by=world.cadre_a)


def test_a_report_submitted_returned_resubmitted_and_reviewed(world, periods):
    report = _submitted_report(world, periods)
    report = report_return(report=report, by=world.office, reason="请补充在企天数的依据")
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={"work_done": "走访车间，召开座谈会"},
    )
    assert len(trail(report)) == 2  # drafts saved as the cadre types are not audited
    with time_machine.travel(datetime.datetime(2026, 3, 17, 9, tzinfo=SHANGHAI), tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    report = report_review(report=report, by=world.office, rating="good", comment="扎实")

    cadre, office = world.cadre_a, world.office
    assert trail(report) == [
        (cadre, AuditAction.SUBMITTED, {"state": ["draft", "submitted"]}, "第 1 次报送"),
        (
            office,
            AuditAction.RETURNED,
            {"state": ["submitted", "returned"]},
            "请补充在企天数的依据",
        ),
        (
            cadre,
            AuditAction.SUBMITTED,
            {
                "state": ["returned", "submitted"],
                "work_done": ["走访车间", "走访车间，召开座谈会"],
            },
            "第 2 次报送",
        ),
        (
            office,
            AuditAction.REVIEWED,
            {"state": ["submitted", "reviewed"], "rating": ["", "good"]},
            "扎实",
        ),
    ]


def test_the_report_and_plan_pages_show_the_trail_to_the_office_only(world, periods, client_for):
    report = _submitted_report(world, periods)
    report = report_return(report=report, by=world.office, reason="请补充在企天数的依据")
    url = reverse("report-detail", args=[report.pk])

    office_page = client_for(world.office).get(url).content.decode()
    assert 'data-testid="audit-panel"' in office_page
    assert "请补充在企天数的依据" in office_page
    assert "状态：已报送 → 已退回" in office_page
    assert f"object_type=stationing.progressreport&amp;object_id={report.pk}" in office_page

    cadre_page = client_for(world.cadre_a).get(url)
    assert cadre_page.status_code == 200
    assert 'data-testid="audit-panel"' not in cadre_page.content.decode()

    plan = work_plan_get_or_create(
        programme=world.programme, enterprise=world.ent_a, by=world.cadre_a
    )
    plan_page = client_for(world.office).get(reverse("plan-detail", args=[plan.pk]))
    assert 'data-testid="audit-panel"' in plan_page.content.decode()
