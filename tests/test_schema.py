"""The OpenAPI schema validates and the docs page uses only locally served assets."""

import re

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
    assert "/api/v1/cadres/" in (tmp_path / "s.yml").read_text()


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
