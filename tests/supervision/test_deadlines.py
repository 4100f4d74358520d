"""Deadlines never slip silently (issue 9): an approved extension survives a reopening after
不满意, 交办时间 stays the assignment's, and every change of deadline or time limit is a timeline
event with the old and new values and the reason; the detail page shows what is stored."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.dates import SHANGHAI
from supervision.choices import EventKind, TicketState
from supervision.models import CategorySetting, Ticket
from supervision.services import (
    ticket_accept_and_assign,
    ticket_answer,
    ticket_decide_extension,
    ticket_escalate,
    ticket_escalate_overdue,
    ticket_object,
    ticket_progress,
    ticket_rate,
    ticket_request_extension,
)
from supervision.services.tickets import _reopen_clock
from tests.factories import make_ticket

pytestmark = pytest.mark.usefixtures("media")

MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def extended(world):
    """Assigned on Monday 16 November (10 working days: 30 November), extended by 3 working
    days (3 December), then answered on Wednesday 18 November."""
    ticket = make_ticket(world, TicketState.IN_PROGRESS)
    ticket = ticket_request_extension(
        ticket=ticket, by=world.department, days=3, reason="需上级审批"
    )
    ticket = ticket_decide_extension(ticket=ticket, by=world.office, approve=True)
    assert ticket.deadline == end_of(datetime.date(2026, 12, 3))
    return ticket


def clocks(ticket):
    """The data["clock"] of the ticket's events that changed its clock, in order."""
    return [
        (event.kind, event.data["clock"])
        for event in ticket.events.order_by("at", "pk")
        if "clock" in (event.data or {})
    ]


def test_extension_then_unsatisfied_keeps_the_later_deadline_and_records_it(world, frozen):
    ticket = extended(world)
    assigned_at = ticket.assigned_at
    frozen.move_to(datetime.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI))
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="已协调")
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="未解决"
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    # 13 working days (10 + the approved 3) from Wednesday 18 November: 7 December. Without the
    # extension it would be 2 December, earlier than the 3 December the ticket had.
    assert ticket.time_limit_days == 13
    assert ticket.deadline == end_of(datetime.date(2026, 12, 7))
    assert ticket.assigned_at == assigned_at  # 交办时间 is not rewritten
    assert ticket.clock_started_at == timezone.now()
    kind, clock = clocks(ticket)[-1]
    assert kind == EventKind.RATE
    assert clock["reason"] == "reopen"
    assert clock["old_deadline"] == end_of(datetime.date(2026, 12, 3)).isoformat()
    assert clock["new_deadline"] == timezone.localtime(ticket.deadline).isoformat()
    assert (clock["old_days"], clock["new_days"]) == (13, 13)


def test_reopening_never_moves_the_deadline_earlier(world, frozen):
    ticket = extended(world)
    before = (ticket.deadline, ticket.yellow_at, ticket.time_limit_days, ticket.clock_started_at)
    # A reopening counted from a moment before the clock started would end earlier: kept.
    clock = _reopen_clock(ticket, MONDAY - datetime.timedelta(days=7))
    assert (
        ticket.deadline,
        ticket.yellow_at,
        ticket.time_limit_days,
        ticket.clock_started_at,
    ) == before
    assert (
        clock["kept"] is True and clock["new_deadline"] == timezone.localtime(before[0]).isoformat()
    )


