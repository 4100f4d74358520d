"""The end-of-period appraisal (issue 11): every component of a hand-built programme computed by
hand here, the quota and ranking rules, determinism, immutability, the query count of a run,
concurrent starts, the cadre rating, scoping and the scheduled draft.

Dates are Asia/Shanghai. The half-month periods of the world programme: 1 = 1-15 March 2026 (due
18 March 23:59:59), 2 = 16-31 March (due 3 April), 3 = 1-15 April (due 18 April), 4 = 16-30 April
(due 3 May). As of D = 20 April 2026 periods 1-3 are expected.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.choices import Role
from core.dates import SHANGHAI
from notifications.jobs import run_job
from notifications.models import Notification
from stationing.models import ProgressReport, ReportPeriod
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_plan_approve,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)
from supervision.choices import AppraisalGrade, AppraisalState, SupervisionNotice, TicketState
from supervision.models import AppraisalRun, CadreRating, CadreResult
from supervision.selectors import (
    appraisal_compare,
    appraisal_run_list,
    cadre_result_list,
    department_result_list,
    unit_result_list,
    work_group_result_list,
)
from supervision.services import (
    AppraisalBusyError,
    appraisal_publish,
    appraisal_run_create,
    cadre_rate,
    ticket_answer,
    ticket_decide_extension,
    ticket_rate,
    ticket_request_extension,
)
from supervision.services import appraisal as appraisal_service

from ..factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProfileFactory,
    ProgrammeFactory,
    UnitFactory,
    make_handler,
    make_person,
    make_ticket,
)

D = datetime.date(2026, 4, 20)


def moment(month, day, hour=10, year=2026):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def approved_plan(at, programme, enterprise, items, when):
    """A plan with `items` [(title, due date)], submitted and approved at `when`."""
    plan = work_plan_get_or_create(programme=programme, enterprise=enterprise, by=None)
    plan = work_plan_save_draft(
        plan=plan,
        by=None,
        expected_version=None,
        summary="一企一策",
        items=[
            {"area": "strategy", "title": title, "target": "完成", "owner": "张", "due_date": due}
            for title, due in items
        ],
    )
    at(when, work_plan_submit, plan=plan, by=None)
    at(when, work_plan_approve, plan=plan, by=None)
    return {item.title: item for item in plan.items.all()}


def hand_in(at, assignment, period, when, days, items=()):
    report = report_get_or_create_draft(assignment=assignment, period=period, by=None)
    report = report_save_draft(
        report=report,
        by=None,
        expected_version=None,
        fields={
            "work_done": "走访企业",
            "days_on_site": days,
            "behind_reason": "无",
            "remedy": "无",
        },
        item_progress=[
            {"item": item.pk, "progress": progress, "status": status}
            for item, progress, status in items
        ],
    )
    return at(when, report_submit, report=report, by=None)


def values(result: CadreResult) -> tuple:
    return (
        result.cadre_id,
        result.reports,
        result.attendance,
        result.plan,
        result.problems,
        result.enterprise_rating,
        result.office_rating,
        result.total,
        result.grade,
        result.quota_moved,
        result.rank,
        result.expected_entries,
        result.reports_on_time,
        result.reports_late,
        result.reports_missing,
        result.days_on_site,
        result.plan_items,
        result.tickets_counted,
        result.ratings_counted,
        result.reviews_counted,
    )


@pytest.fixture
def scenario(world, periods, at):
    """cadre_a at ent_a and cadre_b at ent_b, with what each component needs (see the test)."""
    w = world
    items = approved_plan(
        at,
        w.programme,
        w.ent_a,
        [
            ("技改项目", datetime.date(2026, 4, 10)),
            ("融资对接", datetime.date(2026, 4, 15)),
            ("上市辅导", datetime.date(2026, 5, 31)),  # due after D: not counted
        ],
        moment(3, 8),
    )
    one, two = items["技改项目"], items["融资对接"]
    # cadre_a: period 1 on time, period 2 late, period 3 on time then returned and resubmitted
    # after its due moment (and after D): the first submission counts.
    r1 = hand_in(at, w.assignment_a, periods[1], moment(3, 17), 8, [(one, 50, "in_progress")])
    r2 = hand_in(at, w.assignment_a, periods[2], moment(4, 5), 6)
    r3 = hand_in(
        at,
        w.assignment_a,
        periods[3],
        moment(4, 10),
        7,
        [(one, 60, "in_progress"), (two, 30, "done")],
    )
    at(moment(3, 20), report_review, report=r1, by=None, rating="excellent")
    at(moment(4, 8), report_review, report=r2, by=None, rating="good")
    at(moment(4, 12), report_return, report=r3, by=None, reason="请补充数据")
    r3.refresh_from_db()
    at(moment(4, 25), report_submit, report=r3, by=None)
    # cadre_b: period 1 late, periods 2 and 3 missing; ent_b has no plan.
    hand_in(at, w.assignment_b, periods[1], moment(3, 20), 4)
    # Tickets of ent_a (2 working days each, assigned 9 March: deadline 11 March).
    critical = {"urgency": "critical"}
    at(moment(3, 9), make_ticket, w, TicketState.CLOSED, title="用电增容", **critical)  # 满意
    basic = at(moment(3, 9), make_ticket, w, TicketState.ANSWERED, title="融资对接", **critical)
    at(moment(3, 10), ticket_rate, ticket=basic, by=w.enterprise_a, satisfaction="basic")
    at(moment(3, 9), make_ticket, w, TicketState.IN_PROGRESS, title="道路维修", **critical)  # red
    at(moment(3, 9), make_ticket, w, TicketState.WITHDRAWN, **critical)  # never counts
    at(moment(4, 15), make_ticket, w, TicketState.SUBMITTED, **critical)  # open, no deadline
    # Ratings of cadre_a: enterprise_a 3 then 5 (the latest counts), a second contact 4; a
    # rating after D does not count as of D.
    second = make_person(
        "enterprise_a2", [Role.ENTERPRISE], name="甲公司财务", phone=None, enterprise=w.ent_a
    )
    for who, stars, when in (
        (w.enterprise_a, 3, moment(3, 20)),
        (w.enterprise_a, 5, moment(4, 1)),
        (second, 4, moment(4, 2)),
        (w.enterprise_a, 1, moment(4, 25)),
    ):
        at(when, cadre_rate, by=who, cadre=w.cadre_a.profile, programme=w.programme, stars=stars)
    return w


def run_as_of(at, programme, by=None, as_of=D, reason=""):
    return at(
        moment(5, 6),
        appraisal_run_create,
        programme=programme,
        as_of=as_of,
        by=by,
        reason=reason,
    )


def test_every_component_by_hand(scenario, at):
    w = scenario
    run = run_as_of(at, w.programme, by=w.office)
    assert run.state == AppraisalState.DRAFT and run.number == 1
    assert run.settings_snapshot["weights"] == {
        "reports": 25,
        "attendance": 15,
        "plan": 25,
        "problems": 15,
        "enterprise_rating": 10,
        "office_rating": 10,
    }
    a = run.cadres.get(cadre=w.cadre_a.profile)
    # R = 100 × (2 on time + ½ × 1 late) ÷ 3 = 83.333…
    assert (a.expected_entries, a.reports_on_time, a.reports_late, a.reports_missing) == (
        3,
        2,
        1,
        0,
    )
    assert a.reports == Decimal("83.33")
    # A = 100 × min(1, (8 + 6 + 7) ÷ (8 × 3)) = 87.5
    assert a.days_on_site == 21 and a.attendance == Decimal("87.50")
    # P = mean(60, 100: reported done) over the two items due by D = 80
    assert a.has_approved_plan and a.plan_items == 2 and a.plan == Decimal("80.00")
    # S = 100 × (1 满意 + 0.7 × 1 基本满意) ÷ 3 (two closed, one red) = 56.666…
    assert (a.tickets_counted, a.tickets_satisfied, a.tickets_basic) == (3, 1, 1)
    assert a.problems == Decimal("56.67")
    # E = 20 × mean(5, 4) = 90: latest per contact, and none after D
    assert a.ratings_counted == 2 and a.enterprise_rating == Decimal("90.00")
    # O = mean(优 100, 良 85) = 92.5
    assert a.reviews_counted == 2 and a.office_rating == Decimal("92.50")
    # (25 × 250/3 + 15 × 87.5 + 25 × 80 + 15 × 170/3 + 10 × 90 + 10 × 92.5) ÷ 100 = 80.708…
    assert a.total == Decimal("80.71") and a.grade == AppraisalGrade.GOOD

    b = run.cadres.get(cadre=w.cadre_b.profile)
    # R = 100 × ½ ÷ 3; A = 100 × 4 ÷ 24; P = 0 (no approved plan); S, E, O left out.
    assert (b.reports_on_time, b.reports_late, b.reports_missing) == (0, 1, 2)
    assert (b.reports, b.attendance, b.plan) == (Decimal("16.67"), Decimal("16.67"), Decimal(0))
    assert not b.has_approved_plan
    assert (b.problems, b.enterprise_rating, b.office_rating) == (None, None, None)
    # (25 × 50/3 + 15 × 50/3 + 25 × 0) ÷ 65 = 10.2564…
    assert b.total == Decimal("10.26") and b.grade == AppraisalGrade.FAIL
    assert (a.rank, b.rank) == (1, 2)

    # Both are in 第一工作组: mean (80.71 + 10.26) ÷ 2 = 45.485, half up; 2 < 3 cadres: unranked.
    group = run.work_groups.get()
    assert (group.cadre_count, group.mean_total, group.rank) == (2, Decimal("45.49"), None)
    assert (group.good, group.failed) == (1, 1)
    assert set(run.units.values_list("unit__name", "rank")) == {
        ("示范县发展和改革局", None),
        ("示范县财政局", None),
    }


def test_the_result_lists_what_was_counted(scenario, at):
    """The detail of each result itemises the entries, reviews, tickets and ratings behind the
    counts (the same hand-built programme as above)."""
    w = scenario
    run = run_as_of(at, w.programme, by=w.office)
    a = run.cadres.get(cadre=w.cadre_a.profile).detail
    entries = [
        (e["period"], e["start"], e["part"], e["enterprise"], e["verdict"], e["days_on_site"])
        for e in a["entries"]
    ]
    assert entries == [
        (1, "2026-03-01", "first", w.ent_a.name, "on_time", 8),
        (2, "2026-03-16", "second", w.ent_a.name, "late", 6),
        # Returned and resubmitted after D: still on time by its first submission.
        (3, "2026-04-01", "first", w.ent_a.name, "on_time", 7),
    ]
    assert [e["submitted_at"] for e in a["entries"]] == [
        "2026-03-17 10:00",
        "2026-04-05 10:00",
        "2026-04-10 10:00",
    ]
    assert [e["rating"] for e in a["entries"]] == ["excellent", "good", ""]
    assert all(e["report"] for e in a["entries"])
    assert [(r["period"], r["rating"], r["points"]) for r in a["reviewed_reports"]] == [
        (1, "excellent", 100),
        (2, "good", 85),
    ]
    # S: one 满意 (1), one 基本满意 (0.7), both closed by D; one red at D (0). The withdrawn
    # ticket and the one without a deadline are not listed.
    tickets = [(t["title"], t["reason"], t["satisfaction"], t["weight"]) for t in a["tickets"]]
    assert tickets == [
        ("用电增容", "closed", "satisfied", "1"),
        ("融资对接", "closed", "basic", "0.7"),
        ("道路维修", "red", "", "0"),
    ]
    assert [t["state"] for t in a["tickets"]] == ["closed", "closed", "in_progress"]
    assert len(a["tickets"]) == run.cadres.get(cadre=w.cadre_a.profile).tickets_counted
    # E: the latest rating of each contact by D.
    assert [(r["contact"], r["stars"], r["at"]) for r in a["ratings"]] == [
        ("甲公司联络人", 5, "2026-04-01 10:00"),
        ("甲公司财务", 4, "2026-04-02 10:00"),
    ]

    b = run.cadres.get(cadre=w.cadre_b.profile).detail
    assert [(e["period"], e["enterprise"], e["verdict"]) for e in b["entries"]] == [
        (1, w.ent_b.name, "late"),
        (2, w.ent_b.name, "missing"),
        (3, w.ent_b.name, "missing"),
    ]
    missing = b["entries"][1]
    assert (missing["report"], missing["submitted_at"], missing["days_on_site"]) == (
        None,
        None,
        None,
    )
    assert (b["tickets"], b["ratings"], b["reviewed_reports"]) == ([], [], [])


def test_quota_with_a_tie_and_the_minimum_sample(world, at):
    """Ten cadres whose totals are their enterprise rating alone: no period due yet (R, A left
    out), the plan's only item due later (P left out), no ticket, no review."""
    programme = ProgrammeFactory(organiser=world.county, name="质量测试批次")
    ent = EnterpriseFactory(name="丁电子有限公司")
    approved_plan(at, programme, ent, [("扩产", datetime.date(2026, 5, 1))], moment(3, 5))
    units = {name: UnitFactory(name=name, parent=world.county) for name in ("一局", "二局", "三局")}
    contacts = [
        make_person(f"ding{i}", [Role.ENTERPRISE], name=f"丁联络人{i}", phone=None, enterprise=ent)
        for i in range(4)
    ]
    plan = {  # cadre: (unit, stars by contact) → E = 20 × mean
        "c1": ("一局", [5]),  # 100
        "c2": ("二局", [5, 5, 5, 4]),  # 95
        "c3": ("二局", [5, 5, 5, 4]),  # 95
        "c4": ("三局", [5, 4]),  # 90
        "c5": ("一局", [4]),  # 80
        "c6": ("一局", [4]),  # 80
        "c7": ("三局", [4]),  # 80
        "c8": ("三局", [3, 4]),  # 70
        "c9": ("三局", [3]),  # 60
        "c10": ("三局", [3]),  # 60
    }
    cadres = {}
    for name, (unit, stars) in plan.items():
        cadre = ProfileFactory(name=name, unit=units[unit], phone=None)
        AssignmentFactory(programme=programme, cadre=cadre, enterprise=ent)
        cadres[name] = cadre
        for contact, count in zip(contacts, stars, strict=False):
            at(moment(3, 9), cadre_rate, by=contact, cadre=cadre, programme=programme, stars=count)
    run = at(
        moment(3, 11),
        appraisal_run_create,
        programme=programme,
        as_of=datetime.date(2026, 3, 10),
        by=None,
    )
    results = {r.cadre.name: r for r in run.cadres.select_related("cadre")}
    assert results["c1"].reports is None and results["c1"].plan is None
    assert {n: r.total for n, r in results.items()} == {
        n: Decimal(t)
        for n, t in zip(
            plan, ["100", "95", "95", "90", "80", "80", "80", "70", "60", "60"], strict=True
        )
    }
    # Quota: floor(20% × 10) = 2. The second total is 95; c3 ties with it and keeps 优秀 (one
    # over the quota); c4 (90) is moved to 良好 by the quota.
    assert (run.excellent_quota, run.excellent_count, run.quota_overrun) == (2, 3, 1)
    grades = {n: (r.grade, r.quota_moved) for n, r in results.items()}
    assert grades["c1"] == grades["c2"] == grades["c3"] == (AppraisalGrade.EXCELLENT, False)
    assert grades["c4"] == (AppraisalGrade.GOOD, True)
    assert grades["c5"] == (AppraisalGrade.GOOD, False)
    assert grades["c8"] == grades["c9"] == (AppraisalGrade.PASS, False)
    assert [results[n].rank for n in plan] == [1, 2, 2, 4, 5, 5, 5, 8, 9, 9]
    # Units: 一局 (100, 80, 80) mean 86.67 and 三局 (90, 80, 70, 60, 60) mean 72 are ranked;
    # 二局 has the best mean (95) but only 2 cadres: listed unranked.
    rows = {u.unit.name: u for u in run.units.select_related("unit")}
    assert (rows["一局"].mean_total, rows["一局"].rank) == (Decimal("86.67"), 1)
    assert (rows["三局"].mean_total, rows["三局"].rank) == (Decimal("72.00"), 2)
    assert (rows["二局"].mean_total, rows["二局"].rank) == (Decimal("95.00"), None)
    assert (rows["三局"].excellent, rows["三局"].good, rows["三局"].passed) == (0, 2, 3)


