"""A key project made through the services (the project-rule tests)."""

import datetime
from decimal import Decimal

from projects.services import project_create


def create_project(world, name="城关新材料产业园", *, team=None, **fields):
    values = {
        "programme": world.programme,
        "name": name,
        "category": "industry",
        "total_investment": Decimal("50000"),
        "plan_year": 2026,
        "year_planned_investment": Decimal("12000"),
        "enterprise": world.ent_a,
        "leader": world.leader,
        "lead_unit": world.dev_bureau,
        "region": world.town_a,
        "stage": "sign",
        "start_date": datetime.date(2026, 4, 1),
    }
    values.update(fields)
    team = [world.cadre_b] if team is None else team
    return project_create(
        by=world.office,
        team_leader=team[0].profile if team else None,
        team_members=[user.profile for user in team[1:]],
        **values,
    )
