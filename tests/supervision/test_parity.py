"""The ticket pages and the API accept the same values: the same data posted to both has the
same outcome, because both take their choices from the same scoped selectors."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from core.dates import SHANGHAI
from supervision.choices import TicketState
from supervision.models import Ticket
from supervision.services import (
    ticket_accept,
    ticket_assign,
    ticket_create,
    ticket_object,
    ticket_progress,
)
from tests.factories import ProfileFactory, UnitFactory, UserFactory

MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def attachment_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


def raise_ticket(world, title="用电增容"):
    return ticket_create(
        by=world.cadre_a,
        enterprise=world.ent_a,
        category="utilities",
        title=title,
        description="新生产线需增容",
    )


def far_leader(world):
    """A leader of the neighbouring county: outside the office's territory."""
    user = UserFactory(username="far_leader", roles=["leader"])
    ProfileFactory(user=user, name="邻县领导", unit=world.other_county, phone="13800000021")
    return user


def page_form_errors(response, action) -> set[str]:
    """Field names with errors on the page's form (the create form, or one action's form)."""
    assert response.status_code == 200, response.status_code
    if action is None:
        return set(response.context["form"].errors)
    [form] = [a["form"] for a in response.context["actions"] if a["name"] == action]
    return set(form.errors)


def post_to_page(client, ticket, action, data):
    prefix = action.replace("_", "-")
    return client.post(
        reverse("ticket-action", args=[ticket.pk, prefix]),
        {f"{prefix}-{key}": value for key, value in data.items()},
    )


def post_to_api(client, ticket, action, data):
    return client.post(f"/api/v1/tickets/{ticket.pk}/{action.replace('_', '-')}/", data)


def snapshot(ticket) -> dict:
    ticket = Ticket.objects.get(pk=ticket.pk)
    return {
        "state": ticket.state,
        "responsible_unit": ticket.responsible_unit_id,
        "co_units": sorted(ticket.co_units.values_list("pk", flat=True)),
        "leader": ticket.leader_id,
        "owner": ticket.owner_id,
        "events": list(ticket.events.values_list("kind", flat=True)),
    }


# --- Raising ----------------------------------------------------------------------------------


def create_data(world, **kw):
    data = {
        "enterprise": world.ent_a.pk,
        "category": "utilities",
        "urgency": "urgent",
        "title": "天然气管道接入",
        "description": "新厂区需接入天然气管道",
    }
    data.update(kw)
    return data


def test_raising_a_ticket_has_the_same_outcome_on_page_and_api(world, client_for):
    page = client_for(world.cadre_a).post(reverse("ticket-create"), create_data(world))
    assert page.status_code == 302
    # Another category, so the page's duplicate question does not come into it.
    api = api_client_for(world.cadre_a).post(
        "/api/v1/tickets/", create_data(world, category="land")
    )
    assert api.status_code == 201, api.content.decode()
    by_page, by_api = Ticket.objects.order_by("pk")
    for field in ("enterprise_id", "urgency", "title", "description", "state", "raised_by_id"):
        assert getattr(by_page, field) == getattr(by_api, field), field
    assert list(by_page.events.values_list("kind", flat=True)) == ["submit"]
    assert list(by_api.events.values_list("kind", flat=True)) == ["submit"]


@pytest.mark.parametrize(
    ("who", "enterprise"),
    [("cadre_a", "ent_b"), ("enterprise_a", "ent_b"), ("cadre_a", "ent_c")],
)
def test_an_enterprise_out_of_reach_is_refused_on_page_and_api(world, client_for, who, enterprise):
    user, data = getattr(world, who), create_data(world, enterprise=getattr(world, enterprise).pk)
    page = client_for(user).post(reverse("ticket-create"), data)
    assert page_form_errors(page, None) == {"enterprise"}
    api = api_client_for(user).post("/api/v1/tickets/", data)
    assert api.status_code == 400 and set(api.json()) == {"enterprise"}
    assert not Ticket.objects.exists()


# --- Assigning --------------------------------------------------------------------------------


ASSIGN_CASES = {
    "in scope": ({}, set()),
    "responsible unit not a handling unit": ({"responsible_unit": "county"}, {"responsible_unit"}),
    "co-unit not a handling unit": ({"co_units": ["town_a"]}, {"co_units"}),
    "leader of another county": ({"leader": "far_leader"}, {"leader"}),
    "a cadre as leader": ({"leader": "cadre_a"}, {"leader"}),
}


