"""REST API for periods, work plans and half-monthly reports (issue 3).

Same selectors and services as the pages: out of scope is a 404, the wrong role a 403, a field
error a 400 under the field, a stale version or a forbidding state a 409.
"""

import datetime
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import SHANGHAI
from core.services import user_set_roles
from stationing.models import ProgressReport, WorkPlan
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_save_draft,
    report_submit,
    work_plan_get_or_create,
    work_plan_save_draft,
)

from ..conftest import results
from ..factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProfileFactory,
    ProgrammeFactory,
    UnitFactory,
    WorkGroupFactory,
)

PERIODS = "/api/v1/periods/"
PLANS = "/api/v1/work-plans/"
REPORTS = "/api/v1/reports/"


def item(**overrides):
    data = {
        "area": "difficulties",
        "title": "协调流动资金贷款",
        "target": "6月底前落实贷款2000万元",
        "owner": "张干部",
        "due_date": "2026-06-30",
    }
    data.update(overrides)
    return data


def open_plan(client, world, status=201):
    """Open ent_a's plan: 201 when it is made, 200 when it already exists."""
    response = client.post(PLANS, {"programme": world.programme.pk, "enterprise": world.ent_a.pk})
    assert response.status_code == status, response.content
    return response.json()


def open_report(client, world, period, status=201):
    """Open assignment_a's report for the period: 201 when it is made, 200 when it exists."""
    response = client.post(REPORTS, {"assignment": world.assignment_a.pk, "period": period.pk})
    assert response.status_code == status, response.content
    return response.json()


# --- periods -------------------------------------------------------------------------------


def test_periods_of_a_programme(world, periods, api):
    other = ProgrammeFactory(organiser=world.other_county)
    programme_sync_periods(programme=other)
    rows = results(api(world.cadre_a).get(PERIODS, {"programme": world.programme.pk}))
    assert len(rows) == 24
    first = rows[0]
    assert first["number"] == 1
    assert (first["start"], first["end"]) == ("2026-03-01", "2026-03-15")
    assert first["due_at"] == "2026-03-18T23:59:59+08:00"
    assert first["label"] == "2026年3月上半月"
    assert first["part"] == "first"
    assert first["programme"] == world.programme.pk
    # Only programmes the user takes part in; another county's programme is out of scope.
    assert len(results(api(world.office).get(PERIODS))) == 24
    assert results(api(world.outsider).get(PERIODS)) == []
    other_period = other.periods.first()
    assert api(world.cadre_a).get(f"{PERIODS}{other_period.pk}/").status_code == 404
    # The period containing a date.
    rows = results(
        api(world.office).get(PERIODS, {"programme": world.programme.pk, "date": "2027-02-20"})
    )
    assert [row["label"] for row in rows] == ["2027年2月下半月"]


def test_periods_are_read_only(world, periods, api):
    response = api(world.office).post(PERIODS, {"programme": world.programme.pk})
    assert response.status_code == 405


# --- work plans ----------------------------------------------------------------------------


def test_cadre_opens_writes_and_submits_a_plan(world, api):
    client = api(world.cadre_a)
    response = client.post(PLANS, {"programme": world.programme.pk, "enterprise": world.ent_a.pk})
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["state"] == "draft" and plan["items"] == [] and plan["versions"] == []
    assert plan["enterprise_name"] == "甲机械制造有限公司"
    assert plan["due_date"] == "2026-03-08"
    # Opening it again answers with the same plan.
    again = client.post(PLANS, {"programme": world.programme.pk, "enterprise": world.ent_a.pk})
    assert again.status_code == 200 and again.json()["id"] == plan["id"]
    url = f"{PLANS}{plan['id']}/"

    # An empty plan cannot be submitted.
    empty = client.post(f"{url}submit/")
    assert empty.status_code == 400
    assert "至少要有一项" in empty.json()["non_field_errors"][0]

    response = client.patch(
        url,
        {
            "version": plan["version"],
            "summary": "稳产扩能",
            "items": [item(), item(area="party", title="建立党支部", due_date="2026-09-30")],
        },
    )
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["summary"] == "稳产扩能"
    assert [(i["position"], i["title"]) for i in saved["items"]] == [
        (0, "协调流动资金贷款"),
        (1, "建立党支部"),
    ]
    assert saved["items"][0]["status"] == "not_started"

    # A save against the version read before: refused, naming who changed it.
    stale = client.patch(url, {"version": plan["version"], "summary": "覆盖"})
    assert stale.status_code == 409
    assert "张干部" in stale.json()["detail"]

    # Leaving items out keeps them.
    kept = client.patch(url, {"version": saved["version"], "summary": "稳产扩能，拓展市场"})
    assert kept.status_code == 200
    assert [i["id"] for i in kept.json()["items"]] == [i["id"] for i in saved["items"]]

    submitted = client.post(f"{url}submit/")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["state"] == "submitted" and body["latest_number"] == 1
    assert body["versions"][0]["state"] == "submitted"
    # A repeated submit changes nothing.
    assert client.post(f"{url}submit/").status_code == 200
    assert WorkPlan.objects.get(pk=plan["id"]).versions.count() == 1
    # Locked until the office decides.
    locked = client.patch(url, {"summary": "再改"})
    assert locked.status_code == 409
    assert "审批前不能修改" in locked.json()["detail"]


