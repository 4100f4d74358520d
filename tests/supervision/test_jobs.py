"""Scheduled jobs with time frozen: the right people are told once, on the right day in
Asia/Shanghai, and a red card escalates a ticket once per deadline.

Jobs run as beat runs them (`run_job`, no `now` argument: the frozen clock decides the day). The
tasks run eagerly, so e-mails reach `mail.outbox` when the captured on-commit hooks run.
"""

import datetime
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.dates import SHANGHAI
from notifications.jobs import JOBS, run_job
from notifications.models import JobRun, Notification, WebhookDelivery
from stationing.choices import StationingNotice
from stationing.services import (
    report_get_or_create_draft,
    report_save_draft,
    report_submit,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)
from supervision.choices import EventKind, Level, SupervisionNotice, TicketState
from supervision.models import Ticket
from supervision.services import (
    ticket_decide_extension,
    ticket_progress,
    ticket_request_extension,
)
from tests.factories import make_handler, make_ticket

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
QUARTER = datetime.timedelta(minutes=15)
DAY = datetime.timedelta(days=1)
ROBOT_URL = "https://robot.example.com/send?key=finance"

REPORT_KINDS = [
    StationingNotice.REPORT_DUE_SOON,
    StationingNotice.REPORT_DUE_TODAY,
    StationingNotice.REPORT_OVERDUE,
]
PLAN_KINDS = [StationingNotice.PLAN_DUE_SOON, StationingNotice.PLAN_OVERDUE]
TICKET_KINDS = [SupervisionNotice.TICKET_YELLOW, SupervisionNotice.TICKET_RED]


