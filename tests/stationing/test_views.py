"""Programme, work group, cadre and assignment pages (and the home page)."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import Role
from core.models import Profile
from stationing.models import Assignment, Programme, WorkGroup
from stationing.services import programme_update
from tests.factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProfileFactory,
    ProgrammeFactory,
    UserFactory,
    WorkGroupFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["office", "leader", "cadre_a", "cadre_b", "department", "enterprise_a", "outsider"]
NOT_OFFICE = ["leader", "cadre_a", "department", "enterprise_a", "outsider"]


def field_errors(response, field: str) -> str:
    html = response.content.decode()
    match = re.search(
        rf'id="id_{field}_error">(.*?)</div>\s*(?:<div class="form-text"|</div>)', html
    )
    return match.group(1) if match else ""


def token() -> str:
    return str(uuid.uuid4())


# --- Home -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_home_for_every_role(world, client_for, who):
    response = client_for(getattr(world, who)).get(reverse("home"))
    assert response.status_code == 200


def test_home_for_cadre_links_to_forms(world, client_for):
    content = client_for(world.cadre_a).get(reverse("home")).content.decode()
    assert reverse("survey-create", args=[world.ent_a.pk]) in content
    assert reverse("indicator-create", args=[world.ent_a.pk]) in content


# --- Cadres -----------------------------------------------------------------------------------


def test_cadre_list_office(world, client_for):
    response = client_for(world.office).get(reverse("cadre-list"))
    assert response.status_code == 200
    # By pinyin: 李 lǐ before 张 zhāng.
    assert [c.name for c in response.context["cadres"]] == ["李干部", "张干部"]
    assert "甲机械制造有限公司" in response.content.decode()  # where each is stationed


def test_cadre_list_scoped_and_filtered(world, client_for):
    response = client_for(world.cadre_a).get(reverse("cadre-list"))
    assert [c.name for c in response.context["cadres"]] == ["张干部"]
    response = client_for(world.department).get(reverse("cadre-list"))
    assert response.context["total"] == 0
    client = client_for(world.office)
    response = client.get(reverse("cadre-list"), {"q": "13900000004"})
    assert [c.name for c in response.context["cadres"]] == ["李干部"]
    response = client.get(reverse("cadre-list"), {"unit": world.dev_bureau.pk})
    assert [c.name for c in response.context["cadres"]] == ["张干部"]
    response = client.get(reverse("cadre-list"), {"rank": "clerk"})
    assert [c.name for c in response.context["cadres"]] == ["李干部"]


def make_cadres(world, n):
    for _ in range(n):
        user = UserFactory(roles=[Role.CADRE])
        profile = ProfileFactory(user=user, unit=world.dev_bureau)
        AssignmentFactory(
            programme=world.programme,
            cadre=profile,
            enterprise=EnterpriseFactory(region=world.town_a),
            work_group=world.group,
        )


def test_cadre_list_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for(world.office)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("cadre-list"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.context["total"]

    make_cadres(world, 3)
    few, total_few = count_queries()
    make_cadres(world, 25)
    many, total_many = count_queries()
    assert (total_few, total_many) == (5, 30)
    assert few == many


def test_cadre_detail(world, client_for):
    response = client_for(world.office).get(
        reverse("cadre-detail", args=[world.cadre_a.profile.pk])
    )
    assert response.status_code == 200
    assert "甲机械制造有限公司" in response.content.decode()


@pytest.mark.parametrize("who", ["cadre_a", "enterprise_a", "department", "outsider"])
def test_other_cadre_detail_is_404(world, client_for, who):
    response = client_for(getattr(world, who)).get(
        reverse("cadre-detail", args=[world.cadre_b.profile.pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_cadre_create_and_edit_office_only(world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(reverse("cadre-create")).status_code == 403
    assert client.post(reverse("cadre-create"), {"name": "x"}).status_code == 403
    url = reverse("cadre-update", args=[world.cadre_a.profile.pk])
    assert client.get(url).status_code == 403


def cadre_data(world, **overrides):
    data = {
        "name": "赵干部",
        "phone": "13800000001",
        "unit": world.dev_bureau.pk,
        "rank": "section",
        "title": "副局长",
        "form_token": token(),
    }
    data.update(overrides)
    return data


def test_cadre_create_round_trip(world, client_for):
    client = client_for(world.office)
    assert client.get(reverse("cadre-create")).status_code == 200
    response = client.post(reverse("cadre-create"), cadre_data(world), follow=True)
    profile = Profile.objects.get(name="赵干部")
    assert response.redirect_chain[-1][0] == reverse("cadre-detail", args=[profile.pk])
    assert profile.user.username == "13800000001"
    assert profile.user.groups.filter(name=Role.CADRE).exists()
    assert "已保存" in response.content.decode()


def test_cadre_create_phone_errors_next_to_field(world, client_for):
    client = client_for(world.office)
    response = client.post(reverse("cadre-create"), cadre_data(world, phone="12345"))
    assert "不是有效的手机号码" in field_errors(response, "phone")
    response = client.post(reverse("cadre-create"), cadre_data(world, phone="13900000003"))
    assert field_errors(response, "phone")
    assert not Profile.objects.filter(name="赵干部").exists()


def test_cadre_double_submit_creates_once(world, client_for):
    client = client_for(world.office)
    data = cadre_data(world)
    client.post(reverse("cadre-create"), data)
    response = client.post(reverse("cadre-create"), data)
    assert response.status_code == 302
    assert Profile.objects.filter(name="赵干部").count() == 1


def test_cadre_edit_and_stale(world, client_for):
    profile = world.cadre_a.profile
    client = client_for(world.office)
    url = reverse("cadre-update", args=[profile.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": "张干部",
        "phone": "13900000003",
        "unit": world.dev_bureau.pk,
        "rank": "section",
        "title": "科长",
        "version": profile.version,
    }
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.title == "科长" and profile.version == 2
    response = client.post(url, {**data, "title": "处长"})  # still version 1
    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    assert "处长" in response.content.decode()
    profile.refresh_from_db()
    assert profile.title == "科长"


# --- Programmes -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "leader", "cadre_a", "enterprise_a"])
def test_programme_list_and_detail(world, client_for, who):
    client = client_for(getattr(world, who))
    response = client.get(reverse("programme-list"))
    assert response.status_code == 200
    assert [p.name for p in response.context["programmes"]] == ["2026年示范县干部驻企"]
    response = client.get(reverse("programme-detail", args=[world.programme.pk]))
    assert response.status_code == 200


def test_programme_detail_groups_and_counts(world, client_for):
    AssignmentFactory(
        programme=world.programme,
        cadre=world.cadre_b.profile,
        enterprise=EnterpriseFactory(name="无组企业", region=world.town_a),
    )
    response = client_for(world.office).get(reverse("programme-detail", args=[world.programme.pk]))
    groups = response.context["groups"]
    assert [g["work_group"].name for g in groups] == ["第一工作组"]
    assert len(groups[0]["assignments"]) == 2
    assert [a.enterprise.name for a in response.context["ungrouped"]] == ["无组企业"]
    assert response.context["counts"] == {
        "work_groups": 1,
        "assignments": 3,
        "cadres": 2,
        "enterprises": 3,
    }
    content = response.content.decode()
    assert "王县长" in content and "未分组" in content


def test_programme_detail_pages_its_work_groups_and_shows_the_first_stationings(
    world, client_for, monkeypatch
):
    """A province's programme has 200 work groups and 10,000 stationings: the page shows a page
    of groups, the first stationings of each with its size and a link to all of them, the
    ungrouped ones on the last page, and reads as many statements however many there are."""
    monkeypatch.setattr("stationing.views.organisation.GROUP_ROWS", 1)
    monkeypatch.setattr("stationing.views.organisation.GROUPS_PER_PAGE", 1)
    client = client_for(world.office)
    url = reverse("programme-detail", args=[world.programme.pk])

    def statements(page):
        client.get(url, {"page": page})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": page})
        return len(queries), response

    def add(group, name):
        AssignmentFactory(
            programme=world.programme,
            work_group=group,
            cadre=ProfileFactory(),
            enterprise=EnterpriseFactory(name=name, region=world.town_a),
        )

    second = WorkGroupFactory(programme=world.programme, name="第二工作组")
    add(second, "乙企业")
    add(None, "无组企业")
    few = statements(1)[0], statements(2)[0]
    for n in range(3):
        add(second, f"丙企业{n}")
        add(None, f"无组企业{n}")
    first_page, response = statements(1)
    (group,) = response.context["groups"]
    assert group["work_group"].name == "第一工作组" and group["size"] == 2
    assert len(group["assignments"]) == 1 and response.context["ungrouped"] == []
    html = response.content.decode()
    assert f"?programme={world.programme.pk}&amp;work_group={group['work_group'].pk}" in html
    assert "第 1 / 2 页" in html
    last_page, response = statements(2)
    (group,) = response.context["groups"]
    assert group["work_group"] == second and group["size"] == 4
    assert [a.enterprise.name for a in group["assignments"]] == ["丙企业0"]  # by pinyin
    assert response.context["ungrouped_size"] == 4 and len(response.context["ungrouped"]) == 1
    assert response.context["counts"] == {
        "work_groups": 2,
        "assignments": 10,
        "cadres": 10,
        "enterprises": 10,
    }
    assert (first_page, last_page) == few


def test_programme_detail_out_of_scope_is_404(world, client_for):
    response = client_for(world.outsider).get(
        reverse("programme-detail", args=[world.programme.pk])
    )
    assert response.status_code == 404


def test_programme_of_another_county_is_404_for_office(world, client_for):
    other = ProgrammeFactory(organiser=world.other_county)
    client = client_for(world.office)
    assert client.get(reverse("programme-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("programme-update", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_programme_forms_office_only(world, client_for, who):
    client = client_for(getattr(world, who))
    pk = world.programme.pk
    for url in (
        reverse("programme-create"),
        reverse("programme-update", args=[pk]),
        reverse("work-group-create", args=[pk]),
        reverse("work-group-update", args=[world.group.pk]),
        reverse("assignment-create", args=[pk]),
        reverse("assignment-update", args=[world.assignment_a.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def programme_data(world, **overrides):
    data = {
        "name": "2027年驻企",
        "organiser": world.county.pk,
        "start_date": "2027-03-01",
        "end_date": "2028-02-28",
        "status": "draft",
        "report_cycle": "half_month",
        "report_due_days": "3",
        "plan_due_days": "7",
        "form_token": token(),
    }
    data.update(overrides)
    return data


def test_programme_create_round_trip_and_double_submit(world, client_for):
    client = client_for(world.office)
    assert client.get(reverse("programme-create")).status_code == 200
    data = programme_data(world)
    first = client.post(reverse("programme-create"), data)
    second = client.post(reverse("programme-create"), data)
    programme = Programme.objects.get(name="2027年驻企")
    assert (
        first["Location"] == second["Location"] == reverse("programme-detail", args=[programme.pk])
    )


def test_programme_end_before_start_error_on_field(world, client_for):
    response = client_for(world.office).post(
        reverse("programme-create"), programme_data(world, end_date="2027-01-01")
    )
    assert "结束日期不能早于开始日期" in field_errors(response, "end_date")
    assert not Programme.objects.filter(name="2027年驻企").exists()


def test_programme_organiser_limited_to_territory(world, client_for):
    response = client_for(world.office).post(
        reverse("programme-create"), programme_data(world, organiser=world.other_county.pk)
    )
    assert field_errors(response, "organiser")


def test_programme_stale_edit(world, client_for):
    client = client_for(world.office)
    url = reverse("programme-update", args=[world.programme.pk])
    assert client.get(url).status_code == 200
    data = programme_data(world, name="改名一", version=1, status="active")
    data["start_date"], data["end_date"] = "2026-03-01", "2027-02-28"
    programme_update(
        programme=world.programme, by=world.leader, expected_version=1, name="别人改的"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "保存失败" in response.content.decode() and "王县长" in response.content.decode()
    world.programme.refresh_from_db()
    assert world.programme.name == "别人改的"


# --- Work groups ------------------------------------------------------------------------------


def test_work_group_create_and_edit(world, client_for):
    client = client_for(world.office)
    url = reverse("work-group-create", args=[world.programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "王县长" in page.content.decode()  # leaders offered by name
    response = client.post(
        url, {"name": "第二工作组", "leader": world.leader.pk, "form_token": token()}
    )
    assert response.status_code == 302
    group = WorkGroup.objects.get(name="第二工作组")
    assert group.programme == world.programme and group.leader == world.leader

    response = client.post(url, {"name": "第一工作组", "form_token": token()})
    assert "本批次已有同名工作组" in field_errors(response, "name")

    edit = reverse("work-group-update", args=[group.pk])
    response = client.post(edit, {"name": "第二组", "version": 1})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "第二组" and group.leader is None


# --- Assignments ------------------------------------------------------------------------------


def test_assignment_form_choices_are_scoped(world, client_for):
    other_group = WorkGroupFactory(programme=ProgrammeFactory(organiser=world.county))
    response = client_for(world.office).get(reverse("assignment-create", args=[world.programme.pk]))
    form = response.context["form"]
    assert world.ent_c not in form.fields["enterprise"].queryset
    assert world.ent_a in form.fields["enterprise"].queryset
    assert other_group not in form.fields["work_group"].queryset
    assert list(form.fields["work_group"].queryset) == [world.group]
    assert set(form.fields["cadre"].queryset) == {world.cadre_a.profile, world.cadre_b.profile}


def assignment_data(world, **overrides):
    data = {
        "cadre": world.cadre_a.profile.pk,
        "enterprise": world.ent_b.pk,
        "work_group": world.group.pk,
        "role": "member",
        "start_date": "2026-04-01",
        "form_token": token(),
    }
    data.update(overrides)
    return data


def test_assignment_create_round_trip_and_double_submit(world, client_for):
    client = client_for(world.office)
    url = reverse("assignment-create", args=[world.programme.pk])
    data = assignment_data(world)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert (
        Assignment.objects.filter(cadre=world.cadre_a.profile, enterprise=world.ent_b).count() == 1
    )


def test_assignment_errors_next_to_fields(world, client_for):
    client = client_for(world.office)
    url = reverse("assignment-create", args=[world.programme.pk])
    response = client.post(url, assignment_data(world, start_date="2025-01-01"))
    assert "进驻日期应在驻企批次的起止日期" in field_errors(response, "start_date")
    response = client.post(url, assignment_data(world, enterprise=world.ent_c.pk))
    assert field_errors(response, "enterprise")  # out of scope: not a valid choice
    response = client.post(url, assignment_data(world, enterprise=world.ent_a.pk))
    assert "该干部已派驻到这家企业" in field_errors(response, "enterprise")
    assert Assignment.objects.count() == 2


def test_assignment_stale_edit(world, client_for):
    client = client_for(world.office)
    url = reverse("assignment-update", args=[world.assignment_a.pk])
    assert client.get(url).status_code == 200
    data = assignment_data(world, enterprise=world.ent_a.pk, role="leader", version=1)
    del data["form_token"]
    assert client.post(url, {**data, "start_date": "2026-03-05"}).status_code == 302
    response = client.post(url, {**data, "start_date": "2026-03-09"})
    assert "保存失败" in response.content.decode()
    world.assignment_a.refresh_from_db()
    assert str(world.assignment_a.start_date) == "2026-03-05"


# --- Language ---------------------------------------------------------------------------------


def test_english_switch_on_cadre_list(world, client_for):
    client = client_for(world.office)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("cadre-list")})
    response = client.get(reverse("cadre-list"))
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert response.headers["Content-Language"] == "en"
