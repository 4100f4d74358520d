"""Permissions on every URL (issue 16).

The URLconf is walked (tests.walk_routes.url_routes) and every named route must have an entry
in TABLE, and every entry a route: a new view cannot ship unchecked. Each route is then requested
as each role (tests.walk_world.ROLES) — for a route that takes an object, with the role's own
object and with someone else's — and the answer must be the table's: 200 (or another success),
"login" (a redirect to the sign-in page; the API answers 401), 403 (the role may not), or 404 (an
object whose existence is not disclosed). A route that only acts is sent an empty POST. Wherever
a role is refused, an empty POST is sent as well and must be refused too, with the data left
exactly as it was (tests.walk_routes.table_writes): a refused request writes nothing but the
audit row of each 403.

The expected answers come from the apps' permissions.py and selectors and DESIGN.md's rules: a
cadre sees their stationed enterprises, a department the tickets assigned to its unit, an
enterprise contact its own enterprise, leaders everything in their programmes, the office its
own unit's programmes (county B's are "someone else's" for the office and the leader of county
A). Django's admin (left out of TABLE) is refused to every portal role and open to a superuser.

Choices never offer rows the user may not see (tests.walk_choices): the filter dropdowns of
every list page (and the search API of a long one), the related fields of every API serializer,
and an id out of scope sent to each API write is refused.

Speed: one world, one signed-in client per role and kind (page or API) for the module, and a
refused batch's writes counted by PostgreSQL itself (one query) rather than by reading tables.
"""

import json
import os
from http.cookies import SimpleCookie

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import override_settings
from django.urls import resolve, reverse
from rest_framework.exceptions import APIException
from rest_framework.test import APIClient

from core.models import Profile
from core.widgets import REMOTE_SEARCH
from enterprises.models import Enterprise
from stationing.models import Programme
from supervision.steps import BY_SLUG

from .walk_choices import (
    OTHER_YARDSTICK,
    api_request,
    api_serializers,
    api_writes,
    filtered_list_routes,
    hidden,
    model_choice_filters,
    related_fields,
    selects,
    visible,
)
from .walk_routes import (
    AUDIT_TABLE,
    EXPECTED_WRITES,
    Route,
    pk,
    table_writes,
    url_routes,
    written,
)
from .walk_world import OTHER, ROLES, WALK_MOMENT, build_world

DUMP = os.environ.get("WALK_DUMP")

# --- Object look-ups for routes whose argument is not a plain pk -----------------------------


def inbox_row(world, role, which):
    """The role's own notification, or a colleague's."""
    user = world.colleague if which else world.users[role]
    if user is None:
        user = world.colleague
    return world.inbox[user.pk]


def report_start_kwargs(world, assignment):
    period = assignment.programme.periods.order_by("start")[2]
    return {"pk": assignment.pk, "period_pk": period.pk}


def attachment_kwargs(world, attachment):
    return {"pk": attachment.ticket_id, "attachment_id": attachment.pk}


def problem_kwargs(world, problem):
    return {"problem_pk": problem.pk}


def formality_kwargs(world, formality):
    return {"formality_pk": formality.pk}


TICKET_STEPS = tuple({"action": slug} for slug in sorted(BY_SLUG))

# --- Shorthands for the common answers ---------------------------------------------------------

LOGIN = "login"
SEEN = (200, 404)  # own object: yes; someone else's: not even its existence
HIDDEN = (404, 404)
REFUSED = (403, 404)  # own object seen but the role may not; someone else's not disclosed
EVERYONE = {role: 200 for role in ROLES if role != "anonymous"}
OFFICE_ONLY = {"office": 200, "leader": 403, "cadre": 403, "department": 403, "enterprise": 403}
OFFICE_AND_LEADER = {**OFFICE_ONLY, "leader": 200}
OFFICE_EDITS = {"office": SEEN, "leader": 403, "cadre": 403, "department": 403, "enterprise": 403}
ALL_SEE = {"office": SEEN, "leader": SEEN, "cadre": SEEN, "department": SEEN, "enterprise": SEEN}
# Stationing records: the department handler has no part in them.
STATIONING = {**ALL_SEE, "department": HIDDEN}
REPORTS = {**STATIONING, "enterprise": HIDDEN}
# Key projects: office, leader, team, lead unit; not the enterprise contact.
PROJECTS = {**ALL_SEE, "enterprise": HIDDEN}
# Enterprise data is recorded by the office and the stationed cadres.
RECORD = {
    "office": SEEN,
    "leader": REFUSED,
    "cadre": SEEN,
    "department": REFUSED,
    "enterprise": REFUSED,
}
# Published bulletins are open notices (supervision.selectors.bulletins): the office and the
# leader of county A read county B's too; a2 is a draft, the office's alone.
BULLETINS = {**ALL_SEE, "office": (200, 200), "leader": (200, 200)}
# Appraisal runs: the office and leaders whole; cadres and dispatching units their published
# results (a2 is a draft rerun); not enterprise contacts.
RUNS = {**ALL_SEE, "enterprise": HIDDEN}