def test_department_on_time_counts_approved_extensions(world, periods, at):
    """Five tickets for the finance bureau, two for the development bureau, all 2 working days
    from Monday 9 March (deadline Wednesday 11 March)."""
    w = world
    dev_handler = make_handler(w.dev_bureau, "dev_handler", name="发改经办人", phone=None)

    def ticket(state, **kwargs):
        return at(moment(3, 9, 9), make_ticket, w, state, urgency="critical", **kwargs)

    def answer(t, when, by=w.department):
        return at(when, ticket_answer, ticket=t, by=by, answer="已办理")

    d1 = answer(ticket(TicketState.IN_PROGRESS), moment(3, 10))  # on time, 1 working day
    at(moment(3, 11), ticket_rate, ticket=d1, by=w.enterprise_a, satisfaction="satisfied")
    d2 = ticket(TicketState.IN_PROGRESS)
    at(moment(3, 10), ticket_request_extension, ticket=d2, by=w.department, days=2, reason="会商")
    at(moment(3, 10, 11), ticket_decide_extension, ticket=d2, by=w.office, approve=True)
    d2 = answer(d2, moment(3, 12))  # after 11 March, before the extended 13 March: on time
    at(moment(3, 13), ticket_rate, ticket=d2, by=w.enterprise_a, satisfaction="basic")
    answer(ticket(TicketState.IN_PROGRESS), moment(3, 16))  # late: 5 working days
    ticket(TicketState.IN_PROGRESS)  # never answered
    d5 = answer(ticket(TicketState.IN_PROGRESS), moment(3, 11, 20))  # the deadline day
    at(moment(3, 12), ticket_rate, ticket=d5, by=w.enterprise_a, satisfaction="basic")
    for _n in range(2):
        other = ticket(TicketState.IN_PROGRESS, unit=w.dev_bureau, handler=dev_handler)
        answer(other, moment(3, 10), by=dev_handler)
    run = run_as_of(at, w.programme)
    finance = run.departments.get(unit=w.finance_bureau)
    # On time 3 of 5; satisfaction (1 + 0.7 × 2) ÷ 3 rated; working days (1 + 3 + 5 + 2) ÷ 4.
    assert (finance.tickets_assigned, finance.answered_on_time) == (5, 3)
    assert finance.on_time_rate == Decimal("0.6000")
    assert (finance.rated, finance.satisfied, finance.basic) == (3, 1, 2)
    assert finance.satisfaction == Decimal("0.8000")
    assert finance.mean_working_days == Decimal("2.75")
    assert finance.rank == 1
    dev = run.departments.get(unit=w.dev_bureau)
    # All on time, but 2 tickets are below the minimum sample of 5: unranked.
    assert (dev.tickets_assigned, dev.on_time_rate, dev.rank) == (2, Decimal("1.0000"), None)


