"""Shared fixtures: a small county with one programme and a named user for every role.

`world` holds: county (the organising government), town_a/town_b (regions), dispatching units,
a responsible department, enterprises ent_a/ent_b (ent_c not stationed, in another county),
the programme, and users office, leader, cadre_a (at ent_a), cadre_b (at ent_b), department,
enterprise_a (contact of ent_a), outsider (no role).
"""

import copy
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test.utils import override_settings
from django.utils import translation

from core.choices import Role

from .factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProfileFactory,
    ProgrammeFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
    WorkGroupFactory,
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

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


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


def _person(username, roles, **profile):
    user = UserFactory(username=username, roles=roles)
    ProfileFactory(user=user, **profile)
    return user


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

    office = _person("office", [Role.OFFICE], name="督查员", phone="13900000001", unit=county)
    leader = _person("leader", [Role.LEADER], name="王县长", phone="13900000002", unit=county)
    group.leader = leader
    group.save()
    cadre_a = _person(
        "cadre_a", [Role.CADRE], name="张干部", phone="13900000003", unit=dev_bureau, rank="section"
    )
    cadre_b = _person(
        "cadre_b",
        [Role.CADRE],
        name="李干部",
        phone="13900000004",
        unit=finance_bureau,
        rank="clerk",
    )
    department = _person(
        "department", [Role.DEPARTMENT], name="部门经办人", phone="13900000005", unit=finance_bureau
    )
    enterprise_a = _person(
        "enterprise_a",
        [Role.ENTERPRISE],
        name="甲公司联络人",
        phone="13900000006",
        enterprise=ent_a,
    )
    outsider = _person("outsider", [], name="无关人员", phone="13900000007")

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