# Writes the office decides on (an empty POST: a message, back to the object).
OFFICE_DECIDES = {**OFFICE_EDITS, "office": (302, 404)}
# Starting a plan or report: the stationed cadre (own: on to the form).
START = {
    "office": REFUSED,
    "leader": REFUSED,
    "cadre": (302, 404),
    "department": HIDDEN,
    "enterprise": REFUSED,
}
# Own: published, no longer editable (back to it); county B's: not this office's.
BULLETIN_WRITES = {
    "office": (302, 403),
    "leader": 403,
    "cadre": REFUSED,
    "department": REFUSED,
    "enterprise": REFUSED,
}
# The API checks a write permission before it looks the object up: 403 whether or not it exists.
API_DECIDES = {**OFFICE_ONLY, "office": (400, 404)}
API_SUBMITS = {**OFFICE_ONLY, "office": 403, "cadre": (400, 404)}


def R(kind=None, expect=None, *, anonymous=LOGIN, method="GET", **more):
    return Route(
        expect={"anonymous": anonymous, **(expect or {}), **more}, kind=kind, method=method
    )


def P(kind=None, expect=None, *, anonymous=LOGIN, **more):
    """A route that only acts: an empty POST."""
    return R(kind, expect, anonymous=anonymous, method="POST", **more)


def A(kind=None, expect=None, *, method="GET", **more):
    return Route(
        expect={"anonymous": LOGIN, **(expect or {}), **more}, kind=kind, api=True, method=method
    )


