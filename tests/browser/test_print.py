"""Print views on A4 (issue 10): each one printed to PDF by chromium (what the browser's print
does) and read back with pdftotext; the Chinese text must be there, in a font that has it."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from stationing.models import ReportPeriod
from stationing.services import programme_sync_periods
from tests.printables import (
    NEXT_STEPS,
    PLAN_TARGET,
    PLAN_TASK,
    PROBLEM,
    TICKET_TITLE,
    WORK_DONE,
    printable_plan,
    printable_report,
    printable_ticket,
)

from .conftest import DESKTOP

pytestmark = pytest.mark.usefixtures("transactional_db")

A4_POINTS = (595, 842)  # 210 × 297 mm


def pdf_text(page, artifacts, name) -> str:
    """Print the page to an A4 PDF under test-artifacts/ and return its text (pdftotext)."""
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    if pdfinfo is None or pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    page.emulate_media(media="print")
    path = artifacts / f"print-{name}.pdf"
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    # Our own file, tools found on PATH by shutil.which.
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True)  # noqa: S603
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size"))
    width, height = (round(float(n)) for n in re.findall(r"[\d.]+", size)[:2])
    assert (width, height) == A4_POINTS, size
    page.emulate_media(media="screen")
    page.screenshot(path=str(artifacts / f"print-{name}.png"), full_page=True)
    out = subprocess.run(  # noqa: S603
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def squeeze(text: str) -> str:
    """pdftotext lays wrapped lines out with spaces and breaks: compare without them."""
    return "".join(text.split())


def open_print(page, live_server, detail_url, artifacts, name):
    """Open the detail page, follow its 打印 link, check the print page, return its PDF text."""
    page.goto(live_server.url + detail_url)
    page.get_by_test_id("print-link").click()
    page.wait_for_url("**/print/")
    assert page.get_by_test_id("print-button").is_visible()
    assert page.locator("nav").count() == 0
    text = pdf_text(page, artifacts, name)
    assert not page.problems, page.problems
    return text


def test_report_plan_and_ticket_print_to_a4(world, new_page, sign_in, live_server, artifacts):
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, number=1)
    report = printable_report(world, period)
    plan = printable_plan(world)
    ticket = printable_ticket(world)
    page = sign_in(new_page(viewport=DESKTOP), "cadre_a")

    text = open_print(
        page, live_server, reverse("report-detail", args=[report.pk]), artifacts, "report"
    )
    flat = squeeze(text)
    assert "2026年3月上半月驻企工作半月报" in flat
    for expected in (
        world.ent_a.name,
        world.programme.name,
        "张干部",
        WORK_DONE,
        PROBLEM,
        NEXT_STEPS,
    ):
        assert squeeze(expected) in flat, expected
    assert "打印时间" in flat and "第1页" in flat

    text = open_print(page, live_server, reverse("plan-detail", args=[plan.pk]), artifacts, "plan")
    flat = squeeze(text)
    assert "一企一策" in flat and "工作计划" in flat
    for expected in (world.ent_a.name, world.programme.name, PLAN_TASK, PLAN_TARGET, "解难帮扶"):
        assert squeeze(expected) in flat, expected

    text = open_print(
        page, live_server, reverse("ticket-detail", args=[ticket.pk]), artifacts, "ticket"
    )
    flat = squeeze(text)
    assert "企业诉求办理单" in flat and ticket.number in flat and TICKET_TITLE in flat
    assert world.ent_a.name in flat
    for step in ("提交诉求", "受理", "交办", "办理进展", "答复", "已对接", "已办结"):
        assert step in flat, step
