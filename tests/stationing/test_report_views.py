import pytest
import time_machine
from django.urls import reverse

from stationing.choices import PlanState, ReportState
from stationing.models import ProgressReport, WorkPlan

pytestmark = pytest.mark.usefixtures("periods")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-17 10:00 +0800", tick=False):
        yield


def open_report(client, world, periods):
    url = reverse("report-start", args=[world.assignment_a.pk, periods[1].pk])
    response = client.post(url)
    assert response.status_code == 302
    return ProgressReport.objects.get(assignment=world.assignment_a, period=periods[1])


def test_cadre_writes_autosaves_and_submits(client_for, world, periods):
    client = client_for(world.cadre_a)
    page = client.get(reverse("assignment-reports", args=[world.assignment_a.pk]))
    assert "2026年3月上半月" in page.content.decode()
    report = open_report(client, world, periods)
    response = client.post(
        reverse("report-autosave", args=[report.pk]),
        {"version": report.version, "work_done": "走访企业", "problem": ["缺电", ""]},
    )
    assert response.status_code == 200
    version = response.json()["version"]
    report.refresh_from_db()
    assert report.work_done == "走访企业"
    assert list(report.problems.values_list("description", flat=True)) == ["缺电"]
    # Submitting without days on site: refused next to the field, the draft kept.
    response = client.post(
        reverse("report-edit", args=[report.pk]),
        {"version": version, "work_done": "走访企业", "action": "submit"},
    )
    assert response.status_code == 200
    assert "请填写本期在企天数" in response.content.decode()
    report.refresh_from_db()
    response = client.post(
        reverse("report-edit", args=[report.pk]),
        {"version": report.version, "work_done": "走访企业", "days_on_site": 6, "action": "submit"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and not report.is_late
    # A retried submit of the same form saves nothing more.
    client.post(
        reverse("report-edit", args=[report.pk]),
        {"version": report.version, "work_done": "x", "days_on_site": 6, "action": "submit"},
    )
    report.refresh_from_db()
    assert report.versions.count() == 1 and report.work_done == "走访企业"


def test_stale_autosave_is_refused_with_409(client_for, world, periods):
    client = client_for(world.cadre_a)
    report = open_report(client, world, periods)
    old = report.version
    assert (
        client.post(
            reverse("report-autosave", args=[report.pk]), {"version": old, "work_done": "一"}
        ).status_code
        == 200
    )
    response = client.post(
        reverse("report-autosave", args=[report.pk]), {"version": old, "work_done": "二"}
    )
    assert response.status_code == 409
    assert "张干部" in response.json()["error"]


def test_other_cadre_and_enterprise_get_404(client_for, world, periods):
    report = open_report(client_for(world.cadre_a), world, periods)
    for user in (world.cadre_b, world.enterprise_a, world.department):
        client = client_for(user)
        assert client.get(reverse("report-detail", args=[report.pk])).status_code == 404
        assert (
            client.post(reverse("report-autosave", args=[report.pk]), {"version": 1}).status_code
            == 404
        )
        # Reports are the government's working papers: the enterprise's own contact does not
        # see its stationing's report list either.
        assert (
            client.get(reverse("assignment-reports", args=[world.assignment_a.pk])).status_code
            == 404
        )


def test_office_reviews_and_returns(client_for, world, periods):
    cadre = client_for(world.cadre_a)
    report = open_report(cadre, world, periods)
    cadre.post(
        reverse("report-edit", args=[report.pk]),
        {"version": report.version, "work_done": "工作", "days_on_site": 5, "action": "submit"},
    )
    office = client_for(world.office)
    response = office.post(reverse("report-return", args=[report.pk]), {"reason": ""})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    office.post(reverse("report-review", args=[report.pk]), {"rating": "good", "comment": "可"})
    report.refresh_from_db()
    assert report.state == ReportState.REVIEWED and report.rating == "good"
    assert response.status_code == 302
    # A cadre cannot review.
    cadre = client_for(world.cadre_a)
    assert (
        cadre.post(reverse("report-review", args=[report.pk]), {"rating": "excellent"}).status_code
        == 403
    )


def test_plan_edit_submit_and_approve(client_for, world):
    cadre = client_for(world.cadre_a)
    response = cadre.post(reverse("plan-start", args=[world.assignment_a.pk]))
    plan = WorkPlan.objects.get(programme=world.programme, enterprise=world.ent_a)
    assert response.url == reverse("plan-edit", args=[plan.pk])
    form = cadre.get(reverse("plan-edit", args=[plan.pk]))
    assert "解难帮扶" in form.content.decode()
    # An empty plan cannot be submitted.
    response = cadre.post(
        reverse("plan-edit", args=[plan.pk]),
        {"version": plan.version, "summary": "", "action": "submit"},
    )
    assert "至少要有一项" in response.content.decode()
    plan.refresh_from_db()
    # A half-filled row is refused next to its field.
    response = cadre.post(
        reverse("plan-edit", args=[plan.pk]),
        {
            "version": plan.version,
            "summary": "稳产",
            "item-0-area": "difficulties",
            "item-0-title": "落实贷款",
            "item-0-target": "",
            "item-0-owner": "张干部",
            "item-0-due_date": "2026-06-30",
            "action": "save",
        },
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    plan.refresh_from_db()
    response = cadre.post(
        reverse("plan-edit", args=[plan.pk]),
        {
            "version": plan.version,
            "summary": "稳产",
            "item-0-area": "difficulties",
            "item-0-title": "落实贷款",
            "item-0-target": "2000万元",
            "item-0-owner": "张干部",
            "item-0-due_date": "2026-06-30",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    # Another cadre cannot see it; the office approves it.
    assert client_for(world.cadre_b).get(reverse("plan-detail", args=[plan.pk])).status_code == 404
    office = client_for(world.office)
    office.post(reverse("plan-approve", args=[plan.pk]), {"comment": ""})
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED


def test_matrix_page_filters_and_exports(client_for, world, periods):
    from io import BytesIO

    from openpyxl import load_workbook

    office = client_for(world.office)
    url = reverse("report-matrix", args=[world.programme.pk])
    page = office.get(url).content.decode()
    assert "张干部" in page and "李干部" in page
    filtered = office.get(url, {"unit": world.dev_bureau.pk}).content.decode()
    assert "张干部" in filtered and "李干部" not in filtered
    by_region = office.get(url, {"region": world.town_b.pk}).content.decode()
    assert "李干部" in by_region and "张干部" not in by_region
    export = office.get(url, {"export": "matrix"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet["A1"].value == "派出单位" and sheet["E1"].value == "2026年3月上半月"
    truancy = office.get(url, {"export": "truancy"})
    assert load_workbook(BytesIO(truancy.content)).active["E1"].value == "缺报期数"
    assert client_for(world.cadre_a).get(url).status_code == 403
    assert client_for(world.office).get(reverse("plan-queue")).status_code == 200
    assert client_for(world.office).get(reverse("report-queue")).status_code == 200


def test_report_problem_lines_turn_into_tickets(client_for, world, periods):
    cadre = client_for(world.cadre_a)
    report = open_report(cadre, world, periods)
    cadre.post(
        reverse("report-edit", args=[report.pk]),
        {
            "version": report.version,
            "work_done": "工作",
            "days_on_site": 5,
            "problem": ["用电增容审批迟迟未办"],
            "action": "submit",
        },
    )
    problem = report.problems.get()
    page = cadre.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert reverse("ticket-from-problem", args=[problem.pk]) in page
    office_page = client_for(world.office).get(reverse("report-detail", args=[report.pk]))
    assert reverse("ticket-from-problem", args=[problem.pk]) not in office_page.content.decode()
