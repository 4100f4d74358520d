"""The leadership dashboard in a real browser: the charts render (SVG with shapes), no
JavaScript or CSP errors, the wall mode, and screenshots at 1366 and 375 px."""

import datetime

import pytest
from django.utils import timezone

from stationing.models import ProgressReport
from supervision.choices import TicketState
from tests.factories import IndicatorFactory, make_ticket

SIZES = [{"width": 1366, "height": 900}, {"width": 375, "height": 800}]


@pytest.fixture
def board_data(world, periods):
    for number in (1, 2, 3):
        ProgressReport.objects.create(
            assignment=world.assignment_a, period=periods[number], state="submitted"
        )
    make_ticket(world, TicketState.CLOSED)
    make_ticket(world, TicketState.IN_PROGRESS, category="financing")
    make_ticket(world, TicketState.SUBMITTED, by=world.cadre_b, enterprise=world.ent_b)
    year = timezone.localdate().year
    for enterprise, value in ((world.ent_a, 110), (world.ent_b, 125)):
        IndicatorFactory(enterprise=enterprise, month=datetime.date(year, 1, 1), output_value=value)
        IndicatorFactory(
            enterprise=enterprise, month=datetime.date(year - 1, 1, 1), output_value=100
        )


@pytest.mark.parametrize("viewport", SIZES, ids=["1366", "375"])
def test_dashboard_charts(
    transactional_db, world, board_data, new_page, sign_in, live_server, artifacts, viewport
):
    page = sign_in(new_page(viewport=viewport), "leader")
    page.goto(f"{live_server.url}/dashboard/?programme={world.programme.pk}")
    page.wait_for_selector("[data-chart='ticketCategory'] svg path", state="attached")
    for key in ("reportTrend", "ticketWeekly", "ticketCategory", "ticketLevel", "indicators"):
        shapes = page.locator(f"[data-chart='{key}'] svg path").count()
        assert shapes > 0, key
    assert page.get_by_test_id("fig-raised").get_by_test_id("fig-value").inner_text() == "3"
    page.screenshot(path=str(artifacts / f"dashboard-{viewport['width']}.png"), full_page=True)
    assert not page.problems, page.problems


def test_wall_mode(transactional_db, world, board_data, new_page, sign_in, live_server, artifacts):
    page = sign_in(new_page(viewport=SIZES[0]), "leader")
    page.goto(f"{live_server.url}/dashboard/?programme={world.programme.pk}&wall=1")
    page.wait_for_selector("[data-chart='ticketWeekly'] svg path", state="attached")
    assert page.locator("nav.navbar").count() == 0
    page.screenshot(path=str(artifacts / "dashboard-wall-1366.png"), full_page=True)
    assert not page.problems, page.problems
