"""A cadre writes a half-monthly report on a phone (375×812), loses signal, submits it; the office
reviews it. And the plan editor: the cadre writes a two-task plan, the office approves it.

The live server runs in its own thread with the real clock, so instead of freezing time the
programme is moved to start 20 days before today: there is always an open period (the one holding
today, due after it ends) and one before it.
"""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from stationing.choices import PlanState, ReportState
from stationing.models import ProgressReport, ReportPeriod, WorkPlan
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_save_draft,
    work_plan_approve,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)

PHONE_375 = {"width": 375, "height": 812}

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def stationed(world, today):
    """The world programme and both assignments start 20 days ago; periods exist up to today."""
    start = today - datetime.timedelta(days=20)
    programme = world.programme
    programme.start_date = start
    programme.end_date = start + datetime.timedelta(days=364)
    programme.save()
    for assignment in (world.assignment_a, world.assignment_b):
        assignment.start_date = start
        assignment.save()
    programme_sync_periods(programme=programme)
    current = ReportPeriod.objects.get(programme=programme, start__lte=today, end__gte=today)
    assert timezone.now() < current.due_at
    return current


@pytest.fixture
def approved_item(world, today):
    """An approved plan with one task due in 30 days and nothing done: behind plan at once."""
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=plan.version,
        summary="稳产扩能",
        items=[
            {
                "area": "difficulties",
                "title": "落实技改贷款",
                "target": "落实贷款2000万元",
                "owner": "张干部",
                "due_date": (today + datetime.timedelta(days=30)).isoformat(),
            }
        ],
    )
    work_plan_approve(plan=work_plan_submit(plan=plan, by=world.cadre_a), by=world.office)
    return plan.items.get()


def phone(new_page):
    """A phone-sized page. Reduced motion turns off Bootstrap's smooth scrolling, which makes
    Playwright click where a sticky button was before the page finished scrolling."""
    page = new_page(viewport=PHONE_375)
    page.emulate_media(reduced_motion="reduce")
    return page


def shot(page, artifacts, name, screen=False):
    """A full-page screenshot; with screen=True also what the phone's screen shows around the
    focused field (the sticky action bar must not cover it)."""
    if screen:
        page.evaluate(
            "document.activeElement.scrollIntoView({block: 'nearest', behavior: 'instant'})"
        )
        page.screenshot(path=str(artifacts / f"reports-{name}-screen.png"))
    page.screenshot(path=str(artifacts / f"reports-{name}.png"), full_page=True)


