"""A key project in the test world, built without the project services (the formality, import,
reminder and dashboard tests need one, not the project rules)."""

import datetime
from decimal import Decimal

from projects.models import KeyProject, ProjectMember


def make_project(world, name="城关新材料产业园", *, team=(), enterprise=None, **fields):
    values = {
        "programme": world.programme,
        "name": name,
        "category": "industry",
        "total_investment": Decimal("50000"),
        "plan_year": 2026,
        "year_planned_investment": Decimal("12000"),
        "enterprise": world.ent_a if enterprise is None else enterprise or None,
        "leader": world.leader,
        "lead_unit": world.dev_bureau,
        "region": world.town_a,
        "stage": "construction",
        "start_date": datetime.date(2026, 4, 1),
    }
    values.update(fields)
    project = KeyProject.objects.create(**values)
    for n, user in enumerate(team):
        ProjectMember.objects.create(
            project=project, profile=user.profile, role="leader" if n == 0 else "member"
        )
    return project
