"""The OpenAPI schema validates, documents every operation in Chinese with its errors, is served
to signed-in users only (DEBUG off), and the docs page uses only locally served assets."""

import re

import pytest
import yaml
from django.core.management import call_command

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def document(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    return yaml.safe_load((tmp_path / "s.yml").read_text())


def test_schema_and_docs_need_a_signed_in_user(client, world, settings):
    settings.DEBUG = False
    for url in ["/api/schema/", "/api/docs/", "/api/docs/?script="]:
        response = client.get(url)
        assert response.status_code in (302, 401, 403), url
        assert b"/api/v1/tickets/" not in response.content
    client.force_login(world.cadre_a)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_schema_is_open_while_developing(client, db, settings):
    settings.DEBUG = True
    assert client.get("/api/schema/").status_code == 200


def test_every_operation_is_documented_in_chinese_with_its_errors(document):
    """Each operation: a Chinese summary, no English-only description, its error answers —
    401 and 403 always, 404 where the path names a record and on lists (a page past the end), 400
    where it takes a body or query parameters — each error with a Chinese description."""
    problems = []
    operations = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            operations += 1
            name = f"{method.upper()} {path}"
            if not HAN.search(operation.get("summary", "")):
                problems.append(f"{name}: no Chinese summary")
            description = operation.get("description", "")
            if description and not HAN.search(description):
                problems.append(f"{name}: description not in Chinese")
            responses = operation["responses"]
            parameters = operation.get("parameters", [])
            wanted = {"401", "403"}
            if method == "get" or any(p["in"] == "path" for p in parameters):
                wanted.add("404")
            if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
                wanted.add("400")
            if missing := wanted - set(responses):
                problems.append(f"{name}: errors {sorted(missing)} not documented")
            for code, response in responses.items():
                if code.startswith(("4", "5")) and not HAN.search(response.get("description", "")):
                    problems.append(f"{name}: error {code} has no Chinese description")
    assert operations > 90
    assert not problems, "\n".join(problems)


def test_schema_endpoint(client_for, world):
    client = client_for(world.office)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in ["/api/v1/enterprises/", "/api/v1/surveys/", "/api/v1/indicators/"]:
        assert path in body
    # Choices carry their Chinese labels.
    assert "制造业" in body


def test_schema_generates_without_warnings(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    assert "/api/v1/cadres/" in schema
    for path in [
        "/api/v1/periods/",
        "/api/v1/work-plans/{id}/submit/",
        "/api/v1/work-plans/{id}/approve/",
        "/api/v1/work-plans/{id}/return/",
        "/api/v1/work-plans/{id}/diff/",
        "/api/v1/reports/{id}/submit/",
        "/api/v1/reports/{id}/review/",
        "/api/v1/reports/{id}/return/",
    ]:
        assert f"  {path}:" in schema, path
    # A plan's state and a report's state are different enums, each named after its choices.
    for enum in ["PlanStateEnum", "ReportStateEnum", "ItemStatusEnum", "PeriodStatusEnum"]:
        assert f"    {enum}:" in schema, enum
    # Actions document what they take.
    for component in ["WorkPlanReturnRequest", "ReportReviewRequest", "WorkPlanDiff"]:
        assert f"    {component}:" in schema, component


def test_ticket_api_is_documented(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in [
        "/api/v1/tickets/",
        "/api/v1/tickets/{id}/",
        "/api/v1/tickets/{id}/events/",
        "/api/v1/tickets/{id}/attachments/{attachment_id}/",
        *(
            f"/api/v1/tickets/{{id}}/{action}/"
            for action in [
                "accept",
                "reject",
                "assign",
                "confirm",
                "object",
                "hand-over",
                "progress",
                "request-extension",
                "decide-extension",
                "answer",
                "rate",
                "withdraw",
                "escalate",
            ]
        ),
    ]:
        assert f"  {path}:" in schema, path
    # Ticket enums are named after their choices, not after the field ("state", "level").
    for enum in [
        "TicketStateEnum",
        "CategoryEnum",
        "UrgencyEnum",
        "LevelEnum",
        "ColourEnum",
        "SatisfactionEnum",
        "EventKindEnum",
        "TicketActionEnum",
    ]:
        assert f"    {enum}:" in schema, enum
    for component in [
        "TicketAssignRequest",
        "TicketRateRequest",
        "TicketProgressRequest",
        "TicketCreateRequest",
        "TicketEvent",
        "TicketAttachment",
        "PaginatedTicketListItemList",
    ]:
        assert f"    {component}:" in schema, component
    # The list carries the counts per state; every step documents its refusals.
    document = yaml.safe_load(schema)
    paginated = document["components"]["schemas"]["PaginatedTicketListItemList"]
    assert "state_counts" in paginated["properties"]
    for action in ["accept", "assign", "answer", "rate", "withdraw"]:
        responses = document["paths"][f"/api/v1/tickets/{{id}}/{action}/"]["post"]["responses"]
        assert {"200", "400", "403", "404", "409"} <= set(responses), action
    progress = document["paths"]["/api/v1/tickets/{id}/progress/"]["post"]["requestBody"]
    assert "multipart/form-data" in progress["content"]


def test_docs_page_uses_local_assets_only(client_for, world):
    client = client_for(world.office)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs page must not load anything from a CDN"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith(("/static/", "/api/")), asset

    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert not re.search(r"https?://", script.content.decode())


def test_api_root_links_to_the_api_not_the_pages(world, client_for):
    links = client_for(world.office).get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert links["enterprises"].endswith("/api/v1/enterprises/")
    assert links["tickets"].endswith("/api/v1/tickets/")