def test_cadre_writes_report_offline_and_office_reviews(
    world, stationed, approved_item, new_page, sign_in, live_server, artifacts
):
    period = stationed
    page = sign_in(phone(new_page), "cadre_a")
    reports_url = live_server.url + reverse("assignment-reports", args=[world.assignment_a.pk])
    page.goto(reports_url)
    row = page.get_by_test_id("period-row").filter(has_text=period.label)
    expect(row.get_by_test_id("period-status")).to_have_text("未开始")
    shot(page, artifacts, "01-periods")

    # Start this period's report: the form opens with the behind-plan section showing, because
    # the task has 0% done against a due date that implies more by the period's end.
    row.get_by_role("button", name="填写").click()
    page.wait_for_url("**/reports/*/edit/")
    report = ProgressReport.objects.get(assignment=world.assignment_a, period=period)
    expect(page.locator("#behind-section")).to_be_visible()
    shot(page, artifacts, "02-form-empty")

    # Type; the draft is saved on the server as the cadre types.
    status = page.locator("#autosave-status")
    page.get_by_label("本期工作情况", exact=True).fill("走访企业车间，了解技改项目进度。")
    page.locator("input[name=problem]").first.fill("用电增容审批迟迟未办")
    expect(status).to_contain_text("已自动保存")
    shot(page, artifacts, "03-autosaved")

    # Reload: the server draft is there.
    page.reload()
    expect(page.get_by_label("本期工作情况", exact=True)).to_have_value(
        "走访企业车间，了解技改项目进度。"
    )
    expect(page.locator("input[name=problem]").first).to_have_value("用电增容审批迟迟未办")

    # The network drops: the text is kept in the browser and the cadre is told so.
    storage_key = f"report-draft-{report.pk}"
    page.context.set_offline(True)
    page.get_by_label("本期工作情况", exact=True).fill(
        "走访企业车间，了解技改项目进度。\n约见供电公司。"
    )
    expect(status).to_contain_text("网络中断")
    kept = json.loads(page.evaluate(f"localStorage.getItem('{storage_key}')"))
    assert ["work_done", "走访企业车间，了解技改项目进度。\n约见供电公司。"] in kept["data"]
    shot(page, artifacts, "04-offline", screen=True)

    # Back online: the autosave catches up and the browser copy is dropped.
    page.context.set_offline(False)
    expect(status).to_contain_text("已自动保存")
    assert page.evaluate(f"localStorage.getItem('{storage_key}')") is None
    report.refresh_from_db()
    assert report.work_done.endswith("约见供电公司。")

    # No autosave gets through (a flaky signal) and the page is reloaded: what was typed comes
    # back from the browser copy (the server never had it) and is saved once requests pass.
    page.route("**/autosave/", lambda route: route.abort("internetdisconnected"))
    page.locator("input[name=problem]").nth(1).fill("招工难，缺熟练焊工")
    expect(status).to_contain_text("网络中断")
    page.reload()
    expect(page.locator("input[name=problem]").nth(1)).to_have_value("招工难，缺熟练焊工")
    page.unroute("**/autosave/")
    expect(status).to_contain_text("已自动保存", timeout=10_000)  # the retry comes after 5 s
    report.refresh_from_db()
    assert list(report.problems.values_list("description", flat=True)) == [
        "用电增容审批迟迟未办",
        "招工难，缺熟练焊工",
    ]

    # The behind-plan section follows the task's progress.
    progress = page.locator(f"#item-{approved_item.pk}-progress")
    progress.fill("100")
    expect(page.locator("#behind-section")).to_be_hidden()
    progress.fill("10")
    expect(page.locator("#behind-section")).to_be_visible()
    expect(page.locator(f"#item-{approved_item.pk}-status")).to_have_value("in_progress")
    page.get_by_label("进度滞后原因", exact=True).fill("银行授信审批周期长")
    page.get_by_label("解决办法", exact=True).fill("协调县金融办召开银企对接会")
    page.get_by_label("下一步工作措施", exact=True).fill("跟进贷款审批；协调供电公司")
    page.get_by_label("本期在企天数", exact=True).fill("8")
    expect(status).to_contain_text("已自动保存")
    shot(page, artifacts, "05-form-filled", screen=True)

    # Submit tapped while an autosave is still on its way (a slow network): the form waits for
    # that save and goes with the version it produced, instead of being refused as stale.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.get_by_label("下一步工作措施", exact=True).press_sequentially("。")
    expect(status).to_contain_text("正在保存")
    page.get_by_test_id("submit-report").click()
    page.wait_for_url(f"**/reports/{report.pk}/")
    expect(page.get_by_test_id("report-status")).to_have_text("按时报送")
    expect(page.get_by_role("alert")).to_contain_text("记为按时报送")
    assert page.evaluate(f"localStorage.getItem('{storage_key}')") is None
    assert not page.problems, page.problems
    shot(page, artifacts, "06-submitted")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and not report.is_late
    assert report.versions.count() == 1
    assert report.next_steps == "跟进贷款审批；协调供电公司。" and report.days_on_site == 8

    # The office reviews it from the review queue.
    office = sign_in(phone(new_page), "office")
    office.goto(live_server.url + reverse("report-queue"))
    shot(office, artifacts, "07-office-queue")
    office.get_by_test_id("report-queue").get_by_role("link").filter(has_text="张干部").click()
    # Opened from the queue, the report keeps the queue's filters for "审阅下一份".
    office.wait_for_url(re.compile(rf"/reports/{report.pk}/\?queue="))
    review = office.get_by_test_id("review-card")
    review.get_by_label("评定").select_option(label="良")
    review.get_by_label("审阅意见").fill("问题梳理清楚，抓紧落实贷款。")
    shot(office, artifacts, "08-office-review")
    review.get_by_role("button", name="提交评定").click()
    # No other report waits, so the office is back on the (now empty) queue.
    office.wait_for_url(re.compile(r"/queues/reports/"))
    expect(office.get_by_test_id("report-queue")).not_to_contain_text("张干部")
    office.goto(live_server.url + reverse("report-detail", args=[report.pk]))
    expect(office.get_by_test_id("report-status")).to_have_text("已审阅 · 良")
    office.goto(live_server.url + reverse("report-matrix", args=[world.programme.pk]))
    expect(office.get_by_test_id("matrix")).to_contain_text("已审阅")
    assert not office.problems, office.problems
    shot(office, artifacts, "09-office-matrix")

    # The cadre sees the rating next to the period.
    page.goto(reports_url)
    expect(row.get_by_test_id("period-status")).to_have_text("已审阅 · 良")
    shot(page, artifacts, "10-reviewed")


