"""REST API for programmes, units, work groups, cadres and assignments."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import ValidationError

from core.api.errors import Conflict, service_errors
from core.locking import StaleEditError
from core.services import user_set_roles
from stationing.models import Assignment, Programme

from ..conftest import results
from ..factories import AssignmentFactory, ProfileFactory, ProgrammeFactory, UnitFactory

PROGRAMMES = "/api/v1/programmes/"
UNITS = "/api/v1/units/"
WORK_GROUPS = "/api/v1/work-groups/"
CADRES = "/api/v1/cadres/"
ASSIGNMENTS = "/api/v1/assignments/"


# --- assignments ---------------------------------------------------------------------------


def test_cadre_sees_only_their_assignment(world, api):
    client = api(world.cadre_a)
    rows = results(client.get(ASSIGNMENTS))
    assert [row["id"] for row in rows] == [world.assignment_a.pk]
    assert rows[0]["enterprise_name"] == "甲机械制造有限公司"
    assert rows[0]["cadre_name"] == "张干部"
    assert client.get(f"{ASSIGNMENTS}{world.assignment_a.pk}/").status_code == 200
    assert client.get(f"{ASSIGNMENTS}{world.assignment_b.pk}/").status_code == 404


def test_office_sees_all_assignments_and_filters_them(world, api):
    client = api(world.office)
    assert len(results(client.get(ASSIGNMENTS))) == 2
    rows = results(client.get(ASSIGNMENTS, {"enterprise": world.ent_b.pk}))
    assert [row["id"] for row in rows] == [world.assignment_b.pk]
    rows = results(client.get(ASSIGNMENTS, {"role": "leader"}))
    assert [row["id"] for row in rows] == [world.assignment_a.pk]


def test_office_creates_an_assignment(world, api):
    cadre = ProfileFactory(name="王干部", phone="13700000001", unit=world.dev_bureau)
    user_set_roles(user=cadre.user, roles=["cadre"])
    payload = {
        "programme": world.programme.pk,
        "cadre": cadre.pk,
        "enterprise": world.ent_b.pk,
        "work_group": world.group.pk,
        "start_date": "2026-03-05",
        "role": "member",
    }
    response = api(world.office).post(ASSIGNMENTS, payload)
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
    assert Assignment.objects.filter(cadre=cadre, enterprise=world.ent_b).exists()

    again = api(world.office).post(ASSIGNMENTS, payload)
    assert again.status_code == 400
    assert list(again.json()) == ["enterprise"]


def test_assignment_rules_come_back_under_the_field(world, api):
    payload = {
        "programme": world.programme.pk,
        "cadre": world.cadre_b.profile.pk,
        "enterprise": world.ent_a.pk,
        "start_date": "2025-01-01",
    }
    response = api(world.office).post(ASSIGNMENTS, payload)
    assert response.status_code == 400
    assert "进驻日期应在驻企批次的起止日期" in response.json()["start_date"][0]


def test_office_cannot_reference_out_of_scope_objects(world, api):
    other_programme = ProgrammeFactory()
    payload = {
        "programme": other_programme.pk,
        "cadre": world.cadre_a.profile.pk,
        "enterprise": world.ent_c.pk,
        "start_date": "2026-03-05",
    }
    response = api(world.office).post(ASSIGNMENTS, payload)
    assert response.status_code == 400
    assert set(response.json()) == {"programme", "enterprise"}


@pytest.mark.parametrize("who", ["leader", "cadre_a", "department", "enterprise_a", "outsider"])
def test_only_the_office_writes_programme_data(world, api, who):
    client = api(getattr(world, who))
    assert client.post(PROGRAMMES, {"name": "x"}).status_code == 403
    assert client.patch(f"{PROGRAMMES}{world.programme.pk}/", {"name": "x"}).status_code == 403
    assert client.post(ASSIGNMENTS, {}).status_code == 403
    assert client.patch(f"{ASSIGNMENTS}{world.assignment_a.pk}/", {}).status_code == 403
    assert client.post(CADRES, {"name": "x"}).status_code == 403
    assert client.post(UNITS, {"name": "x"}).status_code == 403
    assert client.post(WORK_GROUPS, {"name": "x"}).status_code == 403
    world.programme.refresh_from_db()
    assert world.programme.name == "2026年示范县干部驻企"


# --- programmes ----------------------------------------------------------------------------


def test_office_creates_and_updates_a_programme_with_version_check(world, api):
    client = api(world.office)
    payload = {
        "name": "2027年示范县干部驻企",
        "organiser": world.county.pk,
        "start_date": "2027-03-01",
        "end_date": "2028-02-28",
        "status": "draft",
    }
    response = client.post(PROGRAMMES, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organiser_name"] == "示范县人民政府"
    assert body["report_cycle"] == "half_month"
    url = f"{PROGRAMMES}{body['id']}/"

    assert client.patch(url, {"status": "active", "version": 1}).status_code == 200
    stale = client.patch(url, {"status": "closed", "version": 1})
    assert stale.status_code == 409
    assert "保存失败" in stale.json()["detail"]
    assert Programme.objects.get(pk=body["id"]).status == "active"


def test_programme_dates_are_checked_by_the_model(world, api):
    payload = {
        "name": "倒置",
        "organiser": world.county.pk,
        "start_date": "2027-03-01",
        "end_date": "2027-01-01",
    }
    response = api(world.office).post(PROGRAMMES, payload)
    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]


def test_programmes_are_scoped(world, api):
    ProgrammeFactory(name="邻县驻企", organiser=world.other_county)
    assert [row["name"] for row in results(api(world.office).get(PROGRAMMES))] == [
        "2026年示范县干部驻企"
    ]
    assert results(api(world.outsider).get(PROGRAMMES)) == []
    assert results(api(world.cadre_a).get(PROGRAMMES, {"q": "示范"}))[0]["id"] == (
        world.programme.pk
    )


# --- cadres --------------------------------------------------------------------------------


def test_office_creates_a_cadre_with_a_login(world, api):
    payload = {
        "name": "赵干部",
        "phone": "13911112222",
        "unit": world.dev_bureau.pk,
        "rank": "deputy_section",
        "title": "副局长",
    }
    response = api(world.office).post(CADRES, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "13911112222"
    assert body["unit_name"] == "示范县发展和改革局"
    user = User.objects.get(username="13911112222")
    assert user.groups.filter(name="cadre").exists()
    assert not user.has_usable_password()

    duplicate = api(world.office).post(CADRES, {**payload, "name": "重名"})
    assert duplicate.status_code == 400
    assert list(duplicate.json()) == ["phone"]


def test_cadre_phone_and_unit_are_required(world, api):
    response = api(world.office).post(CADRES, {"name": "无电话", "unit": world.dev_bureau.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    response = api(world.office).post(CADRES, {"name": "无单位", "phone": "13911113333"})
    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_cadres_are_scoped(world, api):
    assert [row["name"] for row in results(api(world.cadre_a).get(CADRES))] == ["张干部"]
    assert api(world.cadre_a).get(f"{CADRES}{world.cadre_b.profile.pk}/").status_code == 404
    office_rows = results(api(world.office).get(CADRES, {"q": "李"}))
    assert [row["name"] for row in office_rows] == ["李干部"]


def test_office_updates_a_cadre(world, api):
    url = f"{CADRES}{world.cadre_a.profile.pk}/"
    response = api(world.office).patch(url, {"title": "科长", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "科长"
    taken = api(world.office).patch(url, {"phone": "13900000004"})
    assert taken.status_code == 400
    assert list(taken.json()) == ["phone"]


# --- units and work groups -----------------------------------------------------------------


def test_units_are_readable_and_the_office_edits_only_its_own(world, api):
    assert len(results(api(world.cadre_a).get(UNITS, {"q": "人民政府"}))) == 2
    client = api(world.office)
    response = client.post(
        UNITS,
        {
            "name": "示范县商务局",
            "parent": world.county.pk,
            "level": "county",
            "kind": "department",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["path"].startswith(world.county.path)
    assert client.patch(f"{UNITS}{world.dev_bureau.pk}/", {"short_name": "发改局"}).status_code == (
        200
    )
    outside = client.patch(f"{UNITS}{world.other_county.pk}/", {"short_name": "邻县"})
    assert outside.status_code == 403
    moved = client.post(
        UNITS,
        {
            "name": "外县某局",
            "parent": world.other_county.pk,
            "level": "county",
            "kind": "department",
        },
    )
    assert moved.status_code == 400
    assert list(moved.json()) == ["parent"]
    orphan = client.post(UNITS, {"name": "无上级", "level": "county", "kind": "department"})
    assert orphan.status_code == 400
    assert list(orphan.json()) == ["parent"]
    # The county itself is top level and stays so when the office edits it.
    county = client.put(
        f"{UNITS}{world.county.pk}/",
        {"name": world.county.name, "parent": None, "level": "county", "kind": "government"},
    )
    assert county.status_code == 200, county.content


def test_office_creates_a_work_group(world, api):
    response = api(world.office).post(
        WORK_GROUPS,
        {"programme": world.programme.pk, "name": "第二工作组", "leader": world.leader.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["leader_name"] == "王县长"
    duplicate = api(world.office).post(
        WORK_GROUPS, {"programme": world.programme.pk, "name": "第二工作组"}
    )
    assert duplicate.status_code == 400


def test_work_group_of_another_programme_is_refused(world, api):
    other = ProgrammeFactory(organiser=world.county, name="另一批次")
    group = api(world.office).post(WORK_GROUPS, {"programme": other.pk, "name": "甲组"}).json()
    response = api(world.office).patch(
        f"{ASSIGNMENTS}{world.assignment_a.pk}/", {"work_group": group["id"]}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["work_group"]


def test_assignment_list_query_count_does_not_grow(world, api):
    client = api(world.office)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ASSIGNMENTS).status_code == 200
            assert client.get(CADRES).status_code == 200
            assert client.get(WORK_GROUPS).status_code == 200
        return len(queries)

    few = count()
    unit = UnitFactory(parent=world.county)
    for index in range(10):
        AssignmentFactory(
            programme=world.programme,
            # Explicit phones: the factory's sequence can meet the fixture users' numbers.
            cadre=ProfileFactory(unit=unit, phone=f"1371000{index:04d}"),
            enterprise=world.ent_a,
            work_group=world.group,
        )
    assert count() == few


# --- service errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected", "body"),
    [
        (StaleEditError("已被修改", code="stale"), Conflict, "已被修改"),
        (DjangoValidationError("已报送待审批", code="locked"), Conflict, "已报送待审批"),
        (DjangoValidationError("只有待审批的计划", code="state"), Conflict, "只有待审批的计划"),
        (
            DjangoValidationError("至少要有一项", code="empty"),
            ValidationError,
            {"non_field_errors": ["至少要有一项"]},
        ),
        (
            DjangoValidationError({"comment": DjangoValidationError("必填", code="state")}),
            ValidationError,
            {"comment": ["必填"]},
        ),
    ],
)
def test_service_errors_map_states_to_409_and_fields_to_400(error, expected, body):
    with pytest.raises(expected) as caught, service_errors():
        raise error
    if expected is Conflict:
        assert caught.value.status_code == 409
        assert caught.value.detail == body
    else:
        assert caught.value.status_code == 400
        assert caught.value.detail == body
