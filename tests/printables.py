"""A report, a plan and a ticket with something to print: shared by the print views' page tests
and their PDF tests (tests/browser/test_print.py)."""

import datetime

from stationing.services import (
    report_get_or_create_draft,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_approve,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)
from supervision.choices import TicketState

from .factories import make_ticket

WORK_DONE = "走访企业生产车间，协调解决技改项目用地问题。"
PROBLEM = "新厂区用电增容报装排队三个月"
NEXT_STEPS = "对接供电公司，推动增容方案落地。"
PLAN_TASK = "落实技改贷款"
PLAN_TARGET = "年内落实贷款2000万元"
TICKET_TITLE = "新生产线用电增容"


def printable_plan(world):
    """cadre_a's plan for ent_a, one task, approved by the office."""
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=plan.version,
        summary="稳产扩能，帮助企业落实技改资金。",
        items=[
            {
                "area": "difficulties",
                "title": PLAN_TASK,
                "target": PLAN_TARGET,
                "owner": "张干部",
                "due_date": "2026-12-31",
            }
        ],
    )
    return work_plan_approve(plan=work_plan_submit(plan=plan, by=world.cadre_a), by=world.office)


def printable_report(world, period):
    """cadre_a's report for `period`, handed in a day before it fell due and reviewed 良."""
    report = report_get_or_create_draft(assignment=world.assignment_a, period=period, by=None)
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={
            "work_done": WORK_DONE,
            "next_steps": NEXT_STEPS,
            "days_on_site": 8,
            "behind_reason": "银行授信审批周期长",
            "remedy": "协调召开银企对接会",
        },
        problems=[PROBLEM],
    )
    # Handed in on paper and entered by the office (a back-dated submission is theirs to enter).
    report = report_submit(
        report=report, by=world.office, at=period.due_at - datetime.timedelta(days=1)
    )
    return report_review(report=report, by=world.office, rating="good", comment="问题梳理清楚。")


def printable_ticket(world):
    """cadre_a's ticket for ent_a, taken through accept, assign, progress and answer."""
    return make_ticket(world, TicketState.ANSWERED, title=TICKET_TITLE)