def test_two_runs_give_identical_results(scenario, at):
    first = run_as_of(at, scenario.programme)
    second = run_as_of(at, scenario.programme)
    assert second.number == 2
    assert [values(r) for r in first.cadres.order_by("cadre_id")] == [
        values(r) for r in second.cadres.order_by("cadre_id")
    ]
    assert appraisal_compare(user=scenario.office, run_a=first, run_b=second) == []


def test_published_results_never_change(scenario, at):
    w = scenario
    run = run_as_of(at, w.programme)
    at(moment(5, 7), appraisal_publish, run=run, by=w.office)
    before = [values(r) for r in CadreResult.objects.filter(run=run).order_by("cadre_id")]
    # The data changes: period 2's rating is corrected to 差 and cadre_b's period 1 report turns
    # out to have been on time (both written straight to the tables, as a correction would be).
    ProgressReport.objects.filter(assignment=w.assignment_a, period__number=2).update(rating="poor")
    ProgressReport.objects.filter(assignment=w.assignment_b, period__number=1).update(
        first_submitted_at=moment(3, 18), is_late=False
    )
    after = [values(r) for r in CadreResult.objects.filter(run=run).order_by("cadre_id")]
    assert after == before
    with pytest.raises(ValidationError):
        appraisal_publish(run=run, by=w.office)  # published once, for good
    with pytest.raises(ValidationError) as refused:
        run_as_of(at, w.programme)  # a version after a published one needs its reason
    assert "reason" in refused.value.message_dict
    rerun = run_as_of(at, w.programme, reason="补录纸质报告")
    assert rerun.number == 2 and rerun.reason == "补录纸质报告"
    diffs = {d.cadre_id: d for d in appraisal_compare(user=w.office, run_a=run, run_b=rerun)}
    # O of cadre_a: mean(100, 50) = 75; cadre_b's period 1 is now on time.
    assert diffs[w.cadre_a.profile.pk].changes["office_rating"] == (
        Decimal("92.50"),
        Decimal("75.00"),
    )
    assert diffs[w.cadre_b.profile.pk].changes["reports"] == (Decimal("16.67"), Decimal("33.33"))