def test_cadre_writes_plan_and_office_approves(
    world, stationed, today, new_page, sign_in, live_server, artifacts
):
    page = sign_in(phone(new_page), "cadre_a")
    page.goto(live_server.url + reverse("assignment-reports", args=[world.assignment_a.pk]))
    page.get_by_test_id("plan-card").get_by_role("button", name="制订计划").click()
    page.wait_for_url("**/plans/*/edit/")
    plan = WorkPlan.objects.get(programme=world.programme, enterprise=world.ent_a)
    shot(page, artifacts, "plan-01-new")

    due = (today + datetime.timedelta(days=60)).isoformat()
    page.get_by_label("总体思路", exact=True).fill("稳产扩能，帮助企业落实技改资金。")
    # Rows not filled in yet show only the task area and title until touched.
    expect(page.locator(".plan-row").nth(1).get_by_label("可衡量目标")).to_be_hidden()
    first = page.locator(".plan-row").nth(0)
    first.get_by_label("任务类别").select_option(label="解难帮扶")
    first.get_by_label("工作任务").fill("落实技改贷款")
    first.get_by_label("可衡量目标").fill("落实贷款2000万元")
    first.get_by_label("责任人").fill("张干部")
    first.get_by_label("完成时限").fill(due)
    # A task begun by mistake is removed with "删除此项" (after a confirmation): the row is
    # emptied and hidden, so it neither becomes a task nor blocks the submission.
    mistake = page.locator(".plan-row").nth(1)
    mistake.get_by_label("工作任务").fill("临时任务")
    page.once("dialog", lambda dialog: dialog.accept())
    mistake.get_by_role("button", name="删除此项").click()
    expect(mistake).to_be_hidden()
    # The second task goes into a row added with "增加一项任务" (plan_form.js renumbers it).
    rows_before = page.locator(".plan-row").count()
    page.get_by_role("button", name="增加一项任务").click()
    added = page.locator(".plan-row").nth(rows_before)
    expect(added.get_by_label("工作任务")).to_be_focused()
    added.get_by_label("任务类别").select_option(label="职工稳定")
    added.get_by_label("工作任务").fill("组织技能培训")
    added.get_by_label("可衡量目标").fill("培训焊工30人")
    added.get_by_label("责任人").fill("企业人事部")
    added.get_by_label("完成时限").fill(due)
    shot(page, artifacts, "plan-02-filled", screen=True)

    page.get_by_role("button", name="报送审批").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    expect(page.get_by_test_id("plan-state")).to_have_text("待审批")
    assert not page.problems, page.problems
    shot(page, artifacts, "plan-03-submitted")
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert list(plan.items.order_by("position").values_list("title", "area")) == [
        ("落实技改贷款", "difficulties"),
        ("组织技能培训", "employees"),
    ]

    office = sign_in(phone(new_page), "office")
    office.goto(live_server.url + reverse("plan-queue"))
    office.get_by_test_id("plan-queue").get_by_role("link").filter(
        has_text=world.ent_a.name
    ).click()
    office.wait_for_url(re.compile(rf"/plans/{plan.pk}/\?queue="))
    office.get_by_test_id("plan-decision").get_by_role("button", name="批准").click()
    office.wait_for_url(re.compile(r"/queues/plans/"))
    office.goto(live_server.url + reverse("plan-detail", args=[plan.pk]))
    expect(office.get_by_test_id("plan-state")).to_have_text("已批准")
    assert not office.problems, office.problems
    shot(office, artifacts, "plan-04-approved")
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED

    page.reload()
    expect(page.get_by_test_id("plan-state")).to_have_text("已批准")


def test_autosave_refusals_are_explained(world, stationed, new_page, sign_in, live_server):
    """Someone saved the draft elsewhere: the autosave stops and says who. The session expired:
    the cadre is told to reload, not that the network is down."""
    report = report_get_or_create_draft(
        assignment=world.assignment_a, period=stationed, by=world.cadre_a
    )
    page = sign_in(phone(new_page), "cadre_a")
    page.goto(live_server.url + reverse("report-edit", args=[report.pk]))
    status = page.locator("#autosave-status")
    work_done = page.get_by_label("本期工作情况", exact=True)

    report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={"work_done": "另一台手机"},
    )
    work_done.fill("这台手机")
    expect(status).to_have_text(re.compile(r"^保存失败：该记录已被 张干部 于 .*请刷新页面"))
    report.refresh_from_db()
    assert report.work_done == "另一台手机"

    page.reload()
    expect(work_done).to_have_value("另一台手机")
    page.context.clear_cookies()
    work_done.fill("另一台手机，补充")
    expect(status).to_contain_text("自动保存失败")
