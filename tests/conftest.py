"""Shared fixtures: a small county with one programme and a named user for every role.

`world` holds: county (the organising government), town_a/town_b (regions), dispatching units,
a responsible department, enterprises ent_a/ent_b (ent_c not stationed, in another county),
the programme, and users office, leader, cadre_a (at ent_a), cadre_b (at ent_b), department,
enterprise_a (contact of ent_a), outsider (no role).
"""

import copy
import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.test.utils import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from core.choices import Role
from stationing.models import ReportPeriod
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_save_draft,
)

from .factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProgrammeFactory,
    RegionFactory,
    UnitFactory,
    WorkGroupFactory,
    make_person,
)
from .strict_templates import StrictMissingVariable

PASSWORD = "pass-12345"


# --- Strict templates ---------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def strict_templates():
    """Every template the tests render fails on a missing variable (tests/strict_templates.py)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = StrictMissingVariable()
    with override_settings(TEMPLATES=templates):
        yield


@pytest.fixture(autouse=True)
def no_missing_template_variable():
    """Fails a test in which a template used a missing variable, even if the error was caught."""
    StrictMissingVariable.misses.clear()
    yield
    misses = list(StrictMissingVariable.misses)
    StrictMissingVariable.misses.clear()
    assert not misses, "\n".join(misses)


@pytest.fixture(autouse=True)
def celery_in_process(request):
    """Tasks run in-process unless a test drives a real worker (marker `celery_worker`).

    CI exports REDIS_URL for those tests; every other test must not leave messages in Redis.
    """
    from config.celery import app
    from notifications.delivery import broker_backoff_reset

    # A publish that failed in an earlier test must not make this one skip the broker.
    broker_backoff_reset()
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fresh_dashboard(settings):
    """Tests change data and read the dashboard again at once: no cached figures (the cache
    itself has its own test)."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 costs seconds per fixture user; the tests check roles, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def chinese_after_each_test():
    """A request activates its user's language on the thread and nothing switches it back, so a
    test that chose English would leave later tests (pytest-django runs the database-free ones
    last) reading English messages."""
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    county = UnitFactory(
        name="示范县人民政府",
        level="county",
        kind="government",
        is_dispatching=False,
        is_responsible=False,
    )
    other_county = UnitFactory(
        name="邻县人民政府",
        level="county",
        kind="government",
        is_dispatching=False,
        is_responsible=False,
    )
    town_a = RegionFactory(name="城关镇", parent=county)
    town_b = RegionFactory(name="河东镇", parent=county)
    town_far = RegionFactory(name="邻县某镇", parent=other_county)
    dev_bureau = UnitFactory(name="示范县发展和改革局", parent=county)
    finance_bureau = UnitFactory(name="示范县财政局", parent=county)
    ent_a = EnterpriseFactory(name="甲机械制造有限公司", region=town_a)
    ent_b = EnterpriseFactory(name="乙纺织有限公司", region=town_b)
    ent_c = EnterpriseFactory(name="丙食品有限公司", region=town_far, is_key=False)
    programme = ProgrammeFactory(name="2026年示范县干部驻企", organiser=county)
    group = WorkGroupFactory(programme=programme, name="第一工作组")

    office = make_person("office", [Role.OFFICE], name="督查员", phone="13900000001", unit=county)
    leader = make_person("leader", [Role.LEADER], name="王县长", phone="13900000002", unit=county)
    group.leader = leader
    group.save()
    cadre_a = make_person(
        "cadre_a", [Role.CADRE], name="张干部", phone="13900000003", unit=dev_bureau, rank="section"
    )
    cadre_b = make_person(
        "cadre_b",
        [Role.CADRE],
        name="李干部",
        phone="13900000004",
        unit=finance_bureau,
        rank="clerk",
    )
    department = make_person(
        "department", [Role.DEPARTMENT], name="部门经办人", phone="13900000005", unit=finance_bureau
    )
    enterprise_a = make_person(
        "enterprise_a",
        [Role.ENTERPRISE],
        name="甲公司联络人",
        phone="13900000006",
        enterprise=ent_a,
    )
    outsider = make_person("outsider", [], name="无关人员", phone="13900000007")

    assignment_a = AssignmentFactory(
        programme=programme,
        cadre=cadre_a.profile,
        enterprise=ent_a,
        work_group=group,
        role="leader",
    )
    assignment_b = AssignmentFactory(
        programme=programme, cadre=cadre_b.profile, enterprise=ent_b, work_group=group
    )
    return SimpleNamespace(**locals())


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api():
    """api(user) -> a JSON APIClient signed in (session, as the pages are) as that user;
    api() is anonymous. Token authentication has its own tests in tests/enterprises."""

    def make(user=None):
        client = APIClient()
        client.default_format = "json"
        if user is not None:
            client.force_login(user)
        return client

    return make


def results(response) -> list:
    """The rows of a paginated API list answer, which must be a 200."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def media(settings, tmp_path):
    """Uploads and attachments go to a temporary folder (the live server thread shares it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def periods(world):
    """The programme's half-month periods by number (1 = 1-15 March 2026)."""
    programme_sync_periods(programme=world.programme)
    return {p.number: p for p in ReportPeriod.objects.filter(programme=world.programme)}


@pytest.fixture
def at(django_capture_on_commit_callbacks):
    """at(moment, fn, ...) runs fn with the clock frozen there and the on-commit hooks run."""

    def call(moment, fn, *args, **kwargs):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return fn(*args, **kwargs)

    return call


@pytest.fixture
def report_problem(world):
    """A problem line in cadre_a's draft report for 1-15 November 2026 (not yet a ticket)."""
    programme_sync_periods(programme=world.programme)
    period = ReportPeriod.objects.get(programme=world.programme, start=datetime.date(2026, 11, 1))
    report = report_get_or_create_draft(assignment=world.assignment_a, period=period, by=None)
    report = report_save_draft(
        report=report,
        by=world.cadre_a,
        expected_version=report.version,
        fields={"work_done": "走访"},
        problems=["企业新厂区用电报装排队三个月。希望供电公司加快办理"],
    )
    return report.problems.get()