def assign_data(world, overrides):
    values = {
        "level": "system",
        "responsible_unit": world.finance_bureau.pk,
        "co_units": [world.dev_bureau.pk],
        "leader": world.leader.pk,
        "comment": "请尽快办理",
    }
    for key, name in overrides.items():
        if isinstance(name, list):
            values[key] = [getattr(world, n).pk for n in name]
        else:
            values[key] = getattr(world, name).pk
    return values


@pytest.mark.parametrize("case", list(ASSIGN_CASES))
def test_assigning_has_the_same_outcome_on_page_and_api(world, client_for, case):
    overrides, refused = ASSIGN_CASES[case]
    world.far_leader = far_leader(world)
    data = assign_data(world, overrides)
    by_page, by_api = raise_ticket(world, "甲"), raise_ticket(world, "乙")

    page = post_to_page(client_for(world.office), by_page, "assign", data)
    api = api_client_for(world.office).post(f"/api/v1/tickets/{by_api.pk}/assign/", data)

    if refused:
        assert page_form_errors(page, "assign") == refused
        assert api.status_code == 400 and set(api.json()) == refused, api.content.decode()
    else:
        assert page.status_code == 302
        assert api.status_code == 200, api.content.decode()
    assert snapshot(by_page) == snapshot(by_api)


def test_the_leader_already_in_charge_stays_choosable_when_reassigning(world, client_for):
    """The office reassigns after an objection and keeps the leader chosen earlier, though
    outside its own territory (chosen by an office above): the page always allowed it; the
    API used to refuse it."""
    leader = far_leader(world)
    tickets = []
    for title in ("甲", "乙"):
        ticket = ticket_accept(ticket=raise_ticket(world, title), by=world.office)
        ticket = ticket_assign(
            ticket=ticket,
            by=world.office,
            level="system",
            responsible_unit=world.finance_bureau,
            leader=leader,
        )
        tickets.append(ticket_object(ticket=ticket, by=world.department, reason="非本局职责"))
    data = {"level": "city", "responsible_unit": world.dev_bureau.pk, "leader": leader.pk}

    page = post_to_page(client_for(world.office), tickets[0], "assign", data)
    api = api_client_for(world.office).post(f"/api/v1/tickets/{tickets[1].pk}/assign/", data)

    assert page.status_code == 302
    assert api.status_code == 200, api.content.decode()
    assert snapshot(tickets[0]) == snapshot(tickets[1])
    assert snapshot(tickets[0])["leader"] == leader.pk


# --- Handing over -----------------------------------------------------------------------------


def test_hand_over_targets_are_the_same_on_page_and_api(world, client_for):
    """The other handlers of the unit: not the owner themselves (the page never offered them;
    the API used to record a hand-over to the owner), nor a handler of another unit."""
    colleague = UserFactory(username="finance_2", roles=["department"])
    ProfileFactory(user=colleague, name="财政经办人二", unit=world.finance_bureau)
    stranger = UserFactory(username="other_unit", roles=["department"])
    ProfileFactory(user=stranger, name="别的单位", unit=UnitFactory(name="示范县住建局"))
    tickets = []
    for title in ("甲", "乙"):
        ticket = ticket_accept(ticket=raise_ticket(world, title), by=world.office)
        ticket = ticket_assign(
            ticket=ticket, by=world.office, level="system", responsible_unit=world.finance_bureau
        )
        tickets.append(ticket_progress(ticket=ticket, by=world.department, comment="接手"))
    page_client, api_client = client_for(world.department), api_client_for(world.department)

    for target in (world.department, stranger):
        page = post_to_page(page_client, tickets[0], "hand_over", {"to": target.pk})
        assert page_form_errors(page, "hand_over") == {"to"}
        api = post_to_api(api_client, tickets[1], "hand_over", {"to": target.pk})
        assert api.status_code == 400 and set(api.json()) == {"to"}
    assert snapshot(tickets[0]) == snapshot(tickets[1])

    page = post_to_page(page_client, tickets[0], "hand_over", {"to": colleague.pk})
    assert page.status_code == 302
    assert post_to_api(api_client, tickets[1], "hand_over", {"to": colleague.pk}).status_code == 200
    assert snapshot(tickets[0]) == snapshot(tickets[1])
    assert snapshot(tickets[0])["owner"] == colleague.pk
    assert Ticket.objects.get(pk=tickets[0].pk).state == TicketState.IN_PROGRESS
