"""A4 print views of an appraisal run's cadre table and of one cadre's result (issue 11): their
content (version, as-of date, state, grades, the items counted), the 打印 links and the scoping
of their pages (a run or result the reader may not see is a 404). The PDF itself is checked in
tests/browser/test_appraisal_print.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.services import appraisal_publish, appraisal_run_create

from .test_appraisal import D, _programme_with, moment, run_as_of, scenario  # noqa: F401

DRAFT_MARK = "草稿（未发布，不作为考核结论）"


def result_of(run, user):
    return run.cadres.get(cadre=user.profile)


@pytest.fixture
def draft(scenario, at):  # noqa: F811
    return run_as_of(at, scenario.programme, by=scenario.office)


def test_run_print_is_the_ranked_table_marked_draft(draft, scenario, client_for):  # noqa: F811
    w = scenario
    page = client_for(w.office).get(reverse("appraisal-print", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "print-toolbar" in html and "<nav" not in html
    assert f"{w.programme.name}考核结果" in html
    assert "第1版" in html and "2026-04-20" in html
    assert DRAFT_MARK in html
    rows = list(page.context["results"])
    assert [(r.cadre.name, r.rank, r.total) for r in rows] == [
        ("张干部", 1, draft.cadres.get(cadre=w.cadre_a.profile).total),
        ("李干部", 2, draft.cadres.get(cadre=w.cadre_b.profile).total),
    ]
    assert html.count('data-testid="print-result-row"') == 2
    for text in ("80.71", "良好", "10.26", "不合格", "R 25、A 15、P 25、S 15、E 10、O 10"):
        assert text in html, text
    # The run page offers it.
    run_page = client_for(w.office).get(reverse("appraisal-detail", args=[draft.pk]))
    assert reverse("appraisal-print", args=[draft.pk]) in run_page.content.decode()


def test_run_print_is_scoped_like_the_run_page(draft, scenario, at, client_for):  # noqa: F811
    w = scenario
    url = reverse("appraisal-print", args=[draft.pk])
    assert client_for(w.leader).get(url).status_code == 200
    for user in (w.cadre_a, w.department, w.enterprise_a, w.outsider):
        assert client_for(user).get(url).status_code == 404, user.username
    at(moment(5, 7), appraisal_publish, run=draft, by=w.office)
    office = client_for(w.office).get(url).content.decode()
    assert "已发布" in office and DRAFT_MARK not in office
    # Published: a cadre prints the table with their own row only.
    page = client_for(w.cadre_a).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="print-result-row"') == 1
    assert "张干部" in html and "李干部" not in html
    for user in (w.enterprise_a, w.outsider):
        assert client_for(user).get(url).status_code == 404
    assert client_for(w.office).get(reverse("appraisal-print", args=[999999])).status_code == 404


def test_result_print_shows_the_breakdown_and_the_items(draft, scenario, at, client_for):  # noqa: F811
    w = scenario
    mine = result_of(draft, w.cadre_a)
    url = reverse("appraisal-result-print", args=[mine.pk])
    page = client_for(w.office).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "张干部的考核结果" in html and DRAFT_MARK in html
    for text in (
        "80.71",
        "良好",
        "2026-04-20",
        "应报 3 期：按时 2 期，逾期 1 期（按半期计），未报 0 期",
        "2026年3月下半月",
        "逾期",
        "技改项目",
        "用电增容",
        "道路维修",
        "截止日期时已超期未办结（红牌）",
        "甲公司财务",
    ):
        assert text in html, text
    assert html.count('data-testid="counted-entry"') == 3
    assert html.count('data-testid="counted-ticket"') == 3
    # Scoped as the result page: a draft is the office's and the leaders' only.
    for user in (w.cadre_a, w.cadre_b, w.department, w.enterprise_a, w.outsider):
        assert client_for(user).get(url).status_code == 404, user.username
    at(moment(5, 7), appraisal_publish, run=draft, by=w.office)
    own = client_for(w.cadre_a)
    page = own.get(url)
    assert page.status_code == 200 and "已发布" in page.content.decode()
    assert DRAFT_MARK not in page.content.decode()
    theirs = reverse("appraisal-result-print", args=[result_of(draft, w.cadre_b).pk])
    assert own.get(theirs).status_code == 404
    assert client_for(w.outsider).get(url).status_code == 404
    # The result page offers it (client_for signs the one test client in again).
    result_page = client_for(w.cadre_a).get(reverse("appraisal-result", args=[mine.pk]))
    assert url in result_page.content.decode()


def test_run_print_query_count_does_not_grow(world, client_for):
    counts = []
    for n in (5, 15):
        run = appraisal_run_create(programme=_programme_with(world, n), as_of=D, by=None)
        office = client_for(world.office)
        with CaptureQueriesContext(connection) as queries:
            page = office.get(reverse("appraisal-print", args=[run.pk]))
        assert page.status_code == 200
        assert page.content.decode().count('data-testid="print-result-row"') == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
