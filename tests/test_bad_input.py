"""Bad input is refused with a clear message (400 or the form again), never a 500, and nothing
partial is saved (issue 16, "Bad input"). One test per finding of the issue's bad-input run."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.inputs import DATE_MAX, parse_id
from enterprises.models import EnterpriseSurvey, IndicatorReport
from enterprises.services import indicator_create, survey_create
from enterprises.validators import normalize_credit_code
from stationing.models import ProgressReport, ReportPeriod, WorkPlanItem
from stationing.services import (
    programme_create,
    programme_update,
    report_get_or_create_draft,
    work_plan_approve,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)

from .factories import make_credit_code

pytestmark = pytest.mark.usefixtures("periods")

NUL = "\x00"
# Shapes of a malformed id: overflowing, non-ASCII digits (Arabic-Indic, superscript,
# circled, full-width), signs, NUL, emoji.
BAD_IDS = ["99999999999999999999", "١٢٣", "²", "①", "１２", "-1", "1e3", "a\x00", "😀"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


def lenient(user):
    """A client that answers 500 instead of raising, so the status code can be asserted."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- Malformed ids and numbers in query strings and forms -----------------------------------


@pytest.mark.parametrize("value", BAD_IDS + ["", " 12 "])
def test_parse_id_takes_ascii_digits_that_fit_a_key(value):
    expected = 12 if value.strip() == "12" else None
    assert parse_id(value) == expected


def test_malformed_ids_in_query_strings_are_never_a_server_error(world, periods):
    office = lenient(world.office)
    pages = [
        (reverse("project-list"), ("region", "unit", "leader", "programme")),
        (reverse("ticket-list"), ("enterprise", "region", "unit")),
        (reverse("ticket-create"), ("enterprise",)),
        (reverse("dashboard"), ("programme",)),
        (reverse("calendar-settings"), ("year", "edit")),
        (reverse("assignment-create", args=[world.programme.pk]), ("cadre", "enterprise")),
        (reverse("enterprise-list"), ("region", "page")),
    ]
    for url, params in pages:
        for param in params:
            for value in BAD_IDS:
                response = office.get(url, {param: value})
                assert response.status_code < 500, (url, param, value)
    # The chase form posts ids too.
    for value in BAD_IDS:
        response = office.post(reverse("report-chase"), {"period": value, "unit": value})
        assert response.status_code in (302, 404), value


def test_overflowing_ids_in_paths_are_404(world):
    office = lenient(world.office)
    for url in ("/enterprises/99999999999999999999/", "/api/v1/reports/99999999999999999999/"):
        assert office.get(url).status_code == 404


# --- Dates ------------------------------------------------------------------------------------


def test_far_future_programme_dates_are_refused_with_the_range(world, client_for):
    office = client_for(world.office)
    response = office.post(
        reverse("programme-create"),
        {
            "name": "万年批次",
            "organiser": world.county.pk,
            "start_date": "2026-01-01",
            "end_date": "9999-12-31",
            "status": "draft",
            "report_cycle": "half_month",
            "report_due_days": 3,
            "plan_due_days": 7,
        },
    )
    assert response.status_code == 200
    assert "2099-12-31" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        programme_create(
            by=world.office,
            name="二十年批次",
            organiser=world.county,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2046, 1, 1),
            report_due_days=3,
        )
    assert "最长 10 年" in str(refused.value.message_dict["end_date"])
    with pytest.raises(ValidationError) as refused:
        programme_create(
            by=world.office,
            name="延期批次",
            organiser=world.county,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            report_due_days=30000,
        )
    assert "0 到 60" in str(refused.value.message_dict["report_due_days"])


def test_dates_out_of_range_are_refused_in_the_api(world, api):
    response = api(world.office).post(
        "/api/v1/programmes/",
        {
            "name": "万年批次",
            "organiser": world.county.pk,
            "start_date": "2026-01-01",
            "end_date": "9999-12-31",
        },
    )
    assert response.status_code == 400
    assert "2099-12-31" in str(response.json())


# --- Moving a programme's dates ---------------------------------------------------------------


