"""The office's report submission matrix (issue 10) at an office screen (1366×768) and on a phone
(375×812): the page itself never scrolls sideways, the matrix scrolls in its own box, and the
person column, the header row and the 缺报 column stay visible while it does.

The live server runs with the real clock, so the programme is moved to start a year ago: about
24 half-month periods, more than either screen can show.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from stationing.models import ReportPeriod
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_save_draft,
    report_submit,
)

from ..factories import AssignmentFactory, EnterpriseFactory, ProfileFactory, UserFactory

OFFICE_SCREEN = {"width": 1366, "height": 768}
PHONE_375 = {"width": 375, "height": 812}

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def year_of_periods(world):
    start = timezone.localdate() - datetime.timedelta(days=370)
    programme = world.programme
    programme.start_date, programme.end_date = start, start + datetime.timedelta(days=364)
    programme.save()
    for assignment in (world.assignment_a, world.assignment_b):
        assignment.start_date = start
        assignment.save()
    for n in range(6):
        cadre = ProfileFactory(
            user=UserFactory(roles=["cadre"]),
            name=f"驻企干部{n + 1}号",
            phone=f"1380000{n:04d}",
            unit=world.dev_bureau if n % 2 else world.finance_bureau,
        )
        AssignmentFactory(
            programme=programme,
            cadre=cadre,
            enterprise=EnterpriseFactory(name=f"示范县第{n + 1}精密机械制造有限公司"),
            start_date=start,
        )
    programme_sync_periods(programme=programme)
    periods = list(ReportPeriod.objects.filter(programme=programme).order_by("number"))
    # cadre_a reported every other period on time; the rest are missing.
    for period in periods[::2]:
        report = report_get_or_create_draft(assignment=world.assignment_a, period=period, by=None)
        report = report_save_draft(
            report=report,
            by=None,
            expected_version=None,
            fields={"work_done": "走访企业", "days_on_site": 1},
        )
        report_submit(report=report, by=None, at=period.due_at - datetime.timedelta(days=1))
    return periods


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sticky_cells_stay(page, label: str) -> None:
    """Scroll the matrix box to each end; the person column's cell and the 缺报 cell of the first
    person row must sit at the box's edges, on top (opaque: elementFromPoint finds them)."""
    box = page.get_by_test_id("matrix-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), f"{label}: nothing to scroll"
    # matrix.js opened the box at the newest periods.
    assert box.evaluate("el => el.scrollLeft > 0"), f"{label}: not opened at the newest periods"
    for where in ("0", "el.scrollWidth", "el.scrollWidth / 2"):
        box.evaluate(f"el => {{ el.scrollLeft = {where}; }}")
        found = box.evaluate(
            """el => {
                const box = el.getBoundingClientRect();
                const person = el.querySelector('tbody [data-testid=matrix-person]');
                const missed = person.parentElement.querySelector('.matrix-end');
                const header = el.querySelector('thead .matrix-end');
                const p = person.getBoundingClientRect();
                const m = missed.getBoundingClientRect();
                const h = header.getBoundingClientRect();
                const at = (r) =>
                    document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return {
                    personLeft: p.left - box.left - el.clientLeft,
                    personOnTop: person.contains(at(p)),
                    missedRight: box.left + el.clientLeft + el.clientWidth - m.right,
                    missedOnTop: missed.contains(at(m)),
                    headerInView: h.right <= window.innerWidth && h.left >= 0,
                };
            }"""
        )
        assert abs(found["personLeft"]) <= 1, (label, where, found)
        assert found["personOnTop"], (label, where, found)
        assert abs(found["missedRight"]) <= 1, (label, where, found)
        assert found["missedOnTop"], (label, where, found)
        assert found["headerInView"], (label, where, found)


@pytest.mark.parametrize(
    ("viewport", "name"), [(OFFICE_SCREEN, "1366"), (PHONE_375, "375")], ids=["1366", "375"]
)
def test_matrix_scrolls_in_its_own_box(
    world, year_of_periods, new_page, sign_in, live_server, artifacts, viewport, name
):
    page = new_page(viewport=viewport)
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, "office")
    page.goto(live_server.url + reverse("report-matrix", args=[world.programme.pk]))
    matrix = page.get_by_test_id("matrix")
    expect(matrix).to_contain_text("张干部")
    expect(matrix).to_contain_text("示范县第6精密机械制造有限公司")
    expect(page.get_by_test_id("matrix-summary")).to_contain_text("共 8 个驻企安排")
    assert no_page_overflow(page), page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    page.screenshot(path=str(artifacts / f"matrix-{name}.png"))
    sticky_cells_stay(page, name)
    box = page.get_by_test_id("matrix-scroll")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth / 2; el.scrollTop = 60; }")
    page.screenshot(path=str(artifacts / f"matrix-{name}-scrolled.png"))
    # Scrolled down inside the box, the header row stays at its top.
    header_top = box.evaluate(
        "el => el.querySelector('thead th').getBoundingClientRect().top"
        " - el.getBoundingClientRect().top - el.clientTop"
    )
    assert abs(header_top) <= 1, header_top
    assert no_page_overflow(page)
    assert not page.problems, page.problems
