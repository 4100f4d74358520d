"""List pages: a count, sortable columns, paging and export links that keep the filters, query
counts that do not grow with the rows, the ticket filter's enterprise choice, and the review
queues' 审阅下一份."""

from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stationing.choices import PlanState, ReportRating, ReportState
from stationing.models import ProgressReport, WorkPlan
from supervision.choices import TicketState

from .conftest import results
from .factories import make_ticket
from .lists_helpers import add_stationings, submit_plans, submit_reports

pytestmark = pytest.mark.usefixtures("periods")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


# --- Count, sorting, paging ---------------------------------------------------------------------


def test_new_list_pages_show_a_count_and_export_link(client_for, world, periods):
    submit_reports([world.assignment_a], periods[1])
    submit_plans(world, [world.assignment_a])
    office = client_for(world.office)
    for name, total in [
        ("assignment-list", 2),
        ("plan-list", 1),
        ("report-list", 1),
        ("plan-queue", 1),
        ("report-queue", 1),
    ]:
        page = office.get(reverse(name))
        assert page.status_code == 200, name
        assert page.context["total"] == total, name
        html = page.content.decode()
        assert 'data-testid="result-count"' in html and f"共 {total} " in html, name
        assert 'data-testid="export-xlsx"' in html, name


def test_sortable_headers_toggle_and_mark_aria_sort(client_for, world):
    add_stationings(world, 3)
    office = client_for(world.office)
    url = reverse("assignment-list")
    ascending = office.get(url, {"ordering": "enterprise"})
    names = [a.enterprise.name for a in ascending.context["assignments"]]
    descending = office.get(url, {"ordering": "-enterprise"})
    assert [a.enterprise.name for a in descending.context["assignments"]] == names[::-1]
    html = ascending.content.decode()
    assert 'aria-sort="ascending" data-sort="enterprise"' in html
    column = ascending.context["sort"]["enterprise"]
    assert column["target"] == "-enterprise" and column["active"]
    assert 'aria-sort="descending" data-sort="enterprise"' in descending.content.decode()
    # An unknown column is ignored (the default order), not an error.
    assert office.get(url, {"ordering": "password"}).status_code == 200


def test_ticket_sort_bar_is_the_shared_one(client_for, world):
    make_ticket(world, TicketState.ASSIGNED)
    page = client_for(world.office).get(reverse("ticket-list"), {"ordering": "-deadline"})
    html = page.content.decode()
    assert 'data-testid="sort-bar"' in html
    # aria-sort belongs to column headers only (axe: aria-allowed-attr); a link says it in words.
    assert 'data-sort="deadline" aria-current="true">' in html
    assert "（降序）</span>" in html.split('data-sort="deadline"')[1].split("</a>")[0]
    assert [c["key"] for c in page.context["sort_columns"]] == [
        "urgency",
        "deadline",
        "created_at",
        "number",
    ]


def test_paging_sort_and_export_links_keep_the_filters(client_for, world, settings):
    settings.PAGE_SIZE = 2
    add_stationings(world, 4)
    office = client_for(world.office)
    params = {"programme": str(world.programme.pk), "unit": str(world.dev_bureau.pk)}
    page = office.get(reverse("assignment-list"), {**params, "ordering": "cadre"})
    assert page.context["total"] == 5
    html = page.content.decode()
    links = [
        part.split('"', 1)[0].replace("&amp;", "&")
        for part in html.split('href="')[1:]
        if "page=" in part.split('"', 1)[0] or "export=" in part.split('"', 1)[0]
    ]
    assert links
    for link in links:
        kept = query(link)
        assert kept["programme"] == params["programme"] and kept["unit"] == params["unit"]
        assert kept["ordering"] == "cadre"
    export = next(link for link in links if "export=xlsx" in link)
    assert "page" not in query(export)
    second = office.get(reverse("assignment-list"), {**params, "ordering": "cadre", "page": 2})
    first_names = [a.cadre.name for a in page.context["assignments"]]
    second_names = [a.cadre.name for a in second.context["assignments"]]
    assert not set(first_names) & set(second_names)
    # Sort links go back to the first page and keep the filters.
    sort_link = page.context["sort"]["enterprise"]
    assert sort_link["target"] == "enterprise"
    # The filter form keeps the chosen sort when the filters change.
    assert 'type="hidden" name="ordering" value="cadre"' in html