TABLE: dict[str, Route] = {
    # --- Open to all, signing in and out, passwords ---
    "healthz": R(None, EVERYONE, anonymous=200),
    "set_language": P(None, {role: 302 for role in ROLES}, anonymous=302),
    "login": R(None, EVERYONE, anonymous=200),
    "logout": P(None, {role: LOGIN for role in EVERYONE}),
    "password_reset": R(None, EVERYONE, anonymous=200),
    "password_reset_done": R(None, EVERYONE, anonymous=200),
    # The e-mailed link moves its token into the session (Django's own view).
    "password_reset_confirm": Route(
        {role: 302 for role in ROLES},
        kind=lambda world, role, which: world,
        kwargs=lambda world, obj: {"uidb64": world.reset_uid, "token": world.reset_token},
    ),
    "password_reset_complete": R(None, EVERYONE, anonymous=200),
    "password_change": R(None, EVERYONE),
    "password_change_done": R(None, EVERYONE),
    # The secret token in the URL is the credential (calendar apps cannot sign in).
    "calendar-feed": Route(
        {role: 200 for role in ROLES},
        kind=lambda world, role, which: world,
        kwargs=lambda world, obj: {"token": world.feed_token},
    ),
    # --- Homes, dashboard ---
    "home": R(None, EVERYONE),
    "dashboard": R(None, OFFICE_AND_LEADER),
    # --- People, programmes, stationings (stationing) ---
    "cadre-list": R(None, EVERYONE),
    "cadre-create": R(None, OFFICE_ONLY),
    "cadre-detail": R("cadres", STATIONING),
    "cadre-update": R("cadres", OFFICE_EDITS),
    # The office's button resets at once (the page shows the temporary password).
    "cadre-password-reset": P("cadres", OFFICE_EDITS),
    "programme-list": R(None, EVERYONE),
    "programme-create": R(None, OFFICE_ONLY),
    "programme-detail": R("programmes", ALL_SEE),
    "programme-update": R("programmes", OFFICE_EDITS),
    "work-group-create": R("programmes", OFFICE_EDITS),
    "work-group-update": R("groups", OFFICE_EDITS),
    "assignment-create": R("programmes", OFFICE_EDITS),
    "assignment-update": R("assignments", OFFICE_EDITS),
    "assignment-list": R(None, EVERYONE),
    "assignment-reports": R("assignments", REPORTS),
    "report-start": P("assignments", START),
    "plan-start": P("assignments", START),
    "plan-list": R(None, EVERYONE),
    "plan-detail": R("plans", STATIONING),
    "plan-print": R("plans", STATIONING),
    # The cadre's own plan waits for the office's decision: back to the plan page.
    "plan-edit": R(
        "plans",
        {
            "office": REFUSED,
            "leader": REFUSED,
            "cadre": (302, 404),
            "department": HIDDEN,
            "enterprise": REFUSED,
        },
    ),
    "plan-approve": P("plans", OFFICE_DECIDES),
    "plan-return": P("plans", OFFICE_DECIDES),
    "plan-queue": R(None, OFFICE_AND_LEADER),
    "report-list": R(None, EVERYONE),
    # The office's empty POST names no period: 404.
    "report-chase": P(None, OFFICE_ONLY, office=404),
    "report-detail": R("reports", REPORTS),
    "report-print": R("reports", REPORTS),
    "report-edit": R("drafts", {**REPORTS, "office": REFUSED, "leader": REFUSED}),
    "report-autosave": P(
        "drafts", {**REPORTS, "office": REFUSED, "leader": REFUSED, "cadre": (400, 404)}
    ),
    "report-review": P("reports", OFFICE_DECIDES),
    "report-return": P("reports", OFFICE_DECIDES),
    "report-matrix": R("programmes", OFFICE_EDITS, leader=SEEN),
    "report-queue": R(None, OFFICE_AND_LEADER),
    "import-upload": R(None, OFFICE_ONLY),
    "import-template": R(None, OFFICE_ONLY),
    # An upload that is not (or no longer) there: back to the upload page.
    "import-preview": R(None, OFFICE_ONLY, office=302),
    "import-confirm": P(None, OFFICE_ONLY, office=302),
    # --- Enterprises ---
    "enterprise-list": R(None, EVERYONE),
    "enterprise-create": R(None, OFFICE_ONLY),
    "enterprise-detail": R("enterprises", ALL_SEE),
    "enterprise-update": R("enterprises", OFFICE_EDITS),
    "survey-create": R("enterprises", RECORD),
    "indicator-create": R("enterprises", RECORD),
    "indicator-update": R("indicators", RECORD),
    # --- Key projects and formalities ---
    "project-list": R(None, EVERYONE),
    "project-mine": R(None, EVERYONE),
    "project-create": R(None, OFFICE_ONLY),
    "project-detail": R("projects", PROJECTS),
    "project-update": R("projects", OFFICE_EDITS),
    # The stage form lives on the project page.
    "project-move-stage": R(
        "projects",
        {
            "office": (302, 404),
            "leader": (302, 404),
            "cadre": (302, 404),
            "department": REFUSED,
            "enterprise": HIDDEN,
        },
    ),
    "milestone-create": R("projects", OFFICE_EDITS),
    "milestone-update": R("milestones", {**PROJECTS, "department": REFUSED}),
    "progress-create": R(
        "projects",
        {
            "office": REFUSED,
            "leader": REFUSED,
            "cadre": SEEN,
            "department": REFUSED,
            "enterprise": HIDDEN,
        },
    ),
    "formality-templates": R(None, EVERYONE),
    "formality-step-create": R(None, OFFICE_ONLY),
    # Templates are shared by all programmes.
    "formality-step-update": R("formality_steps", OFFICE_ONLY),
    "formality-step-delete": P("formality_steps", OFFICE_ONLY, office=302),
    "formality-instantiate": P(
        "projects",
        {
            "office": (302, 404),
            "leader": (302, 404),
            "cadre": (302, 404),
            "department": REFUSED,
            "enterprise": HIDDEN,
        },
    ),
    "formality-update": R("formalities", {**PROJECTS, "department": REFUSED}),
    # --- Tickets ---
    "ticket-list": R(None, EVERYONE),
    "ticket-create": R(None, OFFICE_ONLY, office=403, cadre=200, enterprise=200),
    "ticket-from-problem": R("problems", {**REPORTS, "office": REFUSED, "leader": REFUSED}),
    "ticket-from-formality": R("formalities", {**PROJECTS, "department": REFUSED}),
    "ticket-from-project-problem": R(
        "project_problems", {**PROJECTS, "leader": REFUSED, "department": REFUSED}
    ),
    "ticket-inbox": R(None, OFFICE_ONLY, office=403, department=200),
    "ticket-mine": R(None, EVERYONE),
    "ticket-attachment": R("attachments", ALL_SEE),
    "ticket-detail": R("tickets", ALL_SEE),
    "ticket-print": R("tickets", ALL_SEE),
    # One step per variant; each role may take only its own steps (variant_expect below).
    "ticket-action": P("tickets", {role: REFUSED for role in EVERYONE}),
    "calendar-settings": R(None, OFFICE_ONLY),
    "calendar-day-add": P(None, OFFICE_ONLY),
    # The calendar is shared by all programmes.
    "calendar-day-edit": P("calendar_days", OFFICE_ONLY),
    "calendar-day-delete": P("calendar_days", OFFICE_ONLY, office=302),
    "category-setting-save": P(None, OFFICE_ONLY),
    # --- Bulletins and appraisal ---
    "bulletin-list": R(None, EVERYONE),
    "bulletin-generate": R(None, OFFICE_ONLY),
    "bulletin-detail": R("bulletins", BULLETINS),
    # Own: published, so no longer editable (back to it); county B's: not this office's.
    "bulletin-edit": R(
        "bulletins",
        {
            "office": (302, 403),
            "leader": 403,
            "cadre": REFUSED,
            "department": REFUSED,
            "enterprise": REFUSED,
        },
    ),
    "bulletin-regenerate": P("bulletins", BULLETIN_WRITES),
    "bulletin-publish": P("bulletins", BULLETIN_WRITES),
    "bulletin-print": R("bulletins", BULLETINS),
    "bulletin-pdf": R("bulletins", BULLETINS),
    "appraisal-list": R(None, EVERYONE),
    "appraisal-programme": R("programmes", OFFICE_EDITS, leader=SEEN),
    "appraisal-reviews": R(None, OFFICE_AND_LEADER),
    "appraisal-review-answer": R(
        "reviews",
        {
            "office": SEEN,
            "leader": REFUSED,
            "cadre": REFUSED,
            "department": HIDDEN,
            "enterprise": HIDDEN,
        },
    ),
    # a2 is the result of a cadre whom the department handler's unit dispatched: its staff
    # read their cadres' published results (supervision.selectors.appraisal).
    "appraisal-result": R("results", {**RUNS, "department": (404, 200)}),
    "appraisal-result-print": R("results", {**RUNS, "department": (404, 200)}),
    # The department handler sees a2 (a cadre of their unit) but may not ask for its review.
    "appraisal-review-request": P(
        "results",
        {
            "office": REFUSED,
            "leader": REFUSED,
            "cadre": SEEN,
            "department": (404, 403),
            "enterprise": HIDDEN,
        },
    ),
    # An empty form names no cadre: back with a message (only a contact can rate at all).
    "appraisal-rate": P(None, {role: 302 for role in EVERYONE}),
    "appraisal-detail": R("runs", RUNS),
    "appraisal-print": R("runs", RUNS),
    "appraisal-units": R("runs", RUNS),
    "appraisal-work-groups": R("runs", RUNS),
    "appraisal-departments": R("runs", RUNS),
    "appraisal-publish": R(
        "runs",
        {
            "office": SEEN,
            "leader": REFUSED,
            "cadre": REFUSED,
            "department": REFUSED,
            "enterprise": HIDDEN,
        },
    ),
    "appraisal-compare": R("runs", RUNS),
    # --- Notifications ---
    "notification-list": R(None, EVERYONE),
    "notification-read-all": P(None, {role: 302 for role in EVERYONE}),
    "notification-read": P(inbox_row, {role: (302, 404) for role in EVERYONE}),
    # Own: marked read and on to where it points; a colleague's: not disclosed.
    "notification-open": R(inbox_row, {role: (302, 404) for role in EVERYONE}),
    "notification-settings": R(None, EVERYONE),
    "calendar-feed-reset": P(None, {role: 302 for role in EVERYONE}),
    "notification-failures": R(None, OFFICE_ONLY),
    # Failed deliveries are scoped: county B's are not disclosed.
    "notification-email-retry": P("failed_emails", OFFICE_DECIDES),
    "webhook-delivery-retry": P("failed_webhooks", OFFICE_DECIDES),
    # --- Audit trail, API token ---
    "audit-list": R(None, OFFICE_ONLY),
    # /password/token/ (API 令牌): everyone their own token, nobody else's (the page takes none).
    "api_token": R(None, EVERYONE),
    # --- API ---
    "api-root": A(None, EVERYONE),
    # The credentials endpoint (POST only; a GET is 405): it is how a program signs in, so it
    # asks no sign-in itself, and an empty POST names no credentials: 400 for everyone alike.
    "api-token": A(None, {role: 400 for role in EVERYONE}, method="POST", anonymous=400),
    # The schema and its docs page describe the endpoints, not data, but with DEBUG off only to
    # signed-in users (core.api.permissions.SignedInUnlessDebug).
    "schema": A(None, EVERYONE),
    "api-docs": A(None, EVERYONE),
}
# Generating the schema takes a while: anonymous and one signed-in role say enough.
TABLE["schema"].roles = TABLE["api-docs"].roles = ("anonymous", "cadre")
TABLE |= {
    "api-programme-list": A(None, EVERYONE),
    "api-programme-detail": A("programmes", ALL_SEE),
    "api-unit-list": A(None, EVERYONE),
    # Government units are not confidential (core.selectors.unit_list).
    "api-unit-detail": A("units", {role: 200 for role in EVERYONE}),
    "api-work-group-list": A(None, EVERYONE),
    "api-work-group-detail": A("groups", ALL_SEE),
    "api-enterprise-list": A(None, EVERYONE),
    "api-enterprise-detail": A("enterprises", ALL_SEE),
    "api-cadre-list": A(None, EVERYONE),
    "api-cadre-detail": A("cadres", STATIONING),
    "api-assignment-list": A(None, EVERYONE),
    "api-assignment-detail": A("assignments", STATIONING),
    "api-survey-list": A(None, EVERYONE),
    "api-survey-detail": A("surveys", ALL_SEE),
    "api-indicator-list": A(None, EVERYONE),
    "api-indicator-detail": A("indicators", ALL_SEE),
    "api-period-list": A(None, EVERYONE),
    "api-period-detail": A("periods", ALL_SEE),
    "api-work-plan-list": A(None, EVERYONE),
    "api-work-plan-detail": A("plans", STATIONING),
    "api-work-plan-approve": A("plans", API_DECIDES, method="POST", office=(200, 404)),
    # Without the versions to compare: 400.
    "api-work-plan-diff": A(
        "plans",
        {
            "office": (400, 404),
            "leader": (400, 404),
            "cadre": (400, 404),
            "department": HIDDEN,
            "enterprise": (400, 404),
        },
    ),
    "api-work-plan-return": A("plans", API_DECIDES, method="POST"),
    "api-work-plan-submit": A("plans", API_SUBMITS, method="POST", cadre=(200, 404)),
    "api-report-list": A(None, EVERYONE),
    "api-report-detail": A("reports", REPORTS),
    "api-report-return": A("reports", API_DECIDES, method="POST"),
    "api-report-review": A("reports", API_DECIDES, method="POST"),
    "api-report-submit": A("drafts", API_SUBMITS, method="POST"),
    "api-ticket-list": A(None, EVERYONE),
    "api-ticket-detail": A("tickets", ALL_SEE),
    "api-ticket-attachment": A("attachments", ALL_SEE),
    "api-ticket-events": A("tickets", ALL_SEE),
    **{
        f"api-ticket-{step}": A("tickets", {role: REFUSED for role in EVERYONE}, method="POST")
        for step in (
            "accept",
            "answer",
            "assign",
            "confirm",
            "decide-extension",
            "escalate",
            "hand-over",
            "object",
            "progress",
            "rate",
            "reject",
            "request-extension",
            "urge",
            "withdraw",
        )
    },
    "api-project-list": A(None, EVERYONE),
    "api-project-detail": A("projects", PROJECTS),
    "api-project-milestones": A("projects", PROJECTS),
    "api-project-move-stage": A(
        "projects",
        {
            "office": (400, 404),
            "leader": (400, 404),
            "cadre": (400, 404),
            "department": REFUSED,
            "enterprise": HIDDEN,
        },
        method="POST",
    ),
    "api-project-progress": A("projects", PROJECTS),
    "api-appraisal-list": A(None, EVERYONE),
    "api-appraisal-detail": A("runs", RUNS),
    "api-appraisal-departments": A("runs", RUNS),
    "api-appraisal-publish": A(
        "runs",
        {
            "office": (409, 404),
            "leader": REFUSED,
            "cadre": REFUSED,
            "department": REFUSED,
            "enterprise": HIDDEN,
        },
        method="POST",
    ),
    "api-appraisal-results": A("runs", RUNS),
    "api-appraisal-units": A("runs", RUNS),
    "api-bulletin-list": A(None, EVERYONE),
    "api-bulletin-detail": A("bulletins", BULLETINS),
    "api-bulletin-pdf": A("bulletins", BULLETINS),
    # Own: already published (and no version sent): 400 for the office; refused for the rest.
    "api-bulletin-publish": A(
        "bulletins", {**BULLETIN_WRITES, "office": (400, 403)}, method="POST"
    ),
}

