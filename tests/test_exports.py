"""Excel exports: Chinese headers, exactly the rows of the filtered, sorted page (all pages, within
the user's scope), and nothing a user typed ever comes back as a formula."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import Column, safe_cell, workbook_bytes
from stationing.choices import ReportRating
from stationing.services import report_review
from supervision.choices import TicketState

from .factories import EnterpriseFactory, make_ticket
from .lists_helpers import (
    add_stationings,
    column,
    formula_cells,
    header,
    sheet_of,
    submit_plans,
    submit_reports,
)

pytestmark = pytest.mark.usefixtures("periods")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


# --- The writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["=1+1", "@SUM(A1)", "+86 139", "-2+3", '=HYPERLINK("http://x")', "\t=1+1"]
)
def test_safe_cell_neutralises_formula_like_text(typed):
    assert safe_cell(typed) == "'" + typed


def test_safe_cell_keeps_other_values():
    assert safe_cell("甲机械制造有限公司") == "甲机械制造有限公司"
    assert safe_cell(-5) == -5 and safe_cell(3.5) == 3.5
    assert safe_cell(None) is None
    assert safe_cell(True) == "是" and safe_cell(False) == "否"
    assert safe_cell(datetime.date(2026, 3, 1)) == datetime.date(2026, 3, 1)
    moment = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    # Excel has no time zones: shown as the local (Asia/Shanghai) wall time.
    assert safe_cell(moment) == datetime.datetime(2026, 3, 1, 9, 30)  # noqa: DTZ001 - naive on purpose


def test_workbook_has_bold_frozen_header_dates_and_no_formulas():
    rows = [
        {"name": "=1+1", "on": datetime.date(2026, 3, 1), "at": timezone.now(), "n": 3},
        {"name": "@SUM(A1)", "on": None, "at": None, "n": None},
    ]
    columns = [
        Column("名称", lambda r: r["name"]),
        Column("日期", lambda r: r["on"]),
        Column("时间", lambda r: r["at"]),
        Column("数量", lambda r: r["n"]),
    ]
    sheet = load_workbook(BytesIO(workbook_bytes("测试", columns, rows))).active
    assert sheet.title == "测试"
    assert header(sheet) == ["名称", "日期", "时间", "数量"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert formula_cells(sheet) == []
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@SUM(A1)"
    assert sheet["B2"].is_date and sheet["B2"].value.date() == datetime.date(2026, 3, 1)
    assert sheet["C2"].is_date
    assert sheet["D2"].value == 3
    assert sheet.column_dimensions["A"].width >= 6


# --- Tickets ------------------------------------------------------------------------------------


def test_ticket_export_is_the_filtered_page_and_typed_formulas_stay_text(client_for, world):
    first = make_ticket(world, TicketState.ASSIGNED, title="=1+1")
    second = make_ticket(world, TicketState.ASSIGNED, title="@SUM(A1)", category="land")
    make_ticket(world, TicketState.SUBMITTED, title="未受理")
    other = make_ticket(world, TicketState.ASSIGNED, by=world.cadre_b, enterprise=world.ent_b)
    office = client_for(world.office)
    params = {"state": "assigned", "ordering": "-number"}
    page = office.get(reverse("ticket-list"), params)
    expected = [t.number for t in page.context["tickets"]]
    assert expected == sorted([first.number, second.number, other.number], reverse=True)
    sheet = sheet_of(office.get(reverse("ticket-list"), {**params, "export": "xlsx"}))
    assert header(sheet)[:7] == ["编号", "标题", "企业", "类别", "紧急程度", "层级", "状态"]
    assert column(sheet, "编号") == expected
    assert set(column(sheet, "标题")) == {"'=1+1", "'@SUM(A1)", other.title}
    assert set(column(sheet, "状态")) == {"已交办"}
    assert formula_cells(sheet) == []


def test_an_export_over_the_limit_asks_to_narrow_the_filters(client_for, world, settings):
    """Past EXPORT_MAX_ROWS no workbook is written: the list comes back with its filters and
    says how many rows there are and what the limit is; narrowed, the export is written."""
    for n in range(3):
        make_ticket(
            world, TicketState.ASSIGNED, title=f"批量{n}", category="land" if n else "utilities"
        )
    settings.EXPORT_MAX_ROWS = 2
    office = client_for(world.office)
    response = office.get(reverse("ticket-list"), {"state": "assigned", "export": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('ticket-list')}?state=assigned"
    page = office.get(response["Location"]).content.decode()
    assert "共 3 条，超过一次导出的上限 2 条，请先筛选缩小范围再导出。" in page
    narrowed = office.get(
        reverse("ticket-list"), {"state": "assigned", "category": "land", "export": "xlsx"}
    )
    assert set(column(sheet_of(narrowed), "标题")) == {"批量1", "批量2"}


def test_inbox_export_is_the_inbox(client_for, world):
    assigned = make_ticket(world, TicketState.ASSIGNED)
    make_ticket(world, TicketState.SUBMITTED)
    department = client_for(world.department)
    page = department.get(reverse("ticket-inbox"))
    sheet = sheet_of(department.get(reverse("ticket-inbox"), {"export": "xlsx"}))
    assert column(sheet, "编号") == [t.number for t in page.context["tickets"]] == [assigned.number]


# --- Enterprises, cadres ------------------------------------------------------------------------


def test_enterprise_export_follows_filters_and_scope(client_for, world):
    EnterpriseFactory(name="=CMD|' /C calc'!A0", region=world.town_a)
    office = client_for(world.office)
    params = {"region": world.town_a.pk, "ordering": "-name"}
    page = office.get(reverse("enterprise-list"), params)
    names = [e.name for e in page.context["enterprises"]]
    sheet = sheet_of(office.get(reverse("enterprise-list"), {**params, "export": "xlsx"}))
    assert header(sheet)[:3] == ["企业名称", "统一社会信用代码", "所属区域"]
    assert [n.lstrip("'") for n in column(sheet, "企业名称")] == names
    assert "'=CMD|' /C calc'!A0" in column(sheet, "企业名称")
    assert world.ent_b.name not in column(sheet, "企业名称")
    assert formula_cells(sheet) == []
    # A cadre's export holds only what their page shows: their own enterprise.
    cadre_sheet = sheet_of(
        client_for(world.cadre_a).get(reverse("enterprise-list"), {"export": "xlsx"})
    )
    assert column(cadre_sheet, "企业名称") == [world.ent_a.name]


def test_cadre_export_lists_the_page_with_stationings(client_for, world):
    office = client_for(world.office)
    params = {"unit": world.dev_bureau.pk}
    page = office.get(reverse("cadre-list"), params)
    sheet = sheet_of(office.get(reverse("cadre-list"), {**params, "export": "xlsx"}))
    assert header(sheet) == ["姓名", "手机号", "派出单位", "职级", "职务", "驻点企业"]
    assert column(sheet, "姓名") == [c.name for c in page.context["cadres"]] == ["张干部"]
    assert column(sheet, "驻点企业") == [world.ent_a.name]


# --- Assignments, plans, reports, queues --------------------------------------------------------


def test_assignment_export_all_pages_same_order(client_for, world, settings):
    settings.PAGE_SIZE = 3
    add_stationings(world, 5)
    office = client_for(world.office)
    params = {"programme": world.programme.pk, "unit": world.dev_bureau.pk, "ordering": "-cadre"}
    page = office.get(reverse("assignment-list"), params)
    assert page.context["total"] == 6 and len(page.context["assignments"]) == 3
    sheet = sheet_of(office.get(reverse("assignment-list"), {**params, "export": "xlsx"}))
    assert header(sheet)[:4] == ["驻企批次", "企业", "所属区域", "驻企干部"]
    # All six rows (not only the first page), in the page's order.
    names = column(sheet, "驻企干部")
    assert len(names) == 6 and names[:3] == [a.cadre.name for a in page.context["assignments"]]
    assert world.cadre_b.profile.name not in names


def test_plan_list_and_queue_exports(client_for, world):
    submit_plans(world, [world.assignment_a, world.assignment_b])
    office = client_for(world.office)
    params = {"unit": world.finance_bureau.pk}
    sheet = sheet_of(office.get(reverse("plan-list"), {**params, "export": "xlsx"}))
    assert header(sheet)[:4] == ["企业", "所属区域", "驻企批次", "状态"]
    assert column(sheet, "企业") == [world.ent_b.name]
    queue = sheet_of(office.get(reverse("plan-queue"), {"export": "xlsx"}))
    page = office.get(reverse("plan-queue"))
    assert column(queue, "企业") == [p.enterprise.name for p in page.context["queue"]]
    assert len(column(queue, "企业")) == 2


def test_report_list_and_queue_exports(client_for, world, periods):
    reports = submit_reports([world.assignment_a, world.assignment_b], periods[1])
    report_review(report=reports[0], by=world.office, rating=ReportRating.GOOD, comment="=1+1")
    office = client_for(world.office)
    sheet = sheet_of(office.get(reverse("report-list"), {"rating": "good", "export": "xlsx"}))
    assert header(sheet)[:3] == ["驻企干部", "派出单位", "企业"]
    assert column(sheet, "驻企干部") == ["张干部"]
    assert column(sheet, "评价") == ["良"]
    assert column(sheet, "审阅意见") == ["'=1+1"]
    assert formula_cells(sheet) == []
    queue = sheet_of(office.get(reverse("report-queue"), {"export": "xlsx"}))
    assert column(queue, "驻企干部") == ["李干部"]
    # A cadre cannot reach the queue, nor export another cadre's reports from the list.
    assert (
        client_for(world.cadre_a).get(reverse("report-queue"), {"export": "xlsx"}).status_code
        == 403
    )
    cadre_sheet = sheet_of(
        client_for(world.cadre_a).get(reverse("report-list"), {"export": "xlsx"})
    )
    assert column(cadre_sheet, "驻企干部") == ["张干部"]


# --- The matrix ---------------------------------------------------------------------------------


def test_matrix_export_has_each_reports_rating_and_summary(client_for, world, periods):
    reports = submit_reports([world.assignment_a, world.assignment_b], periods[1])
    report_review(report=reports[0], by=world.office, rating=ReportRating.EXCELLENT)
    url = reverse("report-matrix", args=[world.programme.pk])
    sheet = sheet_of(client_for(world.office).get(url, {"export": "matrix"}))
    titles = header(sheet)
    assert titles[:4] == ["派出单位", "驻企干部", "企业", "工作组"]
    assert "已评价期数" in titles and "评价为“优”" in titles
    assert any(title.startswith("平均评价") for title in titles)
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    first_period = titles.index(periods[1].label)
    assert rows["张干部"][first_period].endswith("· 优")
    assert rows["张干部"][titles.index("已评价期数")] == 1
    assert rows["张干部"][titles.index("评价为“优”")] == 1
    assert rows["张干部"][-1] == 4
    assert rows["李干部"][titles.index("已评价期数")] == 0
    assert formula_cells(sheet) == []


def test_export_times_are_local(client_for, world, periods):
    submit_reports([world.assignment_a], periods[1])
    sheet = sheet_of(client_for(world.office).get(reverse("report-list"), {"export": "xlsx"}))
    submitted = column(sheet, "报送时间")[0]
    assert submitted == datetime.datetime(2026, 3, 16, 9, 0)  # noqa: DTZ001 - Excel is naive


def test_a_long_export_does_not_rescan_the_sheet_per_row(monkeypatch):
    """openpyxl's max_row scans every cell; asked once per appended row it made a province's
    10,000-row export quadratic (80 s). Appending rows never asks it; fitting widths does once
    per column."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from core.exports import Column, add_sheet

    asked = []
    scan = Worksheet.max_row.fget
    monkeypatch.setattr(
        Worksheet, "max_row", property(lambda sheet: asked.append(1) or scan(sheet))
    )
    rows = [{"name": f"=企业{n}", "n": n} for n in range(300)]
    columns = [Column("名称", lambda r: r["name"]), Column("序号", lambda r: r["n"])]
    sheet = add_sheet(Workbook(), "测试", columns, rows, first=True)
    assert len(asked) <= len(columns)
    assert sheet.cell(row=301, column=1).value == "'=企业299"
    assert (
        sheet.cell(row=301, column=1).data_type == "s"
        and sheet.cell(row=301, column=2).value == 299
    )
