"""The step table (supervision.steps) drives the page and the API: generated from it, every
action × role × state gives the same answer on the detail page's action URL and on the API's,
and that answer is the one `allowed_actions` and `may_attempt` give. Each step's service sends
exactly the kinds of notification its entry names.
"""

from contextlib import contextmanager

import pytest
from django.contrib.messages import constants
from django.db import transaction
from django.urls import reverse

from notifications.models import Notification
from supervision import permissions, steps
from supervision.api.serializers.tickets import TicketAction
from supervision.choices import ExtensionState, Satisfaction, SupervisionNotice
from supervision.models import ExtensionRequest, Ticket
from supervision.selectors import ticket_list
from tests.factories import make_person, make_ticket

ROLES = (
    "office",
    "leader",
    "cadre_a",  # raised the ticket
    "cadre_b",  # stationed elsewhere
    "department",  # a handler of the responsible unit
    "dev_handler",  # a handler of another unit
    "enterprise_a",  # the enterprise contact
    "outsider",
)

# (scenario, state the factory reaches, whether an extension request is pending)
SCENARIOS = (
    ("submitted", "submitted", False),
    ("accepted", "accepted", False),
    ("assigned", "assigned", False),
    ("objected", "objected", False),
    ("in_progress", "in_progress", False),
    ("extension_pending", "in_progress", True),
    ("answered", "answered", False),
    ("closed", "closed", False),
    ("withdrawn", "withdrawn", False),
)


@pytest.fixture
def people(world):
    world.dev_handler = make_person(
        "dev_handler", ["department"], name="发改经办人", phone="13800000041", unit=world.dev_bureau
    )
    world.colleague = make_person(
        "finance_2",
        ["department"],
        name="财政经办人二",
        phone="13800000042",
        unit=world.finance_bureau,
    )
    return world


def step_data(step: steps.Step, world, ticket) -> dict:
    """Valid input for each step, as the API takes it (the page's names follow)."""
    return {
        permissions.ACCEPT: {},
        permissions.ASSIGN: {"level": "system", "responsible_unit": world.dev_bureau.pk},
        permissions.CONFIRM: {},
        permissions.REJECT: {"reason": "不属实"},
        permissions.DECIDE_EXTENSION: {"approve": True, "comment": ""},
        permissions.PROGRESS: {"comment": "约谈"},
        permissions.ANSWER: {"answer": "已办"},
        permissions.REQUEST_EXTENSION: {"days": 3, "reason": "需审批"},
        permissions.OBJECT: {"reason": "不属本单位"},
        permissions.HAND_OVER: {"to": world.colleague.pk},
        permissions.RATE: {"satisfaction": Satisfaction.SATISFIED},
        permissions.WITHDRAW: {"reason": "已解决"},
        permissions.ESCALATE: {"reason": ""},
        permissions.URGE: {"comment": "请抓紧办理"},
    }[step.name]


def page_data(step: steps.Step, world, ticket) -> dict:
    data = dict(step_data(step, world, ticket))
    if step.name == permissions.DECIDE_EXTENSION:
        data = {"decision": "approve" if data.pop("approve") else "refuse", **data}
    if step.name == permissions.ASSIGN:
        data["version"] = ticket.version
    return {f"{step.slug}-{key}": value for key, value in data.items()}


class _Undo(Exception):
    pass