# Arguments other than a pk.
TABLE["report-start"].kwargs = report_start_kwargs
TABLE["ticket-attachment"].kwargs = lambda world, obj: pk(obj)
TABLE["api-ticket-attachment"].kwargs = attachment_kwargs
TABLE["ticket-from-problem"].kwargs = problem_kwargs
TABLE["ticket-from-project-problem"].kwargs = problem_kwargs
TABLE["ticket-from-formality"].kwargs = formality_kwargs
TABLE["ticket-action"].variants = TICKET_STEPS
# What an empty POST of each step gets from the role that may take it: the office's steps the
# state refuses (a message, back to the ticket) or a form error (200); the handler's likewise.
TABLE["ticket-action"].variant_expect = {
    **{
        step: {"office": (302, 404)}
        for step in ("accept", "assign", "confirm", "decide-extension", "escalate", "reject")
    },
    "urge": {"office": (200, 404)},
    "hand-over": {"office": (200, 404), "department": (200, 404)},
    "answer": {"department": (200, 404)},
    "progress": {"department": (200, 404)},
    "object": {"department": (302, 404)},
    "request-extension": {"department": (302, 404)},
    "rate": {"enterprise": (302, 404)},
    "withdraw": {"cadre": (200, 404), "enterprise": (200, 404)},
}
# The API's steps: 409 where the state refuses, 400 for a missing field.
API_STEP_ANSWERS = {
    **{
        step: {"office": (409, 404)}
        for step in ("accept", "assign", "confirm", "decide-extension", "reject")
    },
    "escalate": {"office": (200, 404)},
    "urge": {"office": (400, 404)},
    "hand-over": {"office": (400, 404), "department": (400, 404)},
    "answer": {"department": (400, 404)},
    "progress": {"department": (400, 404)},
    "object": {"department": (409, 404)},
    "request-extension": {"department": (409, 404)},
    "rate": {"enterprise": (409, 404)},
    "withdraw": {"cadre": (400, 404), "enterprise": (400, 404)},
}
for step, answers in API_STEP_ANSWERS.items():
    TABLE[f"api-ticket-{step}"].expect |= answers
