"""Key project pages and the problem → ticket action: scoping per role, the one action linking
both ways, query counts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import Role
from projects.models import ProjectProblem
from projects.selectors import my_project_list, project_list
from projects.services import milestone_add, progress_submit
from supervision.models import Ticket
from supervision.services import ticket_accept, ticket_assign, ticket_create
from tests.factories import make_person

from .project_helpers import create_project

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC)


@pytest.fixture
def project(world):
    with time_machine.travel(NOW):
        project = create_project(world)
        milestone_add(
            project=project, by=world.office, title="开工", planned_date=datetime.date(2026, 6, 5)
        )
        progress_submit(
            project=project,
            by=world.cadre_b,
            month=datetime.date(2026, 5, 1),
            investment_month=Decimal("300"),
            work_done="完成场地平整",
            problems=["施工用电尚未接通"],
        )
    return project


def test_scoping_per_role(world, project):
    other_leader = make_person("leader2", [Role.LEADER], name="赵县长", phone="13900000099")
    seen = {
        name: list(project_list(user=getattr(world, name)))
        for name in ("office", "leader", "cadre_a", "cadre_b", "department", "enterprise_a")
    }
    assert seen["office"] == [project]
    assert seen["leader"] == [project]  # their programme, and 包项 too
    assert seen["cadre_b"] == [project]  # the team
    assert seen["cadre_a"] == []
    assert seen["enterprise_a"] == []
    assert seen["department"] == []  # finance bureau neither leads nor helps
    assert list(project_list(user=other_leader)) == []
    assert list(my_project_list(user=world.cadre_b)) == [project]
    assert list(my_project_list(user=world.office)) == []
    project.co_units.add(world.finance_bureau)
    assert list(project_list(user=world.department)) == [project]


def test_department_sees_projects_whose_tickets_it_handles(world, project):
    problem = ProjectProblem.objects.get()
    ticket = ticket_create(
        by=world.cadre_b,
        enterprise=world.ent_a,
        category="utilities",
        title="施工用电",
        description=problem.description,
        project_problem=problem,
    )
    ticket = ticket_accept(ticket=ticket, by=world.office)
    ticket_assign(
        ticket=ticket, by=world.office, level="system", responsible_unit=world.finance_bureau
    )
    assert list(project_list(user=world.department)) == [project]


def test_problem_becomes_a_ticket_linked_both_ways(world, project, client_for):
    problem = ProjectProblem.objects.get()
    client = client_for(world.cadre_b)
    url = reverse("ticket-from-project-problem", args=[problem.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "enterprise": world.ent_a.pk,
            "category": "utilities",
            "urgency": "normal",
            "title": "施工用电尚未接通",
            "description": problem.description,
            "form_token": form.fields["form_token"].initial,
            "confirm_duplicate": "True",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, page.context["form"].errors
    ticket = Ticket.objects.get()
    assert ticket.project == project
    assert ticket.project_problem == problem
    problem.refresh_from_db()
    assert problem.ticket == ticket
    assert ticket.programme_id == project.programme_id
    # The team follows the ticket; the project page lists it; the action now leads to it.
    assert client.get(reverse("ticket-detail", args=[ticket.pk])).status_code == 200
    detail = client.get(reverse("project-detail", args=[project.pk]))
    assert ticket.number in detail.content.decode()
    again = client.get(url)
    assert again.status_code == 302 and again.url == reverse("ticket-detail", args=[ticket.pk])


def test_outsider_cannot_raise_from_problem(world, project, client_for):
    problem = ProjectProblem.objects.get()
    assert (
        client_for(world.cadre_a)
        .get(reverse("ticket-from-project-problem", args=[problem.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "status"),
    [("office", 200), ("leader", 200), ("cadre_b", 200), ("cadre_a", 404), ("department", 404)],
)
def test_detail_page_by_role(world, project, client_for, name, status):
    response = client_for(getattr(world, name)).get(reverse("project-detail", args=[project.pk]))
    assert response.status_code == status


def test_pages_render(world, project, client_for):
    office = client_for(world.office)
    for url in (
        reverse("project-list"),
        reverse("project-list") + "?colour=yellow&stage=sign&category=industry",
        reverse("project-mine"),
        reverse("project-create"),
        reverse("project-update", args=[project.pk]),
        reverse("milestone-create", args=[project.pk]),
    ):
        assert office.get(url).status_code == 200, url
    export = office.get(reverse("project-list") + "?export=xlsx")
    assert export.status_code == 200
    assert (
        client_for(world.cadre_b).get(reverse("progress-create", args=[project.pk])).status_code
        == 200
    )
    assert (
        client_for(world.cadre_a).get(reverse("progress-create", args=[project.pk])).status_code
        == 404
    )
    assert client_for(world.leader).get(reverse("project-create")).status_code == 403


def test_stage_move_page_refuses_backward_without_reason(world, project, client_for):
    client = client_for(world.office)
    url = reverse("project-move-stage", args=[project.pk])
    response = client.post(url, {"version": project.version, "to_stage": "attract", "reason": ""})
    assert response.status_code == 200
    assert "阶段回退须说明原因" in response.content.decode()
    response = client.post(url, {"version": project.version, "to_stage": "construction"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "construction"


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(world, project, client_for, settings):
    settings.PAGE_SIZE = 100
    client = client_for(world.office)
    url = reverse("project-list")
    for n in range(4):
        create_project(world, name=f"项目{n}")
    few = _list_queries(client, url)
    for n in range(4, 30):
        create_project(world, name=f"项目{n}")
    assert _list_queries(client, url) == few
