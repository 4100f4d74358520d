"""Sign-in lockout (django-axes, core/signin.py) on the sign-in page and the API token endpoint.

Five wrong passwords lock the account from any address; SIGN_IN_IP_FAILURE_LIMIT (20) failures
lock the address for every account; the cool-off (15 minutes) ends either. The answer is a
Chinese page or API error with HTTP 429.
"""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.signin import client_ip

PASSWORD = "Zhengque-mima-2026"
WRONG = "cuowu-mima"
TOKEN_URL = "/api/v1/auth/token/"
LOCKED = "登录失败次数过多，已暂时锁定。请15分钟后再试"


@pytest.fixture
def users(db):
    return {
        name: User.objects.create_user(name, password=PASSWORD) for name in ("zhang", "li", "wang")
    }


def sign_in(client, username, password, ip="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def signed_in_as(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


def token_for(username, password, ip="10.1.1.1"):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_account_with_a_chinese_page(client, users):
    for attempt in range(4):
        response = sign_in(client, "zhang", WRONG)
        assert response.status_code == 200, attempt  # the form again, with its error
    fifth = sign_in(client, "zhang", WRONG)
    assert fifth.status_code == 429
    assert "registration/lockout.html" in [t.name for t in fifth.templates]

    right = sign_in(client, "zhang", PASSWORD)
    assert right.status_code == 429
    html = right.content.decode()
    assert LOCKED in html and "登录已暂时锁定" in html
    assert right["Retry-After"] == str(15 * 60)
    assert signed_in_as(client) is None
    # From another address too: the account itself is locked.
    assert sign_in(client, "zhang", PASSWORD, ip="10.2.2.2").status_code == 429
    # Another account at the first address is not (4 failures are far below the address limit).
    assert sign_in(client, "li", PASSWORD).status_code == 302
    assert signed_in_as(client) == "li"


def test_thirty_wrong_passwords_are_not_followed_by_a_sign_in(client, users):
    for _attempt in range(30):
        sign_in(client, "zhang", WRONG)
    assert sign_in(client, "zhang", PASSWORD).status_code == 429
    assert signed_in_as(client) is None


def test_failures_over_many_accounts_lock_the_address(client, users, settings):
    assert settings.SIGN_IN_IP_FAILURE_LIMIT == 20
    # 4 guesses at each of 5 accounts: no account reaches 5, the address reaches 20.
    for name in ("zhang", "wang", "zhao", "qian", "sun"):
        for _attempt in range(4):
            sign_in(client, name, WRONG, ip="10.9.9.9")
    response = sign_in(client, "li", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert signed_in_as(client) is None
    # The accounts are not locked elsewhere: li signs in from another address.
    assert sign_in(client, "li", PASSWORD, ip="10.3.3.3").status_code == 302


def test_sign_in_works_again_after_the_cool_off(client, users):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(5):
            sign_in(client, "zhang", WRONG)
        assert sign_in(client, "zhang", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert sign_in(client, "zhang", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response = sign_in(client, "zhang", PASSWORD)
        assert response.status_code == 302 and signed_in_as(client) == "zhang"


def test_guesses_during_the_lockout_do_not_extend_it(client, users):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(5):
            sign_in(client, "zhang", WRONG)
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        assert sign_in(client, "zhang", WRONG).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert sign_in(client, "zhang", PASSWORD).status_code == 302


def test_token_endpoint_is_locked_the_same_way(client, users):
    for _attempt in range(4):
        assert token_for("zhang", WRONG).status_code == 400
    fifth = token_for("zhang", WRONG)
    assert fifth.status_code == 429
    response = token_for("zhang", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.json()["detail"] and "token" not in response.json()
    # One count for both doors: the page is locked too.
    assert sign_in(client, "zhang", PASSWORD).status_code == 429


def test_failures_on_the_page_lock_the_token_endpoint(client, users):
    for _attempt in range(5):
        sign_in(client, "zhang", WRONG)
    response = token_for("zhang", PASSWORD)
    assert response.status_code == 429 and LOCKED in response.json()["detail"]
    assert token_for("li", PASSWORD).status_code == 200


def test_the_office_lifts_a_lockout(client, users):
    for _attempt in range(5):
        sign_in(client, "zhang", WRONG)
    assert sign_in(client, "zhang", PASSWORD).status_code == 429
    # The admin's 访问尝试 list deletes these rows; the command does the same from a shell.
    assert AccessAttempt.objects.filter(username="zhang").exists()
    call_command("axes_reset_username", "zhang")
    assert sign_in(client, "zhang", PASSWORD).status_code == 302


def test_admin_lists_and_deletes_attempts_for_a_superuser(client, users):
    for _attempt in range(5):
        sign_in(client, "zhang", WRONG)
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "zhang" in client.get(changelist).content.decode()
    attempt = AccessAttempt.objects.get(username="zhang")
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "zhang", PASSWORD).status_code == 302


# --- The address behind the proxy -------------------------------------------------------------


def request_with(forwarded=None, remote="127.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/login/", **extra)


def test_without_a_proxy_the_address_is_remote_addr(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with("203.0.113.5", remote="198.51.100.7")) == "198.51.100.7"


def test_behind_the_proxy_the_address_is_the_one_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_with("203.0.113.5")) == "203.0.113.5"
    # What the client wrote itself comes first and is ignored.
    assert client_ip(request_with("6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_with("not-an-address")) == "127.0.0.1"
    assert client_ip(request_with(None)) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with("6.6.6.6, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


def test_spoofed_forwarded_for_does_not_escape_the_address_limit(client, users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for index in range(20):
        client.post(
            reverse("login"),
            {"username": f"guess{index}", "password": WRONG},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{index}, 203.0.113.5",
        )
    response = client.post(
        reverse("login"),
        {"username": "li", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.5",
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