TABLE["import-template"].variants = ({"kind": "all"},)
TABLE["import-preview"].variants = TABLE["import-confirm"].variants = (
    {"upload_id": "00000000-0000-4000-8000-000000000001"},
)
TABLE["formality-step-create"].variants = ({"kind": "enterprise"},)
TABLE["category-setting-save"].variants = ({"category": "utilities"},)

# --- Running it -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each test
    runs in a savepoint of it (the `db` fixture), so what one route's allowed POSTs change is
    undone before the next."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    media = tmp_path_factory.mktemp("walk-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            app.conf.task_always_eager = eager


class SignedIn:
    """A page client and an API client per role, signed in once for the module: their sessions
    are rows of the module's transaction, outside every test's savepoint, so a route that ends
    a session (logout) or changes a password has it back for the next test. Each walk starts
    from the sign-in cookie alone (no messages or language left over from another route)."""

    def __init__(self, world):
        self.clients, self.keys = {}, {}
        for role in ROLES:
            for api in (False, True):
                client = APIClient() if api else Client()
                if world.users[role] is not None:
                    client.force_login(world.users[role])
                self.clients[role, api] = client
                self.keys[role, api] = client.cookies.get(settings.SESSION_COOKIE_NAME)

    def reset(self):
        for key, client in self.clients.items():
            client.cookies = SimpleCookie()
            if self.keys[key] is not None:
                client.cookies[settings.SESSION_COOKIE_NAME] = self.keys[key].value

    def __call__(self, role: str, api: bool):
        return self.clients[role, api]


