"""The appraisal API (/api/v1/appraisals/): scoped like the pages, the page's filters on the
results, starting (409 while running) and publishing (office only)."""

import pytest
import time_machine
from django.urls import reverse

from supervision.choices import AppraisalState
from supervision.models import AppraisalRun

from ..conftest import results
from .test_appraisal import D, moment, run_as_of, scenario  # noqa: F401


@pytest.fixture
def draft(scenario, at):  # noqa: F811
    return run_as_of(at, scenario.programme, by=scenario.office)


def test_office_starts_and_publishes(scenario, api):  # noqa: F811
    w = scenario
    url = reverse("api-appraisal-list")
    body = {"programme": w.programme.pk, "as_of": D.isoformat()}
    assert api(w.cadre_a).post(url, body).status_code == 403
    assert api(w.leader).post(url, body).status_code == 403
    with time_machine.travel(moment(5, 6), tick=False):
        created = api(w.office).post(url, body)
    assert created.status_code == 201, created.content
    run = AppraisalRun.objects.get(pk=created.json()["id"])
    assert created.json()["state"] == "draft" and created.json()["number"] == 1
    # A run being computed: 409 with the reason.
    AppraisalRun.objects.create(programme=w.programme, number=5, as_of=D)
    busy = api(w.office).post(url, body)
    assert busy.status_code == 409 and "正在计算中" in busy.json()["detail"]
    AppraisalRun.objects.filter(number=5).delete()
    publish = reverse("api-appraisal-publish", args=[run.pk])
    assert api(w.leader).post(publish).status_code == 403
    assert api(w.cadre_a).post(publish).status_code == 404
    done = api(w.office).post(publish)
    assert done.status_code == 200 and done.json()["state"] == "published"
    assert api(w.office).post(publish).status_code == 409
    # After a published version, a rerun needs its reason (400 under the field).
    refused = api(w.office).post(url, body)
    assert refused.status_code == 400 and "reason" in refused.json()


def test_scoping_of_runs_and_results(scenario, draft, api):  # noqa: F811
    w = scenario
    url = reverse("api-appraisal-list")
    assert [r["id"] for r in results(api(w.office).get(url))] == [draft.pk]
    assert [r["id"] for r in results(api(w.leader).get(url))] == [draft.pk]
    assert results(api(w.cadre_a).get(url)) == []
    detail = reverse("api-appraisal-results", args=[draft.pk])
    assert api(w.cadre_a).get(detail).status_code == 404
    assert len(results(api(w.office).get(detail))) == 2
    AppraisalRun.objects.filter(pk=draft.pk).update(state=AppraisalState.PUBLISHED)
    mine = results(api(w.cadre_a).get(detail))
    assert [r["cadre"] for r in mine] == [w.cadre_a.profile.pk]
    assert mine[0]["total"] == "80.71" and mine[0]["reports_missing"] == 0
    unit_staff = results(api(w.department).get(detail))
    assert [r["cadre"] for r in unit_staff] == [w.cadre_b.profile.pk]
    assert api(w.outsider).get(reverse("api-appraisal-detail", args=[draft.pk])).status_code == 404


def test_results_filters_units_and_departments(scenario, draft, api):  # noqa: F811
    w = scenario
    office = api(w.office)
    url = reverse("api-appraisal-results", args=[draft.pk])
    by_unit = results(office.get(url, {"unit": w.dev_bureau.pk}))
    assert [r["cadre_name"] for r in by_unit] == ["张干部"]
    assert [r["cadre_name"] for r in results(office.get(url, {"grade": "fail"}))] == ["李干部"]
    assert [r["cadre_name"] for r in results(office.get(url, {"work_group": w.group.pk}))] == [
        "张干部",
        "李干部",
    ]
    assert results(office.get(url, {"unit": 999999})) == []
    b = results(office.get(url, {"q": "李"}))[0]
    assert (b["problems"], b["plan"], b["has_approved_plan"]) == (None, "0.00", False)
    ordered = results(office.get(url, {"ordering": "total"}))
    assert [r["cadre_name"] for r in ordered] == ["李干部", "张干部"]
    units = results(office.get(reverse("api-appraisal-units", args=[draft.pk])))
    assert {u["unit_name"] for u in units} == {"示范县发展和改革局", "示范县财政局"}
    assert all(u["rank"] is None for u in units)  # fewer than 3 cadres each
    departments = office.get(reverse("api-appraisal-departments", args=[draft.pk]))
    assert departments.status_code == 200
    for row in results(departments):
        assert {"unit_name", "on_time_rate", "satisfaction", "rank"} <= set(row)
