"""Who is told of each step of a ticket's loop, and who is not (supervision.notices).

Inbox rows always; e-mail per the user's settings is the engine's (tests/notifications); a unit
that is told also hears it on its chat robot. Nobody is told of their own action, and a second
occurrence of a step (a second 不满意, a second extension request) tells again.
"""

import pytest

from core.services import user_set_roles
from notifications.models import Notification, WebhookDelivery
from supervision.choices import SupervisionNotice as N
from supervision.services import (
    ticket_accept,
    ticket_accept_and_assign,
    ticket_answer,
    ticket_confirm_assignment,
    ticket_create,
    ticket_decide_extension,
    ticket_escalate,
    ticket_hand_over,
    ticket_object,
    ticket_progress,
    ticket_rate,
    ticket_reject,
    ticket_request_extension,
    ticket_urge,
    ticket_withdraw,
)
from tests.factories import make_person, make_ticket

EVERYONE = (
    "office",
    "leader",
    "cadre_a",
    "cadre_b",
    "department",
    "dev_handler",
    "enterprise_a",
    "outsider",
)


@pytest.fixture
def people(world):
    """The world, with a handler of the development bureau (a co-unit) and robots for both
    bureaus."""
    world.dev_handler = make_person(
        "dev_handler", ["department"], name="发改经办人", phone="13800000031", unit=world.dev_bureau
    )
    for unit in (world.finance_bureau, world.dev_bureau):
        unit.webhook_url = f"https://robot.example.com/{unit.pk}"
        unit.save(update_fields=["webhook_url"])
    return world


def forget():
    Notification.objects.all().delete()
    WebhookDelivery.objects.all().delete()


def told(kind=None) -> set[str]:
    rows = Notification.objects.all()
    if kind is not None:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient__username", flat=True))


def kinds() -> set[str]:
    return set(Notification.objects.values_list("kind", flat=True))


def robots() -> set[tuple[str, str]]:
    return set(WebhookDelivery.objects.values_list("kind", "unit__name"))


def assert_told(expected: set[str], kind: str, actor) -> None:
    assert kinds() <= {kind}, kinds()
    assert told() == expected
    assert actor.username not in told()
    assert set(EVERYONE) - expected >= set(EVERYONE) - told()


def raise_ticket(world, by):
    return ticket_create(
        by=by, enterprise=world.ent_a, category="utilities", title="用电增容", description="增容"
    )


# --- Raised, accepted, rejected -------------------------------------------------------------


def test_a_raised_ticket_tells_the_office_only(people):
    raise_ticket(people, people.cadre_a)
    assert_told({"office"}, N.TICKET_RAISED, people.cadre_a)
    assert robots() == set()


def test_accepting_tells_the_raiser_and_the_enterprise_contact(people):
    ticket = raise_ticket(people, people.cadre_a)
    forget()
    ticket_accept(ticket=ticket, by=people.office)
    assert_told({"cadre_a", "enterprise_a"}, N.TICKET_ACCEPTED, people.office)


def test_rejecting_tells_the_raiser_and_the_enterprise_contact_with_the_reason(people):
    ticket = raise_ticket(people, people.enterprise_a)
    forget()
    ticket_reject(ticket=ticket, by=people.office, reason="属企业自主经营事项")
    assert_told({"enterprise_a"}, N.TICKET_REJECTED, people.office)
    assert "属企业自主经营事项" in Notification.objects.get().body


# --- Assigned, objected, confirmed ----------------------------------------------------------


def test_assigning_tells_the_unit_the_co_units_and_the_leader_in_charge(people):
    ticket = raise_ticket(people, people.cadre_a)
    forget()
    ticket_accept_and_assign(
        ticket=ticket,
        by=people.office,
        level="system",
        responsible_unit=people.finance_bureau,
        co_units=[people.dev_bureau],
        leader=people.leader,
    )
    # 受理并交办: two events, two notices.
    assert told(N.TICKET_ACCEPTED) == {"cadre_a", "enterprise_a"}
    assert told(N.TICKET_ASSIGNED) == {"department", "dev_handler", "leader"}
    assert kinds() == {N.TICKET_ACCEPTED, N.TICKET_ASSIGNED}
    assert robots() == {
        (N.TICKET_ASSIGNED, people.finance_bureau.name),
        (N.TICKET_ASSIGNED, people.dev_bureau.name),
    }


def test_an_objection_tells_the_office_and_a_reassignment_the_new_unit(people):
    ticket = make_ticket(people, "assigned")
    forget()
    ticket = ticket_object(ticket=ticket, by=people.department, reason="不属本单位职责")
    assert_told({"office"}, N.TICKET_OBJECTED, people.department)
    forget()
    ticket_accept_and_assign(
        ticket=ticket, by=people.office, level="system", responsible_unit=people.dev_bureau
    )
    assert_told({"dev_handler"}, N.TICKET_ASSIGNED, people.office)
    assert robots() == {(N.TICKET_ASSIGNED, people.dev_bureau.name)}


def test_confirming_the_assignment_tells_nobody(people):
    ticket = make_ticket(people, "objected")
    forget()
    ticket_confirm_assignment(ticket=ticket, by=people.office)
    assert told() == set() and robots() == set()


# --- Handling -------------------------------------------------------------------------------


def test_handing_over_progress_escalating_and_withdrawing_tell_nobody(people):
    colleague = make_person(
        "finance_2",
        ["department"],
        name="财政经办人二",
        phone="13800000032",
        unit=people.finance_bureau,
    )
    ticket = make_ticket(people, "assigned")
    forget()
    ticket = ticket_progress(ticket=ticket, by=people.department, comment="已对接")
    ticket = ticket_hand_over(ticket=ticket, by=people.department, to=colleague)
    ticket = ticket_escalate(ticket=ticket, by=people.office)
    ticket_withdraw(ticket=ticket, by=people.cadre_a, reason="已自行解决")
    assert told() == set() and robots() == set()