def test_moving_the_start_date_renumbers_periods_and_keeps_reported_ones(world, periods):
    programme = world.programme
    report_get_or_create_draft(assignment=world.assignment_a, period=periods[2], by=None)
    reported = periods[2]
    # Later by a half-month (the first period goes), then earlier by a month.
    for start in (programme.start_date + datetime.timedelta(days=15), datetime.date(2026, 2, 1)):
        programme = programme_update(
            programme=programme, by=world.office, expected_version=None, start_date=start
        )
        stored = list(ReportPeriod.objects.filter(programme=programme).order_by("start"))
        assert stored[0].start == start
        assert [p.number for p in stored] == list(range(1, len(stored) + 1))
        reported.refresh_from_db()
        assert (reported.start, reported.end) == (
            datetime.date(2026, 3, 16),
            datetime.date(2026, 3, 31),
        )


def test_dates_that_would_drop_a_reported_period_are_refused(world, periods, client_for):
    report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    programme = world.programme
    response = client_for(world.office).post(
        reverse("programme-update", args=[programme.pk]),
        {
            "version": programme.version,
            "name": programme.name,
            "organiser": programme.organiser_id,
            "start_date": "2026-04-01",
            "end_date": programme.end_date.isoformat(),
            "status": programme.status,
            "report_cycle": programme.report_cycle,
            "report_due_days": programme.report_due_days,
            "plan_due_days": programme.plan_due_days,
        },
    )
    assert response.status_code == 200
    assert "已有半月报" in response.content.decode()
    programme.refresh_from_db()
    assert programme.start_date == datetime.date(2026, 3, 1)
    assert ReportPeriod.objects.filter(programme=programme, number=1).exists()


# --- Reports: periods not begun, progress out of range, NUL -------------------------------------


@pytest.fixture
def plan_items(world):
    """An approved plan for cadre A's enterprise with two items."""
    plan = work_plan_get_or_create(
        programme=world.programme, enterprise=world.ent_a, by=world.cadre_a
    )
    items = [
        {
            "area": "strategy",
            "title": "编制发展规划",
            "target": "年底成稿",
            "owner": "张干部",
            "due_date": "2026-06-30",
        },
        {
            "area": "difficulties",
            "title": "协调用电增容",
            "target": "通电",
            "owner": "张干部",
            "due_date": "2026-05-31",
        },
    ]
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="思路", items=items
    )
    plan = work_plan_submit(plan=plan, by=world.cadre_a)
    work_plan_approve(plan=plan, by=world.office)
    return list(WorkPlanItem.objects.filter(plan=plan).order_by("position"))