def test_every_deadline_change_writes_an_event_with_old_new_and_reason(world, frozen):
    ticket = make_ticket(world, TicketState.OBJECTED)
    first = ticket.deadline
    frozen.move_to(datetime.datetime(2026, 11, 17, 9, tzinfo=SHANGHAI))
    ticket = ticket_accept_and_assign(
        ticket=ticket, by=world.office, level="system", responsible_unit=world.finance_bureau
    )
    ticket = ticket_progress(ticket=ticket, by=world.department, comment="已对接")
    ticket = ticket_request_extension(ticket=ticket, by=world.department, days=2, reason="等待")
    ticket = ticket_decide_extension(ticket=ticket, by=world.office, approve=True)
    ticket = ticket_escalate(ticket=ticket, by=world.office, reason="催办")
    frozen.move_to(datetime.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI))
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="已办")
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="不行"
    )
    history = clocks(ticket)
    assert [(kind, clock["reason"]) for kind, clock in history] == [
        (EventKind.ASSIGN, "assign"),
        (EventKind.REASSIGN, "reassign"),
        (EventKind.APPROVE_EXTENSION, "extension"),
        (EventKind.RATE, "reopen"),
    ]
    assert history[0][1]["old_deadline"] is None
    assert history[1][1]["old_deadline"] == timezone.localtime(first).isoformat()
    # Each change starts from where the previous one ended: no change goes unrecorded.
    for (_k, before), (_k2, after) in zip(history, history[1:], strict=False):
        assert after["old_deadline"] == before["new_deadline"]
        assert after["old_days"] == before["new_days"]
    assert history[-1][1]["new_deadline"] == timezone.localtime(ticket.deadline).isoformat()
    assert history[-1][1]["new_days"] == ticket.time_limit_days == 12
    assert history[2][1]["extension_days"] == 2


def test_escalation_does_not_change_the_deadline(world, frozen):
    ticket = make_ticket(world, TicketState.ASSIGNED)
    deadline = ticket.deadline
    frozen.move_to(deadline + datetime.timedelta(seconds=1))
    assert ticket_escalate_overdue(ticket=ticket) is True
    ticket.refresh_from_db()
    assert ticket.deadline == deadline
    assert [kind for kind, _clock in clocks(ticket)] == [EventKind.ASSIGN]


def test_a_refused_extension_changes_nothing(world):
    ticket = make_ticket(world, TicketState.IN_PROGRESS)
    deadline = ticket.deadline
    ticket = ticket_request_extension(ticket=ticket, by=world.department, days=3, reason="等")
    ticket = ticket_decide_extension(
        ticket=ticket, by=world.office, approve=False, comment="理由不足"
    )
    assert ticket.deadline == deadline and ticket.time_limit_days == 10
    assert [kind for kind, _clock in clocks(ticket)] == [EventKind.ASSIGN]


def test_the_panel_shows_the_stored_deadline_and_the_change(client_for, world, frozen):
    ticket = extended(world)
    frozen.move_to(datetime.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI))
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="已协调")
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="未解决"
    )
    stored = Ticket.objects.get(pk=ticket.pk)
    page = client_for(world.office).get(reverse("ticket-detail", args=[ticket.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        f'data-testid="ticket-deadline">{stored.deadline.astimezone(SHANGHAI):%Y-%m-%d %H:%M}'
        in html
    )
    assert 'data-testid="ticket-assigned-at">2026-11-16 09:00' in html
    assert 'data-testid="ticket-clock-start">2026-11-18 10:00' in html
    assert "含已同意延期 3 个工作日" in html
    assert "13 个工作日" in html
    # The timeline says what changed and why.
    assert "2026-11-30 → 2026-12-03（同意延期）" in html
    assert "2026-12-03 → 2026-12-07（不满意后重新办理，保留已同意的延期）" in html


def test_a_shorter_category_limit_later_does_not_shorten_a_reopened_ticket(world, frozen):
    ticket = extended(world)
    CategorySetting.objects.filter(category="utilities").update(normal_days=2)
    frozen.move_to(datetime.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI))
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="已协调")
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="未解决"
    )
    assert ticket.deadline >= end_of(datetime.date(2026, 12, 3))


def test_objecting_does_not_change_the_deadline(world):
    ticket = make_ticket(world, TicketState.ASSIGNED)
    deadline = ticket.deadline
    ticket = ticket_object(ticket=ticket, by=world.department, reason="不属本单位")
    assert ticket.deadline == deadline
