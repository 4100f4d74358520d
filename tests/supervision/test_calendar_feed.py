"""The iCalendar feed: RFC 5545 as the `icalendar` package reads it, the deadlines of each role,
a secret URL that works without signing in, and a reset that makes the old URL stop working."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from core.dates import SHANGHAI
from notifications.models import CalendarFeed
from notifications.services import calendar_feed_for
from stationing.choices import ReportState
from stationing.models import ProgressReport, WorkPlan
from supervision.choices import TicketState
from tests.factories import make_ticket

NOW = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://zqfw.example.gov.cn"


@pytest.fixture
def periods(periods):
    """The shared periods fixture, as a list in due order."""
    return sorted(periods.values(), key=lambda period: period.due_at)


def feed_url(user) -> str:
    return reverse("calendar-feed", args=[calendar_feed_for(user=user).token])


def fetch(client, user) -> Calendar:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_is_a_valid_calendar(world, client, periods):
    calendar = fetch(client, world.cadre_a)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//")
    assert "张干部" in str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    found = events(calendar)
    assert found
    for uid, event in found.items():
        assert uid.endswith("@stationing")
        assert event.get("DTSTAMP") is not None
        assert event.get("DTSTART") is not None
        # All-day events: the deadline's day, ending at the start of the next.
        assert event["DTEND"].dt == event["DTSTART"].dt + datetime.timedelta(days=1)
        assert "DURATION" not in event
        assert str(event["SUMMARY"])
        assert str(event["URL"]).startswith("https://zqfw.example.gov.cn/")
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        trigger = alarm["TRIGGER"].dt
        assert datetime.timedelta(hours=-24) <= trigger < datetime.timedelta(0)


def test_cadre_gets_each_report_due_date_and_the_plan_deadline(world, client, periods):
    found = events(fetch(client, world.cadre_a))
    a = world.assignment_a
    # Periods due from 90 days back, to the programme's end.
    expected = [p for p in periods if p.due_at >= NOW - datetime.timedelta(days=90)]
    report_uids = {uid for uid in found if uid.startswith("report-")}
    assert report_uids == {f"report-{a.pk}-{p.pk}@stationing" for p in expected}
    period = expected[0]
    event = found[f"report-{a.pk}-{period.pk}@stationing"]
    due_day = period.due_at.astimezone(SHANGHAI).date()
    assert event["DTSTART"].dt == due_day
    assert event["DTEND"].dt == due_day + datetime.timedelta(days=1)
    assert str(event["URL"]) == f"https://zqfw.example.gov.cn/assignments/{a.pk}/reports/"
    assert "甲机械制造有限公司" in str(event["SUMMARY"])
    # Only their own stationing, not the other cadre's.
    assert not any(uid.startswith(f"report-{world.assignment_b.pk}-") for uid in found)


def test_cadre_gets_the_plan_deadline(world, client, periods):
    a = world.assignment_a
    a.start_date = datetime.date(2026, 11, 12)  # plan due 7 days later, on 11-19
    a.save()
    found = events(fetch(client, world.cadre_a))
    plan = found[f"plan-{a.pk}@stationing"]
    assert plan["DTSTART"].dt == datetime.date(2026, 11, 19)
    assert "工作计划" in str(plan["SUMMARY"]) and "【未报】" in str(plan["SUMMARY"])
    assert str(plan["URL"]) == f"https://zqfw.example.gov.cn/assignments/{a.pk}/plan/"
    # Periods that ended before the stationing began are not owed.
    first = min(
        (found[uid] for uid in found if uid.startswith("report-")), key=lambda e: e["DTSTART"].dt
    )
    assert first["DTSTART"].dt >= datetime.date(2026, 11, 12)

    WorkPlan.objects.create(
        programme=world.programme, enterprise=world.ent_a, first_submitted_at=NOW
    )
    plan = events(fetch(client, world.cadre_a))[f"plan-{a.pk}@stationing"]
    assert "【未报】" not in str(plan["SUMMARY"]) and "已报送" in str(plan["SUMMARY"])


def test_submitted_reports_are_not_flagged(world, client, periods):
    a = world.assignment_a
    done, missing = [p for p in periods if p.due_at >= NOW - datetime.timedelta(days=90)][:2]
    ProgressReport.objects.create(assignment=a, period=done, state=ReportState.SUBMITTED)
    ProgressReport.objects.create(assignment=a, period=missing, state=ReportState.DRAFT)
    found = events(fetch(client, world.cadre_a))
    assert "【未报】" not in str(found[f"report-{a.pk}-{done.pk}@stationing"]["SUMMARY"])
    assert "已报送" in str(found[f"report-{a.pk}-{done.pk}@stationing"]["SUMMARY"])
    assert "【未报】" in str(found[f"report-{a.pk}-{missing.pk}@stationing"]["SUMMARY"])


def test_uids_are_stable_across_fetches(world, client, periods, frozen):
    first = set(events(fetch(client, world.cadre_a)))
    frozen.shift(datetime.timedelta(hours=3))
    assert set(events(fetch(client, world.cadre_a))) == first


def test_department_gets_its_units_ticket_deadlines(world, client, periods):
    ticket = make_ticket(world, TicketState.ASSIGNED)
    found = events(fetch(client, world.department))
    event = found[f"ticket-{ticket.pk}@stationing"]
    assert event["DTSTART"].dt == ticket.deadline.astimezone(SHANGHAI).date()
    assert ticket.number in str(event["SUMMARY"]) and "用电增容" in str(event["SUMMARY"])
    assert str(event["URL"]) == f"https://zqfw.example.gov.cn/tickets/{ticket.pk}/"
    # The cadre who raised it does not get the department's deadline.
    assert f"ticket-{ticket.pk}@stationing" not in events(fetch(client, world.cadre_a))


def test_office_gets_the_programme_due_dates(world, client, periods):
    found = events(fetch(client, world.office))
    upcoming = [p for p in periods if p.due_at >= NOW - datetime.timedelta(days=90)]
    assert {f"period-{p.pk}@stationing" for p in upcoming} <= set(found)


def test_a_user_without_deadlines_gets_an_empty_valid_calendar(world, client):
    calendar = fetch(client, world.outsider)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.walk("VEVENT") == []


def test_unknown_token_is_404(world, client):
    assert client.get(reverse("calendar-feed", args=["no-such-token"])).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_inactive_user_feed_is_404(world, client):
    url = feed_url(world.cadre_a)
    world.cadre_a.is_active = False
    world.cadre_a.save()
    assert client.get(url).status_code == 404


def test_reset_makes_the_old_url_stop_working(world, client_for, periods):
    client = client_for(world.cadre_a)
    html = client.get(reverse("notification-settings")).content.decode()
    old_token = CalendarFeed.objects.get(user=world.cadre_a).token
    old_url = reverse("calendar-feed", args=[old_token])
    assert f"webcal://zqfw.example.gov.cn{old_url}" in html
    assert f"https://zqfw.example.gov.cn{old_url}" in html
    assert client.get(old_url).status_code == 200

    response = client.post(reverse("calendar-feed-reset"))
    assert response.status_code == 302
    new_token = CalendarFeed.objects.get(user=world.cadre_a).token
    assert new_token != old_token
    assert client.get(old_url).status_code == 404
    assert client.get(reverse("calendar-feed", args=[new_token])).status_code == 200
    html = client.get(reverse("notification-settings")).content.decode()
    assert new_token in html and old_token not in html


def test_reset_needs_post(world, client_for):
    client = client_for(world.cadre_a)
    assert client.get(reverse("calendar-feed-reset")).status_code == 405