def test_plan_item_fields_are_validated(world, api):
    client = api(world.cadre_a)
    plan = open_plan(client, world)
    response = client.patch(
        f"{PLANS}{plan['id']}/", {"items": [item(), item(target="", area="nonsense")]}
    )
    assert response.status_code == 400
    # Errors by the position of the item in the list.
    errors = response.json()["items"]
    assert list(errors) == ["1"]
    assert set(errors["1"]) == {"target", "area"}


def test_office_approves_and_returns_plans(world, api):
    cadre = api(world.cadre_a)
    plan = open_plan(cadre, world)
    url = f"{PLANS}{plan['id']}/"
    cadre.patch(url, {"items": [item()]})
    cadre.post(f"{url}submit/")

    office = api(world.office)
    for who in ("cadre_a", "leader", "enterprise_a"):
        assert api(getattr(world, who)).post(f"{url}approve/").status_code == 403
        assert api(getattr(world, who)).post(f"{url}return/", {"comment": "x"}).status_code == 403
    # A return needs a comment, under the field.
    assert list(office.post(f"{url}return/").json()) == ["comment"]
    blank = office.post(f"{url}return/", {"comment": "  "})
    assert blank.status_code == 400
    assert "必须填写意见" in blank.json()["comment"][0]

    returned = office.post(f"{url}return/", {"comment": "目标不够具体"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"
    assert returned.json()["versions"][0]["comment"] == "目标不够具体"
    # Only a submitted plan can be decided.
    wrong_state = office.post(f"{url}approve/")
    assert wrong_state.status_code == 409
    assert "只有待审批的计划" in wrong_state.json()["detail"]

    cadre.patch(url, {"items": [item(target="6月底前落实贷款3000万元")]})
    cadre.post(f"{url}submit/")
    approved = office.post(f"{url}approve/", {"comment": "同意"})
    assert approved.status_code == 200
    body = approved.json()
    assert body["state"] == "approved" and body["approved_number"] == 2
    assert [(v["number"], v["state"]) for v in body["versions"]] == [
        (2, "approved"),
        (1, "returned"),
    ]
    # An approved plan has nothing to submit until it is revised.
    assert cadre.post(f"{url}submit/").status_code == 409


def test_plan_diff_between_versions(world, api):
    cadre = api(world.cadre_a)
    plan = open_plan(cadre, world)
    url = f"{PLANS}{plan['id']}/"
    first = cadre.patch(
        url, {"items": [item(), item(area="party", title="建立党支部", target="9月前成立")]}
    ).json()
    cadre.post(f"{url}submit/")
    api(world.office).post(f"{url}approve/")
    loan = first["items"][0]
    cadre.patch(
        url,
        {
            "items": [
                {**item(target="9月底前落实贷款3000万元"), "id": loan["id"]},
                item(area="employees", title="稳定用工", target="返岗率95%"),
            ]
        },
    )
    cadre.post(f"{url}submit/")

    response = api(world.office).get(f"{url}diff/", {"a": 2, "b": 1})
    assert response.status_code == 200, response.content
    diff = response.json()
    assert (diff["older"], diff["newer"]) == (1, 2)
    assert diff["summary_changed"] is False
    assert [entry["title"] for entry in diff["added"]] == ["稳定用工"]
    assert [entry["title"] for entry in diff["removed"]] == ["建立党支部"]
    assert diff["changed"][0]["fields"] == {
        "target": ["6月底前落实贷款2000万元", "9月底前落实贷款3000万元"]
    }
    assert set(cadre.get(f"{url}diff/", {"a": 1}).json()) == {"b"}
    assert set(cadre.get(f"{url}diff/", {"a": 1, "b": 7}).json()) == {"b"}


def test_plans_are_scoped_and_only_stationed_cadres_write(world, api):
    plan = open_plan(api(world.cadre_a), world)
    url = f"{PLANS}{plan['id']}/"
    # Another enterprise's cadre: not found, for reads and writes alike.
    other = api(world.cadre_b)
    assert results(other.get(PLANS)) == []
    assert other.get(url).status_code == 404
    assert other.patch(url, {"summary": "x"}).status_code == 404
    assert other.post(f"{url}submit/").status_code == 404
    assert other.get(f"{url}diff/", {"a": 1, "b": 2}).status_code == 404
    # The enterprise's contact and the office read it but do not write it.
    for who in ("enterprise_a", "office", "leader"):
        client = api(getattr(world, who))
        assert client.get(url).status_code == 200
        assert client.patch(url, {"summary": "x"}).status_code == 403
        assert client.post(f"{url}submit/").status_code == 403
    assert api(world.office).post(
        PLANS, {"programme": world.programme.pk, "enterprise": world.ent_a.pk}
    ).status_code == (403)
    # An enterprise the cadre cannot see is an invalid choice.
    response = other.post(PLANS, {"programme": world.programme.pk, "enterprise": world.ent_a.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["enterprise"]


def test_a_cadre_writes_only_where_stationed_in_that_programme(world, api):
    # cadre_a also serves at ent_b in another programme: both are visible, but there is no
    # stationing at ent_b in the first programme.
    second = ProgrammeFactory(organiser=world.county, name="第二批")
    AssignmentFactory(programme=second, cadre=world.cadre_a.profile, enterprise=world.ent_b)
    response = api(world.cadre_a).post(
        PLANS, {"programme": world.programme.pk, "enterprise": world.ent_b.pk}
    )
    assert response.status_code == 403
    # A team-mate at the same enterprise writes the same plan.
    mate = ProfileFactory(name="赵干部", phone="13700000001", unit=world.dev_bureau)
    user_set_roles(user=mate.user, roles=["cadre"])
    AssignmentFactory(programme=world.programme, cadre=mate, enterprise=world.ent_a)
    plan = open_plan(api(world.cadre_a), world)
    response = api(mate.user).patch(f"{PLANS}{plan['id']}/", {"items": [item(owner="赵干部")]})
    assert response.status_code == 200, response.content


def test_plan_list_filters(world, api):
    open_plan(api(world.cadre_a), world)
    plan_b = api(world.cadre_b).post(
        PLANS, {"programme": world.programme.pk, "enterprise": world.ent_b.pk}
    )
    assert plan_b.status_code == 201
    office = api(world.office)
    assert len(results(office.get(PLANS, {"programme": world.programme.pk}))) == 2
    rows = results(office.get(PLANS, {"enterprise": world.ent_b.pk}))
    assert [row["id"] for row in rows] == [plan_b.json()["id"]]
    assert results(office.get(PLANS, {"state": "submitted"})) == []


# --- reports -------------------------------------------------------------------------------


def test_cadre_opens_saves_and_submits_a_report(world, periods, api):
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan, by=world.cadre_a, expected_version=None, summary="", items=[item()]
    )
    plan_item = plan.items.get()
    client = api(world.cadre_a)
    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, tzinfo=SHANGHAI), tick=False):
        response = client.post(
            REPORTS, {"assignment": world.assignment_a.pk, "period": periods[1].pk}
        )
        assert response.status_code == 201, response.content
        report = response.json()
        assert report["state"] == "draft" and report["status"] == "draft"
        assert report["period_label"] == "2026年3月上半月"
        assert report["item_progress"] == [
            {
                "item": plan_item.pk,
                "title": "协调流动资金贷款",
                "progress": 0,
                "status": "not_started",
                "note": "",
            }
        ]
        again = client.post(REPORTS, {"assignment": world.assignment_a.pk, "period": periods[1].pk})
        assert again.status_code == 200 and again.json()["id"] == report["id"]
        url = f"{REPORTS}{report['id']}/"

        saved = client.patch(
            url,
            {
                "version": report["version"],
                "work_done": "走访车间",
                "item_progress": [
                    {
                        "item": plan_item.pk,
                        "progress": 30,
                        "status": "in_progress",
                        "note": "已对接",
                    }
                ],
                "problems": ["用电指标不足", " ", "招工难"],
            },
        )
        assert saved.status_code == 200, saved.content
        body = saved.json()
        assert body["work_done"] == "走访车间"
        assert body["problems"] == ["用电指标不足", "招工难"]
        assert body["item_progress"][0]["progress"] == 30
        assert body["item_progress"][0]["note"] == "已对接"

        stale = client.patch(url, {"version": report["version"], "work_done": "覆盖"})
        assert stale.status_code == 409
        assert "张干部" in stale.json()["detail"]

        # Submission needs the days on site, reported under the field.
        refused = client.post(f"{url}submit/")
        assert refused.status_code == 400
        assert list(refused.json()) == ["days_on_site"]
        too_many = client.patch(url, {"days_on_site": 20})
        assert too_many.status_code == 200
        assert "只有 15 天" in client.post(f"{url}submit/").json()["days_on_site"][0]
        client.patch(url, {"days_on_site": 8})

        submitted = client.post(f"{url}submit/")
        assert submitted.status_code == 200, submitted.content
        body = submitted.json()
        assert body["state"] == "submitted" and body["status"] == "on_time"
        assert body["is_late"] is False
        assert [v["number"] for v in body["versions"]] == [1]
        assert body["versions"][0]["content"]["problems"] == ["用电指标不足", "招工难"]
        # A submitted report is never edited in place.
        locked = client.patch(url, {"work_done": "改"})
        assert locked.status_code == 409
        assert "已报送" in locked.json()["detail"]


def test_reason_and_remedy_are_required_when_behind(world, periods, api):
    plan = work_plan_get_or_create(programme=world.programme, enterprise=world.ent_a, by=None)
    plan = work_plan_save_draft(
        plan=plan,
        by=world.cadre_a,
        expected_version=None,
        summary="",
        items=[item(due_date="2026-03-20")],
    )
    client = api(world.cadre_a)
    report = open_report(client, world, periods[1])
    url = f"{REPORTS}{report['id']}/"
    client.patch(url, {"work_done": "走访", "days_on_site": 5})
    response = client.post(f"{url}submit/")
    assert response.status_code == 400
    assert set(response.json()) == {"behind_reason", "remedy"}
    client.patch(url, {"behind_reason": "银行审批慢", "remedy": "请金融办协调"})
    assert client.post(f"{url}submit/").status_code == 200


@pytest.mark.parametrize(
    ("moment", "late", "status"),
    [
        (datetime.datetime(2026, 3, 18, 23, 59, 59, tzinfo=SHANGHAI), False, "on_time"),
        (datetime.datetime(2026, 3, 19, 0, 0, 0, tzinfo=SHANGHAI), True, "late"),
    ],
)
def test_on_time_until_the_due_second(world, periods, api, moment, late, status):
    client = api(world.cadre_a)
    report = open_report(client, world, periods[1])
    url = f"{REPORTS}{report['id']}/"
    client.patch(url, {"work_done": "走访", "days_on_site": 5})
    with time_machine.travel(moment, tick=False):
        response = client.post(f"{url}submit/")
    assert response.status_code == 200, response.content
    assert response.json()["is_late"] is late
    assert response.json()["status"] == status
    assert response.json()["versions"][0]["is_late"] is late


def test_double_submit_makes_one_report_and_one_version(world, periods, api):
    client = api(world.cadre_a)
    report = open_report(client, world, periods[1])
    assert open_report(client, world, periods[1], status=200)["id"] == report["id"]
    url = f"{REPORTS}{report['id']}/"
    body = client.patch(url, {"work_done": "走访", "days_on_site": 5}).json()
    first = client.post(f"{url}submit/", {"version": body["version"]})
    second = client.post(f"{url}submit/", {"version": body["version"]})
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert ProgressReport.objects.filter(assignment=world.assignment_a).count() == 1
    assert ProgressReport.objects.get().versions.count() == 1


def test_office_reviews_and_returns_reports(world, periods, api):
    cadre = api(world.cadre_a)
    report = open_report(cadre, world, periods[1])
    url = f"{REPORTS}{report['id']}/"
    cadre.patch(url, {"work_done": "走访", "days_on_site": 5})
    office = api(world.office)
    # Only a submitted report can be reviewed.
    assert office.post(f"{url}review/", {"rating": "good"}).status_code == 409
    cadre.post(f"{url}submit/")

    for who in ("cadre_a", "leader"):
        client = api(getattr(world, who))
        assert client.post(f"{url}review/", {"rating": "excellent"}).status_code == 403
        assert client.post(f"{url}return/", {"reason": "x"}).status_code == 403
    assert list(office.post(f"{url}review/", {"rating": "perfect"}).json()) == ["rating"]
    assert list(office.post(f"{url}return/", {"reason": ""}).json()) == ["reason"]

    returned = office.post(f"{url}return/", {"reason": "工作情况过于简单"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "工作情况过于简单"
    assert office.post(f"{url}return/", {"reason": "again"}).status_code == 409

    # The cadre edits the returned report and resubmits; both versions stay readable.
    assert cadre.patch(url, {"work_done": "补充：协调电力增容"}).status_code == 200
    assert cadre.post(f"{url}submit/").status_code == 200
    reviewed = office.post(f"{url}review/", {"rating": "excellent", "comment": "好"})
    assert reviewed.status_code == 200, reviewed.content
    body = reviewed.json()
    assert (body["state"], body["status"], body["rating"]) == ("reviewed", "reviewed", "excellent")
    assert body["review_comment"] == "好"
    assert [v["content"]["work_done"] for v in body["versions"]] == ["补充：协调电力增容", "走访"]
    assert office.post(f"{url}review/", {"rating": "good"}).status_code == 409


def test_reports_are_scoped_and_only_their_cadre_writes(world, periods, api):
    report = open_report(api(world.cadre_a), world, periods[1])
    url = f"{REPORTS}{report['id']}/"
    for who in ("cadre_b", "enterprise_a", "department", "outsider"):
        client = api(getattr(world, who))
        assert results(client.get(REPORTS)) == []
        assert client.get(url).status_code == 404
    other = api(world.cadre_b)
    assert other.patch(url, {"work_done": "x"}).status_code == 404
    assert other.post(f"{url}submit/").status_code == 404
    # Another enterprise's assignment is an invalid choice; the office does not write reports.
    response = other.post(REPORTS, {"assignment": world.assignment_a.pk, "period": periods[1].pk})
    assert response.status_code == 400
    assert list(response.json()) == ["assignment"]
    office = api(world.office)
    assert office.get(url).status_code == 200
    assert office.patch(url, {"work_done": "x"}).status_code == 403
    assert (
        office.post(
            REPORTS, {"assignment": world.assignment_a.pk, "period": periods[2].pk}
        ).status_code
        == 403
    )
    # A team-mate at the same enterprise reads the report but does not write it.
    mate = ProfileFactory(name="赵干部", phone="13700000001", unit=world.dev_bureau)
    user_set_roles(user=mate.user, roles=["cadre"])
    AssignmentFactory(programme=world.programme, cadre=mate, enterprise=world.ent_a)
    client = api(mate.user)
    assert client.get(url).status_code == 200
    assert client.patch(url, {"work_done": "x"}).status_code == 403
    response = client.post(REPORTS, {"assignment": world.assignment_a.pk, "period": periods[2].pk})
    assert response.status_code == 403


def test_a_period_of_another_programme_is_refused(world, periods, api):
    other = ProgrammeFactory(organiser=world.county, name="第二批")
    programme_sync_periods(programme=other)
    AssignmentFactory(programme=other, cadre=world.cadre_a.profile, enterprise=world.ent_a)
    response = api(world.cadre_a).post(
        REPORTS, {"assignment": world.assignment_a.pk, "period": other.periods.first().pk}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["period"]


def _submitted(assignment, period, user, **fields):
    report = report_get_or_create_draft(assignment=assignment, period=period, by=user)
    report = report_save_draft(
        report=report,
        by=user,
        expected_version=None,
        fields={
            "work_done": "走访",
            "days_on_site": 5,
            "behind_reason": "刚进驻",
            "remedy": "加快推进",
            **fields,
        },
        problems=["缺电"],
    )
    return report_submit(report=report, by=user)


def test_report_list_filters(world, periods, api):
    _submitted(world.assignment_a, periods[1], world.cadre_a)
    _submitted(world.assignment_b, periods[1], world.cadre_b)
    draft_b = report_get_or_create_draft(
        assignment=world.assignment_b, period=periods[2], by=world.cadre_b
    )
    other_group = WorkGroupFactory(programme=world.programme, name="第二工作组")
    world.assignment_b.work_group = other_group
    world.assignment_b.save()
    office = api(world.office)

    def ids(**params):
        return sorted(row["id"] for row in results(office.get(REPORTS, params)))

    everything = ids()
    assert len(everything) == 3
    assert ids(programme=world.programme.pk) == everything
    assert ids(programme=ProgrammeFactory(organiser=world.county).pk) == []
    a_reports = ids(cadre=world.cadre_a.profile.pk)
    assert len(a_reports) == 1
    assert ids(unit=world.dev_bureau.pk) == a_reports
    assert ids(enterprise=world.ent_a.pk) == a_reports
    assert ids(work_group=world.group.pk) == a_reports
    assert ids(assignment=world.assignment_a.pk) == a_reports
    assert ids(work_group=other_group.pk) == ids(unit=world.finance_bureau.pk)
    assert len(ids(work_group=other_group.pk)) == 2
    assert ids(state="draft") == [draft_b.pk]
    assert ids(period=periods[2].pk) == [draft_b.pk]
    assert len(ids(state="submitted", period=periods[1].pk)) == 2
    assert office.get(REPORTS, {"state": "bogus"}).status_code == 400
    # A cadre's list is their own, filters or not.
    assert [row["id"] for row in results(api(world.cadre_a).get(REPORTS))] == a_reports
    assert results(api(world.cadre_a).get(REPORTS, {"unit": world.finance_bureau.pk})) == []


def test_report_list_query_count_does_not_grow(world, periods, api):
    unit = UnitFactory(parent=world.county)
    phones = itertools.count()

    def add_reports(count):
        for _ in range(count):
            enterprise = EnterpriseFactory(region=world.town_a)
            # Explicit phones: the factory's sequence can meet the fixture users' numbers.
            cadre = ProfileFactory(unit=unit, phone=f"1371{next(phones):07d}")
            user_set_roles(user=cadre.user, roles=["cadre"])
            assignment = AssignmentFactory(
                programme=world.programme,
                cadre=cadre,
                enterprise=enterprise,
                work_group=world.group,
            )
            plan = work_plan_get_or_create(
                programme=world.programme, enterprise=enterprise, by=None
            )
            work_plan_save_draft(
                plan=plan, by=None, expected_version=None, summary="", items=[item(), item()]
            )
            _submitted(assignment, periods[1], cadre.user)

    client = api(world.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = results(client.get(REPORTS))
        assert all(len(row["item_progress"]) == 2 and row["problems"] for row in rows)
        assert all(row["versions"] for row in rows)
        return len(rows), len(queries)

    add_reports(5)
    rows_few, few = count()
    add_reports(25)
    rows_many, many = count()
    assert (rows_few, rows_many) == (5, 30)
    assert many == few


def test_plan_list_query_count_does_not_grow(world, api):
    client = api(world.office)
    phones = itertools.count()

    def add_plans(count):
        for _ in range(count):
            enterprise = EnterpriseFactory(region=world.town_a)
            cadre = ProfileFactory(phone=f"1372{next(phones):07d}")
            AssignmentFactory(programme=world.programme, cadre=cadre, enterprise=enterprise)
            plan = work_plan_get_or_create(
                programme=world.programme, enterprise=enterprise, by=None
            )
            work_plan_save_draft(
                plan=plan, by=None, expected_version=None, summary="", items=[item(), item()]
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = results(client.get(PLANS))
        assert all(len(row["items"]) == 2 and row["due_date"] for row in rows)
        return len(rows), len(queries)

    add_plans(3)
    rows_few, few = count()
    add_plans(12)
    rows_many, many = count()
    assert (rows_few, rows_many) == (3, 15)
    assert many == few


def test_report_list_shows_the_newest_period_first(world, periods, api):
    """The API's default order: newest period first, read along the (period, assignment) index
    instead of sorting every report by the period's start and the names; ?ordering= still
    sorts by a column."""
    _submitted(world.assignment_a, periods[1], world.cadre_a)
    _submitted(world.assignment_b, periods[1], world.cadre_b)
    later = report_get_or_create_draft(
        assignment=world.assignment_a, period=periods[3], by=world.cadre_a
    )
    office = api(world.office)
    rows = results(office.get(REPORTS))
    assert rows[0]["id"] == later.pk
    assert [row["period"] for row in rows] == [periods[3].pk, periods[1].pk, periods[1].pk]
    oldest_first = results(office.get(REPORTS, {"ordering": "period__start"}))
    assert oldest_first[-1]["id"] == later.pk