def _programme_with(world, n: int):
    """A programme of n cadres, each at their own enterprise with a report and a rating."""
    programme = ProgrammeFactory(organiser=world.county)
    programme_sync_periods(programme=programme)
    first = ReportPeriod.objects.get(programme=programme, number=1)
    for i in range(n):
        enterprise = EnterpriseFactory()
        cadre = ProfileFactory(unit=world.dev_bureau if i % 2 else world.finance_bureau, phone=None)
        assignment = AssignmentFactory(programme=programme, cadre=cadre, enterprise=enterprise)
        ProgressReport.objects.create(
            assignment=assignment,
            period=first,
            state="reviewed",
            rating="good",
            reviewed_at=moment(3, 20),
            first_submitted_at=moment(3, 17),
            submission_count=1,
            is_late=bool(i % 3),
            days_on_site=5,
        )
        CadreRating.objects.create(
            contact=world.enterprise_a, cadre=cadre, programme=programme, stars=4
        )
    return programme


def test_query_count_does_not_grow_with_the_cadres(world):
    small, large = _programme_with(world, 3), _programme_with(world, 12)
    counts = []
    for programme in (small, large):
        with CaptureQueriesContext(connection) as queries:
            run = appraisal_run_create(programme=programme, as_of=D, by=None)
        counts.append(len(queries))
        assert run.cadres.count() == run.cadre_count
    assert counts[0] == counts[1], counts
    print(f"queries per run: {counts}")