def sh(*args) -> datetime.datetime:
    """A wall-clock moment in Asia/Shanghai."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


# --- Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def people(world):
    """Everyone in the world gets an e-mail address (without one, no e-mail is attempted), and
    the finance bureau, which dispatched cadre_b and handles tickets, gets a second handler."""
    world.handler2 = make_handler(
        world.finance_bureau, "handler2", name="第二经办人", phone="13900000101"
    )
    # A handler of the unit that dispatched cadre_a (who reports on time): never told anything.
    world.dev_handler = make_handler(
        world.dev_bureau, "dev_handler", name="发改局经办人", phone="13900000102"
    )
    for user in [
        world.office,
        world.leader,
        world.cadre_a,
        world.cadre_b,
        world.department,
        world.enterprise_a,
        world.handler2,
        world.dev_handler,
    ]:
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return world


@pytest.fixture
def robot(monkeypatch):
    """Chat-robot POSTs are recorded instead of leaving the machine."""
    posts = []

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, *args):
            return b'{"errcode": 0}'

    def urlopen(request, timeout=None):
        posts.append((request.full_url, json.loads(request.data.decode())))
        return Response()

    monkeypatch.setattr("notifications.delivery.urllib.request.urlopen", urlopen)
    return posts


@pytest.fixture
def periods(periods):
    """The shared periods fixture, keyed by their first day ("2026-10-16")."""
    return {p.start.isoformat(): p for p in periods.values()}


@pytest.fixture
def run_at(at):
    """run_at(name, moment): the job as beat runs it at that moment."""

    def run(name, moment):
        return at(moment, run_job, name)

    return run


def rows(kinds):
    return set(
        Notification.objects.filter(kind__in=kinds).values_list("kind", "recipient__username")
    )


class Watch:
    """What a step added: new (kind, recipient) rows and e-mails."""

    def __init__(self, kinds):
        self.kinds = kinds
        self.seen_rows = rows(kinds)
        self.seen_mail = len(mail.outbox)

    def new(self):
        now = rows(self.kinds)
        added, self.seen_rows = now - self.seen_rows, now
        mails, self.seen_mail = mail.outbox[self.seen_mail :], len(mail.outbox)
        return added, mails


def submit_report(assignment, period, by):
    report = report_get_or_create_draft(assignment=assignment, period=period, by=by)
    report = report_save_draft(
        report=report,
        by=by,
        expected_version=None,
        fields={"work_done": "走访企业，协调用电增容。", "days_on_site": 8},
    )
    return report_submit(report=report, by=by)


def submit_plan(world, enterprise, by):
    plan = work_plan_get_or_create(programme=world.programme, enterprise=enterprise, by=by)
    plan = work_plan_save_draft(
        plan=plan,
        by=by,
        expected_version=None,
        summary="一企一策",
        items=[
            {
                "area": "difficulties",
                "title": "协调流动资金贷款",
                "target": "6月底前落实贷款2000万元",
                "owner": "张干部",
                "due_date": "2026-06-30",
            }
        ],
    )
    return work_plan_submit(plan=plan, by=by)


# --- 1. Half-monthly report reminders ---------------------------------------------------------


def test_report_reminders_fall_on_shanghai_days_across_a_month_end(
    people, periods, robot, at, run_at
):
    world = people
    world.finance_bureau.webhook_url = ROBOT_URL
    world.finance_bureau.save()
    october = periods["2026-10-16"]  # 16-31 October, due three days after the month end
    assert october.due_at == sh(2026, 11, 3, 23, 59, 59)
    at(sh(2026, 10, 31, 18), submit_report, world.assignment_a, october, world.cadre_a)
    watch = Watch(REPORT_KINDS)
    soon, today, overdue = REPORT_KINDS
    job = "stationing-report-reminders"

    # 31 Oct 23:59 in Shanghai: still two days and more before 3 Nov.
    run_at(job, sh(2026, 10, 31, 23, 59))
    assert watch.new() == (set(), [])
    # One minute past midnight in Shanghai is still 31 Oct in UTC, but it is 1 Nov here.
    assert sh(2026, 11, 1, 0, 1).astimezone(UTC).date() == datetime.date(2026, 10, 31)
    run_at(job, sh(2026, 11, 1, 0, 1))
    added, mails = watch.new()
    assert added == {(soon, "cadre_b")}  # cadre_a submitted: nothing for them
    assert [m.to for m in mails] == [["cadre_b@example.com"]]
    assert "将于 2026-11-03 23:59 截止" in mails[0].subject
    # The 8:00 run the same day adds nothing.
    run_at(job, sh(2026, 11, 1, 8))
    assert watch.new() == (set(), [])

    # 2 Nov: nothing, up to the last minute of the day.
    run_at(job, sh(2026, 11, 2, 8))
    run_at(job, sh(2026, 11, 2, 23, 59))
    assert watch.new() == (set(), [])

    # 3 Nov 00:01 in Shanghai (= 2 Nov 16:01 UTC): the due day.
    run_at(job, datetime.datetime(2026, 11, 2, 16, 1, tzinfo=UTC))
    added, mails = watch.new()
    assert added == {(today, "cadre_b")}
    assert [m.to for m in mails] == [["cadre_b@example.com"]]
    assert "今日截止" in mails[0].subject
    run_at(job, sh(2026, 11, 3, 8))
    assert watch.new() == (set(), [])

    # 4 Nov: overdue, to the cadre and the handlers of the unit that dispatched them (not the
    # handlers of another unit), and one robot message for that unit.
    run_at(job, sh(2026, 11, 4, 8))
    added, mails = watch.new()
    assert added == {(overdue, "cadre_b"), (overdue, "department"), (overdue, "handler2")}
    assert sorted(m.to[0] for m in mails) == [
        "cadre_b@example.com",
        "department@example.com",
        "handler2@example.com",
    ]
    assert all("李干部的2026年10月下半月半月报逾期未报" in m.subject for m in mails)
    hooks = WebhookDelivery.objects.filter(kind=overdue)
    assert [(h.unit, h.state) for h in hooks] == [(world.finance_bureau, "sent")]
    report_hooks = [body for url, body in robot if "至今未报送" in body["text"]["content"]]
    assert len(report_hooks) == 1 and robot[-1][0] == ROBOT_URL
    assert "李干部（驻乙纺织有限公司）" in report_hooks[0]["text"]["content"]
    # Only the cadre's copy links to the reports page: the unit's handlers may not open it.
    link = f"/assignments/{world.assignment_b.pk}/reports/"
    assert [m.to[0] for m in mails if link in m.body] == ["cadre_b@example.com"]
    assert link not in report_hooks[0]["text"]["content"]

    # Running again that day, and catching up the next days, repeats nothing.
    run_at(job, sh(2026, 11, 4, 8))
    run_at(job, sh(2026, 11, 5, 8))
    run_at(job, sh(2026, 11, 7, 8))
    assert watch.new() == (set(), [])
    assert WebhookDelivery.objects.filter(kind=overdue).count() == 1
    assert Notification.objects.filter(kind__in=REPORT_KINDS).count() == 5
    assert not Notification.objects.filter(
        kind__in=REPORT_KINDS, recipient__in=[world.cadre_a, world.dev_handler]
    ).exists()


def test_a_cadre_who_submits_after_the_reminder_is_not_told_it_is_overdue(
    people, periods, at, run_at
):
    world = people
    october = periods["2026-10-16"]
    run_at("stationing-report-reminders", sh(2026, 11, 1, 8))
    at(sh(2026, 11, 3, 20), submit_report, world.assignment_b, october, world.cadre_b)
    run_at("stationing-report-reminders", sh(2026, 11, 4, 8))
    assert rows(REPORT_KINDS) == {
        (StationingNotice.REPORT_DUE_SOON, "cadre_a"),
        (StationingNotice.REPORT_DUE_SOON, "cadre_b"),
        (StationingNotice.REPORT_OVERDUE, "cadre_a"),
        (StationingNotice.REPORT_OVERDUE, "dev_handler"),
    }


# --- 2. Work plan reminders -------------------------------------------------------------------


def test_plan_reminders_two_days_before_on_the_day_and_the_day_after(people, at, run_at):
    """Both stationings start on 1 March; the plan is due 7 days later, on 8 March."""
    world = people
    at(sh(2026, 3, 5, 10), submit_plan, world, world.ent_a, world.cadre_a)
    watch = Watch(PLAN_KINDS)
    soon, overdue = PLAN_KINDS
    job = "stationing-plan-reminders"

    run_at(job, sh(2026, 3, 5, 8, 5))
    assert watch.new() == (set(), [])
    run_at(job, sh(2026, 3, 6, 8, 5))
    added, mails = watch.new()
    assert added == {(soon, "cadre_b")}  # ent_a's plan is in: cadre_a hears nothing
    assert [m.subject for m in mails] == [
        "【驻企服务平台】乙纺织有限公司一企一策工作计划应于 2026-03-08 前报送"
    ]
    run_at(job, sh(2026, 3, 6, 8, 5))
    run_at(job, sh(2026, 3, 7, 8, 5))
    run_at(job, sh(2026, 3, 7, 23, 59))
    assert watch.new() == (set(), [])

    # On the day itself (from one minute past midnight, Shanghai): a second reminder.
    run_at(job, sh(2026, 3, 8, 0, 1))
    assert Notification.objects.filter(kind=soon, recipient=world.cadre_b).count() == 2
    _added, mails = watch.new()
    assert [m.to for m in mails] == [["cadre_b@example.com"]]
    run_at(job, sh(2026, 3, 8, 8, 5))
    assert watch.new() == (set(), [])
    assert Notification.objects.filter(kind=soon, recipient=world.cadre_b).count() == 2

    # The day after: overdue, to the cadre and their dispatching unit's handlers.
    run_at(job, sh(2026, 3, 9, 8, 5))
    added, mails = watch.new()
    assert added == {(overdue, "cadre_b"), (overdue, "department"), (overdue, "handler2")}
    assert len(mails) == 3
    assert "逾期未报" in mails[0].subject
    run_at(job, sh(2026, 3, 9, 8, 5))
    run_at(job, sh(2026, 3, 10, 8, 5))
    run_at(job, sh(2026, 3, 12, 8, 5))
    assert watch.new() == (set(), [])
    assert Notification.objects.filter(kind__in=PLAN_KINDS).count() == 5
    assert not Notification.objects.filter(kind__in=PLAN_KINDS, recipient=world.cadre_a).exists()


# --- 3. Ticket cards --------------------------------------------------------------------------

MONDAY = sh(2026, 11, 16, 9)


def assigned_ticket(world, at, when=MONDAY):
    return at(when, make_ticket, world, TicketState.ASSIGNED, leader=world.leader)


def every_quarter(run_at, start, count):
    for n in range(count):
        run_at("supervision-ticket-cards", start + n * QUARTER)


def escalations(ticket):
    return ticket.events.filter(kind=EventKind.ESCALATE).count()


def test_red_card_escalates_once_per_ticket_per_deadline(people, robot, at, run_at):
    world = people
    world.finance_bureau.webhook_url = ROBOT_URL
    world.finance_bureau.save()
    ticket = assigned_ticket(world, at)
    at(MONDAY + DAY, ticket_progress, ticket=ticket, by=world.department, comment="已对接供电")
    ticket.refresh_from_db()
    assert ticket.owner == world.department
    deadline, yellow_at = ticket.deadline, ticket.yellow_at
    assert deadline == sh(2026, 11, 30, 23, 59, 59)
    watch = Watch(TICKET_KINDS)
    yellow, red = TICKET_KINDS

    every_quarter(run_at, MONDAY, 4)
    run_at("supervision-ticket-cards", yellow_at - MINUTE)
    assert watch.new() == (set(), [])

    # Yellow: the owner only, once, however often the job runs.
    every_quarter(run_at, yellow_at, 12)
    added, mails = watch.new()
    assert added == {(yellow, "department")}
    assert [m.to for m in mails] == [["department@example.com"]]
    assert "黄牌预警" in mails[0].subject
    # While still yellow, the owner asks for five more working days.
    at(
        yellow_at + 2 * QUARTER,
        ticket_request_extension,
        ticket=ticket,
        by=world.department,
        days=5,
        reason="设备到货延迟",
    )
    # The office is told of the request (supervision.notices), by e-mail too.
    assert [m.to for m in watch.new()[1]] == [["office@example.com"]]
    run_at("supervision-ticket-cards", deadline - MINUTE)
    assert watch.new() == (set(), [])

    # Red, one second after the deadline: owner, leader and office; urged, one level up.
    every_quarter(run_at, deadline + datetime.timedelta(seconds=1), 12)
    run_at("supervision-ticket-cards", deadline + DAY)
    added, mails = watch.new()
    assert added == {(red, "department"), (red, "leader"), (red, "office")}
    assert sorted(m.to[0] for m in mails) == [
        "department@example.com",
        "leader@example.com",
        "office@example.com",
    ]
    assert all("红牌督办" in m.subject for m in mails)
    ticket.refresh_from_db()
    assert ticket.is_urged and ticket.level == Level.CITY
    assert ticket.escalation_count == 1 and escalations(ticket) == 1
    assert ticket.escalated_for_deadline == deadline
    assert WebhookDelivery.objects.filter(kind=red).count() == 1
    assert sum("红牌督办" in body["text"]["content"] for _url, body in robot) == 1

    # The office approves the extension late: a new deadline, which may be escalated again.
    at(
        deadline + DAY + MINUTE,
        ticket_decide_extension,
        ticket=ticket,
        by=world.office,
        approve=True,
    )
    ticket.refresh_from_db()
    new_deadline = ticket.deadline
    assert new_deadline == sh(2026, 12, 7, 23, 59, 59)
    every_quarter(run_at, deadline + DAY + 2 * MINUTE, 4)
    run_at("supervision-ticket-cards", new_deadline - MINUTE)
    added, _mails = watch.new()
    assert (red, "department") not in added  # yellow again, perhaps; never red before time
    assert escalations(ticket) == 1

    every_quarter(run_at, new_deadline + datetime.timedelta(seconds=1), 8)
    run_at("supervision-ticket-cards", new_deadline + 3 * DAY)
    ticket.refresh_from_db()
    assert ticket.escalation_count == 2 and escalations(ticket) == 2
    assert ticket.escalated_for_deadline == new_deadline
    assert ticket.level == Level.CITY  # already at the top of the ladder
    red_rows = Notification.objects.filter(kind=red)
    assert red_rows.count() == 6
    assert set(red_rows.values_list("period_key", flat=True)) == {
        f"deadline:{deadline.isoformat()}",
        f"deadline:{new_deadline.isoformat()}",
    }
    assert WebhookDelivery.objects.filter(kind=red).count() == 2


def test_cards_of_a_ticket_nobody_owns_go_to_the_units_handlers(people, robot, at, run_at):
    world = people
    ticket = assigned_ticket(world, at)
    assert ticket.owner is None
    watch = Watch(TICKET_KINDS)
    yellow, red = TICKET_KINDS
    every_quarter(run_at, ticket.yellow_at, 4)
    assert watch.new()[0] == {(yellow, "department"), (yellow, "handler2")}
    every_quarter(run_at, ticket.deadline + MINUTE, 4)
    assert watch.new()[0] == {
        (red, "department"),
        (red, "handler2"),
        (red, "leader"),
        (red, "office"),
    }
    ticket.refresh_from_db()
    assert ticket.escalation_count == 1 and ticket.state == TicketState.ASSIGNED


def test_a_ticket_answered_in_time_gets_no_card(people, at, run_at):
    from supervision.services import ticket_answer

    world = people
    ticket = assigned_ticket(world, at)
    at(MONDAY + DAY, ticket_answer, ticket=ticket, by=world.department, answer="已增容")
    every_quarter(run_at, ticket.yellow_at, 2)
    every_quarter(run_at, ticket.deadline + MINUTE, 2)
    assert rows(TICKET_KINDS) == set()
    assert Ticket.objects.get(pk=ticket.pk).escalation_count == 0


# --- 4. Digests -------------------------------------------------------------------------------


def test_office_digest_only_when_there_is_something_to_say(people, run_at):
    """Nothing pending (no periods due, no tickets, no plans): no notification at all."""
    assert run_at("supervision-office-digest", sh(2026, 11, 4, 8, 30)) == "0 office digests"
    assert not Notification.objects.filter(kind=SupervisionNotice.OFFICE_DIGEST).exists()
    assert mail.outbox == []


def test_office_digest_counts_what_needs_the_office(people, periods, at, run_at):
    world = people
    at(
        sh(2026, 10, 31, 18),
        submit_report,
        world.assignment_a,
        periods["2026-10-16"],
        world.cadre_a,
    )
    # A ticket assigned on 19 October whose ten working days ran out on 2 November, another
    # raised on 3 November that the office has not accepted, and a plan awaiting approval.
    red = assigned_ticket(world, at, when=sh(2026, 10, 19, 9))
    assert red.deadline < sh(2026, 11, 4)
    at(
        sh(2026, 11, 3, 10),
        make_ticket,
        world,
        by=world.enterprise_a,
        category="land",
        title="用地指标",
        description="扩建需新增用地",
    )
    at(sh(2026, 11, 3, 11), submit_plan, world, world.ent_b, world.cadre_b)
    mail.outbox.clear()
    digest = SupervisionNotice.OFFICE_DIGEST

    run_at("supervision-office-digest", sh(2026, 11, 4, 8, 30))
    run_at("supervision-office-digest", sh(2026, 11, 4, 17))
    (row,) = Notification.objects.filter(kind=digest)
    assert row.recipient == world.office and row.period_key == "2026-11-04"
    assert row.body == (
        "逾期未报半月报 1 份；待审阅半月报 1 份；待审批工作计划 1 份；"
        "待受理诉求 1 件；红牌诉求 1 件。"
    )
    (message,) = mail.outbox
    assert message.subject == "【驻企服务平台】督查室每日摘要（2026-11-04）"
    assert message.to == ["office@example.com"]
    # The next day is another digest.
    run_at("supervision-office-digest", sh(2026, 11, 5, 8, 30))
    assert Notification.objects.filter(kind=digest).count() == 2


def test_leader_weekly_digest(people, periods, at, run_at):
    world = people
    digest = SupervisionNotice.LEADER_DIGEST
    # A quiet week: nothing to say.
    assert run_at("supervision-leader-digest", sh(2026, 11, 2, 8, 30)) == "0 leader digests"
    # cadre_a reports a day late on Wednesday; cadre_b raises a ticket the leader takes on.
    at(sh(2026, 11, 4, 10), submit_report, world.assignment_a, periods["2026-10-16"], world.cadre_a)
    assigned_ticket(world, at, when=sh(2026, 11, 5, 9))
    mail.outbox.clear()

    run_at("supervision-leader-digest", sh(2026, 11, 9, 8, 30))
    run_at("supervision-leader-digest", sh(2026, 11, 9, 9, 30))
    (row,) = Notification.objects.filter(kind=digest)
    assert row.recipient == world.leader and row.period_key == "2026-W46"
    assert row.body == (
        "本周报送半月报 1 份（逾期 1 份）；新提诉求 1 件，办结 0 件；"
        "当前红牌诉求 0 件；您包案在办 1 件。"
    )
    (message,) = mail.outbox
    assert message.subject == "【驻企服务平台】驻企工作每周摘要（2026年第46周）"
    assert message.to == ["leader@example.com"]


# --- 7, 8. The schedule: run_due_jobs, sync_schedules, beat entries ---------------------------


def test_sync_schedules_writes_one_entry_per_registered_job(db):
    """Migrations create no beat entries (they must not import live code); the deploy step
    `sync_schedules` writes one per job that an app registered, and removes entries of ours
    whose job is gone (a renamed job must not keep running under its old name)."""
    assert {"stationing-report-reminders", "supervision-ticket-cards"} <= set(JOBS)
    assert "notifications-delivery-scan" in JOBS
    old = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(
        name="supervision-delivery-scan", task="supervision.run_job", crontab=old
    )
    PeriodicTask.objects.create(name="someone-elses", task="other.task", crontab=old)
    call_command("sync_schedules", stdout=io.StringIO())
    tasks = PeriodicTask.objects.filter(task="notifications.run_job")
    assert set(tasks.values_list("name", flat=True)) == set(JOBS)
    assert not PeriodicTask.objects.filter(name="supervision-delivery-scan").exists()
    assert PeriodicTask.objects.filter(name="someone-elses").exists()
    for task in tasks:
        assert json.loads(task.args) == [task.name]
        assert task.crontab.timezone.key == "Asia/Shanghai"
        assert task.enabled


def test_sync_schedules_is_idempotent(db):
    PeriodicTask.objects.filter(name__in=list(JOBS)).delete()
    out = io.StringIO()
    call_command("sync_schedules", stdout=out)
    assert out.getvalue().split() == list(JOBS)
    crontabs = CrontabSchedule.objects.count()
    call_command("sync_schedules", stdout=io.StringIO())
    assert CrontabSchedule.objects.count() == crontabs
    assert PeriodicTask.objects.filter(name__in=list(JOBS)).count() == len(JOBS)
    report = PeriodicTask.objects.get(name="stationing-report-reminders")
    assert (report.crontab.minute, report.crontab.hour) == ("0", "8")
    assert report.crontab.timezone.key == "Asia/Shanghai"
    leader = PeriodicTask.objects.get(name="supervision-leader-digest").crontab
    assert (leader.minute, leader.hour, leader.day_of_week) == ("30", "8", "1")


def run_due_jobs(moment) -> dict[str, str]:
    out = io.StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("run_due_jobs", stdout=out)
    return dict(line.split(": ", 1) for line in out.getvalue().splitlines())


def test_run_due_jobs_runs_each_job_once_then_waits_for_its_schedule(people):
    first = run_due_jobs(sh(2026, 11, 4, 7))
    assert set(first) == set(JOBS)
    assert "not due" not in first.values()
    assert first["stationing-report-reminders"].endswith("report notifications")
    assert set(JobRun.objects.values_list("name", flat=True)) == set(JOBS)

    # Same moment again: nothing has come round.
    assert run_due_jobs(sh(2026, 11, 4, 7)) == dict.fromkeys(JOBS, "not due")
    # 8:00:30 Shanghai: the 8:00 reminders, the every-minute scan and the quarter-hourly cards
    # are due; the 8:05 plan reminders, the 8:10-8:20 project reminders, the 8:30 digests, the
    # 1:10 appraisal drafts and the 1:20 bulletin drafts are not.
    later = run_due_jobs(sh(2026, 11, 4, 8, 0, 30))
    not_due = {name for name, result in later.items() if result == "not due"}
    assert not_due == {
        "stationing-plan-reminders",
        "supervision-office-digest",
        "supervision-leader-digest",
        "supervision-appraisal-drafts",
        "supervision-bulletin-drafts",
        "projects-milestone-reminders",
        "projects-progress-reminders",
        "projects-formality-reminders",
    }
    # Wednesday 8:30: the daily office digest, not the Monday leader digest.
    later = run_due_jobs(sh(2026, 11, 4, 8, 30, 30))
    assert later["supervision-office-digest"] != "not due"
    assert later["supervision-leader-digest"] == "not due"
    run = JobRun.objects.get(name="supervision-office-digest")
    assert run.last_started_at == sh(2026, 11, 4, 8, 30, 30)
    assert run.last_result == later["supervision-office-digest"]


def test_run_due_jobs_all_runs_everything(people):
    run_due_jobs(sh(2026, 11, 4, 7))
    out = io.StringIO()
    with time_machine.travel(sh(2026, 11, 4, 7), tick=False):
        call_command("run_due_jobs", "--all", stdout=out)
    assert "not due" not in out.getvalue()
    assert len(out.getvalue().splitlines()) == len(JOBS)


# --- Links ------------------------------------------------------------------------------------


def test_every_recipient_can_open_what_they_are_told_about(people, periods, at, run_at, client):
    """The inbox links each notification to its object: the page must open for that recipient
    (a notice without a link opens the inbox itself)."""
    world = people
    run_at("stationing-report-reminders", sh(2026, 11, 4, 8))
    run_at("stationing-plan-reminders", sh(2026, 3, 9, 8, 5))
    ticket = assigned_ticket(world, at)
    run_at("supervision-ticket-cards", ticket.yellow_at + MINUTE)
    run_at("supervision-ticket-cards", ticket.deadline + MINUTE)
    run_at("supervision-office-digest", sh(2026, 11, 4, 8, 30))
    run_at("supervision-leader-digest", sh(2026, 11, 30, 8, 30))
    notifications = Notification.objects.exclude(kind=SupervisionNotice.TICKET_ASSIGNED)
    assert {n.kind for n in notifications} == {
        *REPORT_KINDS[2:],
        *PLAN_KINDS[1:],
        *TICKET_KINDS,
        SupervisionNotice.TICKET_RAISED,
        SupervisionNotice.TICKET_ACCEPTED,
        SupervisionNotice.OFFICE_DIGEST,
        SupervisionNotice.LEADER_DIGEST,
    }
    dead = []
    for notification in notifications.select_related("recipient"):
        client.force_login(notification.recipient)
        response = client.get(f"/notifications/{notification.pk}/open/", follow=True)
        if response.status_code != 200:
            dead.append((notification.kind, notification.recipient.username, notification.link))
    assert dead == [], "\n".join(map(str, dead))