@pytest.fixture(scope="module")
def signed_in(world, django_db_blocker):
    with django_db_blocker.unblock():
        return SignedIn(world)


def object_for(world, route: Route, role: str, which: int):
    if route.kind is None:
        return None
    if callable(route.kind):
        return route.kind(world, role, which)
    own_or_other = 0 if which == 0 else OTHER[role]
    return world.objects[route.kind][own_or_other]


def expected(route: Route, role: str, which: int, variant: dict):
    answer = route.expect.get(role)
    for value in variant.values():
        answer = route.variant_expect.get(value, {}).get(role, answer)
    if isinstance(answer, tuple):
        return answer[which]
    return answer


def matches(response, answer, api: bool) -> bool:
    code = response.status_code
    if answer == LOGIN:
        if api:
            # Token authentication comes first: 401 with a challenge (never 403).
            return code == 401 and response.has_header("WWW-Authenticate")
        return code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    return code == answer


def describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code}→{response['Location']}"
    return str(response.status_code)


def refused(answer) -> bool:
    return answer in (LOGIN, 401, 403, 404)


def walk(world, signed_in, name: str, route: Route) -> list[str]:
    """Request the route as every role; return what differs from the table.

    Pages are requested first. Then the refused requests, in one batch between two counts of
    the transaction's writes: the empty POST of a route that only acts, and an empty POST after
    each refused GET of a page; they may write nothing but one audit row per 403. The allowed
    empty POSTs go last (they may change data).
    """
    signed_in.reset()
    problems, refusals, allowed = [], [], []
    for variant in route.variants:
        for role in route.roles or ROLES:
            client = signed_in(role, route.api)
            for which in (0, 1) if route.kind is not None and OTHER[role] is not None else (0,):
                obj = object_for(world, route, role, which)
                kwargs = {**(route.kwargs(world, obj) if obj is not None else {}), **variant}
                url = reverse(name, kwargs=kwargs) + route.query
                answer = expected(route, role, which, variant)
                whose = "own" if which == 0 else "other's"
                where = f"{name} {variant or ''} as {role} ({whose}) {route.method} {url}"
                if route.method == "POST":
                    (refusals if refused(answer) else allowed).append((where, client, url, answer))
                    continue
                record(problems, where, client.get(url), answer, route.api)
                if refused(answer):
                    refusals.append((f"{where}, then an empty POST", client, url, answer))
    if refusals:
        before, forbidden = table_writes(), 0
        for where, client, url, answer in refusals:
            response = client.post(url)
            forbidden += response.status_code == 403
            if route.method == "GET" and refused_post(response, answer, route.api):
                continue
            record(problems, where, response, answer, route.api)
        changes = written(before, table_writes())
        audited = changes.pop(AUDIT_TABLE, (0, 0, 0))
        changes = {
            table: n for table, n in changes.items() if not table.startswith(EXPECTED_WRITES)
        }
        if changes:
            problems.append(
                f"{name}: a refused request wrote (inserted, updated, deleted) {changes}"
            )
        if audited != (forbidden, 0, 0):
            problems.append(f"{name}: {forbidden} refusals (403) but audit rows written {audited}")
    for where, client, url, answer in allowed:
        record(problems, where, client.post(url), answer, route.api)
    return problems


def record(problems, where, response, answer, api):
    if DUMP:
        with open(DUMP, "a") as out:
            out.write(f"{where}\t{describe(response)}\n")
    if answer is None or not matches(response, answer, api):
        problems.append(f"{where}: got {describe(response)}, table says {answer}")


def refused_post(response, answer, api: bool) -> bool:
    """An empty POST where the GET was refused: refused too. Without sign-in it must ask for
    it; otherwise 403, 404 or 405 (a write permission checked before the object is looked up
    answers 403 whether or not the object exists, which discloses nothing)."""
    if answer == LOGIN:
        return matches(response, answer, api)
    return response.status_code in (403, 404, 405)


