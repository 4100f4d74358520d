"""REST API for enterprises, surveys and indicators: scoping, writes through services, errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.validators import credit_code_check_character

from ..conftest import PASSWORD
from ..factories import EnterpriseFactory, IndicatorFactory, SurveyFactory

ENTERPRISES = "/api/v1/enterprises/"
SURVEYS = "/api/v1/surveys/"
INDICATORS = "/api/v1/indicators/"


def valid_code(first17="91350100MA2Y00001"):
    return first17 + credit_code_check_character(first17)


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def enterprise_payload(world, **overrides):
    payload = {
        "name": "丁新材料有限公司",
        "credit_code": valid_code(),
        "industry": "C",
        "ownership": "private",
        "size": "small",
        "region": world.town_a.pk,
        "employees": 120,
        "is_key": True,
    }
    payload.update(overrides)
    return payload


# --- authentication ------------------------------------------------------------------------


def test_token_obtain_and_use(world):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "cadre_a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert names(client.get(ENTERPRISES)) == ["甲机械制造有限公司"]


def test_token_refused_for_wrong_password(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "cadre_a", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def refused(response, detail):
    # Token authentication comes first in DEFAULT_AUTHENTICATION_CLASSES, so DRF answers 401
    # with a WWW-Authenticate challenge, for a missing and a bad token alike.
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": detail}


def test_anonymous_is_refused(world, api):
    refused(api().get(ENTERPRISES), "身份认证信息未提供。")
    refused(api().post(ENTERPRISES, {}, format="json"), "身份认证信息未提供。")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused(bad.get(ENTERPRISES), "认证令牌无效。")


# --- scoping -------------------------------------------------------------------------------


def test_cadre_sees_only_their_enterprise(world, api):
    client = api(world.cadre_a)
    assert names(client.get(ENTERPRISES)) == ["甲机械制造有限公司"]
    own = client.get(f"{ENTERPRISES}{world.ent_a.pk}/")
    assert own.status_code == 200
    assert own.json()["is_stationed"] is True
    assert client.get(f"{ENTERPRISES}{world.ent_b.pk}/").status_code == 404
    assert client.get(f"{ENTERPRISES}{world.ent_c.pk}/").status_code == 404


def test_cadre_sees_only_surveys_and_indicators_of_their_enterprise(world, api):
    own_survey = SurveyFactory(enterprise=world.ent_a)
    other_survey = SurveyFactory(enterprise=world.ent_b)
    own_indicator = IndicatorFactory(enterprise=world.ent_a)
    other_indicator = IndicatorFactory(enterprise=world.ent_b)
    client = api(world.cadre_a)

    surveys = client.get(SURVEYS).json()["results"]
    assert [row["id"] for row in surveys] == [own_survey.pk]
    assert client.get(f"{SURVEYS}{own_survey.pk}/").status_code == 200
    assert client.get(f"{SURVEYS}{other_survey.pk}/").status_code == 404

    indicators = client.get(INDICATORS).json()["results"]
    assert [row["id"] for row in indicators] == [own_indicator.pk]
    assert indicators[0]["profit_tax"] == "120.00"
    assert client.get(f"{INDICATORS}{own_indicator.pk}/").status_code == 200
    assert client.get(f"{INDICATORS}{other_indicator.pk}/").status_code == 404


def test_enterprise_contact_sees_only_its_own(world, api):
    client = api(world.enterprise_a)
    assert names(client.get(ENTERPRISES)) == ["甲机械制造有限公司"]
    assert client.get(f"{ENTERPRISES}{world.ent_b.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["department", "outsider"])
def test_department_and_outsider_see_no_enterprises(world, api, who):
    client = api(getattr(world, who))
    assert names(client.get(ENTERPRISES)) == []
    assert client.get(f"{ENTERPRISES}{world.ent_a.pk}/").status_code == 404


def test_office_sees_its_county(world, api):
    assert names(api(world.office).get(ENTERPRISES)) == ["乙纺织有限公司", "甲机械制造有限公司"]


# --- office writes -------------------------------------------------------------------------


def test_office_creates_and_updates_an_enterprise(world, api):
    client = api(world.office)
    response = client.post(ENTERPRISES, enterprise_payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1
    assert body["is_stationed"] is False
    assert body["region_name"] == "城关镇"
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert enterprise.updated_by == world.office

    response = client.patch(
        f"{ENTERPRISES}{enterprise.pk}/", {"employees": 150, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["employees"] == 150


def test_credit_code_is_normalised(world, api):
    code = valid_code("91350100MA2Y00002")
    response = api(world.office).post(
        ENTERPRISES, enterprise_payload(world, credit_code=f"  {code.lower()} "), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == code


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        # wrong check character
        (lambda code: code[:17] + ("1" if code[17] != "1" else "2"), "校验位错误"),
        # a letter the standard never uses
        (lambda code: code[:10] + "O" + code[11:], "不使用字母"),
        # too short, too long
        (lambda code: code[:17], "应为18位，当前为17位"),
        (lambda code: code + "0", "应为18位，当前为19位"),
    ],
    ids=["check-character", "forbidden-letter", "too-short", "too-long"],
)
def test_bad_credit_code_is_a_field_error(world, api, mangle, message):
    payload = enterprise_payload(world, credit_code=mangle(valid_code()))
    response = api(world.office).post(ENTERPRISES, payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["credit_code"]
    assert message in errors["credit_code"][0]
    assert not Enterprise.objects.filter(name="丁新材料有限公司").exists()


def test_bad_credit_code_on_update(world, api):
    response = api(world.office).patch(
        f"{ENTERPRISES}{world.ent_a.pk}/", {"credit_code": "91350100MA2Y000010"}, format="json"
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()


def test_duplicate_credit_code_is_a_field_error(world, api):
    payload = enterprise_payload(world, credit_code=world.ent_b.credit_code.lower())
    response = api(world.office).post(ENTERPRISES, payload, format="json")
    assert response.status_code == 400
    assert response.json()["credit_code"] == ["该统一社会信用代码已登记。"]


def test_stale_version_is_409_and_nothing_is_overwritten(world, api):
    client = api(world.office)
    url = f"{ENTERPRISES}{world.ent_a.pk}/"
    loaded = client.get(url).json()["version"]

    first = client.patch(url, {"address": "工业园一路1号", "version": loaded}, format="json")
    assert first.status_code == 200
    second = client.patch(url, {"address": "被覆盖的地址", "version": loaded}, format="json")
    assert second.status_code == 409
    assert "督查员" in second.json()["detail"]

    world.ent_a.refresh_from_db()
    assert world.ent_a.address == "工业园一路1号"
    assert world.ent_a.version == loaded + 1


def test_update_without_version_skips_the_check(world, api):
    client = api(world.office)
    url = f"{ENTERPRISES}{world.ent_a.pk}/"
    assert client.patch(url, {"address": "一"}, format="json").status_code == 200
    assert client.patch(url, {"address": "二"}, format="json").status_code == 200
    world.ent_a.refresh_from_db()
    assert world.ent_a.address == "二"


def test_office_cannot_place_an_enterprise_outside_its_territory(world, api):
    payload = enterprise_payload(world, region=world.town_far.pk)
    response = api(world.office).post(ENTERPRISES, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["region"]


def test_there_is_no_delete(world, api):
    response = api(world.office).delete(f"{ENTERPRISES}{world.ent_a.pk}/")
    assert response.status_code == 405
    assert Enterprise.objects.filter(pk=world.ent_a.pk).exists()


# --- surveys and indicators ----------------------------------------------------------------


def survey_payload(enterprise, **overrides):
    return {
        "enterprise": enterprise.pk,
        "surveyed_on": "2026-03-12",
        "output_value": "8000.50",
        "difficulties": "用工紧张",
        **overrides,
    }


def indicator_payload(enterprise, **overrides):
    return {
        "enterprise": enterprise.pk,
        "month": "2026-04-15",
        "output_value": "1200",
        "profit": "90",
        "tax": "30",
        **overrides,
    }


def test_cadre_records_a_survey_and_an_indicator_for_their_enterprise(world, api):
    client = api(world.cadre_a)
    response = client.post(SURVEYS, survey_payload(world.ent_a), format="json")
    assert response.status_code == 201, response.content
    survey = EnterpriseSurvey.objects.get(pk=response.json()["id"])
    assert survey.surveyed_by == world.cadre_a
    assert response.json()["surveyed_by"] == world.cadre_a.pk

    response = client.post(INDICATORS, indicator_payload(world.ent_a), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["month"] == "2026-04-01"
    assert body["profit_tax"] == "120.00"
    assert body["source"] == "cadre"
    assert IndicatorReport.objects.get(pk=body["id"]).reported_by == world.cadre_a


def test_second_indicator_for_the_same_month_is_a_field_error(world, api):
    client = api(world.cadre_a)
    assert client.post(INDICATORS, indicator_payload(world.ent_a), format="json").status_code == 201
    again = client.post(INDICATORS, indicator_payload(world.ent_a, month="2026-04-30"))
    assert again.status_code == 400
    assert list(again.json()) == ["month"]


@pytest.mark.parametrize(
    ("url", "payload"), [(SURVEYS, survey_payload), (INDICATORS, indicator_payload)]
)
def test_cadre_cannot_record_for_another_enterprise(world, api, url, payload):
    client = api(world.cadre_a)
    stationed_elsewhere = client.post(url, payload(world.ent_b), format="json")
    assert stationed_elsewhere.status_code == 400
    assert list(stationed_elsewhere.json()) == ["enterprise"]

    # An enterprise out of scope reads exactly like one that does not exist.
    missing = client.post(url, {**payload(world.ent_b), "enterprise": 999999}, format="json")
    assert missing.status_code == 400
    assert stationed_elsewhere.json()["enterprise"][0].replace(
        str(world.ent_b.pk), "ID"
    ) == missing.json()["enterprise"][0].replace("999999", "ID")
    assert not EnterpriseSurvey.objects.exists()
    assert not IndicatorReport.objects.exists()


def test_enterprise_contact_sees_but_cannot_record(world, api):
    survey = SurveyFactory(enterprise=world.ent_a)
    client = api(world.enterprise_a)
    assert client.get(f"{SURVEYS}{survey.pk}/").status_code == 200
    assert client.post(SURVEYS, survey_payload(world.ent_a), format="json").status_code == 403
    patch = client.patch(f"{SURVEYS}{survey.pk}/", {"difficulties": "无"}, format="json")
    assert patch.status_code == 403


def test_cadre_cannot_mark_figures_as_statistics(world, api):
    payload = indicator_payload(world.ent_a, source="statistics")
    response = api(world.cadre_a).post(INDICATORS, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["source"]
    response = api(world.office).post(INDICATORS, payload, format="json")
    assert response.status_code == 201


def test_cadre_updates_their_survey_and_another_cadre_gets_404(world, api):
    survey = SurveyFactory(enterprise=world.ent_a)
    url = f"{SURVEYS}{survey.pk}/"
    response = api(world.cadre_a).patch(url, {"difficulties": "融资难", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert api(world.cadre_b).patch(url, {"difficulties": "x"}).status_code == 404


def test_leader_gets_403_on_writes(world, api):
    survey = SurveyFactory(enterprise=world.ent_a)
    indicator = IndicatorFactory(enterprise=world.ent_a)
    client = api(world.leader)
    assert client.get(f"{ENTERPRISES}{world.ent_a.pk}/").status_code == 200
    assert client.post(ENTERPRISES, enterprise_payload(world), format="json").status_code == 403
    url = f"{ENTERPRISES}{world.ent_a.pk}/"
    assert client.patch(url, {"name": "改名"}, format="json").status_code == 403
    assert client.post(SURVEYS, survey_payload(world.ent_a), format="json").status_code == 403
    assert client.patch(f"{SURVEYS}{survey.pk}/", {"difficulties": "x"}).status_code == 403
    assert client.post(INDICATORS, indicator_payload(world.ent_a)).status_code == 403
    assert client.patch(f"{INDICATORS}{indicator.pk}/", {"tax": "1"}).status_code == 403
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "甲机械制造有限公司"


# --- filters, ordering, queries ------------------------------------------------------------


def test_filters(world, api):
    EnterpriseFactory(name="城关服装厂", region=world.town_a, industry="C", is_key=False)
    EnterpriseFactory(name="河东建筑公司", region=world.town_b, industry="E", is_key=True)
    client = api(world.office)

    by_industry = client.get(ENTERPRISES, {"industry": "C", "is_key": "true"})
    assert names(by_industry) == ["乙纺织有限公司", "甲机械制造有限公司"]
    assert names(client.get(ENTERPRISES, {"is_key": "false"})) == ["城关服装厂"]
    assert names(client.get(ENTERPRISES, {"q": "纺织"})) == ["乙纺织有限公司"]
    code = world.ent_a.credit_code.lower()
    assert names(client.get(ENTERPRISES, {"q": code})) == ["甲机械制造有限公司"]
    assert names(client.get(ENTERPRISES, {"region": world.town_b.pk})) == [
        "乙纺织有限公司",
        "河东建筑公司",
    ]
    # A county includes its townships.
    assert len(names(client.get(ENTERPRISES, {"region": world.county.pk}))) == 4
    assert names(client.get(ENTERPRISES, {"stationed": "false"})) == ["城关服装厂", "河东建筑公司"]


def test_filters_never_widen_the_scope(world, api):
    client = api(world.cadre_a)
    assert names(client.get(ENTERPRISES, {"region": world.town_b.pk})) == []
    assert names(client.get(ENTERPRISES, {"q": "乙纺织"})) == []
    SurveyFactory(enterprise=world.ent_b)
    assert client.get(SURVEYS, {"enterprise": world.ent_b.pk}).json()["results"] == []


def test_ordering(world, api):
    client = api(world.office)
    # `name` sorts by pinyin (core.ordering): 甲 jiǎ before 乙 yǐ, so descending puts 乙 first.
    rows = client.get(ENTERPRISES, {"ordering": "-name"}).json()["results"]
    assert [row["name"] for row in rows] == ["乙纺织有限公司", "甲机械制造有限公司"]
    rows = client.get(ENTERPRISES, {"ordering": "name"}).json()["results"]
    assert [row["name"] for row in rows] == ["甲机械制造有限公司", "乙纺织有限公司"]


def test_list_query_count_does_not_grow_with_rows(world, api):
    client = api(world.office)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ENTERPRISES)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    EnterpriseFactory.create_batch(3, region=world.town_a)
    few, rows = count_queries()
    assert rows == 5
    EnterpriseFactory.create_batch(25, region=world.town_b)
    many, rows = count_queries()
    assert rows == 30
    assert many == few


def test_survey_and_indicator_list_query_count(world, api):
    client = api(world.office)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    SurveyFactory(enterprise=world.ent_a, surveyed_by=world.cadre_a)
    IndicatorFactory(enterprise=world.ent_a)
    few = (count(SURVEYS), count(INDICATORS))
    for month in range(5, 13):
        SurveyFactory(enterprise=world.ent_b, surveyed_by=world.cadre_b)
        IndicatorFactory(enterprise=world.ent_b, month=f"2026-{month:02d}-01")
    assert (count(SURVEYS), count(INDICATORS)) == few