@contextmanager
def undone():
    """Whatever the request did is rolled back: every action is tried on the same ticket."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def expected(user, ticket, name) -> str:
    if not ticket_list(user=user).filter(pk=ticket.pk).exists():
        return "hidden"
    if name in permissions.allowed_actions(user, ticket):
        return "done"
    if not permissions.may_attempt(user, ticket, name):
        return "forbidden"
    return "refused"


def page_outcome(response) -> str:
    if response.status_code in (403, 404):
        return {403: "forbidden", 404: "hidden"}[response.status_code]
    # This request's messages only (the unfollowed redirects leave earlier ones stored).
    levels = {m.level for m in response.wsgi_request._messages._queued_messages}
    if response.status_code == 302:
        return "done" if levels == {constants.SUCCESS} else "refused"
    if response.status_code == 200 and constants.ERROR in levels:
        return "refused"  # the form came back and the action is no longer offered
    return f"page {response.status_code}"


def api_outcome(response) -> str:
    return {200: "done", 403: "forbidden", 404: "hidden", 409: "refused"}.get(
        response.status_code, f"api {response.status_code}: {response.content[:200]!r}"
    )


def scenario_ticket(world, state: str, pending: bool) -> Ticket:
    ticket = make_ticket(world, state)
    if pending:
        ExtensionRequest.objects.create(
            ticket=ticket,
            requested_by=world.department,
            days=3,
            reason="需审批",
            state=ExtensionState.PENDING,
        )
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.parametrize(("scenario", "state", "pending"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_page_api_and_allowed_actions_agree_for_every_action_and_role(
    people, client_for, api, media, scenario, state, pending
):
    ticket = scenario_ticket(people, state, pending)
    disagreements = []
    for role in ROLES:
        user = getattr(people, role)
        page = client_for(user)
        rest = api(user)
        for step in steps.STEPS.values():
            fresh = Ticket.objects.get(pk=ticket.pk)
            want = expected(user, fresh, step.name)
            with undone():
                got_page = page_outcome(
                    page.post(
                        reverse("ticket-action", args=[ticket.pk, step.slug]),
                        page_data(step, people, fresh),
                    )
                )
            with undone():
                got_api = api_outcome(
                    rest.post(
                        f"/api/v1/tickets/{ticket.pk}/{step.slug}/",
                        step_data(step, people, fresh),
                    )
                )
            if not want == got_page == got_api:
                disagreements.append((role, step.name, want, got_page, got_api))
    assert disagreements == []


def test_every_rule_has_one_entry_in_the_table_and_urls_for_both_clients(people):
    assert list(steps.STEPS) == list(permissions.STEPS)
    assert {step.slug for step in steps.STEPS.values()} == set(TicketAction.values)
    ticket = make_ticket(people)
    for step in steps.STEPS.values():
        assert step.rule is permissions.STEPS[step.name]
        assert reverse("ticket-action", args=[ticket.pk, step.slug]).endswith(f"/{step.slug}/")
        assert reverse(f"api-ticket-{step.slug}", args=[ticket.pk]) == (
            f"/api/v1/tickets/{ticket.pk}/{step.slug}/"
        )


def test_the_schema_documents_each_step_with_its_serializer(api, people):
    schema = api(people.office).get("/api/schema/?format=json").json()
    for step in steps.STEPS.values():
        operation = schema["paths"][f"/api/v1/tickets/{{id}}/{step.slug}/"]["post"]
        assert operation["summary"] == str(step.summary)
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = step.serializer.__name__.removesuffix("Serializer")
        assert ref == f"#/components/schemas/{name}Request", (ref, step.name)


# --- Each step's service sends the kinds its entry names ------------------------------------

# A scenario in which each step can be taken, the user who takes it and, for rating, which
# outcome is tried (the other one of its two kinds is tried below).
TAKEN = {
    permissions.ACCEPT: ("submitted", False, "office"),
    permissions.ASSIGN: ("accepted", False, "office"),
    permissions.CONFIRM: ("objected", False, "office"),
    permissions.REJECT: ("submitted", False, "office"),
    permissions.DECIDE_EXTENSION: ("in_progress", True, "office"),
    permissions.PROGRESS: ("assigned", False, "department"),
    permissions.ANSWER: ("in_progress", False, "department"),
    permissions.REQUEST_EXTENSION: ("in_progress", False, "department"),
    permissions.OBJECT: ("assigned", False, "department"),
    permissions.HAND_OVER: ("in_progress", False, "office"),
    permissions.RATE: ("answered", False, "enterprise_a"),
    permissions.WITHDRAW: ("assigned", False, "cadre_a"),
    permissions.ESCALATE: ("in_progress", False, "office"),
    permissions.URGE: ("in_progress", False, "office"),
}


@pytest.mark.parametrize("name", list(permissions.STEPS))
def test_each_step_sends_the_kinds_its_entry_names_and_never_to_its_actor(people, name):
    step = steps.STEPS[name]
    state, pending, who = TAKEN[name]
    user = getattr(people, who)
    ticket = scenario_ticket(people, state, pending)
    Notification.objects.all().delete()
    data = step_data(step, people, ticket)
    objects = {"responsible_unit": people.dev_bureau, "to": people.colleague}
    outcomes = [{key: objects.get(key, value) for key, value in data.items()}]
    if name == permissions.RATE:
        outcomes.append({"satisfaction": Satisfaction.UNSATISFIED, "comment": "未解决"})
    sent = set()
    for data in outcomes:
        with undone():
            steps.take(step, ticket=Ticket.objects.get(pk=ticket.pk), by=user, data=data)
            rows = Notification.objects.all()
            assert not rows.filter(recipient=user).exists()
            sent |= set(rows.values_list("kind", flat=True))
    assert sent == set(step.notices)
    assert set(step.notices) <= set(SupervisionNotice.values)
