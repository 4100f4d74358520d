"""The ticket rules have one home (supervision.permissions.STEPS): what the pages and the API
offer is exactly what the services accept, every refusal says why in Chinese, a stale
accept-and-assign from the page is refused, and the API's uploads go through the service."""

import datetime
import re
from contextlib import contextmanager

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from core.dates import SHANGHAI
from core.locking import StaleEditError
from supervision import permissions
from supervision.api.views import tickets as ticket_api
from supervision.choices import ExtensionState, TicketState
from supervision.models import ExtensionRequest, Ticket, TicketAttachment, TicketEvent
from supervision.services import (
    TransitionError,
    ticket_accept,
    ticket_accept_and_assign,
    ticket_answer,
    ticket_assign,
    ticket_attach_many,
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
from tests.factories import ProfileFactory, UserFactory

# A Monday and a working day: the objection window and the deadline are open after assigning.
MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CHINESE_SENTENCE = re.compile(r"[\u4e00-\u9fff].*[。?!]$")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def attachment_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


def second_handler(world):
    """Another handler of the finance bureau (world.department's colleague)."""
    user = UserFactory(username="finance_2", roles=["department"])
    ProfileFactory(user=user, name="财政经办人二", unit=world.finance_bureau, phone="13800000012")
    return user


def second_officer(world):
    user = UserFactory(username="office_2", roles=["office"])
    ProfileFactory(user=user, name="督查员二", unit=world.county, phone="13800000013")
    return user


def ticket_in(world, state: str) -> Ticket:
    """A ticket of ent_a taken through the services to `state`; assigned to the finance bureau
    whenever the state comes after assigning (so the department's role holds there)."""
    ticket = ticket_create(
        by=world.cadre_a,
        enterprise=world.ent_a,
        category="utilities",
        title="用电增容",
        description="新生产线需增容",
    )
    if state == TicketState.SUBMITTED:
        return ticket
    if state == TicketState.REJECTED:
        return ticket_reject(ticket=ticket, by=world.office, reason="属企业自主经营事项")
    ticket = ticket_accept(ticket=ticket, by=world.office)
    if state == TicketState.ACCEPTED:
        return ticket
    ticket = ticket_assign(
        ticket=ticket, by=world.office, level="system", responsible_unit=world.finance_bureau
    )
    if state == TicketState.ASSIGNED:
        return ticket
    if state == TicketState.WITHDRAWN:
        return ticket_withdraw(ticket=ticket, by=world.enterprise_a, reason="已自行解决")
    if state == TicketState.OBJECTED:
        return ticket_object(ticket=ticket, by=world.department, reason="不属本单位职责")
    ticket = ticket_progress(ticket=ticket, by=world.department, comment="已对接供电公司")
    if state == TicketState.IN_PROGRESS:
        return ticket
    ticket = ticket_answer(ticket=ticket, by=world.department, answer="已完成增容")
    if state == TicketState.ANSWERED:
        return ticket
    return ticket_rate(ticket=ticket, by=world.enterprise_a, satisfaction="satisfied")


# Each step: who takes it in this test, and its service as the pages and the API call it.
STEP_CALLS = {
    permissions.ACCEPT: ("office", lambda w, t, u: ticket_accept(ticket=t, by=u)),
    permissions.REJECT: ("office", lambda w, t, u: ticket_reject(ticket=t, by=u, reason="不属实")),
    permissions.ASSIGN: (
        "office",
        lambda w, t, u: ticket_accept_and_assign(
            ticket=t, by=u, level="system", responsible_unit=w.dev_bureau
        ),
    ),
    permissions.CONFIRM: ("office", lambda w, t, u: ticket_confirm_assignment(ticket=t, by=u)),
    permissions.DECIDE_EXTENSION: (
        "office",
        lambda w, t, u: ticket_decide_extension(ticket=t, by=u, approve=True),
    ),
    permissions.ESCALATE: ("office", lambda w, t, u: ticket_escalate(ticket=t, by=u)),
    permissions.URGE: ("office", lambda w, t, u: ticket_urge(ticket=t, by=u, comment="请抓紧")),
    permissions.PROGRESS: (
        "department",
        lambda w, t, u: ticket_progress(ticket=t, by=u, comment="约谈"),
    ),
    permissions.ANSWER: (
        "department",
        lambda w, t, u: ticket_answer(ticket=t, by=u, answer="已办"),
    ),
    permissions.REQUEST_EXTENSION: (
        "department",
        lambda w, t, u: ticket_request_extension(ticket=t, by=u, days=3, reason="需审批"),
    ),
    permissions.OBJECT: (
        "department",
        lambda w, t, u: ticket_object(ticket=t, by=u, reason="不属本单位"),
    ),
    permissions.HAND_OVER: (
        "office",
        lambda w, t, u: ticket_hand_over(ticket=t, by=u, to=w.colleague),
    ),
    permissions.RATE: (
        "enterprise_a",
        lambda w, t, u: ticket_rate(ticket=t, by=u, satisfaction="satisfied"),
    ),
    permissions.WITHDRAW: (
        "enterprise_a",
        lambda w, t, u: ticket_withdraw(ticket=t, by=u, reason="已解决"),
    ),
}


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Run a step and undo it, so every step is tried on the same ticket."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def test_every_step_has_a_call_here():
    assert set(STEP_CALLS) == set(permissions.STEPS)


@pytest.mark.parametrize("state", TicketState.values)
def test_allowed_actions_offer_exactly_what_the_services_accept(world, state):
    world.colleague = second_handler(world)
    ticket = ticket_in(world, state)
    outcomes = {}
    for name, (who, call) in STEP_CALLS.items():
        user = getattr(world, who)
        with rolled_back():
            if name == permissions.DECIDE_EXTENSION:
                # What the decision acts on is there, so only the state can refuse it.
                ExtensionRequest.objects.create(
                    ticket=ticket, requested_by=world.department, days=3, reason="需审批"
                )
            offered = name in permissions.allowed_actions(user, Ticket.objects.get(pk=ticket.pk))
            try:
                call(world, Ticket.objects.get(pk=ticket.pk), user)
            except TransitionError as exc:
                accepted, reason = False, exc.messages[0]
            else:
                accepted, reason = True, ""
        outcomes[name] = accepted
        assert offered == accepted, (state, name, reason)
        if not accepted:
            # Refused for the state, and the message names it.
            assert f"“{TicketState(state).label}”" in reason, (state, name, reason)
    finished = state in (TicketState.CLOSED, TicketState.REJECTED, TicketState.WITHDRAWN)
    assert any(outcomes.values()) == (not finished)


def test_the_table_is_the_loop_the_office_knows():
    """The states each step starts from, as the README describes the loop."""
    starts = {name: set(step.from_states) for name, step in permissions.STEPS.items()}
    clock = {TicketState.ASSIGNED, TicketState.OBJECTED, TicketState.IN_PROGRESS}
    assert starts[permissions.ACCEPT] == starts[permissions.REJECT] == {TicketState.SUBMITTED}
    assert starts[permissions.ASSIGN] == {TicketState.ACCEPTED, TicketState.OBJECTED}
    assert permissions.STEPS[permissions.ASSIGN].prelude == permissions.ACCEPT
    assert starts[permissions.CONFIRM] == {TicketState.OBJECTED}
    assert starts[permissions.OBJECT] == {TicketState.ASSIGNED}
    assert starts[permissions.DECIDE_EXTENSION] == starts[permissions.HAND_OVER] == clock
    assert starts[permissions.ESCALATE] == clock | {TicketState.ANSWERED}
    # Urging presses a unit that has the ticket in hand (not one objecting to it).
    assert starts[permissions.URGE] == {TicketState.ASSIGNED, TicketState.IN_PROGRESS}
    assert starts[permissions.RATE] == {TicketState.ANSWERED}
    assert TicketState.CLOSED not in starts[permissions.WITHDRAW]


def test_conditions_refuse_in_the_offer_and_in_the_service_alike(world, frozen):
    ticket = ticket_in(world, TicketState.ASSIGNED)
    # Past the objection window (one working day after assigning).
    frozen.move_to(datetime.datetime(2026, 11, 18, 9, tzinfo=SHANGHAI))
    assert permissions.OBJECT not in permissions.allowed_actions(world.department, ticket)
    with pytest.raises(TransitionError, match="异议期限"):
        ticket_object(ticket=ticket, by=world.department, reason="不属本单位")
    # A pending extension request: no second one, and the office may decide it.
    ticket = ticket_request_extension(ticket=ticket, by=world.department, days=2, reason="需审批")
    assert permissions.REQUEST_EXTENSION not in permissions.allowed_actions(
        world.department, ticket
    )
    assert permissions.DECIDE_EXTENSION in permissions.allowed_actions(world.office, ticket)
    with pytest.raises(TransitionError, match="审批中"):
        ticket_request_extension(ticket=ticket, by=world.department, days=2, reason="再延")
    # 首问负责: the colleague waits for a hand-over.
    colleague = second_handler(world)
    assert permissions.ANSWER not in permissions.allowed_actions(colleague, ticket)
    with pytest.raises(TransitionError, match="部门经办人"):
        ticket_answer(ticket=ticket, by=colleague, answer="已办")
    ticket = ticket_decide_extension(ticket=ticket, by=world.office, approve=True)
    assert not ticket.extensions.filter(state=ExtensionState.PENDING).exists()
    assert permissions.DECIDE_EXTENSION not in permissions.allowed_actions(world.office, ticket)


# --- Verdicts say why -------------------------------------------------------------------------


def assert_reason(verdict):
    assert not verdict
    assert CHINESE_SENTENCE.search(verdict.reason), verdict.reason


def test_every_refused_role_says_why_in_chinese(world):
    ticket = ticket_in(world, TicketState.ANSWERED)
    for name in permissions.STEPS:
        assert_reason(permissions.may_attempt(world.outsider, ticket, name))
        assert_reason(permissions.may_attempt(world.leader, ticket, name))
    for verdict in (
        permissions.may_raise_tickets(world.office),
        permissions.can_raise_for(world.cadre_a, world.ent_b.pk),
        permissions.can_rate(world.cadre_a, ticket),  # the enterprise has its own login
        permissions.is_unit_handler(world.cadre_a, world.finance_bureau.pk),
        permissions.department_turn(second_handler(world), ticket),
        permissions.may_use_inbox(world.cadre_a),
        permissions.is_enterprise_contact(world.cadre_a),
        permissions.may_edit_calendar(world.department),
    ):
        assert_reason(verdict)


def test_every_refused_state_or_condition_says_why_in_chinese(world):
    closed = ticket_in(world, TicketState.CLOSED)
    moment = permissions.Moment(closed)
    for name in permissions.STEPS:
        assert_reason(permissions.possible_now(world.office, closed, name, moment))
    assigned = ticket_in(world, TicketState.ASSIGNED)
    moment = permissions.Moment(assigned)
    assert_reason(
        permissions.possible_now(world.office, assigned, permissions.DECIDE_EXTENSION, moment)
    )


def test_the_reason_reaches_the_page_and_the_api(world, client_for):
    ticket = ticket_in(world, TicketState.SUBMITTED)
    reason = "只有督查室可以受理、交办、审批延期和督办。"
    page = client_for(world.cadre_a).post(reverse("ticket-action", args=[ticket.pk, "accept"]))
    assert page.status_code == 403 and reason in page.content.decode()
    response = api_client_for(world.cadre_a).post(f"/api/v1/tickets/{ticket.pk}/accept/", {})
    assert response.status_code == 403 and response.json()["detail"] == reason


def test_services_refuse_a_role_the_table_refuses(world):
    ticket = ticket_in(world, TicketState.SUBMITTED)
    with pytest.raises(PermissionDenied, match="只有督查室"):
        ticket_accept(ticket=ticket, by=world.cadre_a)
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.SUBMITTED


# --- Accept and assign from a stale page ------------------------------------------------------


def page_version(response) -> str:
    found = re.search(r'name="assign-version" value="(\d+)"', response.content.decode())
    assert found, "the assign form carries the version it was loaded with"
    return found.group(1)


def assign_post(world, version: str) -> dict:
    return {
        "assign-level": "system",
        "assign-responsible_unit": world.finance_bureau.pk,
        "assign-leader": world.leader.pk,
        "assign-comment": "请尽快办理",
        "assign-version": version,
    }


def test_a_stale_accept_and_assign_page_is_refused(world, client_for):
    ticket = ticket_in(world, TicketState.SUBMITTED)
    office = client_for(world.office)
    version = page_version(office.get(reverse("ticket-detail", args=[ticket.pk])))
    # Another officer accepts while the first one's page is open.
    ticket_accept(ticket=ticket, by=second_officer(world))
    response = office.post(
        reverse("ticket-action", args=[ticket.pk, "assign"]),
        assign_post(world, version),
        follow=True,
    )
    html = response.content.decode()
    assert "保存失败" in html and "督查员二" in html
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ACCEPTED and ticket.responsible_unit is None
    assert list(ticket.events.values_list("kind", flat=True)) == ["submit", "accept"]


def test_a_current_accept_and_assign_page_goes_through_in_one_call(world, client_for):
    ticket = ticket_in(world, TicketState.SUBMITTED)
    office = client_for(world.office)
    version = page_version(office.get(reverse("ticket-detail", args=[ticket.pk])))
    response = office.post(
        reverse("ticket-action", args=[ticket.pk, "assign"]), assign_post(world, version)
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED and ticket.leader == world.leader
    assert list(ticket.events.values_list("kind", flat=True)) == ["submit", "accept", "assign"]


def test_accept_and_assign_checks_the_version_once_for_both_events(world):
    ticket = ticket_in(world, TicketState.SUBMITTED)
    stale = ticket.version
    ticket_accept(ticket=ticket, by=second_officer(world))
    with pytest.raises(StaleEditError, match="保存失败") as caught:
        ticket_accept_and_assign(
            ticket=ticket,
            by=world.office,
            level="system",
            responsible_unit=world.finance_bureau,
            expected_version=stale,
        )
    assert caught.value.code == "stale"


# --- The API's uploads go through the service -------------------------------------------------


def pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def attach_calls(monkeypatch):
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return ticket_attach_many(**kwargs)

    monkeypatch.setattr(ticket_api, "ticket_attach_many", spy)
    return calls


def test_api_upload_writes_one_event_through_the_service(world, attach_calls):
    ticket = ticket_in(world, TicketState.ASSIGNED)
    events = TicketEvent.objects.filter(ticket=ticket).count()
    response = api_client_for(world.department).post(
        f"/api/v1/tickets/{ticket.pk}/progress/",
        {"comment": "已约谈供电公司", "attachments": [pdf("会议纪要.pdf"), pdf("现场照片.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content.decode()
    assert len(attach_calls) == 1 and len(attach_calls[0]["uploads"]) == 2
    assert TicketEvent.objects.filter(ticket=ticket).count() == events + 1
    progress = TicketEvent.objects.filter(ticket=ticket).latest("pk")
    assert progress.kind == "progress"
    assert set(TicketAttachment.objects.filter(ticket=ticket).values_list("event", flat=True)) == {
        progress.pk
    }


def test_api_create_with_files_writes_one_event_through_the_service(world, attach_calls):
    response = api_client_for(world.cadre_a).post(
        "/api/v1/tickets/",
        {
            "enterprise": world.ent_a.pk,
            "category": "utilities",
            "title": "用电增容",
            "description": "新生产线需增容",
            "attachments": [pdf()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content.decode()
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert len(attach_calls) == 1
    [event] = ticket.events.all()
    assert event.kind == "submit" and event.attachments.count() == 1


def test_a_refused_api_upload_keeps_nothing(world, attach_calls):
    ticket = ticket_in(world, TicketState.ASSIGNED)
    events = ticket.events.count()
    response = api_client_for(world.department).post(
        f"/api/v1/tickets/{ticket.pk}/progress/",
        {
            "comment": "已约谈",
            "attachments": [
                pdf(),
                SimpleUploadedFile("x.pdf", b"<html></html>", content_type="application/pdf"),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 400 and "attachments" in response.json()
    assert ticket.events.count() == events
    assert not TicketAttachment.objects.filter(ticket=ticket).exists()
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.ASSIGNED
