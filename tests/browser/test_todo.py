"""The office's and the department's to-do on the home page (issue 9): a card opens the list
that shows exactly its count, most urgent first."""

import datetime

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from supervision.choices import TicketState
from supervision.services import ticket_request_extension

from ..factories import make_ticket
from .conftest import DESKTOP, PHONE


def some_tickets(world):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30), tick=False):
        make_ticket(world, TicketState.ASSIGNED, title="超期的用地诉求", urgency="critical")
    waiting = make_ticket(world, TicketState.IN_PROGRESS, title="等待审批的延期", category="land")
    ticket_request_extension(ticket=waiting, by=world.department, days=3, reason="需上级审批")
    make_ticket(world, TicketState.OBJECTED, title="有异议的交办", category="labour")
    make_ticket(world, title="新提出的诉求", category="market")


def test_office_todo_opens_its_lists(transactional_db, world, new_page, sign_in, artifacts):
    some_tickets(world)
    page = sign_in(new_page(viewport=DESKTOP), "office")
    todo = page.get_by_test_id("home-todo")
    expect(todo).to_be_visible()
    page.screenshot(path=str(artifacts / "todo-office-home.png"), full_page=True)
    for key, count in (("submitted", 1), ("objection", 1), ("extension", 1), ("red", 1)):
        card = page.get_by_test_id(f"todo-{key}")
        assert card.get_by_test_id("todo-count").inner_text() == str(count)
    page.get_by_test_id("todo-red").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 件诉求")
    page.goto(page.url.split("?")[0])
    rows = page.get_by_test_id("ticket-row")
    expect(rows.first).to_contain_text("超期的用地诉求")  # red first
    expect(page.get_by_test_id("sort-bar")).to_be_visible()
    page.screenshot(path=str(artifacts / "todo-office-ticket-list.png"), full_page=True)
    assert not page.problems, page.problems


def test_department_todo_on_a_phone(transactional_db, world, new_page, sign_in, artifacts):
    some_tickets(world)
    page = sign_in(new_page(viewport=PHONE), "department")
    card = page.get_by_test_id("todo-extension")
    expect(card.get_by_test_id("todo-count")).to_have_text("1")
    page.screenshot(path=str(artifacts / "todo-department-home.png"), full_page=True)
    card.click()
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 件诉求")
    expect(page.get_by_test_id("inbox-list")).to_contain_text("等待审批的延期")
    page.screenshot(path=str(artifacts / "todo-department-inbox.png"), full_page=True)
    assert not page.problems, page.problems