def test_a_cadre_cannot_open_or_submit_a_period_not_begun(world, periods, client_for, api):
    future = next(p for p in periods.values() if p.start > datetime.date(2026, 3, 20))
    cadre = client_for(world.cadre_a)
    response = cadre.post(reverse("report-start", args=[world.assignment_a.pk, future.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assignment-reports", args=[world.assignment_a.pk])
    response = api(world.cadre_a).post(
        "/api/v1/reports/", {"assignment": world.assignment_a.pk, "period": future.pk}
    )
    assert response.status_code == 400
    assert "尚未开始" in str(response.json())
    assert not ProgressReport.objects.filter(period=future).exists()


@pytest.mark.parametrize("typed", ["150", "-5", "abc", "1e2", "٥٠"])
def test_item_progress_out_of_range_is_refused_on_the_page_and_in_the_api(
    typed, world, periods, plan_items, client_for, api
):
    report = report_get_or_create_draft(
        assignment=world.assignment_a, period=periods[1], by=world.cadre_a
    )
    item = plan_items[0]
    before = report.item_progress.get(item=item).progress
    page = client_for(world.cadre_a).post(
        reverse("report-edit", args=[report.pk]),
        {
            "version": report.version,
            "work_done": "走访",
            f"item-{item.pk}-progress": typed,
            f"item-{item.pk}-status": "in_progress",
            "action": "save",
        },
    )
    message = "任务“编制发展规划”的完成进度须为 0 到 100 之间的整数。"
    assert page.status_code == 200 and message in page.content.decode()
    if typed.lstrip("-").isascii() and typed.lstrip("-").isdigit():
        response = api(world.cadre_a).patch(
            f"/api/v1/reports/{report.pk}/",
            {"item_progress": [{"item": item.pk, "progress": int(typed), "status": "in_progress"}]},
        )
        assert response.status_code == 400
        assert response.json() == {"item_progress": [message]}
    assert report.item_progress.get(item=item).progress == before
    report.refresh_from_db()
    assert report.work_done == ""


def test_nul_in_report_and_plan_lines_is_refused_and_not_stored(
    world, periods, plan_items, client_for, api
):
    report = report_get_or_create_draft(
        assignment=world.assignment_a, period=periods[1], by=world.cadre_a
    )
    item = plan_items[0]
    cadre = lenient(world.cadre_a)
    page = cadre.post(
        reverse("report-edit", args=[report.pk]),
        {
            "version": report.version,
            "work_done": "走访",
            f"item-{item.pk}-progress": "10",
            f"item-{item.pk}-note": f"说明{NUL}",
            "problem": [f"缺电{NUL}"],
            "action": "save",
        },
    )
    assert page.status_code == 200 and "NUL" in page.content.decode()
    response = api(world.cadre_a).patch(
        f"/api/v1/reports/{report.pk}/", {"problems": [f"缺电{NUL}"]}
    )
    assert response.status_code == 400
    assert not report.problems.exists()
    assert NUL not in report.item_progress.get(item=item).note
    plan = item.plan
    plan_page = cadre.post(
        reverse("plan-edit", args=[plan.pk]),
        {
            "version": plan.version,
            "summary": "思路",
            "item-0-area": "strategy",
            "item-0-title": f"规划{NUL}",
            "item-0-target": "成稿",
            "item-0-owner": "张干部",
            "item-0-due_date": "2026-06-30",
        },
    )
    assert plan_page.status_code == 200 and "NUL" in plan_page.content.decode()
    titles = WorkPlanItem.objects.values_list("title", flat=True)
    assert sorted(titles) == ["协调用电增容", "编制发展规划"]


# --- Enterprise figures, codes, phones ----------------------------------------------------------


def test_negative_output_and_future_surveys_are_refused(world, api):
    with pytest.raises(ValidationError) as refused:
        survey_create(
            by=world.office,
            enterprise=world.ent_a,
            surveyed_on=datetime.date(2026, 4, 1),
            output_value=Decimal("-5"),
        )
    assert set(refused.value.message_dict) == {"surveyed_on", "output_value"}
    assert "须大于或等于 0" in refused.value.message_dict["output_value"][0]
    with pytest.raises(ValidationError):
        indicator_create(
            by=world.office,
            enterprise=world.ent_a,
            month=datetime.date(2026, 2, 1),
            output_value=Decimal("-1"),
        )
    response = api(world.office).post(
        "/api/v1/indicators/",
        {"enterprise": world.ent_a.pk, "month": "2026-02-01", "output_value": "-100"},
    )
    assert response.status_code == 400 and "output_value" in response.json()
    assert not EnterpriseSurvey.objects.exists() and not IndicatorReport.objects.exists()


def test_credit_code_with_inner_spaces_is_accepted_as_the_import_accepts_it(world, client_for):
    code = make_credit_code(987654)
    spaced = f"{code[:4]} {code[4:10]}　{code[10:]}".lower()
    assert normalize_credit_code(spaced) == code
    response = client_for(world.office).post(
        reverse("enterprise-create"),
        {
            "name": "空格代码有限公司",
            "credit_code": spaced,
            "region": world.town_a.pk,
            "industry": "C",
            "ownership": "private",
            "size": "small",
            "listing_status": "unlisted",
        },
    )
    errors = response.context["form"].errors if response.status_code == 200 else {}
    assert response.status_code == 302, errors
    assert world.ent_a.__class__.objects.filter(credit_code=code).exists()


def test_api_refuses_a_cadre_phone_the_page_refuses(world, api):
    response = api(world.office).post(
        "/api/v1/cadres/",
        {"name": "王干部", "phone": "abc", "unit": world.dev_bureau.pk},
    )
    assert response.status_code == 400 and "phone" in response.json()


def test_date_max_is_within_python_date_arithmetic():
    # Due dates add days to period ends: the upper bound leaves room for it.
    assert DATE_MAX + datetime.timedelta(days=400) < datetime.date.max