def test_filters_choose_from_what_the_user_may_see(client_for, world, periods):
    submit_reports([world.assignment_a, world.assignment_b], periods[1], late=True)
    office = client_for(world.office)
    page = office.get(reverse("report-queue"), {"unit": world.finance_bureau.pk, "is_late": "true"})
    assert [r.assignment.cadre.name for r in page.context["queue"]] == ["李干部"]
    form = page.context["filterset"].form
    # The queue offers programme, unit, period and lateness, not the state it already fixes.
    assert form.fields["state"].widget.is_hidden
    assert {"programme", "unit", "period", "is_late"} <= {
        name for name, field in form.fields.items() if not field.widget.is_hidden
    }
    # An id the user may not see matches nothing, on the page and in the API.
    empty = office.get(reverse("report-list"), {"programme": 999999})
    assert empty.status_code == 200 and empty.context["total"] == 0


# --- Query counts -------------------------------------------------------------------------------


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "name",
    ["assignment-list", "report-list", "report-queue", "plan-list", "plan-queue", "cadre-list"],
)
@pytest.mark.parametrize("export", [False, True])
def test_query_count_does_not_grow_with_rows(client_for, world, periods, name, export):
    office = client_for(world.office)
    params = {"export": "xlsx"} if export else {}
    url = reverse(name)

    def rows(assignments):
        submit_reports(assignments, periods[1])
        submit_plans(world, assignments)

    rows(add_stationings(world, 2, prefix="少"))
    office.get(url, params)  # warm caches (content types, sessions)
    few = count_queries(office, url, params)
    rows(add_stationings(world, 18, prefix="多"))
    many = count_queries(office, url, params)
    assert many == few, (name, few, many)


@pytest.mark.parametrize("name", ["ticket-list", "enterprise-list"])
@pytest.mark.parametrize("export", [False, True])
def test_ticket_and_enterprise_query_count(client_for, world, name, export):
    office = client_for(world.office)
    params = {"export": "xlsx"} if export else {}
    url = reverse(name)
    for _ in range(2):
        make_ticket(world, TicketState.ASSIGNED)
    office.get(url, params)
    few = count_queries(office, url, params)
    add_stationings(world, 18)
    for _ in range(18):
        make_ticket(world, TicketState.ASSIGNED, leader=world.leader)
    many = count_queries(office, url, params)
    assert many == few, (name, few, many)


# --- The ticket filter's enterprise -------------------------------------------------------------


def test_ticket_filter_offers_visible_enterprises_by_name(client_for, api, world):
    ticket_a = make_ticket(world, TicketState.ASSIGNED)
    page = client_for(world.cadre_a).get(reverse("ticket-list"))
    field = page.context["filterset"].form.fields["enterprise"]
    assert field.label == "企业"
    assert list(field.queryset) == [world.ent_a]
    html = page.content.decode()
    assert "企业编号" not in html and world.ent_a.name in html
    office = client_for(world.office)
    chosen = office.get(reverse("ticket-list"), {"enterprise": world.ent_a.pk})
    assert [t.pk for t in chosen.context["tickets"]] == [ticket_a.pk]
    # The API keeps enterprise=<id>; an enterprise out of scope gives nothing, not an error.
    assert [
        t["id"]
        for t in results(api(world.cadre_a).get("/api/v1/tickets/", {"enterprise": world.ent_a.pk}))
    ] == [ticket_a.pk]
    assert results(api(world.cadre_a).get("/api/v1/tickets/", {"enterprise": world.ent_b.pk})) == []


# --- Review queues: 审阅下一份 ------------------------------------------------------------------


