"""The home page's to-do (issue 9): every count equals the rows of the list its link opens, for
the office, a department and a leader; the ticket lists put red, then yellow, then the nearest
deadline first, sort by column and filter pending extensions and objections, on the page and in
the API; query counts do not grow with rows."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import SHANGHAI
from core.paging import NarrowPaginator
from supervision.choices import CLOCK_STATES, TicketState
from supervision.selectors import by_urgency, ticket_list
from supervision.services import ticket_request_extension
from tests.conftest import results
from tests.factories import make_ticket

pytestmark = pytest.mark.usefixtures("media")

# Wednesday 18 November 2026, 14:00.
NOW = datetime.datetime(2026, 11, 18, 14, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tickets(world, frozen):
    """Two submitted, one objected, one with a pending extension, a red one, a yellow one and
    a green one (all assigned to the finance bureau, the leader in charge of two)."""
    made = {}
    frozen.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI))
    # Critical (2 working days) from 2 November: due 4 November, red now.
    made["red"] = make_ticket(
        world, TicketState.ASSIGNED, title="红牌件", category="land", urgency="critical"
    )
    frozen.move_to(datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI))
    # Critical from Monday: yellow from Wednesday noon (75% of two working days), due Wednesday.
    made["yellow"] = make_ticket(
        world,
        TicketState.ASSIGNED,
        title="黄牌件",
        category="labour",
        urgency="critical",
        leader=world.leader,
    )
    made["green"] = make_ticket(world, TicketState.IN_PROGRESS, title="正常件", leader=world.leader)
    made["extension"] = make_ticket(
        world, TicketState.IN_PROGRESS, title="延期件", category="policy"
    )
    ticket_request_extension(
        ticket=made["extension"], by=world.department, days=3, reason="等待审批"
    )
    made["objected"] = make_ticket(world, TicketState.OBJECTED, title="异议件", category="market")
    made["submitted"] = make_ticket(world, title="待受理件一", category="approvals")
    make_ticket(world, by=world.cadre_b, enterprise=world.ent_b, title="待受理件二")
    frozen.move_to(NOW)
    return made


def todo(client) -> dict[str, tuple[int, str]]:
    """The home page's to-do cards: key -> (count, link)."""
    html = client.get(reverse("home")).content.decode()
    cards = re.findall(
        r'href="([^"]+)" data-testid="todo-([a-z_]+)">.*?data-testid="todo-count">(\d+)<', html
    )
    return {key: (int(count), url.replace("&amp;", "&")) for url, key, count in cards}


def rows_at(client, url) -> int:
    """How many rows the list at `url` shows (all pages)."""
    response = client.get(url)
    assert response.status_code == 200
    if "queue" in response.context:
        return len(list(response.context["queue"]))
    return response.context["total"]


def test_office_todo_counts_equal_the_lists_they_open(client_for, world, tickets):
    client = client_for(world.office)
    items = todo(client)
    assert set(items) == {
        "submitted",
        "objection",
        "extension",
        "red",
        "yellow",
        "plans",
        "reports",
    }
    assert {key: count for key, (count, _url) in items.items()} == {
        "submitted": 2,
        "objection": 1,
        "extension": 1,
        "red": 1,
        "yellow": 1,
        "plans": 0,
        "reports": 0,
    }
    for key, (count, url) in items.items():
        assert rows_at(client, url) == count, key


def test_department_todo_counts_equal_the_inbox_lists(client_for, world, tickets):
    client = client_for(world.department)
    items = todo(client)
    assert {key: count for key, (count, _url) in items.items()} == {
        "inbox": 5,  # red, yellow, green, extension, objected: the clock runs on all five
        "assigned": 2,
        "red": 1,
        "yellow": 1,
        "extension": 1,
    }
    for key, (count, url) in items.items():
        assert url.startswith(reverse("ticket-inbox"))
        assert rows_at(client, url) == count, key


def test_leader_todo_and_the_leaders_list(client_for, world, tickets):
    client = client_for(world.leader)
    items = todo(client)
    assert items["led"][0] == 2 and items["led_yellow"][0] == 1 and items["led_red"][0] == 0
    for key, (count, url) in items.items():
        assert rows_at(client, url) == count, key
    html = client.get(reverse("ticket-list"), {"led_by_me": "true"}).content.decode()
    assert "黄牌件" in html and "正常件" in html and "红牌件" not in html
    assert 'data-testid="nav-led"' in html and 'data-testid="led-preset"' in html


