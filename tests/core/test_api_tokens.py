"""API tokens expire after API_TOKEN_TTL_DAYS; their owner replaces or revokes them at
/password/token/ (API 令牌), the office revokes anyone's; an anonymous API call is a 401."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.choices import Role
from core.services import api_token_issue, api_token_revoke

from ..factories import make_person

PROGRAMMES = "/api/v1/programmes/"
TOKEN_URL = "/api/v1/auth/token/"
EXPIRED = "认证令牌已过期，请重新获取。"


@pytest.fixture
def people(db):
    return {
        "office": make_person("office", [Role.OFFICE], name="督查员", phone="13900000001"),
        "cadre": make_person("cadre", [Role.CADRE], name="张干部", phone="13900000003"),
        "other": make_person("other", [Role.CADRE], name="李干部", phone="13900000004"),
    }


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_anonymous_api_call_is_a_401_with_a_challenge(db):
    response = APIClient().get(PROGRAMMES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_a_token_works_until_its_ttl_then_is_a_401_in_chinese(people, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        token = api_token_issue(user=people["cadre"])
    with time_machine.travel(issued + datetime.timedelta(days=89, hours=23), tick=False):
        assert with_token(token.key).get(PROGRAMMES).status_code == 200
    with time_machine.travel(issued + datetime.timedelta(days=90), tick=False):
        response = with_token(token.key).get(PROGRAMMES)
    assert response.status_code == 401
    assert response.json() == {"detail": EXPIRED}
    assert response["WWW-Authenticate"] == "Token"


def test_the_endpoint_replaces_an_expired_token_and_keeps_a_valid_one(people):
    issued = timezone.now() - datetime.timedelta(days=100)
    with time_machine.travel(issued, tick=False):
        old = api_token_issue(user=people["cadre"])
    response = APIClient().post(
        TOKEN_URL, {"username": "cadre", "password": "pass-12345"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token"] != old.key
    assert not Token.objects.filter(key=old.key).exists()
    assert with_token(body["token"]).get(PROGRAMMES).status_code == 200
    expires = datetime.datetime.fromisoformat(body["expires"])
    assert expires - timezone.now() > datetime.timedelta(days=89)
    again = APIClient().post(
        TOKEN_URL, {"username": "cadre", "password": "pass-12345"}, format="json"
    )
    assert again.json()["token"] == body["token"]


def test_the_owner_gets_replaces_and_revokes_a_token_on_the_page(client, people):
    client.force_login(people["cadre"])
    url = reverse("api_token")
    page = client.get(url).content.decode()
    assert "您目前没有 API 令牌。" in page and "获取令牌" in page

    issued = client.post(url, {"action": "issue"})
    assert issued.status_code == 200
    assert "no-cache" in issued["Cache-Control"]
    key = Token.objects.get(user=people["cadre"]).key
    html = issued.content.decode()
    assert key in html and "只显示这一次" in html
    assert with_token(key).get(PROGRAMMES).status_code == 200
    # Shown once: the page later tells the dates, not the key.
    later = client.get(url).content.decode()
    assert key not in later and "失效时间" in later and "吊销令牌" in later

    replaced = client.post(url, {"action": "issue"})
    new_key = Token.objects.get(user=people["cadre"]).key
    assert new_key != key and new_key in replaced.content.decode()
    assert with_token(key).get(PROGRAMMES).status_code == 401

    revoked = client.post(url, {"action": "revoke"}, follow=True)
    assert "API 令牌已吊销" in revoked.content.decode()
    assert not Token.objects.filter(user=people["cadre"]).exists()
    assert with_token(new_key).get(PROGRAMMES).status_code == 401


def test_the_page_shows_an_expired_token_as_expired(client, people):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=91), tick=False):
        api_token_issue(user=people["cadre"])
    client.force_login(people["cadre"])
    assert "已过期" in client.get(reverse("api_token")).content.decode()


def test_the_page_needs_a_sign_in(client, db):
    response = client.get(reverse("api_token"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_office_revokes_anyones_token_others_only_their_own(people):
    token = api_token_issue(user=people["cadre"])
    with pytest.raises(PermissionDenied, match="只有督查室可以吊销他人的 API 令牌"):
        api_token_revoke(user=people["cadre"], by=people["other"])
    assert Token.objects.filter(key=token.key).exists()
    assert api_token_revoke(user=people["cadre"], by=people["office"]) is True
    assert with_token(token.key).get(PROGRAMMES).status_code == 401
    assert api_token_revoke(user=people["cadre"], by=people["office"]) is False


def test_the_password_page_links_to_the_token_page(client, people):
    client.force_login(people["cadre"])
    html = client.get(reverse("password_change")).content.decode()
    assert f'href="{reverse("api_token")}"' in html