def test_a_second_start_is_refused_while_one_is_running(world):
    """Without the database's help: a run row in state running refuses a start."""
    AppraisalRun.objects.create(programme=world.programme, number=1, as_of=D)
    with pytest.raises(AppraisalBusyError):
        appraisal_run_create(programme=world.programme, as_of=D, by=world.office)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppraisalRun.objects.create(programme=world.programme, number=2, as_of=D)


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_run_once(world, monkeypatch):
    """Two starts at once from two connections: the second is refused while the first computes."""
    computing, release = threading.Event(), threading.Event()
    compute = appraisal_service._compute

    def slow_compute(run):
        computing.set()
        assert release.wait(10)
        compute(run)

    monkeypatch.setattr(appraisal_service, "_compute", slow_compute)
    outcome = {}

    def first():
        try:
            outcome["run"] = appraisal_run_create(programme=world.programme, as_of=D, by=None)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert computing.wait(10)
        with pytest.raises(AppraisalBusyError):
            appraisal_run_create(programme=world.programme, as_of=D, by=None)
    finally:
        release.set()
        thread.join(10)
    assert outcome["run"].state == AppraisalState.DRAFT
    assert AppraisalRun.objects.filter(programme=world.programme).count() == 1
    # Once it is done, a new start makes the next version.
    assert appraisal_run_create(programme=world.programme, as_of=D, by=None).number == 2