def test_report_queue_review_lands_on_the_next_with_the_same_filters(client_for, world, periods):
    others = add_stationings(world, 2, unit=world.finance_bureau, prefix="财政")
    mine = submit_reports([world.assignment_b, *others], periods[1])
    outside = submit_reports([world.assignment_a], periods[1], start_minute=1)[0]
    office = client_for(world.office)
    filters = {"unit": str(world.finance_bureau.pk)}
    queue = office.get(reverse("report-queue"), filters)
    assert [r.pk for r in queue.context["queue"]] == [r.pk for r in mine]
    html = queue.content.decode()
    start = reverse("report-detail", args=[mine[0].pk]) + "?" + queue.context["queue_param"]
    assert start.replace("&", "&amp;") in html

    detail = office.get(start)
    nav = detail.context["queue"]
    assert query(nav["next_url"]) == {"queue": f"unit={world.finance_bureau.pk}"}
    assert nav["next_url"].startswith(reverse("report-detail", args=[mine[1].pk]))
    assert nav["count"] == 3
    body = detail.content.decode()
    assert "审阅下一份" in body and 'name="queue"' in body

    response = office.post(
        reverse("report-review", args=[mine[0].pk]),
        {"rating": ReportRating.GOOD, "comment": "好", "queue": nav["query"]},
    )
    assert response.status_code == 302
    assert response.url == nav["next_url"]
    assert ProgressReport.objects.get(pk=mine[0].pk).state == ReportState.REVIEWED
    # Returning the next one moves on again; the report of the other unit is never offered.
    response = office.post(
        reverse("report-return", args=[mine[1].pk]),
        {"reason": "请补充", "queue": nav["query"]},
    )
    assert response.url.startswith(reverse("report-detail", args=[mine[2].pk]))
    response = office.post(
        reverse("report-review", args=[mine[2].pk]),
        {"rating": ReportRating.FAIR, "queue": nav["query"]},
    )
    # Nothing else waits under these filters: back to the (filtered) queue.
    assert response.url == reverse("report-queue") + f"?unit={world.finance_bureau.pk}"
    assert ProgressReport.objects.get(pk=outside.pk).state == ReportState.SUBMITTED


def test_report_detail_outside_the_queue_has_no_queue_nav(client_for, world, periods):
    report = submit_reports([world.assignment_a], periods[1])[0]
    office = client_for(world.office)
    detail = office.get(reverse("report-detail", args=[report.pk]))
    assert detail.context["queue"] is None
    assert "审阅下一份" not in detail.content.decode()
    response = office.post(reverse("report-review", args=[report.pk]), {"rating": "good"})
    assert response.url == reverse("report-detail", args=[report.pk])


def test_skipping_moves_through_the_queue_and_wraps(client_for, world, periods):
    reports = submit_reports([world.assignment_a, world.assignment_b], periods[1])
    office = client_for(world.office)
    first = office.get(reverse("report-detail", args=[reports[0].pk]), {"queue": ""})
    assert first.context["queue"]["next_url"].startswith(
        reverse("report-detail", args=[reports[1].pk])
    )
    second = office.get(reverse("report-detail", args=[reports[1].pk]), {"queue": ""})
    assert second.context["queue"]["next_url"].startswith(
        reverse("report-detail", args=[reports[0].pk])
    )


def test_plan_queue_approve_lands_on_the_next(client_for, world):
    extra = add_stationings(world, 1, unit=world.finance_bureau, prefix="财政")
    plans = submit_plans(world, [world.assignment_a, world.assignment_b, *extra])
    office = client_for(world.office)
    filters = f"unit={world.finance_bureau.pk}"
    queue = office.get(reverse("plan-queue") + "?" + filters)
    assert [p.pk for p in queue.context["queue"]] == [plans[1].pk, plans[2].pk]
    detail = office.get(reverse("plan-detail", args=[plans[1].pk]), {"queue": filters})
    assert "审阅下一份" in detail.content.decode()
    response = office.post(
        reverse("plan-approve", args=[plans[1].pk]), {"comment": "", "queue": filters}
    )
    assert response.url.startswith(reverse("plan-detail", args=[plans[2].pk]))
    assert WorkPlan.objects.get(pk=plans[1].pk).state == PlanState.APPROVED
    response = office.post(
        reverse("plan-return", args=[plans[2].pk]), {"comment": "请细化", "queue": filters}
    )
    assert response.url == reverse("plan-queue") + "?" + filters
