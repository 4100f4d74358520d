"""Appraisal pages (issue 11): who sees which run and result, the breakdown a cadre reads, the
three-sheet export, starting (double-submit safe) and publishing, the enterprise's rating
panel, review requests inside and outside the window, and query counts of the list pages.

The hand-built programme is test_appraisal's `scenario` (every number there is computed by hand).
"""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from notifications.models import Notification
from supervision.choices import AppraisalState, ReviewState, SupervisionNotice
from supervision.models import AppraisalRun, CadreRating, ResultReviewRequest
from supervision.services import appraisal_publish, review_deadline

from ..factories import make_handler
from ..lists_helpers import formula_cells
from .test_appraisal import D, _programme_with, moment, run_as_of, scenario  # noqa: F401


@pytest.fixture
def published(scenario, at):  # noqa: F811
    run = run_as_of(at, scenario.programme, by=scenario.office)
    return at(moment(5, 7), appraisal_publish, run=run, by=scenario.office)


def result_of(run, user):
    return run.cadres.get(cadre=user.profile)


# --- Who sees what ------------------------------------------------------------------------------


def test_draft_is_the_office_and_leaders_only(scenario, at, client_for):  # noqa: F811
    w = scenario
    run = run_as_of(at, w.programme, by=w.office)
    mine = result_of(run, w.cadre_a)
    for user in (w.office, w.leader):
        client = client_for(user)
        assert client.get(reverse("appraisal-detail", args=[run.pk])).status_code == 200
        assert client.get(reverse("appraisal-result", args=[mine.pk])).status_code == 200
        assert client.get(reverse("appraisal-units", args=[run.pk])).status_code == 200
        assert client.get(reverse("appraisal-departments", args=[run.pk])).status_code == 200
    for user in (w.cadre_a, w.department, w.enterprise_a, w.outsider):
        client = client_for(user)
        assert client.get(reverse("appraisal-detail", args=[run.pk])).status_code == 404
        assert client.get(reverse("appraisal-result", args=[mine.pk])).status_code == 404
    index = client_for(w.cadre_a).get(reverse("appraisal-list"))
    assert index.status_code == 200 and index.context["own_results"] == []


def test_published_result_is_the_cadres_own(published, scenario, client_for):  # noqa: F811
    w = scenario
    mine, theirs = result_of(published, w.cadre_a), result_of(published, w.cadre_b)
    own = client_for(w.cadre_a)
    assert own.get(reverse("appraisal-result", args=[mine.pk])).status_code == 200
    assert own.get(reverse("appraisal-result", args=[theirs.pk])).status_code == 404
    index = own.get(reverse("appraisal-list"))
    assert [r.pk for r in index.context["own_results"]] == [mine.pk]
    assert reverse("appraisal-result", args=[mine.pk]) in index.content.decode()
    # The run page lists only the cadre's own row; the office's tools are not offered.
    page = own.get(reverse("appraisal-detail", args=[published.pk]))
    assert [r.pk for r in page.context["results"]] == [mine.pk]
    assert not page.context["can_publish"]
    assert 'data-testid="publish-link"' not in page.content.decode()
    assert own.get(reverse("appraisal-publish", args=[published.pk])).status_code == 403


def test_dispatching_unit_staff_see_their_cadres(published, client_for, scenario):  # noqa: F811
    w = scenario
    run = published
    department = client_for(w.department)  # the finance bureau: cadre_b's unit
    page = department.get(reverse("appraisal-detail", args=[run.pk]))
    assert [r.cadre_id for r in page.context["results"]] == [w.cadre_b.profile.pk]
    assert (
        department.get(reverse("appraisal-result", args=[result_of(run, w.cadre_a).pk])).status_code
        == 404
    )
    units = department.get(reverse("appraisal-units", args=[run.pk]))
    assert [row.unit for row in units.context["rows"]] == [w.finance_bureau]
    # The programme page and the review list are the office's and leaders'.
    assert department.get(reverse("appraisal-programme", args=[w.programme.pk])).status_code == 403
    assert department.get(reverse("appraisal-reviews")).status_code == 403


def test_nav_links_to_the_appraisal(world, client_for):
    for user in (world.office, world.leader, world.cadre_a):
        html = client_for(user).get(reverse("home")).content.decode()
        assert 'data-testid="nav-appraisal"' in html
    html = client_for(world.enterprise_a).get(reverse("home")).content.decode()
    assert 'data-testid="nav-appraisal"' not in html


# --- The breakdown ------------------------------------------------------------------------------


