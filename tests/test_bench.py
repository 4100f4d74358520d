"""The benchmark's generator and measurements keep working (on a tiny scale; no timing here)."""

import pytest
from django.contrib.auth.models import User

from bench.generate import DRAFTS, Generator, Scale
from bench.management.commands.bench import portal_client
from bench.measure import time_request
from stationing.models import Assignment, ProgressReport, WorkPlanItem
from supervision.models import Ticket, TicketEvent

TINY = Scale("tiny", DRAFTS + 20, 300, 10, 1, 2, 2, 4)


@pytest.mark.django_db(transaction=True)
def test_the_generator_builds_a_consistent_programme_and_the_pages_answer():
    counts = Generator(TINY, say=lambda text: None).run()
    assert counts["enterprises"] == counts["assignments"] == TINY.enterprises
    assert Assignment.objects.count() == TINY.enterprises
    assert WorkPlanItem.objects.count() == TINY.enterprises * 6
    assert Ticket.objects.count() == TINY.tickets
    # Every ticket's timeline starts with its submission and ends in its state.
    for ticket in Ticket.objects.order_by("?")[:30]:
        events = list(TicketEvent.objects.filter(ticket=ticket).order_by("at", "pk"))
        assert events[0].kind == "submit"
        assert events[-1].to_state == ticket.state
    assert ProgressReport.objects.filter(state="draft").count() == DRAFTS
    # Most due reports exist and a few are missing or late.
    reports = ProgressReport.objects.exclude(state="draft")
    assert reports.filter(is_late=True).exists() and reports.filter(is_late=False).exists()

    office = User.objects.get(username="bench-office")
    client = portal_client()
    client.force_login(office)
    timing = time_request(
        client, "tickets", lambda i: ("GET", "/tickets/", None), repeat=2, warmup=1
    )
    assert timing.status == 200 and timing.queries > 0 and len(timing.samples_ms) == 2
