import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from core.choices import Role
from core.dates import SHANGHAI
from supervision.choices import EventKind, TicketState
from supervision.models import Ticket, TicketEvent
from supervision.services import (
    TransitionError,
    ticket_accept,
    ticket_answer,
    ticket_assign,
    ticket_confirm_assignment,
    ticket_create,
    ticket_decide_extension,
    ticket_escalate,
    ticket_escalate_overdue,
    ticket_hand_over,
    ticket_object,
    ticket_progress,
    ticket_rate,
    ticket_reject,
    ticket_request_extension,
    ticket_withdraw,
)
from tests.factories import TICKET_PATHS, make_handler, make_person, make_ticket

MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def raise_ticket(world, **kw):
    return make_ticket(world, TicketState.SUBMITTED, **kw)


def assigned(world):
    return make_ticket(world, TicketState.ASSIGNED, leader=world.leader)


def answered(world):
    return make_ticket(world, TicketState.ANSWERED, leader=world.leader)


def kinds(ticket):
    return list(ticket.events.values_list("kind", flat=True))


def test_the_whole_loop_records_every_step(world):
    ticket = raise_ticket(world)
    assert ticket.number.startswith("2026-") and ticket.state == TicketState.SUBMITTED
    ticket = ticket_accept(ticket=ticket, by=world.office)
    assert ticket.owner == world.office  # first receiver owns it
    ticket = ticket_assign(
        ticket=ticket,
        by=world.office,
        level="system",
        responsible_unit=world.finance_bureau,
        co_units=[world.dev_bureau],
    )
    assert ticket.state == TicketState.ASSIGNED and ticket.owner is None
    assert ticket.time_limit_days == 10
    assert ticket.deadline == datetime.datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI)
    ticket = ticket_progress(ticket=ticket, by=world.department, comment="已约谈供电公司")
    assert ticket.owner == world.department and ticket.state == TicketState.IN_PROGRESS
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="增容已完成")
    ticket = ticket_rate(ticket=ticket, by=world.enterprise_a, satisfaction="satisfied")
    assert ticket.state == TicketState.CLOSED
    assert kinds(ticket) == ["submit", "accept", "assign", "progress", "answer", "rate"]
    events = list(ticket.events.order_by("id"))
    assert [(e.from_state, e.to_state) for e in events][1:3] == [
        ("submitted", "accepted"),
        ("accepted", "assigned"),
    ]


def test_reject_needs_a_reason(world):
    ticket = raise_ticket(world)
    with pytest.raises(ValidationError):
        ticket_reject(ticket=ticket, by=world.office, reason=" ")
    ticket = ticket_reject(ticket=ticket, by=world.office, reason="属企业自主经营事项")
    assert ticket.state == TicketState.REJECTED


@pytest.mark.parametrize(
    ("step", "call"),
    [
        (
            "assign before accept",
            lambda w, t: ticket_assign(
                ticket=t, by=w.office, level="system", responsible_unit=w.finance_bureau
            ),
        ),
        ("answer before assign", lambda w, t: ticket_answer(ticket=t, by=w.department, answer="x")),
        (
            "rate before answer",
            lambda w, t: ticket_rate(ticket=t, by=w.enterprise_a, satisfaction="satisfied"),
        ),
        (
            "confirm without objection",
            lambda w, t: ticket_confirm_assignment(ticket=t, by=w.office),
        ),
        (
            "progress before assign",
            lambda w, t: ticket_progress(ticket=t, by=w.department, comment="x"),
        ),
        ("object before assign", lambda w, t: ticket_object(ticket=t, by=w.department, reason="x")),
        (
            "extension before assign",
            lambda w, t: ticket_request_extension(ticket=t, by=w.department, days=3, reason="x"),
        ),
    ],
)
def test_forbidden_steps_from_submitted_are_refused(world, step, call):
    ticket = raise_ticket(world)
    with pytest.raises(TransitionError) as caught:
        call(world, ticket)
    assert "待受理" in caught.value.messages[0]
    assert kinds(Ticket.objects.get(pk=ticket.pk)) == ["submit"]


def test_closed_and_withdrawn_tickets_refuse_everything(world):
    ticket = make_ticket(world, TicketState.CLOSED)
    for call in (
        lambda: ticket_accept(ticket=ticket, by=world.office),
        lambda: ticket_withdraw(ticket=ticket, by=world.enterprise_a, reason="x"),
        lambda: ticket_answer(ticket=ticket, by=world.department, answer="x"),
        lambda: ticket_escalate(ticket=ticket, by=world.office),
    ):
        with pytest.raises(TransitionError):
            call()
    other = raise_ticket(world, category="labour")
    other = ticket_withdraw(ticket=other, by=world.enterprise_a, reason="已自行解决")
    assert other.state == TicketState.WITHDRAWN
    with pytest.raises(TransitionError):
        ticket_accept(ticket=other, by=world.office)


def test_unsatisfied_reopens_then_second_unsatisfied_escalates(world):
    ticket = answered(world)
    with pytest.raises(ValidationError):
        ticket_rate(ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied")
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="只答复未解决"
    )
    assert ticket.state == TicketState.IN_PROGRESS and ticket.level == "system"
    assert ticket.responsible_unit == world.finance_bureau
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="再次处理")
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="仍未解决"
    )
    assert ticket.state == TicketState.IN_PROGRESS
    assert ticket.level == "city" and ticket.is_urged and ticket.escalation_count == 1
    assert kinds(ticket)[-2:] == ["rate", "escalate"]