def test_only_a_contact_of_the_cadres_enterprise_rates(world, at):
    w = world
    rating = cadre_rate(
        by=w.enterprise_a, cadre=w.cadre_a.profile, programme=w.programme, stars=4, comment="好"
    )
    assert (rating.stars, rating.contact, rating.comment) == (4, w.enterprise_a, "好")
    for user, cadre in (
        (w.enterprise_a, w.cadre_b),  # not stationed at ent_a
        (w.cadre_a, w.cadre_a),
        (w.office, w.cadre_a),
        (w.outsider, w.cadre_a),
    ):
        with pytest.raises(PermissionDenied):
            cadre_rate(by=user, cadre=cadre.profile, programme=w.programme, stars=5)
    for stars in (0, 6, "x"):
        with pytest.raises(ValidationError):
            cadre_rate(
                by=w.enterprise_a, cadre=w.cadre_a.profile, programme=w.programme, stars=stars
            )
    with pytest.raises(PermissionDenied):
        appraisal_run_create(programme=w.programme, as_of=D, by=w.cadre_a)


def test_who_sees_which_results(scenario, at):
    w = scenario
    run = run_as_of(at, w.programme)
    a, b = w.cadre_a.profile.pk, w.cadre_b.profile.pk

    def cadres(user):
        return set(cadre_result_list(user=user, run=run).values_list("cadre_id", flat=True))

    # A draft is the office's and the leaders' only.
    assert cadres(w.office) == cadres(w.leader) == {a, b}
    assert cadres(w.cadre_a) == cadres(w.department) == cadres(w.outsider) == set()
    assert list(appraisal_run_list(user=w.cadre_a)) == []
    appraisal_publish(run=run, by=w.office)
    assert cadres(w.cadre_a) == {a}
    assert cadres(w.cadre_b) == {b}
    # The finance bureau's staff see its cadre (cadre_b) and its own roll-ups.
    assert cadres(w.department) == {b}
    assert [u.unit for u in unit_result_list(user=w.department, run=run)] == [w.finance_bureau]
    assert list(department_result_list(user=w.department, run=run)) == list(
        run.departments.filter(unit=w.finance_bureau)
    )
    assert cadres(w.enterprise_a) == cadres(w.outsider) == set()
    assert list(appraisal_run_list(user=w.cadre_a)) == [run]
    assert work_group_result_list(user=w.leader, run=run).count() == 1
    assert work_group_result_list(user=w.cadre_a, run=run).count() == 0


def test_job_drafts_the_day_after_the_end_once_and_tells_the_office(scenario, at):
    w = scenario
    w.programme.end_date = D
    w.programme.save()
    for _ in range(2):
        at(moment(4, 21, 1), run_job, "supervision-appraisal-drafts")
    run = AppraisalRun.objects.get(programme=w.programme)
    assert (run.as_of, run.state, run.created_by) == (D, AppraisalState.DRAFT, None)
    told = Notification.objects.filter(kind=SupervisionNotice.APPRAISAL_DRAFTED)
    assert list(told.values_list("recipient", flat=True)) == [w.office.pk]
    # Before the end and long after it, nothing happens.
    at(moment(4, 20, 23), run_job, "supervision-appraisal-drafts")
    at(moment(6, 1), run_job, "supervision-appraisal-drafts")
    assert AppraisalRun.objects.count() == 1
