"""Print views of a report and a plan (issue 10): the detail page's scoping (another cadre gets
404, as for the page), a 打印 link on the detail page, the content on a plain page without the
portal's navigation."""

import pytest
from django.urls import reverse

from tests.printables import (
    NEXT_STEPS,
    PLAN_TARGET,
    PLAN_TASK,
    PROBLEM,
    WORK_DONE,
    printable_plan,
    printable_report,
)


@pytest.fixture
def report(world, periods):
    return printable_report(world, periods[1])


@pytest.fixture
def plan(world):
    return printable_plan(world)


def test_report_print(client_for, world, report):
    url = reverse("report-print", args=[report.pk])
    detail = client_for(world.cadre_a).get(reverse("report-detail", args=[report.pk]))
    assert f'href="{url}"' in detail.content.decode()
    for user in (world.cadre_a, world.office, world.leader):
        page = client_for(user).get(url)
        assert page.status_code == 200, user
        html = page.content.decode()
        assert "2026年3月上半月驻企工作半月报" in html
        for text in (world.ent_a.name, world.programme.name, "张干部", "示范县发展和改革局"):
            assert text in html
        for text in (WORK_DONE, PROBLEM, NEXT_STEPS, "已审阅", "第 1 版", "打印时间："):
            assert text in html
        assert 'class="navbar' not in html and "css/print.css" in html


def test_report_print_draft_prints_as_it_stands(client_for, world, periods):
    from stationing.services import report_get_or_create_draft, report_save_draft

    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[2], by=None)
    report_save_draft(
        report=report, by=None, expected_version=None, fields={"work_done": "草稿里的工作"}
    )
    html = client_for(world.cadre_a).get(reverse("report-print", args=[report.pk])).content
    assert "草稿里的工作" in html.decode() and "尚未报送（草稿）" in html.decode()


@pytest.mark.parametrize("username", ["cadre_b", "enterprise_a", "department", "outsider"])
def test_report_print_is_scoped_like_the_detail_page(client_for, world, report, username):
    client = client_for(getattr(world, username))
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("report-print", args=[report.pk])).status_code == 404


def test_report_print_needs_login(client, report):
    response = client.get(reverse("report-print", args=[report.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_plan_print(client_for, world, plan):
    url = reverse("plan-print", args=[plan.pk])
    detail = client_for(world.cadre_a).get(reverse("plan-detail", args=[plan.pk]))
    assert f'href="{url}"' in detail.content.decode()
    for user in (world.cadre_a, world.office, world.enterprise_a):
        page = client_for(user).get(url)
        assert page.status_code == 200, user
        html = page.content.decode()
        assert "“一企一策”工作计划" in html
        for text in (world.ent_a.name, world.programme.name, PLAN_TASK, PLAN_TARGET, "解难帮扶"):
            assert text in html
        assert "已批准" in html and "第 1 版" in html


@pytest.mark.parametrize("username", ["cadre_b", "department", "outsider"])
def test_plan_print_is_scoped_like_the_detail_page(client_for, world, plan, username):
    client = client_for(getattr(world, username))
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plan-print", args=[plan.pk])).status_code == 404