def test_cadre_rates_only_when_the_enterprise_has_no_login(world):
    ticket = answered(world)
    with pytest.raises(PermissionDenied):
        ticket_rate(ticket=ticket, by=world.cadre_a, satisfaction="satisfied")
    world.enterprise_a.is_active = False
    world.enterprise_a.save()
    ticket = ticket_rate(ticket=ticket, by=world.cadre_a, satisfaction="satisfied")
    assert ticket.state == TicketState.CLOSED


def test_objection_window_is_one_working_day(world, frozen):
    friday = datetime.datetime(2026, 11, 20, 15, tzinfo=SHANGHAI)
    frozen.move_to(friday)
    ticket = assigned(world)
    assert ticket.objection_until == datetime.datetime(2026, 11, 23, 23, 59, 59, tzinfo=SHANGHAI)
    frozen.move_to(datetime.datetime(2026, 11, 24, 0, 0, 1, tzinfo=SHANGHAI))
    with pytest.raises(TransitionError) as caught:
        ticket_object(ticket=ticket, by=world.department, reason="不属本单位职责")
    assert "异议期限" in caught.value.messages[0]


def test_objection_then_confirm_fixes_the_owner_unit(world):
    ticket = assigned(world)
    ticket = ticket_object(ticket=ticket, by=world.department, reason="应由供电公司办理")
    assert ticket.state == TicketState.OBJECTED
    ticket = ticket_confirm_assignment(ticket=ticket, by=world.office, comment="属你局职责")
    assert ticket.state == TicketState.ASSIGNED and ticket.assignment_fixed
    with pytest.raises(TransitionError):
        ticket_object(ticket=ticket, by=world.department, reason="再议")


def test_objection_then_reassign_restarts_the_clock(world, frozen):
    ticket = assigned(world)
    ticket = ticket_object(ticket=ticket, by=world.department, reason="非本局职责")
    frozen.shift(datetime.timedelta(hours=5))
    ticket = ticket_assign(
        ticket=ticket, by=world.office, level="system", responsible_unit=world.dev_bureau
    )
    assert ticket.responsible_unit == world.dev_bureau and ticket.assignment_fixed
    assert kinds(ticket)[-1] == EventKind.REASSIGN


def test_only_the_responsible_unit_and_its_owner_act(world):
    ticket = assigned(world)
    with pytest.raises(PermissionDenied):
        ticket_progress(ticket=ticket, by=world.cadre_a, comment="x")
    ticket = ticket_progress(ticket=ticket, by=world.department, comment="接手")
    colleague = make_handler(world.finance_bureau, "finance_2")
    with pytest.raises(TransitionError) as caught:
        ticket_answer(ticket=ticket, by=colleague, answer="x")
    assert "部门经办人" in caught.value.messages[0]
    ticket = ticket_hand_over(ticket=ticket, by=world.department, to=colleague)
    ticket = ticket_answer(ticket=ticket, by=colleague, answer="已办")
    assert ticket.owner == colleague and ticket.state == TicketState.ANSWERED


def test_extension_request_and_decision(world):
    ticket = assigned(world)
    old_deadline = ticket.deadline
    ticket = ticket_request_extension(
        ticket=ticket, by=world.department, days=5, reason="需上级电网审批"
    )
    with pytest.raises(TransitionError):
        ticket_request_extension(ticket=ticket, by=world.department, days=2, reason="再延")
    with pytest.raises(ValidationError):
        ticket_decide_extension(ticket=ticket, by=world.office, approve=False, comment="")
    ticket = ticket_decide_extension(ticket=ticket, by=world.office, approve=True)
    assert ticket.time_limit_days == 15 and ticket.deadline > old_deadline
    assert ticket.deadline == datetime.datetime(2026, 12, 7, 23, 59, 59, tzinfo=SHANGHAI)


def test_red_card_escalates_once_per_deadline(world, frozen):
    ticket = assigned(world)
    frozen.move_to(ticket.deadline + datetime.timedelta(seconds=1))
    assert ticket_escalate_overdue(ticket=ticket) is True
    assert ticket_escalate_overdue(ticket=ticket) is False
    ticket.refresh_from_db()
    assert ticket.level == "city" and ticket.is_urged and ticket.escalation_count == 1
    assert kinds(ticket).count("escalate") == 1


def test_an_enterprise_cannot_raise_for_another(world):
    with pytest.raises(ValidationError):
        ticket_create(
            by=world.enterprise_a,
            enterprise=world.ent_b,
            category="land",
            title="x",
            description="y",
        )
    with pytest.raises(ValidationError):
        ticket_create(
            by=world.cadre_a, enterprise=world.ent_b, category="land", title="x", description="y"
        )


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_one_wins_no_duplicate_event(world, frozen):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    ticket = raise_ticket(world)
    second_officer = make_person("office_2", [Role.OFFICE], unit=world.county)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user):
        from django.db import connections

        try:
            barrier.wait()
            ticket_accept(ticket=Ticket.objects.get(pk=ticket.pk), by=user)
            outcomes.append("ok")
        except TransitionError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(u,)) for u in (world.office, second_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert TicketEvent.objects.filter(ticket=ticket, kind="accept").count() == 1


@pytest.mark.parametrize("state", list(TICKET_PATHS))
def test_the_ticket_factory_takes_each_state_through_the_services(world, state):
    ticket = Ticket.objects.get(pk=make_ticket(world, state).pk)
    assert ticket.state == state
    # One event per step, the last one ending in the state asked for.
    assert kinds(ticket) == [EventKind.SUBMIT, *TICKET_PATHS[state]]
    assert ticket.events.order_by("id").last().to_state == state
