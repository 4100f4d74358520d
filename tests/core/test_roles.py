"""core.roles.role_members: the role's group id is written into the statement when it runs, and
building the queryset reads nothing (the deployment's checks build choices before migrating)."""

import pytest
from django.contrib.auth.models import Group

from core.choices import Role
from core.roles import role_members
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_role_members_reads_nothing_until_used_and_names_the_group_by_id(
    world, django_assert_num_queries
):
    with django_assert_num_queries(0):
        members = role_members(Role.LEADER)
    other = make_person("second-leader", [Role.LEADER], unit=world.county, phone="13712349999")
    assert set(members.values_list("user_id", flat=True)) == {world.leader.pk, other.pk}
    group_id = Group.objects.get(name=Role.LEADER).pk
    sql, params = members.query.sql_with_params()
    assert "auth_group" not in sql and group_id in params
    Group.objects.filter(name=Role.LEADER).delete()
    assert not role_members(Role.LEADER).exists()  # no such group: no members, no error