def test_every_route_is_in_the_table_and_every_entry_is_a_route():
    routes = {name for name in url_routes() if not name.startswith("admin:")}
    missing = sorted(routes - set(TABLE))
    stale = sorted(set(TABLE) - routes)
    assert not missing and not stale, (
        f"Routes without an entry in TABLE (add what each role gets): {missing}\n"
        f"Entries whose route no longer exists (remove them): {stale}"
    )


@pytest.mark.parametrize("name", sorted(TABLE))
def test_route(name, world, signed_in, db):
    with time_machine.travel(WALK_MOMENT, tick=False):
        problems = walk(world, signed_in, name, TABLE[name])
    assert not problems, "\n".join(problems)


# --- Admin ----------------------------------------------------------------------------------

# The admin's index and a few changelists: refused to every portal role (they are no staff), open
# to a superuser.
ADMIN_PAGES = (
    "admin:index",
    "admin:auth_user_changelist",
    "admin:core_auditevent_changelist",
    "admin:stationing_programme_changelist",
    "admin:supervision_ticket_changelist",
    "admin:enterprises_enterprise_changelist",
)


def test_admin_is_refused_to_every_portal_role_and_open_to_a_superuser(world, signed_in, db):
    superuser = get_user_model().objects.create_superuser("walk-admin", "admin@example.com", "x")
    admin = Client()
    admin.force_login(superuser)
    login = reverse("admin:login")
    problems = []
    with time_machine.travel(WALK_MOMENT, tick=False):
        signed_in.reset()
        for name in ADMIN_PAGES:
            url = reverse(name)
            for role in ROLES:
                response = signed_in(role, False).get(url)
                refused = response.status_code == 403 or (
                    response.status_code == 302 and response["Location"].startswith(login)
                )
                if not refused:
                    problems.append(f"{name} as {role}: got {describe(response)}")
            response = admin.get(url)
            if response.status_code != 200:
                problems.append(f"{name} as a superuser: got {describe(response)}")
    assert not problems, "\n".join(problems)


# --- Choices: filter dropdowns and the API's related fields ----------------------------------

CHOICE_ROLES = ("office", "leader", "cadre", "department", "enterprise")


def choice_problems(world, where, ids, model, role, yardstick=None) -> list[str]:
    """What of these offered ids the role may not see: outside the model's selector (or the
    filter's own yardstick), or one of the world's rows hidden from the role."""
    user = world.users[role]
    problems = []
    seen = visible(model, user) if yardstick is None else yardstick(user)
    if seen is not None and ids - seen:
        problems.append(f"{where}: ids {sorted(ids - seen)} outside {model.__name__}'s selector")
    leaked = ids & hidden(world, TABLE, expected, model, role) if yardstick is None else set()
    if leaked:
        problems.append(f"{where}: ids {sorted(leaked)} of {model.__name__} the role may not see")
    return problems


# Long choices searched on the server (core.widgets.ScopedSelect): list page -> the filter, its
# model and the world's objects of that kind (the first is county A's, seen by every role).
SEARCHED_CHOICES = {
    "ticket-list": ("enterprise", Enterprise, "enterprises"),
    "report-list": ("cadre", Profile, "cadres"),
}


