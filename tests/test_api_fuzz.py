"""Schemathesis walks every operation of /api/schema/ as each role: no 5xx, and every answer
matches the schema (a status the operation documents, the body of the shape documented for it).

The schema is read from the WSGI application itself (no server), once, signed in by token. Each
role then runs every operation with a few generated requests, valid and invalid ones, unsafe
methods included, inside the test's transaction (rolled back at the end); each request runs in a
savepoint of its own, so one that broke the transaction cannot spoil the ones after it. Path ids
are drawn mostly from the rows that exist (in scope for the role or not), so the requests reach
the serializers and services instead of stopping at 404.

Every failing operation is listed at the end with its first failing request as a curl line.
"""

import datetime
import os

import pytest
import schemathesis
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from core.dates import SHANGHAI
from core.models import Profile, Unit
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from projects.models import KeyProject
from projects.services import milestone_add
from stationing.models import (
    Assignment,
    Programme,
    ProgressReport,
    ReportPeriod,
    WorkGroup,
    WorkPlan,
)
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    work_plan_get_or_create,
)
from supervision.choices import TicketState
from supervision.models import AppraisalRun, Bulletin, Ticket, TicketAttachment
from supervision.services import appraisal_run_create, bulletin_generate, ticket_attach

from .factories import IndicatorFactory, SurveyFactory, make_ticket
from .printables import printable_plan, printable_report
from .projects.project_helpers import create_project
from .supervision.test_attachments import PDF

# Generated requests per operation (valid and invalid ones mixed): the office, which may do most,
# gets more than the other roles. Together about 1,600 requests, a minute and a half here.
# API_FUZZ_SCALE=10 multiplies them for a longer hunt by hand.
SCALE = int(os.environ.get("API_FUZZ_SCALE", "1"))
EXAMPLES = {"office": 4 * SCALE}
EXAMPLES_OTHERS = 3 * SCALE
ROLES = ["office", "cadre_a", "department", "enterprise_a", "leader"]
NOW = datetime.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)
MISSING_ID = 99_999_999
# No 5xx; the status is one the operation documents; the body has the shape documented for it.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# The first path segment under /api/v1/ -> the rows its {id} names.
RESOURCES = {
    "appraisals": AppraisalRun,
    "assignments": Assignment,
    "bulletins": Bulletin,
    "cadres": Profile,
    "enterprises": Enterprise,
    "indicators": IndicatorReport,
    "periods": ReportPeriod,
    "programmes": Programme,
    "projects": KeyProject,
    "reports": ProgressReport,
    "surveys": EnterpriseSurvey,
    "tickets": Ticket,
    "units": Unit,
    "work-groups": WorkGroup,
    "work-plans": WorkPlan,
}


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    """Django's handler closes the connection after each request; inside the test's transaction
    that would end it. Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def populated(world, media):
    """The world with a row of every kind the API serves: plans, reports, tickets in several
    states (one with an attachment), a project with a milestone, a bulletin and an appraisal."""
    w = world
    with time_machine.travel(NOW, tick=False):
        programme_sync_periods(programme=w.programme)
        periods = list(ReportPeriod.objects.filter(programme=w.programme).order_by("start"))
        printable_plan(w)
        work_plan_get_or_create(programme=w.programme, enterprise=w.ent_b, by=None)
        printable_report(w, periods[0])
        report_get_or_create_draft(assignment=w.assignment_b, period=periods[1], by=None)
        for state in [
            TicketState.SUBMITTED,
            TicketState.ASSIGNED,
            TicketState.IN_PROGRESS,
            TicketState.ANSWERED,
            TicketState.CLOSED,
        ]:
            ticket = make_ticket(w, state)
        ticket_attach(
            ticket=ticket,
            by=w.cadre_a,
            upload=SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf"),
        )
        make_ticket(w, TicketState.ACCEPTED, by=w.enterprise_a)
        project = create_project(w)
        milestone_add(
            project=project, by=w.office, title="开工", planned_date=datetime.date(2026, 12, 1)
        )
        SurveyFactory(enterprise=w.ent_a)
        IndicatorFactory(enterprise=w.ent_a)
        bulletin_generate(period=periods[0], by=w.office)
        appraisal_run_create(programme=w.programme, as_of=datetime.date(2026, 10, 31), by=None)
    return w


@pytest.fixture
def api_schema(populated, wsgi_requests_keep_the_test_transaction):
    token = Token.objects.create(user=populated.office)
    return schemathesis.openapi.from_wsgi(
        "/api/schema/", application, headers={"Authorization": f"Token {token.key}"}
    )


def path_ids(operation) -> dict:
    """Strategies for the operation's path parameters: existing ids mostly, one missing."""
    fixed = {}
    path = operation.path
    if "{id}" in path:
        model = RESOURCES[path.split("/")[3]]
        ids = list(model.objects.values_list("pk", flat=True)) + [MISSING_ID]
        fixed["id"] = st.sampled_from(ids)
    if "{attachment_id}" in path:
        ids = list(TicketAttachment.objects.values_list("pk", flat=True)) + [MISSING_ID]
        fixed["attachment_id"] = st.sampled_from(ids)
    return fixed


def cases(operation):
    """Valid and invalid requests for the operation, with real ids in the path."""
    fixed = path_ids(operation)

    def build(values: dict):
        return st.one_of(
            *(
                operation.as_strategy(generation_mode=mode, path_parameters=values or None)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            )
        )

    if not fixed:
        return build({})
    return st.fixed_dictionaries(fixed).flatmap(build)


def fuzz(operation, headers, examples: int) -> str | None:
    """Run the operation's generated requests; the first failure as text, or None."""

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=SCALE == 1,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=cases(operation))
    def run(case):
        try:
            with transaction.atomic():
                case.call_and_validate(headers=headers, checks=CHECKS)
        except DatabaseError as exc:
            # The answer passed the checks, but the request left the transaction broken.
            broken = f"{case.method} {case.formatted_path} broke the transaction"
            raise AssertionError(broken) from exc

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # every failure is collected and reported
        return f"{operation.label}\n{exc}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as(role, populated, api_schema):
    user = getattr(populated, role)
    token, _ = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    failures = []
    for result in api_schema.get_all_operations():
        failure = fuzz(result.ok(), headers, EXAMPLES.get(role, EXAMPLES_OTHERS))
        if failure:
            failures.append(failure)
    assert not failures, f"{len(failures)} operations failed as {role}:\n\n" + "\n\n".join(failures)


def test_a_user_name_longer_than_any_is_refused_not_a_crash(api, db):
    """Found by the fuzzing: django-axes recorded the failed name in a 255-character column."""
    answer = api().post("/api/v1/auth/token/", {"username": "甲" * 300, "password": "x"})
    assert answer.status_code == 400
    assert "username" in answer.json()
