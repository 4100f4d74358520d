"""Tickets, appraisal runs and bulletins write the audit trail: every ticket step with the old
and new values of what it changed, the appraisal's run and publication, a bulletin's
publication; the ticket page shows the office its trail."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.choices import AuditAction
from core.dates import SHANGHAI
from core.models import AuditEvent
from supervision.choices import TicketState
from supervision.services.appraisal import appraisal_publish, appraisal_run_create, cadre_rate
from supervision.services.bulletins import bulletin_generate, bulletin_publish
from supervision.services.tickets import (
    ticket_accept_and_assign,
    ticket_decide_extension,
    ticket_escalate_overdue,
    ticket_rate,
    ticket_request_extension,
)

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def trail(obj) -> list[AuditEvent]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("pk")
    )


def test_every_ticket_step_is_recorded_with_what_it_changed(world, frozen):
    ticket = make_ticket(world, TicketState.ANSWERED)
    ticket = ticket_rate(
        ticket=ticket, by=world.enterprise_a, satisfaction="unsatisfied", comment="电还没通"
    )
    events = trail(ticket)
    assert [(e.actor, e.action) for e in events] == [
        (world.cadre_a, AuditAction.CREATED),
        (world.office, AuditAction.ACCEPTED),
        (world.office, AuditAction.ASSIGNED),
        (world.department, AuditAction.PROGRESSED),
        (world.department, AuditAction.ANSWERED),
        (world.enterprise_a, AuditAction.RATED),
    ]
    created, accepted, assigned, progressed, answered, rated = events
    assert created.changes["title"] == [None, "用电增容"]
    assert created.changes["state"] == [None, "submitted"]
    assert accepted.changes == {
        "state": ["submitted", "accepted"],
        "owner": [None, "office"],
    }
    assert assigned.changes["state"] == ["accepted", "assigned"]
    assert assigned.changes["responsible_unit"] == [None, str(world.finance_bureau)]
    assert assigned.changes["owner"] == ["office", None]
    assert assigned.changes["deadline"][0] is None
    assert assigned.changes["time_limit_days"] == [None, 10]
    assert progressed.note == "已对接"
    assert answered.changes["state"] == ["in_progress", "answered"] and answered.note == "已办结"
    assert rated.changes["state"] == ["answered", "in_progress"]
    assert rated.changes["satisfaction"] == ["", "unsatisfied"]
    assert rated.note == "电还没通"
    assert {e.ip_address for e in events} == {None}  # services called outside a request


def test_accept_and_assign_in_one_go_is_two_events(world, frozen):
    ticket = make_ticket(world)
    ticket_accept_and_assign(
        ticket=ticket,
        by=world.office,
        level="system",
        responsible_unit=world.finance_bureau,
        co_units=[world.dev_bureau],
    )
    accepted, assigned = trail(ticket)[1:]
    assert accepted.changes["state"] == ["submitted", "accepted"]
    assert assigned.changes["state"] == ["accepted", "assigned"]
    assert assigned.changes["co_units"] == [[], [str(world.dev_bureau)]]


def test_extensions_and_the_red_card_escalation(world, frozen):
    ticket = make_ticket(world, TicketState.ASSIGNED)
    ticket = ticket_request_extension(
        ticket=ticket, by=world.department, days=5, reason="需上级电网审批"
    )
    old_deadline = ticket.deadline
    ticket = ticket_decide_extension(ticket=ticket, by=world.office, approve=True)
    frozen.move_to(ticket.deadline + datetime.timedelta(seconds=1))
    assert ticket_escalate_overdue(ticket=ticket) is True

    requested, approved, escalated = trail(ticket)[-3:]
    assert (requested.actor, requested.action) == (
        world.department,
        AuditAction.EXTENSION_REQUESTED,
    )
    assert requested.note == "需上级电网审批"
    assert approved.action == AuditAction.EXTENSION_APPROVED
    assert approved.changes["time_limit_days"] == [10, 15]
    old_local = datetime.datetime.fromisoformat(approved.changes["deadline"][0])
    assert old_local == old_deadline
    assert (escalated.actor, escalated.action) == (None, AuditAction.ESCALATED)
    assert escalated.changes["level"] == ["system", "city"]
    assert escalated.changes["escalation_count"] == [0, 1]


def test_the_ticket_page_shows_the_trail_to_the_office_only(world, frozen, client_for):
    ticket = make_ticket(world, TicketState.ASSIGNED)
    url = reverse("ticket-detail", args=[ticket.pk])
    office_page = client_for(world.office).get(url).content.decode()
    assert 'data-testid="audit-panel"' in office_page
    assert "状态：已受理 → 已交办" in office_page
    assert "承办单位：（空） → " in office_page
    cadre_page = client_for(world.cadre_a).get(url)
    assert cadre_page.status_code == 200
    assert 'data-testid="audit-panel"' not in cadre_page.content.decode()


def test_the_appraisal_run_publication_and_a_cadre_rating(world):
    run = appraisal_run_create(
        programme=world.programme, as_of=datetime.date(2026, 4, 20), by=world.office
    )
    appraisal_publish(run=run, by=world.office)
    ran, published = trail(run)
    assert (ran.actor, ran.action) == (world.office, AuditAction.RAN)
    assert ran.changes["state"] == ["running", "draft"]
    assert ran.changes["as_of"] == [None, "2026-04-20"]
    assert (published.actor, published.action) == (world.office, AuditAction.PUBLISHED)
    assert published.changes == {"state": ["draft", "published"]}

    rating = cadre_rate(
        by=world.enterprise_a, cadre=world.cadre_a.profile, programme=world.programme, stars=4
    )
    (rated,) = trail(rating)
    assert (rated.actor, rated.action, rated.changes) == (
        world.enterprise_a,
        AuditAction.RATED,
        {"stars": [None, 4]},
    )


def test_a_bulletin_drafted_and_published(world, periods):
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, tzinfo=SHANGHAI), tick=False):
        bulletin = bulletin_generate(period=periods[1], by=world.office)
        bulletin = bulletin_publish(bulletin=bulletin, by=world.office)
    created, published = trail(bulletin)
    assert (created.actor, created.action) == (world.office, AuditAction.CREATED)
    assert (published.actor, published.action) == (world.office, AuditAction.PUBLISHED)
    assert published.changes == {"state": ["draft", "published"], "sequence": [None, 1]}
    assert published.note == bulletin.number_label