def titles_in_order(html: str, titles) -> list[str]:
    return sorted((t for t in titles if t in html), key=html.index)


def test_default_order_is_red_then_yellow_then_deadline(client_for, world, tickets):
    names = ["红牌件", "黄牌件", "正常件", "延期件", "异议件", "待受理件一"]
    for user, url in ((world.office, "ticket-list"), (world.department, "ticket-inbox")):
        html = client_for(user).get(reverse(url)).content.decode()
        order = titles_in_order(html, names)
        assert order[:2] == ["红牌件", "黄牌件"], (user, order)
        # Then by deadline: the 10-working-day tickets of Monday, none before a ticket with none.
        if "待受理件一" in order:
            assert order[-1] == "待受理件一"


def test_the_api_sorts_by_urgency_as_the_page_does(api, world, tickets):
    rows = results(api(world.office).get("/api/v1/tickets/", {"ordering": "urgency"}))
    assert [row["title"] for row in rows][:2] == ["红牌件", "黄牌件"]
    unordered = results(api(world.office).get("/api/v1/tickets/"))
    assert [row["title"] for row in unordered][:2] != ["红牌件", "黄牌件"]


def test_sorting_by_column_on_the_page_and_the_api(client_for, api, world, tickets):
    client = client_for(world.office)
    html = client.get(reverse("ticket-list"), {"ordering": "-created_at"}).content.decode()
    order = titles_in_order(html, ["红牌件", "待受理件一"])
    assert order == ["待受理件一", "红牌件"]
    assert 'data-sort="created_at"' in html
    rows = results(api(world.office).get("/api/v1/tickets/", {"ordering": "number"}))
    numbers = [row["number"] for row in rows]
    assert numbers == sorted(numbers)
    rows = results(api(world.office).get("/api/v1/tickets/", {"ordering": "-number"}))
    assert [row["number"] for row in rows] == sorted(numbers, reverse=True)


def test_pending_extension_and_objection_filters_on_page_and_api(client_for, api, world, tickets):
    client = client_for(world.office)
    for value, expected in (("extension", "延期件"), ("objection", "异议件")):
        response = client.get(reverse("ticket-list"), {"awaiting": value})
        assert response.context["total"] == 1
        assert expected in response.content.decode()
        rows = results(api(world.office).get("/api/v1/tickets/", {"awaiting": value}))
        assert [row["title"] for row in rows] == [expected]


@pytest.mark.parametrize(
    ("username", "url_name"),
    [
        ("office", "home"),
        ("office", "ticket-list"),
        ("department", "home"),
        ("department", "ticket-inbox"),
    ],
)
def test_query_counts_do_not_grow_with_rows(client_for, world, frozen, username, url_name):
    client = client_for(getattr(world, username))

    def make(n):
        for i in range(n):
            make_ticket(
                world, TicketState.ASSIGNED if i % 2 else TicketState.IN_PROGRESS, title=f"批量{i}"
            )

    def count():
        client.get(reverse(url_name))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    make(2)
    few = count()
    make(6)
    assert count() == few


def test_urgency_pages_read_in_parts_equal_the_whole_order(world, tickets, frozen):
    """The list pages read the running tickets first, then the rest along an index
    (core.paging): page by page, the same tickets in the same order as the whole list sorted
    at once. A ticket closed long ago comes after the running ones, whatever its deadline."""
    frozen.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI))
    make_ticket(world, TicketState.CLOSED, title="早已办结件")
    frozen.move_to(NOW)
    whole = list(by_urgency(ticket_list(user=world.office)).values_list("pk", flat=True))
    assert len(whole) >= 7
    # The running tickets first (red, yellow, then by deadline), then those waiting or done.
    running = [
        state in CLOCK_STATES
        for state in by_urgency(ticket_list(user=world.office)).values_list("state", flat=True)
    ]
    assert running == sorted(running, reverse=True) and running[0] and not running[-1]
    for per_page in (1, 2, 3, 5):
        paginator = NarrowPaginator(
            by_urgency(ticket_list(user=world.office)), per_page, count=len(whole)
        )
        paged = [
            ticket.pk
            for number in paginator.page_range
            for ticket in paginator.page(number).object_list
        ]
        assert paged == whole, per_page