def test_breakdown_shows_how_the_total_was_reached(published, client_for, scenario):  # noqa: F811
    w = scenario
    page = client_for(w.cadre_a).get(
        reverse("appraisal-result", args=[result_of(published, w.cadre_a).pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    rows = {row["key"]: row for row in page.context["breakdown"]["rows"]}
    assert [rows[k]["weight"] for k in ("reports", "attendance", "plan")] == [25, 15, 25]
    assert not any(row["left_out"] for row in rows.values())
    assert 'data-testid="result-total">80.71<' in html
    for text in (
        "83.33",  # R
        "应报 3 期：按时 2 期，逾期 1 期（按半期计），未报 0 期",
        "87.50",  # A
        "在企 21 天，应在企 24 天",
        "技改项目",  # P: the items counted, with their progress
        "60%",
        "100%",
        "计入诉求 3 件",  # S
        "满意 1 件、基本满意 1 件",
        "2 位企业联络人评价",  # E
        "平均 4.50 星",
        "督查室已评定半月报 2 份，合计 185 分",  # O
    ):
        assert text in html, text

    b = client_for(w.cadre_b).get(
        reverse("appraisal-result", args=[result_of(published, w.cadre_b).pk])
    )
    rows = {row["key"]: row for row in b.context["breakdown"]["rows"]}
    assert [k for k, row in rows.items() if row["left_out"]] == [
        "problems",
        "enterprise_rating",
        "office_rating",
    ]
    # Renormalised over R, A, P (65): R's share is 25/65.
    assert rows["reports"]["share"] == Decimal("38.46")
    html = b.content.decode()
    assert "截止日期前没有已批准的工作计划，计 0 分。" in html
    assert html.count('data-testid="left-out"') == 3


def test_result_page_lists_what_was_counted(published, scenario, client_for):  # noqa: F811
    """Under the breakdown, the entries, tickets, ratings and reviews counted, each report and
    ticket linked only for a reader who may open it."""
    w = scenario
    mine = result_of(published, w.cadre_a)
    page = client_for(w.cadre_a).get(reverse("appraisal-result", args=[mine.pk]))
    html = page.content.decode()
    counted = page.context["counted"]
    assert [
        (e["label"], str(e["verdict_label"]), e["days_on_site"]) for e in counted["entries"]
    ] == [
        ("2026年3月上半月", "按时", 8),
        ("2026年3月下半月", "逾期", 6),
        ("2026年4月上半月", "按时", 7),
    ]
    assert html.count('data-testid="counted-entry"') == 3
    assert html.count('data-verdict="late"') == 1
    # The cadre opens their own reports and the tickets of their enterprise.
    for entry in counted["entries"]:
        assert entry["link"] and reverse("report-detail", args=[entry["report"]]) in html
    tickets = [(t["title"], str(t["reason_label"]), t["weight"]) for t in counted["tickets"]]
    assert tickets == [
        ("用电增容", "截止日期前已办结", "1"),
        ("融资对接", "截止日期前已办结", "0.7"),
        ("道路维修", "截止日期时已超期未办结（红牌）", "0"),
    ]
    assert counted["ticket_points"] == Decimal("1.7")
    for ticket in counted["tickets"]:
        assert ticket["link"] and reverse("ticket-detail", args=[ticket["id"]]) in html
        assert ticket["number"] in html
    assert html.count('data-testid="counted-ticket"') == 3
    assert "基本满意" in html and "红牌" in html
    assert html.count('data-testid="counted-rating"') == 2
    assert "甲公司财务" in html and "2026-04-02 10:00" in html
    assert html.count('data-testid="counted-review"') == 2
    assert [(r["label"], str(r["rating_label"]), r["points"]) for r in counted["reviewed"]] == [
        ("2026年3月上半月", "优", 100),
        ("2026年3月下半月", "良", 85),
    ]
    assert 'data-testid="not-itemised"' not in html

    # The missing periods of cadre_b are listed as 未报, without a report to link.
    b = client_for(w.cadre_b).get(
        reverse("appraisal-result", args=[result_of(published, w.cadre_b).pk])
    )
    assert [str(e["verdict_label"]) for e in b.context["counted"]["entries"]] == [
        "逾期",
        "未报",
        "未报",
    ]
    assert b.content.decode().count('data-verdict="missing"') == 2

    # A handler of cadre_a's dispatching unit reads the result but neither the reports (the
    # government's working papers) nor these tickets (assigned to another unit): no links.
    handler = make_handler(w.dev_bureau, "dev_handler", name="发改经办人", phone=None)
    page = client_for(handler).get(reverse("appraisal-result", args=[mine.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="counted-entry"') == 3
    assert "道路维修" in html
    counted = page.context["counted"]
    assert not any(e["link"] for e in counted["entries"])
    assert not any(t["link"] for t in counted["tickets"])
    for entry in counted["entries"]:
        assert reverse("report-detail", args=[entry["report"]]) not in html
    for ticket in counted["tickets"]:
        assert reverse("ticket-detail", args=[ticket["id"]]) not in html


def test_a_run_without_itemised_detail_still_shows(published, scenario, client_for):  # noqa: F811
    """Runs stored before the items were: the counts only, and a note saying so."""
    w = scenario
    mine = result_of(published, w.cadre_a)
    type(mine).objects.filter(pk=mine.pk).update(detail={"plan_items": [], "stars": 9})
    html = client_for(w.cadre_a).get(reverse("appraisal-result", args=[mine.pk])).content.decode()
    assert 'data-testid="not-itemised"' in html
    assert 'data-testid="counted-entry"' not in html


def test_quota_moved_is_explained(published, scenario, client_for):  # noqa: F811
    w = scenario
    mine = result_of(published, w.cadre_a)
    # Written straight to the row: the page is under test here, the quota in test_appraisal.
    type(mine).objects.filter(pk=mine.pk).update(quota_moved=True)
    html = client_for(w.cadre_a).get(reverse("appraisal-result", args=[mine.pk])).content.decode()
    assert 'data-testid="quota-moved"' in html
    assert "优秀等次不超过参加考核干部的 20%" in html


# --- The run page: filters, sorting, export, query counts ----------------------------------------


def test_filters_sorting_and_three_sheet_export(published, client_for, scenario):  # noqa: F811
    w = scenario
    office = client_for(w.office)
    url = reverse("appraisal-detail", args=[published.pk])
    page = office.get(url)
    assert page.context["total"] == 2
    assert 'data-testid="export-xlsx"' in page.content.decode()
    by_unit = office.get(url, {"unit": w.finance_bureau.pk})
    assert [r.cadre_id for r in by_unit.context["results"]] == [w.cadre_b.profile.pk]
    by_grade = office.get(url, {"grade": "good"})
    assert [r.cadre_id for r in by_grade.context["results"]] == [w.cadre_a.profile.pk]
    ascending = office.get(url, {"ordering": "total"})
    assert [r.cadre.name for r in ascending.context["results"]] == ["李干部", "张干部"]

    response = office.get(url, {"export": "xlsx", "unit": w.finance_bureau.pk})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["干部", "派出单位", "承办单位"]
    cadres = book["干部"]
    header = [c.value for c in cadres[1]]
    assert header[:4] == ["名次", "姓名", "派出单位", "工作组"] and "总分" in header
    rows = list(cadres.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [r.cadre.name for r in by_unit.context["results"]]
    assert [c.value for c in book["派出单位"][1]][:4] == ["名次", "派出单位", "干部数", "平均分"]
    assert [c.value for c in book["承办单位"][1]][:3] == ["名次", "承办单位", "交办诉求数"]
    assert book["派出单位"].max_row == 1 + published.units.count()
    for sheet in book.worksheets:
        assert formula_cells(sheet) == []


def test_export_never_writes_a_formula(scenario, at, client_for):  # noqa: F811
    w = scenario
    profile = w.cadre_b.profile
    profile.name = '=HYPERLINK("http://x")'
    profile.save()
    run = run_as_of(at, w.programme, by=w.office)
    response = client_for(w.office).get(
        reverse("appraisal-detail", args=[run.pk]), {"export": "xlsx"}
    )
    book = load_workbook(BytesIO(response.content))
    names = [row[1] for row in book["干部"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(formula_cells(sheet) == [] for sheet in book.worksheets)


def test_list_pages_query_counts_do_not_grow(world, client_for):
    counts = []
    for n in (5, 15):
        programme = _programme_with(world, n)
        from supervision.services import appraisal_run_create

        run = appraisal_run_create(programme=programme, as_of=D, by=None)
        office = client_for(world.office)
        measured = []
        for name in ("appraisal-detail", "appraisal-units", "appraisal-departments"):
            with CaptureQueriesContext(connection) as queries:
                assert office.get(reverse(name, args=[run.pk])).status_code == 200
            measured.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert office.get(reverse("appraisal-list")).status_code == 200
        measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1], counts


# --- Starting and publishing -----------------------------------------------------------------


def test_start_is_double_submit_safe_and_refused_while_running(scenario, client_for):  # noqa: F811
    w = scenario
    office = client_for(w.office)
    url = reverse("appraisal-programme", args=[w.programme.pk])
    form = office.get(url).context["form"]
    data = {"as_of": D.isoformat(), "reason": "", "form_token": form["form_token"].value()}
    with time_machine.travel(moment(5, 6), tick=False):
        first = office.post(url, data)
        again = office.post(url, data)
    run = AppraisalRun.objects.get(programme=w.programme)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("appraisal-detail", args=[run.pk])
    assert (run.as_of, run.state, run.created_by) == (D, AppraisalState.DRAFT, w.office)
    # A run being computed refuses a start with a message.
    AppraisalRun.objects.create(programme=w.programme, number=9, as_of=D)
    fresh = office.get(url).context["form"]["form_token"].value()
    refused = office.post(url, {**data, "form_token": fresh}, follow=True)
    assert "正在计算中" in refused.content.decode()
    assert AppraisalRun.objects.filter(programme=w.programme).count() == 2
    # Cadres and leaders may not start one.
    assert client_for(w.cadre_a).post(url, data).status_code == 403
    assert client_for(w.leader).post(url, {**data, "form_token": ""}).status_code == 403


def test_publish_needs_the_office_and_a_confirmation(scenario, at, client_for):  # noqa: F811
    w = scenario
    run = run_as_of(at, w.programme, by=w.office)
    url = reverse("appraisal-publish", args=[run.pk])
    assert client_for(w.leader).get(url).status_code == 403
    assert client_for(w.cadre_a).get(url).status_code == 404  # a draft is not theirs to see
    office = client_for(w.office)
    assert office.get(url).status_code == 200
    unconfirmed = office.post(url, {})
    assert unconfirmed.status_code == 200 and unconfirmed.context["form"].errors
    run.refresh_from_db()
    assert run.state == AppraisalState.DRAFT
    assert office.post(url, {"confirm": "on"}).status_code == 302
    run.refresh_from_db()
    assert run.state == AppraisalState.PUBLISHED and run.published_by == w.office
    again = office.post(url, {"confirm": "on"}, follow=True)
    assert "不能发布" in again.content.decode()


def test_compare_lists_the_changed_cadres(published, scenario, at, client_for):  # noqa: F811
    w = scenario
    rerun = run_as_of(at, w.programme, by=w.office, as_of=datetime.date(2026, 3, 31), reason="改期")
    page = client_for(w.office).get(reverse("appraisal-compare", args=[rerun.pk]))
    assert page.status_code == 200
    assert page.context["old"] == published and page.context["new"] == rerun
    assert page.context["diffs"]
    other = client_for(w.office).get(
        reverse("appraisal-compare", args=[rerun.pk]), {"with": "999999"}
    )
    assert other.status_code == 404


# --- The enterprise rates its cadre ------------------------------------------------------------


def test_enterprise_contact_rates_on_the_enterprise_page(world, client_for):
    w = world
    contact = client_for(w.enterprise_a)
    page = contact.get(reverse("enterprise-detail", args=[w.ent_a.pk]))
    html = page.content.decode()
    assert 'data-testid="rating-form"' in html and "张干部" in html
    data = {"cadre": w.cadre_a.profile.pk, "programme": w.programme.pk, "stars": 4, "comment": "好"}
    done = contact.post(reverse("appraisal-rate"), data, follow=True)
    assert "已提交对张干部的评价" in done.content.decode()
    rating = CadreRating.objects.get()
    assert (rating.stars, rating.comment, rating.contact) == (4, "好", w.enterprise_a)
    assert "您最近一次评价：4 星" in done.content.decode()
    # No stars: refused with a message, nothing saved.
    contact.post(reverse("appraisal-rate"), {**data, "stars": ""})
    assert CadreRating.objects.count() == 1
    # Others do not see the panel and may not rate.
    office_page = client_for(w.office).get(reverse("enterprise-detail", args=[w.ent_a.pk]))
    assert 'data-testid="rating-form"' not in office_page.content.decode()
    assert client_for(w.cadre_a).post(reverse("appraisal-rate"), data).status_code == 403
    other = {**data, "cadre": w.cadre_b.profile.pk}
    assert client_for(w.enterprise_a).post(reverse("appraisal-rate"), other).status_code == 403


# --- Review requests ------------------------------------------------------------------------


def test_review_request_inside_the_window_and_its_answer(published, scenario, client_for):  # noqa: F811
    w = scenario
    mine = result_of(published, w.cadre_a)
    url = reverse("appraisal-result", args=[mine.pk])
    deadline = review_deadline(published)
    cadre = client_for(w.cadre_a)
    with time_machine.travel(deadline - datetime.timedelta(hours=1), tick=False):
        page = cadre.get(url)
        assert page.context["can_request_review"]
        empty = cadre.post(reverse("appraisal-review-request", args=[mine.pk]), {"reason": ""})
        assert empty.status_code == 200 and empty.context["review_form"].errors
        sent = cadre.post(
            reverse("appraisal-review-request", args=[mine.pk]), {"reason": "第2期报告按时提交"}
        )
        assert sent.status_code == 302
        twice = cadre.post(
            reverse("appraisal-review-request", args=[mine.pk]), {"reason": "再申请"}, follow=True
        )
    assert "不能重复申请" in twice.content.decode()
    review = ResultReviewRequest.objects.get()
    assert (review.cadre, review.state) == (w.cadre_a.profile, ReviewState.OPEN)
    told = Notification.objects.filter(kind=SupervisionNotice.APPRAISAL_REVIEW_REQUESTED)
    assert list(told.values_list("recipient", flat=True)) == [w.office.pk]
    # Another cadre's result: not even visible.
    theirs = result_of(published, w.cadre_b)
    assert (
        cadre.post(
            reverse("appraisal-review-request", args=[theirs.pk]), {"reason": "x"}
        ).status_code
        == 404
    )

    office = client_for(w.office)
    listing = office.get(reverse("appraisal-reviews"))
    assert [r.pk for r in listing.context["reviews"]] == [review.pk]
    answer_url = reverse("appraisal-review-answer", args=[review.pk])
    assert client_for(w.cadre_a).get(answer_url).status_code == 403
    office = client_for(w.office)
    with time_machine.travel(deadline + datetime.timedelta(days=1), tick=False):
        answered = office.post(
            reverse("appraisal-review-answer", args=[review.pk]),
            {"answer": "经核实，第2期报告按时提交，予以更正。", "rerun": "on"},
        )
    review.refresh_from_db()
    assert answered.status_code == 302, answered.content.decode()[-3000:]
    assert review.state == ReviewState.ANSWERED and review.new_run is not None
    new_run = review.new_run
    assert answered["Location"] == reverse("appraisal-detail", args=[new_run.pk])
    assert (new_run.number, new_run.as_of, new_run.state) == (2, D, AppraisalState.DRAFT)
    assert "张干部 申请复核" in new_run.reason and "予以更正" in new_run.reason
    told = Notification.objects.filter(kind=SupervisionNotice.APPRAISAL_REVIEW_ANSWERED)
    assert list(told.values_list("recipient", flat=True)) == [w.cadre_a.pk]
    page = client_for(w.cadre_a).get(url)
    assert "予以更正" in page.content.decode() and not page.context["can_request_review"]


def test_review_request_outside_the_window_is_refused(published, scenario, client_for):  # noqa: F811
    w = scenario
    mine = result_of(published, w.cadre_a)
    cadre = client_for(w.cadre_a)
    with time_machine.travel(
        review_deadline(published) + datetime.timedelta(minutes=1), tick=False
    ):
        page = cadre.get(reverse("appraisal-result", args=[mine.pk]))
        assert not page.context["can_request_review"]
        assert "期限" in page.content.decode()
        refused = cadre.post(
            reverse("appraisal-review-request", args=[mine.pk]),
            {"reason": "迟到的申请"},
            follow=True,
        )
    assert "已过" in refused.content.decode()
    assert not ResultReviewRequest.objects.exists()


def test_answer_without_rerun_keeps_the_result(published, scenario, at, client_for):  # noqa: F811
    w = scenario
    from supervision.services import review_request_create

    mine = result_of(published, w.cadre_a)
    review = at(moment(5, 8), review_request_create, result=mine, by=w.cadre_a, reason="请核实")
    client_for(w.office).post(
        reverse("appraisal-review-answer", args=[review.pk]), {"answer": "经核实无误。"}
    )
    review.refresh_from_db()
    assert review.state == ReviewState.ANSWERED and review.new_run is None
    assert AppraisalRun.objects.filter(programme=w.programme).count() == 1


def test_cadre_home_shows_the_latest_published_result(scenario, at, client_for):  # noqa: F811
    w = scenario
    draft = run_as_of(at, w.programme, by=w.office)
    home = client_for(w.cadre_a).get(reverse("home"))
    assert (
        home.context["my_results"] == [] and 'data-testid="my-results"' not in home.content.decode()
    )
    at(moment(5, 7), appraisal_publish, run=draft, by=w.office)
    mine = result_of(draft, w.cadre_a)
    home = client_for(w.cadre_a).get(reverse("home"))
    assert [r.pk for r in home.context["my_results"]] == [mine.pk]
    assert reverse("appraisal-result", args=[mine.pk]) in home.content.decode()
