"""seed_demo builds a coherent demo county, and a second run changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from enterprises.models import Enterprise, IndicatorReport
from enterprises.selectors import enterprise_list
from enterprises.validators import validate_credit_code
from stationing.demo_data import DEMO_PASSWORD, DEMO_USERNAMES
from stationing.models import Assignment, Programme
from stationing.selectors import assignment_list, programme_list

ROLES = ["office", "cadre", "department", "enterprise", "leader"]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every portal model and of users and groups, all columns."""
    models = [
        *apps.get_app_config("stationing").get_models(),
        *apps.get_app_config("enterprises").get_models(),
        User,
        Group,
        User.groups.through,
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def test_second_run_changes_nothing_and_prints_the_logins(db):
    seed()
    first = snapshot()
    output = seed()
    assert snapshot() == first
    assert "Nothing to change." in output
    assert DEMO_PASSWORD in output
    for username in DEMO_USERNAMES.values():
        assert f"  {username} " in output


def test_seeded_county(db):
    """One seed, checked from several sides (seeding takes seconds, so it is done once)."""
    seed()
    check_36_valid_key_enterprises_each_stationed()
    check_programme_follows_seed_001()
    check_one_demo_login_per_role_and_an_admin()
    check_demo_logins_see_a_coherent_county()


def check_36_valid_key_enterprises_each_stationed():
    enterprises = Enterprise.objects.all()
    assert enterprises.count() == enterprises.filter(is_key=True).count() == 36
    for enterprise in enterprises:
        validate_credit_code(enterprise.credit_code)
        assignments = Assignment.objects.filter(enterprise=enterprise)
        assert 1 <= assignments.count() <= 2, enterprise.name
        assert assignments.filter(role="leader").count() == 1, enterprise.name
        assert enterprise.surveys.count() == 1
        assert IndicatorReport.objects.filter(enterprise=enterprise, source="cadre").count() == 6
    assert 36 <= Assignment.objects.values("cadre").distinct().count() <= 45


def check_programme_follows_seed_001():
    programme = Programme.objects.get(name="2026年县领导包项、干部驻企活动")
    assert programme.status == "active"
    assert (programme.start_date.isoformat(), programme.end_date.isoformat()) == (
        "2026-03-01",
        "2027-02-28",
    )
    assert programme.growth_targets == {
        "output_value": 17,
        "value_added": 16,
        "profit_tax": 10,
        "profit": 10,
        "investment": 30,
    }
    assert (programme.report_due_days, programme.plan_due_days) == (3, 7)
    groups = programme.work_groups.all()
    assert len(groups) == 6
    assert all(group.leader.groups.filter(name="leader").exists() for group in groups)


def check_one_demo_login_per_role_and_an_admin():
    for role in ROLES:
        can_sign_in = [
            user for user in User.objects.filter(groups__name=role) if user.has_usable_password()
        ]
        usernames = sorted(user.username for user in can_sign_in)
        # The admin superuser also holds the office role so that its home page is useful.
        expected = sorted([DEMO_USERNAMES[role], *(["admin"] if role == "office" else [])])
        assert usernames == expected, role
        assert all(user.check_password(DEMO_PASSWORD) for user in can_sign_in)
    admin = User.objects.get(username=DEMO_USERNAMES["admin"])
    assert admin.is_superuser and admin.is_staff


def check_demo_logins_see_a_coherent_county():
    users = {role: User.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}
    assert enterprise_list(user=users["office"]).count() == 36
    assert programme_list(user=users["leader"]).count() == 1
    cadre_enterprises = list(enterprise_list(user=users["cadre"]))
    assert cadre_enterprises == [users["enterprise"].profile.enterprise]
    # The demo enterprise has two cadres, so its contact and the demo cadre both see a team.
    assert assignment_list(user=users["enterprise"]).count() == 2
    assert users["department"].profile.unit.is_responsible


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