def test_filter_dropdowns_list_only_what_the_role_sees(world, signed_in, db, monkeypatch):
    """Every list page with a FilterSet, as each signed-in role that may open it: the options of
    its model choice filters, and (a long choice searched on the server, core.widgets.
    ScopedSelect) the rows its search API answers."""
    routes = filtered_list_routes()
    assert {"ticket-list", "enterprise-list", "report-list"} <= set(routes)
    problems, offered, remote = [], {}, {}
    with time_machine.travel(WALK_MOMENT, tick=False):
        signed_in.reset()
        for name, view in sorted(routes.items()):
            route = TABLE[name]
            for role in CHOICE_ROLES:
                if expected(route, role, 0, {}) != 200:
                    continue
                user = world.users[role]
                obj = object_for(world, route, role, 0)
                url = reverse(name, kwargs=route.kwargs(world, obj) if obj is not None else {})
                filters = model_choice_filters(view, user)
                # Each choice filter given a hidden id: the page may not name that row either.
                query = {}
                for field, model in filters.items():
                    if (view.filterset_class.__name__, field) in OTHER_YARDSTICK:
                        continue
                    secret = hidden(world, TABLE, expected, model, role)
                    if secret:
                        query[field] = min(secret)
                response = signed_in(role, False).get(url, query)
                if response.status_code != 200:
                    problems.append(f"{name} as {role}: got {describe(response)}")
                    continue
                page = selects(response.content.decode())
                for field, model in filters.items():
                    select = page.get(field)
                    if select is None:
                        continue
                    ids = {int(value) for value in select["values"]}
                    offered.setdefault((role, model), set()).update(ids)
                    where = f"{name} ?{field}= as {role}"
                    yardstick = OTHER_YARDSTICK.get((view.filterset_class.__name__, field))
                    problems += choice_problems(world, where, ids, model, role, yardstick)
                    if "data-remote-url" in select["attrs"]:
                        remote[role, select["attrs"]["data-remote-url"]] = model
            # Once more with every choice searched on the server (core.widgets.ScopedSelect): the
            # page renders the chosen option alone, never one the role may not see, and names
            # the scoped search API (checked below).
            if name in SEARCHED_CHOICES:
                field, model, kind = SEARCHED_CHOICES[name]
                monkeypatch.setattr("core.widgets.LARGE_CHOICES", 0)
                for role in CHOICE_ROLES:
                    own = world.objects[kind][0].pk
                    # A department reads the report list but no cadre: nothing to search.
                    if expected(route, role, 0, {}) != 200 or own not in visible(
                        model, world.users[role]
                    ):
                        continue
                    secrets = hidden(world, TABLE, expected, model, role)
                    for chosen, shown in (
                        (own, [str(own)]),
                        *((min(secrets), []),)[: len(secrets)],
                    ):
                        response = signed_in(role, False).get(reverse(name), {field: chosen})
                        select = selects(response.content.decode())[field]
                        remote_url = select["attrs"].get("data-remote-url")
                        if not remote_url or select["values"] != shown:
                            problems.append(f"{name}?{field}={chosen} as {role}: {select}")
                            continue
                        remote[role, remote_url] = model
                monkeypatch.undo()
        for (role, remote_url), model in sorted(remote.items(), key=str):
            path = remote_url.split("?")[0]
            if resolve(path).url_name != REMOTE_SEARCH[model._meta.label][0]:
                problems.append(f"{remote_url}: not the registered search of {model.__name__}")
            response = signed_in(role, True).get(remote_url)
            ids = {row["id"] for row in response.json()["results"]}
            offered.setdefault((role, model), set()).update(ids)
            problems += choice_problems(world, f"{remote_url} as {role}", ids, model, role)
    assert not problems, "\n".join(problems)
    # The walk read real options: each role was offered its own enterprise and programme.
    for role in CHOICE_ROLES:
        assert world.objects["enterprises"][0].pk in offered.get((role, Enterprise), ()), role
    assert world.a.programme.pk in offered[("cadre", Programme)]
    assert {role for role, _url in remote} == set(CHOICE_ROLES)


def test_api_choices_offer_only_what_the_role_sees(world, db):
    """Every related field of every API serializer (the views' own actions' included), as each
    signed-in role: its choice lists only rows the role may see."""
    problems, checked = [], set()
    for serializer_class in api_serializers():
        for role in CHOICE_ROLES:
            request = api_request(world.users[role])
            try:
                serializer = serializer_class(context={"request": request})
                fields = list(related_fields(serializer))
            except (TypeError, AssertionError, KeyError):
                continue  # a base class, or needs arguments of its view (api_writes below)
            for path, model, queryset, _many in fields:
                ids = set(queryset.order_by().values_list("pk", flat=True))
                where = f"{serializer_class.__name__}.{path} as {role}"
                problems += choice_problems(world, where, ids, model, role)
                checked.add(f"{serializer_class.__name__}.{path}")
    assert not problems, "\n".join(problems)
    # The walk met the scoped choices (tickets' enterprise, plans' enterprise, steps' units …).
    assert len(checked) >= 15, sorted(checked)


def test_api_writes_refuse_rows_the_role_may_not_see(world, signed_in, db):
    """An id the role may not see, sent in each related field of each create and update of the
    API the role may make, is refused (400 naming the field) or, for a field fixed after
    creation, ignored; never taken."""
    problems, probed = [], set()
    with time_machine.travel(WALK_MOMENT, tick=False):
        signed_in.reset()
        for name, route in sorted(TABLE.items()):
            if not route.api:
                continue
            for role in CHOICE_ROLES:
                obj = object_for(world, route, role, 0) if route.kind else None
                kwargs = route.kwargs(world, obj) if obj is not None else {}
                url = reverse(name, kwargs=kwargs)
                try:
                    writes = api_writes(name, kwargs, world.users[role])
                except (Http404, PermissionDenied, APIException):
                    continue
                for method, action, serializer in writes:
                    for path, model, _queryset, many in related_fields(serializer):
                        secret = hidden(world, TABLE, expected, model, role)
                        if not secret or "." in path:
                            continue
                        value = [min(secret)] if many else min(secret)
                        response = signed_in(role, True).generic(
                            method, url, json.dumps({path: value}), "application/json"
                        )
                        code, where = (
                            response.status_code,
                            f"{method} {url} {path}={value} as {role}",
                        )
                        if code in (403, 404, 405):
                            break  # the role may not make this write at all
                        probed.add((name, action, path))
                        body = response.json() if response.content else {}
                        taken = body.get(path) == value or (
                            many and min(secret) in (body.get(path) or ())
                        )
                        if code == 400 and path in body:
                            continue
                        if code == 400 or taken:
                            problems.append(f"{where}: taken ({code} {body})")
    assert not problems, "\n".join(problems)
    # Creates that choose rows were probed.
    assert ("api-ticket-list", "create", "enterprise") in probed, sorted(probed)
    assert ("api-work-plan-list", "create", "enterprise") in probed, sorted(probed)