def test_extension_requests_tell_the_office_and_decisions_the_department_each_time(people):
    ticket = make_ticket(people, "in_progress")
    forget()
    ticket = ticket_request_extension(ticket=ticket, by=people.department, days=3, reason="需审批")
    assert_told({"office"}, N.TICKET_EXTENSION_REQUESTED, people.department)
    ticket = ticket_decide_extension(ticket=ticket, by=people.office, approve=False, comment="不必")
    assert told(N.TICKET_EXTENSION_DECIDED) == {"department"}
    assert robots() == {(N.TICKET_EXTENSION_DECIDED, people.finance_bureau.name)}
    refused = Notification.objects.get(kind=N.TICKET_EXTENSION_DECIDED)
    assert "未同意" in refused.subject and "不必" in refused.body
    # A second request and decision are new events: told again.
    ticket = ticket_request_extension(ticket=ticket, by=people.department, days=2, reason="再申请")
    ticket_decide_extension(ticket=ticket, by=people.office, approve=True)
    requested = Notification.objects.filter(kind=N.TICKET_EXTENSION_REQUESTED)
    assert list(requested.values_list("recipient__username", flat=True)) == ["office", "office"]
    decided = Notification.objects.filter(kind=N.TICKET_EXTENSION_DECIDED).order_by("pk")
    assert list(decided.values_list("recipient__username", flat=True)) == [
        "department",
        "department",
    ]
    assert "已同意" in decided.last().subject
    assert WebhookDelivery.objects.filter(kind=N.TICKET_EXTENSION_DECIDED).count() == 2


def test_answering_tells_the_enterprise_contact_and_the_stationed_cadre(people):
    ticket = make_ticket(people, "in_progress", by=people.enterprise_a)
    forget()
    ticket_answer(ticket=ticket, by=people.department, answer="已完成增容")
    # cadre_a is stationed at ent_a (cadre_b is not), whoever raised it.
    assert_told({"enterprise_a", "cadre_a"}, N.TICKET_ANSWERED, people.department)


# --- Rating ---------------------------------------------------------------------------------


def test_unsatisfied_tells_the_department_and_office_and_the_second_time_the_leader(people):
    ticket = make_ticket(people, "answered", leader=people.leader)
    forget()
    ticket = ticket_rate(
        ticket=ticket, by=people.enterprise_a, satisfaction="unsatisfied", comment="未解决"
    )
    assert_told({"department", "office"}, N.TICKET_UNSATISFIED, people.enterprise_a)
    assert robots() == {(N.TICKET_UNSATISFIED, people.finance_bureau.name)}
    ticket = ticket_answer(ticket=ticket, by=people.department, answer="再次答复")
    forget()
    ticket_rate(ticket=ticket, by=people.enterprise_a, satisfaction="unsatisfied", comment="仍未")
    assert_told({"department", "office", "leader"}, N.TICKET_UNSATISFIED, people.enterprise_a)
    assert robots() == {(N.TICKET_UNSATISFIED, people.finance_bureau.name)}


def test_closing_tells_the_raiser_and_the_department(people):
    ticket = make_ticket(people, "answered")
    forget()
    ticket_rate(ticket=ticket, by=people.enterprise_a, satisfaction="satisfied")
    assert_told({"cadre_a", "department"}, N.TICKET_CLOSED, people.enterprise_a)
    assert robots() == {(N.TICKET_CLOSED, people.finance_bureau.name)}


def test_nobody_is_told_of_their_own_action(people):
    """The enterprise contact raises and rates its own ticket: told of neither step. The office
    hears of the raising; the raiser hears nothing of their own closing."""
    ticket = raise_ticket(people, people.enterprise_a)
    assert told() == {"office"}
    ticket = ticket_accept(ticket=ticket, by=people.office)
    assert "office" not in told(N.TICKET_ACCEPTED)
    ticket = ticket_accept_and_assign(
        ticket=ticket, by=people.office, level="system", responsible_unit=people.finance_bureau
    )
    ticket = ticket_answer(ticket=ticket, by=people.department, answer="已办")
    forget()
    ticket_rate(ticket=ticket, by=people.enterprise_a, satisfaction="basic")
    assert told() == {"department"}


def test_a_leader_who_assigns_a_ticket_to_themselves_is_not_told(people):
    """An officer who is also the leader in charge is not told of their own assignment."""
    user_set_roles(user=people.office, roles=["office", "leader"])
    ticket = make_ticket(people, "accepted")
    forget()
    ticket_accept_and_assign(
        ticket=ticket,
        by=people.office,
        level="system",
        responsible_unit=people.finance_bureau,
        leader=people.office,
    )
    assert told(N.TICKET_ASSIGNED) == {"department"}


def test_urging_tells_whoever_handles_it_and_the_units_robot(people):
    ticket = make_ticket(people, "assigned")
    forget()
    ticket = ticket_urge(ticket=ticket, by=people.office, comment="请本周内答复")
    assert_told({"department"}, N.TICKET_URGED, people.office)
    assert robots() == {(N.TICKET_URGED, people.finance_bureau.name)}
    assert ticket.events.filter(kind="urge", comment="请本周内答复").count() == 1
    # Once the ticket has an owner (首问负责), only the owner is pressed; and the leader in
    # charge may urge too.
    ticket = ticket_progress(ticket=ticket, by=people.department, comment="已对接")
    ticket.leader = people.leader
    ticket.save(update_fields=["leader"])
    forget()
    ticket_urge(ticket=ticket, by=people.leader, comment="再催")
    assert_told({"department"}, N.TICKET_URGED, people.leader)
