"""Sign-in lockout with django-axes (settings: `AXES_*`, `SIGN_IN_*`, `TRUSTED_PROXY_COUNT`).

Axes records every failed sign-in, on the page (/login/) and at the API token endpoint alike,
because both go through `django.contrib.auth.authenticate(request, ...)`. This module holds the
portal's three hooks into it:

- `client_ip`: the address a failure is counted against, taken from X-Forwarded-For behind the
  proxy (the entry the proxy appended, never one the client sent) and REMOTE_ADDR otherwise.
- `PortalAxesHandler`: one limit per account (AXES_FAILURE_LIMIT) and a separate, higher one per
  address (SIGN_IN_IP_FAILURE_LIMIT); axes itself has one limit for both.
- `lockout_response`: the Chinese answer, HTTP 429 — a page for people, `{"detail": ...}` for
  the API.

The office lifts a lockout in the admin (Axes › 访问尝试: delete the rows) or with
`manage.py axes_reset_username <username>`; otherwise it ends after the cool-off.
"""

import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind TRUSTED_PROXY_COUNT proxies that each append the address
    they saw to X-Forwarded-For, the entry that many places from the right (the leftmost ones
    are whatever the client sent); without a proxy, or if that entry is not an address,
    REMOTE_ADDR."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def parameter_limit(parameter) -> int:
    """The failures that lock one lockout parameter: an address has its own, higher limit."""
    if parameter == "ip_address":
        return settings.SIGN_IN_IP_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter.

    Axes compares one number, `get_failures()`, with AXES_FAILURE_LIMIT. So:
    1. count the failures within the cool-off for each parameter (the account, the address);
    2. if any parameter reached its own limit, answer at least AXES_FAILURE_LIMIT (locked);
    3. otherwise answer the highest count, capped below AXES_FAILURE_LIMIT (not locked).
    """

    def get_failures(self, request, credentials=None) -> int:
        account_limit = settings.AXES_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        highest = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if failures >= parameter_limit(parameter):
                return max(failures, account_limit)
            highest = max(highest, min(failures, account_limit - 1))
        return highest


def cool_off_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(minutes: int) -> str:
    return _("登录失败次数过多，已暂时锁定。请%(minutes)s分钟后再试，或请督查室解除锁定。") % {
        "minutes": minutes
    }


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer to a sign-in refused by the lockout (HTTP 429)."""
    minutes = cool_off_minutes(request)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": lockout_message(minutes)}, status=settings.AXES_HTTP_RESPONSE_CODE
        )
    else:
        response = TemplateResponse(
            request,
            "registration/lockout.html",
            {"minutes": minutes, "message": lockout_message(minutes)},
            status=settings.AXES_HTTP_RESPONSE_CODE,
        )
        response.render()
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
