"""Enterprise pages: who sees what, forms round-trip, stale edits, double submits, query counts."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.services import enterprise_update
from tests.factories import (
    EnterpriseFactory,
    IndicatorFactory,
    ProfileFactory,
    SurveyFactory,
    UserFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db


def field_errors(response, field: str) -> str:
    """The text of the invalid-feedback block rendered under one field."""
    html = response.content.decode()
    match = re.search(
        rf'id="id_{field}_error">(.*?)</div>\s*(?:<div class="form-text"|</div>)', html
    )
    return match.group(1) if match else ""


def enterprise_data(world, **overrides):
    data = {
        "name": "丁电子科技有限公司",
        "credit_code": make_credit_code(999),
        "region": world.town_a.pk,
        "industry": "C",
        "ownership": "private",
        "size": "small",
        "listing_status": "unlisted",
        "employees": "120",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


# --- List and detail: scoping -----------------------------------------------------------------


def test_office_lists_its_county(world, client_for):
    response = client_for(world.office).get(reverse("enterprise-list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "甲机械制造有限公司" in content and "乙纺织有限公司" in content
    assert "丙食品有限公司" not in content
    assert response.context["total"] == 2


def test_cadre_lists_only_their_enterprise(world, client_for):
    response = client_for(world.cadre_a).get(reverse("enterprise-list"))
    assert response.status_code == 200
    assert [e.name for e in response.context["enterprises"]] == ["甲机械制造有限公司"]


def test_list_filters_and_search(world, client_for):
    client = client_for(world.office)
    response = client.get(reverse("enterprise-list"), {"q": "纺织"})
    assert [e.name for e in response.context["enterprises"]] == ["乙纺织有限公司"]
    code = world.ent_a.credit_code.lower()
    response = client.get(reverse("enterprise-list"), {"q": code})
    assert [e.name for e in response.context["enterprises"]] == ["甲机械制造有限公司"]
    response = client.get(reverse("enterprise-list"), {"region": world.town_b.pk})
    assert [e.name for e in response.context["enterprises"]] == ["乙纺织有限公司"]
    EnterpriseFactory(name="戊公司", region=world.town_a, is_key=False)
    response = client.get(reverse("enterprise-list"), {"stationed": "false"})
    assert [e.name for e in response.context["enterprises"]] == ["戊公司"]
    response = client.get(reverse("enterprise-list"), {"is_key": "true", "stationed": "true"})
    assert response.context["total"] == 2


def test_list_requires_login(world, client):
    response = client.get(reverse("enterprise-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for(world.office)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("enterprise-list"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.context["total"]

    EnterpriseFactory.create_batch(3, region=world.town_a)
    few, total_few = count_queries()
    EnterpriseFactory.create_batch(25, region=world.town_b)
    many, total_many = count_queries()
    assert (total_few, total_many) == (5, 30)
    assert few == many


def test_detail_shows_everything(world, client_for):
    SurveyFactory(enterprise=world.ent_a, surveyed_by=world.cadre_a, difficulties="用地指标不足")
    IndicatorFactory(enterprise=world.ent_a, month=datetime.date(2026, 3, 1), output_value=1111)
    IndicatorFactory(enterprise=world.ent_a, month=datetime.date(2026, 4, 1), output_value=2222)
    response = client_for(world.cadre_a).get(reverse("enterprise-detail", args=[world.ent_a.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.ent_a.credit_code in content
    assert "用地指标不足" in content
    assert "张干部" in content  # the stationed cadre
    table = content[content.index('data-testid="indicator-table"') :]
    assert table.index("2026-04") < table.index("2026-03")  # newest month first
    assert reverse("survey-create", args=[world.ent_a.pk]) in content


@pytest.mark.parametrize("who", ["cadre_a", "enterprise_a", "department", "outsider"])
def test_other_enterprise_detail_is_404(world, client_for, who):
    response = client_for(getattr(world, who)).get(
        reverse("enterprise-detail", args=[world.ent_b.pk])
    )
    assert response.status_code == 404


def test_enterprise_contact_sees_own_enterprise(world, client_for):
    response = client_for(world.enterprise_a).get(
        reverse("enterprise-detail", args=[world.ent_a.pk])
    )
    assert response.status_code == 200
    # A contact may read but not record or edit.
    assert reverse("survey-create", args=[world.ent_a.pk]) not in response.content.decode()


# --- Create and edit (office only) ------------------------------------------------------------


@pytest.mark.parametrize("who", ["cadre_a", "leader", "enterprise_a", "department", "outsider"])
def test_create_and_edit_are_office_only(world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(reverse("enterprise-create")).status_code == 403
    assert client.post(reverse("enterprise-create"), enterprise_data(world)).status_code == 403
    assert client.get(reverse("enterprise-update", args=[world.ent_a.pk])).status_code == 403
    assert not Enterprise.objects.filter(name="丁电子科技有限公司").exists()


def test_office_cannot_edit_enterprise_out_of_scope(world, client_for):
    response = client_for(world.office).get(reverse("enterprise-update", args=[world.ent_c.pk]))
    assert response.status_code == 404


def test_create_round_trip(world, client_for):
    client = client_for(world.office)
    form = client.get(reverse("enterprise-create"))
    assert form.status_code == 200
    assert 'name="form_token"' in form.content.decode()
    data = enterprise_data(world, credit_code=make_credit_code(999).lower())
    response = client.post(reverse("enterprise-create"), data, follow=True)
    enterprise = Enterprise.objects.get(name="丁电子科技有限公司")
    assert enterprise.credit_code == make_credit_code(999)  # normalised to upper case
    assert enterprise.updated_by == world.office
    assert response.redirect_chain[-1][0] == reverse("enterprise-detail", args=[enterprise.pk])
    assert "已保存" in response.content.decode()


def test_bad_credit_code_error_next_to_field(world, client_for):
    client = client_for(world.office)
    code = make_credit_code(999)
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(reverse("enterprise-create"), enterprise_data(world, credit_code=bad))
    assert response.status_code == 200
    errors = field_errors(response, "credit_code")
    assert "校验位错误" in errors
    content = response.content.decode()
    tag = re.search(r'<input[^>]*name="credit_code"[^>]*>', content).group(0)
    assert "is-invalid" in tag
    assert "丁电子科技有限公司" in content  # the user's input is kept
    assert not Enterprise.objects.filter(name="丁电子科技有限公司").exists()


def test_duplicate_credit_code_error_next_to_field(world, client_for):
    response = client_for(world.office).post(
        reverse("enterprise-create"), enterprise_data(world, credit_code=world.ent_a.credit_code)
    )
    assert "该统一社会信用代码已登记" in field_errors(response, "credit_code")


def test_double_submit_creates_once(world, client_for):
    client = client_for(world.office)
    data = enterprise_data(world)
    first = client.post(reverse("enterprise-create"), data)
    second = client.post(reverse("enterprise-create"), data, follow=True)
    assert Enterprise.objects.filter(name="丁电子科技有限公司").count() == 1
    enterprise = Enterprise.objects.get(name="丁电子科技有限公司")
    url = reverse("enterprise-detail", args=[enterprise.pk])
    assert first["Location"] == url
    assert second.redirect_chain[-1][0] == url
    assert "已经提交过" in second.content.decode()


def test_invalid_submit_then_fixed_with_same_token_saves(world, client_for):
    """A refused submission must not burn its token: the corrected resubmit saves."""
    client = client_for(world.office)
    data = enterprise_data(world, credit_code="123")
    assert client.post(reverse("enterprise-create"), data).status_code == 200
    data["credit_code"] = make_credit_code(999)
    response = client.post(reverse("enterprise-create"), data)
    assert response.status_code == 302
    assert Enterprise.objects.filter(name="丁电子科技有限公司").count() == 1


def edit_data(enterprise, **overrides):
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "region": enterprise.region_id,
        "industry": enterprise.industry,
        "ownership": enterprise.ownership,
        "size": enterprise.size,
        "listing_status": enterprise.listing_status,
        "is_key": "on" if enterprise.is_key else "",
        "version": enterprise.version,
    }
    data.update(overrides)
    return data


def test_edit_round_trip(world, client_for):
    client = client_for(world.office)
    url = reverse("enterprise-update", args=[world.ent_a.pk])
    page = client.get(url)
    assert f'name="version" value="{world.ent_a.version}"' in page.content.decode()
    response = client.post(url, edit_data(world.ent_a, address="工业园区1号"))
    assert response.status_code == 302
    world.ent_a.refresh_from_db()
    assert world.ent_a.address == "工业园区1号"
    assert world.ent_a.version == 2


def test_stale_edit_refused_and_input_kept(world, client_for):
    client = client_for(world.office)
    url = reverse("enterprise-update", args=[world.ent_a.pk])
    loaded = edit_data(world.ent_a, address="我的修改")
    # Meanwhile another office clerk saves the enterprise.
    colleague = UserFactory(roles=["office"])
    ProfileFactory(user=colleague, name="另一督查员", unit=world.county)
    enterprise_update(
        enterprise=world.ent_a, by=colleague, expected_version=1, address="别人的修改"
    )
    response = client.post(url, loaded)
    assert response.status_code == 200
    content = response.content.decode()
    assert "保存失败" in content and "另一督查员" in content
    assert "我的修改" in content  # the user's input is still in the form
    world.ent_a.refresh_from_db()
    assert world.ent_a.address == "别人的修改"
    assert world.ent_a.version == 2


# --- Surveys and indicators -------------------------------------------------------------------


def survey_data(**overrides):
    data = {
        "surveyed_on": "2026-03-15",
        "output_value": "12000.50",
        "difficulties": "融资难",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_cadre_files_survey(world, client_for):
    client = client_for(world.cadre_a)
    url = reverse("survey-create", args=[world.ent_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, survey_data())
    assert response.status_code == 302
    survey = EnterpriseSurvey.objects.get(enterprise=world.ent_a)
    assert survey.surveyed_by == world.cadre_a
    assert str(survey.output_value) == "12000.50"


def test_survey_field_error(world, client_for):
    response = client_for(world.cadre_a).post(
        reverse("survey-create", args=[world.ent_a.pk]), survey_data(output_value="很多")
    )
    assert response.status_code == 200
    assert field_errors(response, "output_value")
    assert not EnterpriseSurvey.objects.exists()


def test_survey_double_submit_saves_once(world, client_for):
    client = client_for(world.cadre_a)
    url = reverse("survey-create", args=[world.ent_a.pk])
    data = survey_data()
    client.post(url, data)
    client.post(url, data)
    assert EnterpriseSurvey.objects.count() == 1


@pytest.mark.parametrize("name", ["survey-create", "indicator-create"])
def test_cadre_recording_for_another_enterprise_is_404(world, client_for, name):
    client = client_for(world.cadre_a)
    assert client.get(reverse(name, args=[world.ent_b.pk])).status_code == 404
    assert client.post(reverse(name, args=[world.ent_b.pk]), survey_data()).status_code == 404


@pytest.mark.parametrize("name", ["survey-create", "indicator-create"])
def test_contact_and_leader_may_not_record(world, client_for, name):
    assert (
        client_for(world.enterprise_a).get(reverse(name, args=[world.ent_a.pk])).status_code == 403
    )
    assert client_for(world.leader).get(reverse(name, args=[world.ent_a.pk])).status_code == 403


def test_office_files_indicator(world, client_for):
    response = client_for(world.office).post(
        reverse("indicator-create", args=[world.ent_b.pk]),
        {"month": "2026-03", "output_value": "1000", "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert IndicatorReport.objects.get(enterprise=world.ent_b).month == datetime.date(2026, 3, 1)


def test_indicator_month_input_and_duplicate_month(world, client_for):
    client = client_for(world.cadre_a)
    url = reverse("indicator-create", args=[world.ent_a.pk])
    page = client.get(url).content.decode()
    assert 'type="month"' in page
    data = {"month": "2026-04", "output_value": "1500", "profit": "90", "tax": "30"}
    response = client.post(url, {**data, "form_token": str(uuid.uuid4())})
    assert response.status_code == 302
    indicator = IndicatorReport.objects.get(enterprise=world.ent_a)
    assert indicator.month == datetime.date(2026, 4, 1)
    assert indicator.reported_by == world.cadre_a

    response = client.post(url, {**data, "form_token": str(uuid.uuid4())})
    assert response.status_code == 200
    assert "2026-04 的指标已填报" in field_errors(response, "month")
    assert reverse("indicator-update", args=[indicator.pk]) in response.content.decode()
    assert IndicatorReport.objects.count() == 1


def test_indicator_bad_month(world, client_for):
    response = client_for(world.cadre_a).post(
        reverse("indicator-create", args=[world.ent_a.pk]),
        {"month": "2026-13", "form_token": str(uuid.uuid4())},
    )
    assert "请按“年-月”填写月份" in field_errors(response, "month")


def test_indicator_update_and_stale(world, client_for):
    indicator = IndicatorFactory(enterprise=world.ent_a, month=datetime.date(2026, 3, 1))
    client = client_for(world.cadre_a)
    url = reverse("indicator-update", args=[indicator.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"output_value": "2000", "version": 1})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.output_value == 2000 and indicator.version == 2
    response = client.post(url, {"output_value": "3000", "version": 1})
    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.output_value == 2000


def test_indicator_update_other_enterprise_is_404(world, client_for):
    indicator = IndicatorFactory(enterprise=world.ent_b)
    response = client_for(world.cadre_a).get(reverse("indicator-update", args=[indicator.pk]))
    assert response.status_code == 404


# --- Language ---------------------------------------------------------------------------------


def test_english_switch(world, client_for):
    client = client_for(world.office)
    url = reverse("enterprise-create")
    response = client.post(url, {"form_token": str(uuid.uuid4())})
    assert 'lang="zh-hans"' in response.content.decode()
    # The message names the field (core.forms.PortalFormMixin).
    assert "请填写“企业名称”。" in field_errors(response, "name")
    switched = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert switched.status_code == 302
    response = client.post(url, {"form_token": str(uuid.uuid4())})
    content = response.content.decode()
    assert 'lang="en"' in content
    # Django's own English message until the catalogue has the named one; Chinese in neither.
    error = field_errors(response, "name")
    assert error.strip() and not re.search(r"[\u4e00-\u9fff]", error), error
