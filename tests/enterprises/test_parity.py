"""The enterprise pages and the API accept the same values and refuse the same ones, on the same
field: the region comes from core.selectors.territory_regions on both, and the rules (credit
code, one row per month, who may record) from enterprises.services and enterprises.permissions.
"""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.models import IndicatorReport
from enterprises.services import enterprise_update, indicator_create, survey_create
from tests.factories import IndicatorFactory, make_credit_code

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_login(user)
    return client


def page_outcome(response):
    """Either "accepted" or the fields the page refused (its form's errors)."""
    if response.status_code == 302:
        return "accepted"
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    return sorted("non_field_errors" if name == "__all__" else name for name in errors)


def api_outcome(response):
    if response.status_code in (200, 201):
        return "accepted"
    assert response.status_code == 400, response.content
    return sorted(response.json())


def enterprise_data(world, number, **overrides):
    data = {
        "name": f"丁电子科技有限公司{number}",
        "credit_code": make_credit_code(number),
        "region": world.town_a.pk,
        "industry": "C",
        "ownership": "private",
        "size": "small",
        "listing_status": "unlisted",
        "employees": 120,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", "accepted"),
        ("region_outside", ["region"]),
        ("region_a_department", ["region"]),
        ("credit_code_wrong", ["credit_code"]),
        ("credit_code_taken", ["credit_code"]),
    ],
)
def test_enterprise_parity(world, client_for, case, expected):
    def data(number):
        values = enterprise_data(world, number)
        if case == "region_outside":
            values["region"] = world.town_far.pk
        if case == "region_a_department":
            values["region"] = world.dev_bureau.pk
        if case == "credit_code_wrong":
            code = values["credit_code"]
            values["credit_code"] = code[:17] + ("0" if code[17] != "0" else "1")
        if case == "credit_code_taken":
            values["credit_code"] = world.ent_a.credit_code
        return values

    page = client_for(world.office).post(
        reverse("enterprise-create"), {**data(991), "form_token": str(uuid.uuid4())}
    )
    api = api_as(world.office).post("/api/v1/enterprises/", data(992))
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", "accepted"),
        ("month_already_filed", ["month"]),
        ("month_not_a_date", ["month"]),
    ],
)
def test_indicator_parity(world, client_for, case, expected):
    IndicatorFactory(enterprise=world.ent_a, month="2026-03-01")
    page_month, api_month = {
        "valid": ("2026-04-15", "2026-05-15"),
        "month_already_filed": ("2026-03-15", "2026-03-20"),
        "month_not_a_date": ("2026-13-01", "2026-13-01"),
    }[case]
    figures = {"output_value": "1200", "profit": "90", "tax": "30"}
    page = client_for(world.cadre_a).post(
        reverse("indicator-create", args=[world.ent_a.pk]),
        {**figures, "month": page_month, "form_token": str(uuid.uuid4())},
    )
    api = api_as(world.cadre_a).post(
        "/api/v1/indicators/", {**figures, "month": api_month, "enterprise": world.ent_a.pk}
    )
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [("valid", "accepted"), ("no_date", ["surveyed_on"])],
)
def test_survey_parity(world, client_for, case, expected):
    data = {"surveyed_on": "2026-03-12", "output_value": "8000.50", "difficulties": "用工紧张"}
    if case == "no_date":
        data["surveyed_on"] = ""
    page = client_for(world.cadre_a).post(
        reverse("survey-create", args=[world.ent_a.pk]),
        {**data, "form_token": str(uuid.uuid4())},
    )
    api_data = {**data, "enterprise": world.ent_a.pk}
    if case == "no_date":
        api_data["surveyed_on"] = None
    api = api_as(world.cadre_a).post("/api/v1/surveys/", api_data)
    assert page_outcome(page) == expected
    assert api_outcome(api) == expected


def test_a_record_stays_with_its_enterprise(world):
    # The page's URL names the enterprise; the API ignores another one on an edit rather than
    # move the figures (to an enterprise the cadre may or may not record for).
    indicator = IndicatorFactory(enterprise=world.ent_a, month="2026-03-01")
    response = api_as(world.office).patch(
        f"/api/v1/indicators/{indicator.pk}/", {"enterprise": world.ent_b.pk, "profit": "99"}
    )
    assert response.status_code == 200, response.content
    indicator.refresh_from_db()
    assert indicator.enterprise_id == world.ent_a.pk
    assert str(indicator.profit) == "99.00"


# --- The services ask the same predicates as the pages and the API ---------------------------


def test_the_services_ask_who_may_write(world):
    with pytest.raises(PermissionDenied, match="只有督查室可以修改此数据"):
        enterprise_update(
            enterprise=world.ent_a, by=world.leader, expected_version=None, address="领导改的"
        )
    with pytest.raises(PermissionDenied, match="只有督查室或该企业的驻企干部可以填报"):
        survey_create(by=world.cadre_b, enterprise=world.ent_a, surveyed_on="2026-03-12")
    with pytest.raises(ValidationError) as caught:
        indicator_create(
            by=world.cadre_a, enterprise=world.ent_a, month="2026-04-01", source="statistics"
        )
    assert "只有督查室可以录入统计部门数据" in caught.value.message_dict["source"][0]
    assert not IndicatorReport.objects.exists()
