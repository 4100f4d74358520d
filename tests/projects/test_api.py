"""The key project API (/api/v1/projects/): scoping per role, the page's filters, the office's
writes with stale versions, stage moves, monthly progress once per month, query counts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import Role
from projects.models import KeyProject, ProjectProgress, ProjectStageMove
from projects.services import milestone_add, progress_submit
from tests.conftest import results
from tests.factories import ProgrammeFactory, make_person

from .project_helpers import create_project

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC)
LIST = "/api/v1/projects/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def detail(project, suffix=""):
    return f"{LIST}{project.pk}/{suffix}"


@pytest.fixture
def project(world):
    project = create_project(world)
    milestone_add(
        project=project, by=world.office, title="开工", planned_date=datetime.date(2026, 6, 5)
    )
    milestone_add(
        project=project, by=world.office, title="主体封顶", planned_date=datetime.date(2026, 12, 1)
    )
    progress_submit(
        project=project,
        by=world.cadre_b,
        month=datetime.date(2026, 5, 1),
        investment_month=Decimal("300"),
        work_done="完成场地平整",
        problems=["施工用电尚未接通"],
    )
    return project


def ids(response) -> list[int]:
    return [row["id"] for row in results(response)]


# --- Scoping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("office", True),
        ("leader", True),
        ("cadre_b", True),  # the team
        ("cadre_a", False),
        ("department", False),  # the finance bureau neither leads nor helps
        ("enterprise_a", False),
        ("outsider", False),
    ],
)
def test_scoping_per_role(world, project, api, name, sees):
    client = api(getattr(world, name))
    assert ids(client.get(LIST)) == ([project.pk] if sees else [])
    assert client.get(detail(project)).status_code == (200 if sees else 404)
    for sub in ("milestones/", "progress/"):
        assert client.get(detail(project, sub)).status_code == (200 if sees else 404)


def test_scoping_leader_elsewhere_and_helping_department(world, project, api):
    other_leader = make_person("leader2", [Role.LEADER], name="赵县长", phone="13900000099")
    assert ids(api(other_leader).get(LIST)) == []
    project.co_units.add(world.finance_bureau)
    assert ids(api(world.department).get(LIST)) == [project.pk]
    assert api().get(LIST).status_code in (401, 403)


def test_detail_nests_milestones_progress_and_stage_moves(world, project, api):
    body = api(world.leader).get(detail(project)).json()
    assert body["colour"] == "yellow"  # 开工 is due in two days
    assert [m["title"] for m in body["milestones"]] == ["开工", "主体封顶"]
    assert [m["colour"] for m in body["milestones"]] == ["yellow", "green"]
    [progress] = body["progress"]
    assert progress["month"] == "2026-05-01"
    assert Decimal(progress["investment_to_date"]) == Decimal("300")
    assert progress["problems"][0]["description"] == "施工用电尚未接通"
    assert progress["problems"][0]["ticket"] is None
    assert body["team"][0]["name"] == "李干部"
    assert body["open_problems"] == 1
    assert Decimal(body["investment_to_date"]) == Decimal("300")
    assert body["stage_moves"] == []
    assert api(world.leader).get(detail(project, "milestones/")).json()[0]["title"] == "开工"
    assert len(api(world.leader).get(detail(project, "progress/")).json()) == 1


# --- Filters and ordering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"stage": "sign"},
        {"stage": "construction"},
        {"category": "infrastructure"},
        {"colour": "yellow"},
        {"colour": "green"},
        {"q": "学校"},
        {"progress_missing": "true"},
        {"progress_missing": "false"},
    ],
)
def test_filters_are_the_pages(world, project, api, client_for, params):
    create_project(
        world,
        name="城关第二小学",
        category="livelihood",
        stage="construction",
        enterprise=None,
        team=[world.cadre_a],
    )
    create_project(world, name="河东大道", category="infrastructure", enterprise=None)
    page = client_for(world.office).get(reverse("project-list"), params)
    assert page.status_code == 200
    expected = sorted(p.pk for p in page.context["projects"])
    assert sorted(ids(api(world.office).get(LIST, params))) == expected


def test_filter_by_leader_unit_and_region(world, project, api):
    other = create_project(world, name="河东大道", region=world.town_b, lead_unit=world.county)
    client = api(world.office)
    assert ids(client.get(LIST, {"region": world.town_b.pk})) == [other.pk]
    assert ids(client.get(LIST, {"unit": world.dev_bureau.pk})) == [project.pk]
    assert sorted(ids(client.get(LIST, {"leader": world.leader.pk}))) == sorted(
        [project.pk, other.pk]
    )


def test_ordering_by_stage_follows_the_chain(world, project, api):
    create_project(world, name="甲项目", stage="construction")
    create_project(world, name="乙项目", stage="attract")
    rows = results(api(world.office).get(LIST, {"ordering": "stage"}))
    assert [row["stage"] for row in rows] == ["attract", "sign", "construction"]
    rows = results(api(world.office).get(LIST, {"ordering": "-stage"}))
    assert [row["stage"] for row in rows] == ["construction", "sign", "attract"]


# --- Office writes ----------------------------------------------------------------------------


def _new_project(world, **overrides):
    return {
        "programme": world.programme.pk,
        "name": "县城污水处理厂提标改造",
        "category": "infrastructure",
        "total_investment": "8000.00",
        "year_planned_investment": "3000.00",
        "leader": world.leader.pk,
        "lead_unit": world.dev_bureau.pk,
        "co_units": [world.finance_bureau.pk],
        "region": world.town_a.pk,
        "team_leader": world.cadre_a.profile.pk,
        "team_members": [world.cadre_b.profile.pk],
        **overrides,
    }


def test_office_registers_a_project(world, api):
    response = api(world.office).post(LIST, _new_project(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "attract"  # the first stage of the chain
    assert body["plan_year"] == 2026
    assert {(m["name"], m["role"]) for m in body["team"]} == {
        ("张干部", "leader"),
        ("李干部", "member"),
    }
    assert body["co_units"] == [world.finance_bureau.pk]
    # The team sees it among its projects.
    assert ids(api(world.cadre_a).get(LIST)) == [body["id"]]


def test_register_refused_for_others_and_out_of_scope_choices(world, api):
    for name in ("leader", "cadre_a", "department"):
        response = api(getattr(world, name)).post(LIST, _new_project(world), format="json")
        assert response.status_code == 403, name
    elsewhere = ProgrammeFactory(name="邻县干部驻企", organiser=world.other_county)
    response = api(world.office).post(
        LIST, _new_project(world, programme=elsewhere.pk), format="json"
    )
    assert response.status_code == 400
    assert "programme" in response.json()
    assert not KeyProject.objects.exists()


def test_duplicate_name_is_a_field_error(world, project, api):
    response = api(world.office).post(LIST, _new_project(world, name=project.name), format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_stale_edit_is_a_409(world, project, api):
    client = api(world.office)
    version = client.get(detail(project)).json()["version"]
    response = client.patch(detail(project), {"version": version, "industry_chain": "新材料"})
    assert response.status_code == 200, response.content
    assert response.json()["industry_chain"] == "新材料"
    response = client.patch(detail(project), {"version": version, "industry_chain": "装备制造"})
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.industry_chain == "新材料"


def test_edit_keeps_programme_and_stage_and_is_the_offices(world, project, api):
    response = api(world.office).patch(detail(project), {"stage": "production"})
    assert response.status_code == 200
    assert response.json()["stage"] == "sign"  # stages move through move-stage only
    assert api(world.leader).patch(detail(project), {"name": "改名"}).status_code == 403
    assert api(world.cadre_b).patch(detail(project), {"name": "改名"}).status_code == 403
    assert api(world.office).delete(detail(project)).status_code == 405


# --- Stage moves ------------------------------------------------------------------------------


def test_stage_moves_forward_with_skips_and_back_with_a_reason(world, project, api):
    client = api(world.cadre_b)
    url = detail(project, "move-stage/")
    response = client.post(url, {"stage": "construction"})
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "construction"

    response = client.post(url, {"stage": "approval"})
    assert response.status_code == 400
    assert "reason" in response.json()

    response = client.post(url, {"stage": "construction"})
    assert response.status_code == 400
    assert "stage" in response.json()

    response = client.post(url, {"stage": "approval", "reason": "用地手续需重新报批"})
    assert response.status_code == 200
    moves = list(
        ProjectStageMove.objects.order_by("at", "pk").values_list("to_stage", "is_backward")
    )
    assert moves == [("construction", False), ("approval", True)]
    body = api(world.office).get(detail(project)).json()
    assert body["stage_moves"][0]["reason"] == "用地手续需重新报批"


def test_stage_move_who_and_stale(world, project, api):
    url = detail(project, "move-stage/")
    assert api(world.cadre_a).post(url, {"stage": "filing"}).status_code == 404
    project.co_units.add(world.finance_bureau)  # the department sees it but may not move it
    assert api(world.department).post(url, {"stage": "filing"}).status_code == 403
    version = project.version
    assert api(world.leader).post(url, {"stage": "filing", "version": version}).status_code == 200
    response = api(world.office).post(url, {"stage": "approval", "version": version})
    assert response.status_code == 409


# --- Monthly progress -------------------------------------------------------------------------


def test_progress_once_per_month_by_the_team(world, project, api):
    url = detail(project, "progress/")
    milestone = project.milestones.get(title="开工")
    data = {
        "month": "2026-06",
        "investment_month": "450.50",
        "work_done": "完成桩基施工",
        "stage_reached": "construction",
        "milestones_met": [milestone.pk],
        "problems": ["施工许可待办", "用工短缺"],
    }
    for name in ("office", "leader"):
        assert api(getattr(world, name)).post(url, data).status_code == 403, name
    assert api(world.cadre_a).post(url, data).status_code == 404

    response = api(world.cadre_b).post(url, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["month"] == "2026-06-01"
    assert Decimal(body["investment_to_date"]) == Decimal("750.50")
    assert [p["description"] for p in body["problems"]] == ["施工许可待办", "用工短缺"]
    project.refresh_from_db()
    assert project.stage == "construction"
    milestone.refresh_from_db()
    assert milestone.actual_date == datetime.date(2026, 6, 3)

    again = api(world.cadre_b).post(url, {**data, "milestones_met": []})
    assert again.status_code == 409, again.content
    assert ProjectProgress.objects.filter(project=project).count() == 2


def test_progress_input_errors(world, project, api):
    url = detail(project, "progress/")
    client = api(world.cadre_b)
    base = {"investment_month": "10", "work_done": "推进"}
    response = client.post(url, {**base, "month": "2026-08"})
    assert response.status_code == 400
    assert "month" in response.json()
    response = client.post(url, {**base, "month": "2026-06", "stage_reached": "attract"})
    assert response.status_code == 400
    assert "stage_reached" in response.json()
    other = create_project(world, name="别的项目")
    foreign = milestone_add(
        project=other, by=world.office, title="别的节点", planned_date=datetime.date(2026, 7, 1)
    )
    response = client.post(url, {**base, "month": "2026-06", "milestones_met": [foreign.pk]})
    assert response.status_code == 400
    assert "milestones_met" in response.json()
    response = client.post(url, {**base, "month": "2026-06", "investment_month": "-1"})
    assert response.status_code == 400
    assert not ProjectProgress.objects.filter(month=datetime.date(2026, 6, 1)).exists()


# --- Query counts -----------------------------------------------------------------------------


def _make_projects(world, start, stop):
    for n in range(start, stop):
        project = create_project(
            world, name=f"项目{n}", team=[world.cadre_b, world.cadre_a], co_units=[world.county]
        )
        milestone_add(
            project=project, by=world.office, title="开工", planned_date=datetime.date(2026, 6, 1)
        )
        progress_submit(
            project=project,
            by=world.cadre_b,
            month=datetime.date(2026, 5, 1),
            investment_month=Decimal("10"),
            work_done="推进",
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(world, api):
    client = api(world.office)
    _make_projects(world, 0, 5)
    few = _queries(client, LIST)
    _make_projects(world, 5, 20)
    assert len(results(client.get(LIST))) == 20
    assert _queries(client, LIST) == few
