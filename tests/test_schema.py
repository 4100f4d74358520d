"""The OpenAPI schema validates and the docs page uses only locally served assets."""

import re

import yaml
from django.core.management import call_command


def test_schema_endpoint(client, db):
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


def test_docs_page_uses_local_assets_only(client, db):
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
