"""The cadre's home page (issue 10): per active stationing, this half-month's report with its
state and due date (days left or overdue), a 填报 or 查看 button, and the work plan's state with
its due day. States and deadlines come from stationing.selectors' rules (period_status,
report_is_handed_in, plan_due_date_from, plan_is_overdue), so the home page says what the
reports page and the matrix say.

The world programme starts on 1 March 2026: period 1 is 1-15 March, due 18 March 23:59:59; the
plan is due 8 March (7 days after stationing).
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from core.dates import SHANGHAI
from stationing.selectors import cadre_stationing_todo
from stationing.services import (
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)


def moment(day: int, month: int = 3, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def home(client_for, user, when) -> str:
    with time_machine.travel(when, tick=False):
        response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def blocks(page: str, testid: str) -> list[str]:
    """The HTML of each element carrying data-testid=`testid` (up to the next one)."""
    parts = page.split(f'data-testid="{testid}"')[1:]
    return [re.sub(r"\s+", " ", part) for part in parts]


def submitted(world, period, when, *, by=None):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=period, by=None)
    report = report_save_draft(
        report=report,
        by=None,
        expected_version=None,
        fields={"work_done": "走访企业", "days_on_site": 5},
    )
    return report_submit(report=report, by=by, at=when)


def test_new_stationing_shows_this_period_and_the_plan_to_write(client_for, world, periods):
    page = home(client_for, world.cadre_a, moment(5))
    (todo,) = blocks(page, "my-todo")
    (period,) = blocks(todo, "my-period")
    assert "2026年3月上半月" in period and "本期" in period
    assert "截止 2026-03-18 23:59" in period and "还剩 13 天" in period
    assert 'data-testid="my-period-status">未开始' in period
    start = reverse("report-start", args=[world.assignment_a.pk, periods[1].pk])
    assert f'action="{start}"' in period and "填报" in period
    (plan,) = blocks(todo, "my-plan")
    assert "应于 2026-03-08 前报送" in plan and "还剩 3 天" in plan
    assert 'data-testid="my-plan-state">未编制' in plan
    assert reverse("plan-start", args=[world.assignment_a.pk]) in plan
    # The cadre's own enterprise only.
    assert world.ent_a.name in page and world.ent_b.name not in page


def test_grace_days_show_last_period_and_a_late_plan_waiting_for_approval(
    client_for, world, periods
):
    report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan,
        by=None,
        expected_version=None,
        summary="稳产扩能",
        items=[
            {
                "area": "strategy",
                "title": "编制发展规划",
                "target": "年底前完成",
                "owner": "张干部",
                "due_date": "2026-12-31",
            }
        ],
    )
    work_plan_submit(plan=plan, by=None, at=moment(10))
    page = home(client_for, world.cadre_a, moment(17))
    (todo,) = blocks(page, "my-todo")
    last, current = blocks(todo, "my-period")
    # 1-15 March is still open until the 18th, and only a draft: it comes first.
    assert "2026年3月上半月" in last and "本期" not in last
    assert 'data-testid="my-period-status">草稿' in last and "还剩 1 天" in last
    assert "2026年3月下半月" in current and "本期" in current
    assert "截止 2026-04-03 23:59" in current
    (plan_html,) = blocks(todo, "my-plan")
    assert 'data-testid="my-plan-state">待审批' in plan_html
    assert "逾期报送" in plan_html  # first submitted on the 10th, due the 8th
    assert "my-plan-write" not in plan_html  # waits for the office
    assert reverse("plan-detail", args=[plan.pk]) in plan_html
    assert "还剩" not in plan_html


def test_handed_in_returned_and_missed(client_for, world, periods):
    # Period 1 never handed in; period 2 returned; period 3 (this one) reviewed.
    second = submitted(world, periods[2], moment(1, month=4))
    report_return(report=second, by=world.office, reason="请补充用电数据")
    third = submitted(world, periods[3], moment(14, month=4))
    report_review(report=third, by=world.office, rating="good")
    page = home(client_for, world.cadre_a, moment(15, month=4))
    (todo,) = blocks(page, "my-todo")
    returned, current = blocks(todo, "my-period")
    assert "2026年3月下半月" in returned and 'data-testid="my-period-status">已退回' in returned
    assert reverse("report-start", args=[world.assignment_a.pk, periods[2].pk]) in returned
    assert "还剩" not in returned and "已逾期" not in returned
    assert "2026年4月上半月" in current and "已审阅 · 良" in current
    assert reverse("report-detail", args=[third.pk]) in current and "查看" in current
    assert "my-period-write" not in current and "还剩" not in current
    assert "此前有 1 期半月报逾期未报" in todo
    # The plan was never submitted and its day has passed.
    (plan_html,) = blocks(todo, "my-plan")
    assert "逾期未报" in plan_html and "已逾期 38 天" in plan_html


def test_overdue_current_period(client_for, world, periods):
    page = home(client_for, world.cadre_a, moment(19))
    (todo,) = blocks(page, "my-todo")
    (current,) = blocks(todo, "my-period")
    assert "2026年3月下半月" in current  # 1-15 March fell due yesterday: counted as missed
    assert "此前有 1 期半月报逾期未报" in todo


def test_ended_stationing_and_closed_programme_are_not_to_do(world, periods):
    world.assignment_a.end_date = datetime.date(2026, 3, 31)
    world.assignment_a.save()
    with time_machine.travel(moment(1, month=4), tick=False):
        assert cadre_stationing_todo(user=world.cadre_a) == []
    world.assignment_a.end_date = None
    world.assignment_a.save()
    world.programme.status = "closed"
    world.programme.save()
    assert cadre_stationing_todo(user=world.cadre_a) == []
    assert cadre_stationing_todo(user=world.office) == []


@pytest.mark.parametrize(
    "username", ["office", "leader", "department", "enterprise_a", "outsider", "cadre_b"]
)
def test_every_role_home_still_renders(client_for, world, periods, username):
    page = home(client_for, getattr(world, username), moment(5))
    if username == "cadre_b":
        assert world.ent_b.name in page and "my-todo" in page
    else:
        assert "my-todo" not in page
