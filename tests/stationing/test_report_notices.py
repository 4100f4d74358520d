"""Who is told what about a half-monthly report (issue 9, part C), and the lateness warning.

- A cadre's own submission writes no inbox row: the page confirms it (the message after
  submitting, the receipt on the report's page). The office entering a paper report for the
  cadre tells the cadre.
- Reviewing and returning tell the cadre, never the office member who did it; a second review
  after a return and resubmission tells again.
- The form's warning past the due moment says how a submission is then recorded, and it is.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.dates import SHANGHAI
from notifications.models import Notification
from stationing.choices import ReportState, StationingNotice
from stationing.models import ProgressReport
from stationing.services import (
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
)

pytestmark = pytest.mark.usefixtures("periods")

# Period 1 is 1-15 March 2026, due 18 March 23:59:59 Asia/Shanghai.
BEFORE_DUE = datetime.datetime(2026, 3, 17, 10, tzinfo=SHANGHAI)
AFTER_DUE = datetime.datetime(2026, 3, 20, 9, tzinfo=SHANGHAI)
LATER = datetime.datetime(2026, 3, 25, 15, tzinfo=SHANGHAI)

ON_TIME_WARNING = "已过截止时间，但首次报送按时，重新报送仍记为按时报送。"
LATE_WARNING = "首次报送已逾期，重新报送仍记为逾期报送。"
FIRST_LATE_WARNING = "已过截止时间，提交后记为逾期报送"


def draft(world, periods):
    report = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    return report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={"work_done": "走访车间，召开座谈会", "days_on_site": 8},
    )


def submit_page(client, report, **fields):
    report.refresh_from_db()
    data = {
        "version": report.version,
        "work_done": report.work_done,
        "days_on_site": report.days_on_site,
        "action": "submit",
        **fields,
    }
    return client.post(reverse("report-edit", args=[report.pk]), data, follow=True)


def inbox(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


def test_own_submission_writes_no_inbox_row_and_the_page_shows_the_receipt(
    world, periods, client_for
):
    report = draft(world, periods)
    client = client_for(world.cadre_a)
    with time_machine.travel(BEFORE_DUE, tick=False):
        response = submit_page(client, report)
    assert response.redirect_chain[-1][0] == reverse("report-detail", args=[report.pk])
    assert not Notification.objects.exists()
    page = response.content.decode()
    assert "2026年3月上半月半月报第 1 版已于 2026-03-17 10:00 报送督查室，记为按时报送。" in page
    receipt = response.context["report"]
    assert receipt.state == ReportState.SUBMITTED and not receipt.is_late
    assert 'data-testid="report-receipt"' in page

    # The receipt stays on the report's page, for the cadre and the office alike.
    for user in (world.cadre_a, world.office):
        page = client_for(user).get(reverse("report-detail", args=[report.pk])).content.decode()
        receipt = page.split('data-testid="report-receipt"')[1].split("</section>")[0]
        assert "报送回执" in receipt and "2026-03-17 10:00" in receipt and "第 1 版" in receipt
        assert "按时报送" in receipt and "逾期报送" not in receipt


def test_late_own_submission_says_late_on_the_page_and_in_the_receipt(world, periods, client_for):
    report = draft(world, periods)
    client = client_for(world.cadre_a)
    with time_machine.travel(AFTER_DUE, tick=False):
        form = client.get(reverse("report-edit", args=[report.pk])).content.decode()
        response = submit_page(client, report)
    assert FIRST_LATE_WARNING in form
    assert not Notification.objects.exists()
    page = response.content.decode()
    assert "第 1 版已于 2026-03-20 09:00 报送督查室，记为逾期报送。" in page
    receipt = page.split('data-testid="report-receipt"')[1].split("</section>")[0]
    assert "逾期报送" in receipt


def test_the_warning_is_hidden_until_the_due_moment_and_says_when_it_passes(
    world, periods, client_for
):
    report = draft(world, periods)
    client = client_for(world.cadre_a)
    with time_machine.travel(datetime.datetime(2026, 3, 18, 23, 59, 0, tzinfo=SHANGHAI)):
        response = client.get(reverse("report-edit", args=[report.pk]))
    assert response.context["due_in"] in (58, 59)
    page = response.content.decode()
    assert 'data-testid="late-warning" data-show-in="59" hidden' in page or (
        'data-show-in="58" hidden' in page
    )


def test_a_paper_report_entered_by_the_office_tells_the_cadre(world, periods):
    report = draft(world, periods)
    report_submit(
        report=report, by=world.office, at=datetime.datetime(2026, 3, 19, 9, 30, tzinfo=SHANGHAI)
    )
    row = inbox(world.cadre_a).get()
    assert row.kind == StationingNotice.REPORT_SUBMITTED
    assert row.subject == "2026年3月上半月半月报已由督查员代为报送"
    assert "2026-03-19 09:30" in row.body and "逾期报送" in row.body
    assert not inbox(world.office).exists()


def test_review_tells_the_cadre_not_the_reviewer_and_again_after_a_resubmission(world, periods):
    report = draft(world, periods)
    with time_machine.travel(BEFORE_DUE, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    report = report_review(report=report, by=world.office, rating="good", comment="内容扎实")
    row = inbox(world.cadre_a, StationingNotice.REPORT_REVIEWED).get()
    assert row.subject == "2026年3月上半月半月报已审阅，评定为“良”"
    assert "评定为“良”" in row.body and "审阅意见：内容扎实" in row.body
    assert row.link == f"/reports/{report.pk}/"
    assert not inbox(world.office).exists()

    # A review is final in the services. Should a reviewed report be reopened (a data fix),
    # returned and resubmitted, its next review is told again: notices are keyed by submission.
    ProgressReport.objects.filter(pk=report.pk).update(state=ReportState.SUBMITTED)
    report.refresh_from_db()
    report = report_return(report=report, by=world.office, reason="请补充用电问题")
    report = report_save_draft(
        report=report, by=world.cadre_a, expected_version=report.version, fields={}
    )
    with time_machine.travel(LATER, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    report_review(report=report, by=world.office, rating="excellent")
    reviews = inbox(world.cadre_a, StationingNotice.REPORT_REVIEWED).order_by("pk")
    assert [n.subject[-3:] for n in reviews] == ["“良”", "“优”"]
    assert "审阅意见" not in reviews[1].body
    assert not inbox(world.cadre_a, StationingNotice.REPORT_SUBMITTED).exists()
    assert not inbox(world.office).exists()


def test_return_tells_the_cadre_not_the_office(world, periods):
    report = draft(world, periods)
    with time_machine.travel(BEFORE_DUE, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    report_return(report=report, by=world.office, reason="工作情况过于简单")
    row = inbox(world.cadre_a).get()
    assert row.kind == StationingNotice.REPORT_RETURNED
    assert "工作情况过于简单" in row.body
    assert row.link == f"/reports/{report.pk}/edit/"
    assert not inbox(world.office).exists()


def test_reviewing_through_the_page_tells_the_cadre(world, periods, client_for):
    report = draft(world, periods)
    with time_machine.travel(BEFORE_DUE, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    response = client_for(world.office).post(
        reverse("report-review", args=[report.pk]), {"rating": "fair", "comment": ""}
    )
    assert response.status_code == 302
    row = inbox(world.cadre_a).get()
    assert row.kind == StationingNotice.REPORT_REVIEWED and "“中”" in row.subject


@pytest.mark.parametrize(
    ("first_at", "warning", "late"),
    [
        (BEFORE_DUE, ON_TIME_WARNING, False),
        (AFTER_DUE, LATE_WARNING, True),
    ],
    ids=["first-on-time", "first-late"],
)
def test_the_warning_on_a_returned_report_past_due_is_how_the_resubmission_is_recorded(
    world, periods, client_for, first_at, warning, late
):
    report = draft(world, periods)
    with time_machine.travel(first_at, tick=False):
        report = report_submit(report=report, by=world.cadre_a)
    report_return(report=report, by=world.office, reason="请补充")
    client = client_for(world.cadre_a)
    with time_machine.travel(LATER, tick=False):
        form = client.get(reverse("report-edit", args=[report.pk]))
        page = form.content.decode()
        assert warning in page
        assert FIRST_LATE_WARNING not in page
        assert 'data-show-in="0">' in page  # past due: shown, not hidden
        response = submit_page(client, report, work_done="补充：协调电力增容")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.submission_count == 2
    assert report.is_late is late
    assert form.context["after_due"].is_late is late
    verdict = "逾期报送" if late else "按时报送"
    page = response.content.decode()
    assert f"第 2 版已于 2026-03-25 15:00 报送督查室，记为{verdict}。" in page
    assert "退回后重新报送的，按首次报送时间认定。" in page
    receipt = page.split('data-testid="report-receipt"')[1].split("</section>")[0]
    assert verdict in receipt and "首次报送时间" in receipt
    # The second version arrived after the due moment; it is not labelled late on its own.
    second = page.split('id="v2"')[1].split("</article>")[0]
    assert "截止后重新报送" in second
    # No inbox row confirms either of the cadre's submissions.
    assert not inbox(world.cadre_a, StationingNotice.REPORT_SUBMITTED).exists()
