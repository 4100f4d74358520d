"""Approval formalities (审批手续代办): the seeded templates, instantiation per project, the
working-day deadline, the flow on the project page, and a stuck formality → ticket in one action."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.dates import SHANGHAI
from projects.choices import FormalityKind, FormalityState
from projects.models import FormalityTemplate, ProjectFormality
from projects.selectors.formalities import STUCK, formality_flow, stuck_formality_list
from projects.services.formalities import (
    formality_deadline,
    formality_step_save,
    formality_update,
    project_formalities_instantiate,
)
from supervision.models import CalendarDay, Ticket
from supervision.services import ticket_create

from .formality_helpers import make_project

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def project(world):
    return make_project(world, team=[world.cadre_a])


def enterprise_template():
    return FormalityTemplate.objects.get(kind=FormalityKind.ENTERPRISE)


def test_templates_are_seeded_for_each_kind(db):
    kinds = set(FormalityTemplate.objects.values_list("kind", flat=True))
    assert kinds == set(FormalityKind.values)
    names = list(enterprise_template().steps.values_list("name", flat=True))
    for name in ("地勘", "环评", "水保", "立项", "规划", "用地", "施工许可", "招投标"):
        assert name in names
    assert names[0] == "立项" and names[-1] == "施工许可"


def test_instantiate_copies_the_steps_once(world, project):
    template = enterprise_template()
    formality_step_save(
        template=template,
        step=template.steps.get(name="环评"),
        by=world.office,
        name="环评",
        time_limit_days=15,
        default_unit=world.finance_bureau,
    )
    created = project_formalities_instantiate(project=project, template=template, by=world.cadre_a)
    assert [f.name for f in created] == list(
        template.steps.order_by("position").values_list("name", flat=True)
    )
    eia = project.formalities.get(name="环评")
    assert (eia.responsible_unit, eia.time_limit_days, eia.state) == (
        world.finance_bureau,
        15,
        FormalityState.NOT_STARTED,
    )
    # Again, or with another kind's template: only what the project lacks is added, at the end.
    assert project_formalities_instantiate(project=project, template=template, by=None) == []
    more = project_formalities_instantiate(
        project=project, template=FormalityTemplate.objects.get(kind="infrastructure"), by=None
    )
    assert {f.name for f in more} == {"初步设计"}
    assert more[0].position == len(created) + 1
    # Editing the template later does not rewrite the project's copy.
    formality_step_save(
        template=template,
        step=template.steps.get(name="环评"),
        by=world.office,
        name="环评",
        time_limit_days=30,
    )
    eia.refresh_from_db()
    assert eia.time_limit_days == 15


def test_who_may_edit_and_run(world, project):
    template = enterprise_template()
    with pytest.raises(PermissionDenied):
        formality_step_save(template=template, by=world.cadre_a, name="文物勘探", time_limit_days=5)
    with pytest.raises(PermissionDenied):
        project_formalities_instantiate(project=project, template=template, by=world.cadre_b)
    project_formalities_instantiate(project=project, template=template, by=world.leader)
    formality = project.formalities.get(name="环评")
    with pytest.raises(PermissionDenied):
        formality_update(formality=formality, by=world.cadre_b, state=FormalityState.IN_PROGRESS)
    # The agent may record their own formality even when not on the team.
    formality_update(formality=formality, by=world.office, agent=world.cadre_b)
    formality_update(formality=formality, by=world.cadre_b, state=FormalityState.IN_PROGRESS)


def test_deadline_counts_working_days_on_the_official_calendar(world, project, clock):
    friday = datetime.date(2026, 11, 13)
    assert formality_deadline(friday, 2) == datetime.date(2026, 11, 17)
    CalendarDay.objects.update_or_create(
        date=datetime.date(2026, 11, 16), defaults={"is_workday": False, "name": "测试假日"}
    )
    assert formality_deadline(friday, 2) == datetime.date(2026, 11, 18)
    project_formalities_instantiate(project=project, template=enterprise_template(), by=None)
    formality = project.formalities.get(name="施工许可")  # 7 working days
    formality = formality_update(
        formality=formality, by=world.cadre_a, state=FormalityState.IN_PROGRESS, started_on=friday
    )
    assert formality.deadline == datetime.date(2026, 11, 25)  # 17, 18, 19, 20, 23, 24, 25
    formality = formality_update(formality=formality, by=world.cadre_a, state=FormalityState.DONE)
    assert (formality.started_on, formality.finished_on) == (friday, NOW.date())
    formality = formality_update(
        formality=formality, by=world.cadre_a, state=FormalityState.NOT_NEEDED
    )
    assert (formality.started_on, formality.deadline) == (None, None)
    with pytest.raises(ValidationError):
        formality_update(
            formality=formality,
            by=world.cadre_a,
            state=FormalityState.DONE,
            started_on=friday,
            finished_on=friday - datetime.timedelta(days=1),
        )


def _stuck(world, project, name="环评"):
    project_formalities_instantiate(project=project, template=enterprise_template(), by=None)
    formality = project.formalities.get(name=name)
    return formality_update(
        formality=formality,
        by=world.office,
        state=FormalityState.IN_PROGRESS,
        started_on=datetime.date(2026, 10, 9),  # 20 working days (10-10 is 调休): due 11-05
        responsible_unit=world.finance_bureau,
    )


def test_flow_and_stuck_list(world, project, clock):
    formality = _stuck(world, project)
    assert formality.deadline == datetime.date(2026, 11, 5)
    formality_update(
        formality=project.formalities.get(name="立项"), by=world.office, state=FormalityState.DONE
    )
    flow = {
        row["formality"].name: row for row in formality_flow(user=world.leader, project=project)
    }
    assert flow["环评"]["status"] == STUCK and flow["环评"]["overdue_days"] == 15
    assert flow["立项"]["status"] == "done"
    assert flow["水保"]["status"] == "waiting"
    assert list(stuck_formality_list(user=world.office)) == [formality]
    assert list(stuck_formality_list(user=world.outsider)) == []
    assert formality_flow(user=world.outsider, project=project) == []


def test_stuck_formality_becomes_a_ticket_once(world, project, clock):
    formality = _stuck(world, project)
    fresh = project.formalities.get(name="水保")
    ticket = ticket_create(
        by=world.cadre_a,
        enterprise=world.ent_a,
        category="approvals",
        title="环评超期",
        description="环评手续超期未办结。",
        project_formality=formality,
    )
    assert (ticket.project, ticket.project_formality, ticket.programme) == (
        project,
        formality,
        project.programme,
    )
    formality.refresh_from_db()
    assert formality.ticket == ticket  # both ways
    with pytest.raises(ValidationError):  # once
        ticket_create(
            by=world.cadre_a,
            enterprise=world.ent_a,
            category="approvals",
            title="环评超期",
            description="再次提出",
            project_formality=formality,
        )
    with pytest.raises(ValidationError):  # not stuck
        ticket_create(
            by=world.cadre_a,
            enterprise=world.ent_a,
            category="approvals",
            title="水保",
            description="未超期",
            project_formality=fresh,
        )
    with pytest.raises(PermissionDenied):  # not the team's, nor stationed at the enterprise
        ticket_create(
            by=world.cadre_b,
            enterprise=world.ent_a,
            category="approvals",
            title="x",
            description="y",
            project_formality=formality,
        )


def test_one_action_from_the_page(world, project, clock, client_for):
    formality = _stuck(world, project)
    client = client_for(world.office)  # the office is not stationed anywhere, yet may raise it
    url = f"/tickets/from-formality/{formality.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["category"] == "approvals"
    assert "环评" in form.initial["title"]
    assert "2026-11-05" in form.initial["description"]
    response = client.post(
        url,
        {
            "enterprise": world.ent_a.pk,
            "category": "approvals",
            "urgency": "normal",
            "title": form.initial["title"],
            "description": form.initial["description"],
            "form_token": form["form_token"].value(),
        },
    )
    ticket = Ticket.objects.get(project_formality=formality)
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.project == project and ticket.category == "approvals"
    # The action now leads to the ticket; others cannot take it.
    assert client.get(url)["Location"] == f"/tickets/{ticket.pk}/"
    assert client_for(world.outsider).get(url).status_code == 404


def test_flow_panel_on_the_project_page(world, project, clock, client_for):
    formality = _stuck(world, project)
    html = client_for(world.cadre_a).get(f"/projects/{project.pk}/").content.decode()
    assert f'data-testid="formality-{formality.pk}" data-status="stuck"' in html
    assert f"/tickets/from-formality/{formality.pk}/" in html
    assert "1 项超期" in html
    assert ProjectFormality.objects.filter(project=project).count() == 9
    # Someone who may read the project but not run it sees the flow without the actions.
    project.co_units.add(world.finance_bureau)
    html = client_for(world.department).get(f"/projects/{project.pk}/").content.decode()
    assert 'data-status="stuck"' in html and "/tickets/from-formality/" not in html


def test_instantiate_and_record_from_the_page(world, project, clock, client_for):
    client = client_for(world.cadre_a)
    template = enterprise_template()
    response = client.post(f"/projects/{project.pk}/formalities/", {"template": template.pk})
    assert response["Location"] == f"/projects/{project.pk}/#formalities"
    formality = project.formalities.get(name="环评")
    page = client.get(f"/projects/formalities/{formality.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/projects/formalities/{formality.pk}/edit/",
        {
            "version": formality.version,
            "state": FormalityState.IN_PROGRESS,
            "responsible_unit": world.finance_bureau.pk,
            "agent": world.cadre_a.pk,
            "started_on": "2026-11-02",
            "time_limit_days": 20,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    formality.refresh_from_db()
    assert formality.deadline == datetime.date(2026, 11, 30)
    assert client_for(world.cadre_b).get(
        f"/projects/formalities/{formality.pk}/edit/"
    ).status_code in (403, 404)


def test_template_pages(world, client_for):
    client = client_for(world.cadre_a)
    page = client.get("/projects/formality-templates/")
    assert page.status_code == 200 and "环评" in page.content.decode()
    assert client.get("/projects/formality-templates/enterprise/steps/new/").status_code == 403
    client = client_for(world.office)
    response = client.post(
        "/projects/formality-templates/enterprise/steps/new/",
        {"name": "文物勘探", "time_limit_days": 10, "default_unit": world.finance_bureau.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    step = enterprise_template().steps.get(name="文物勘探")
    assert step.position == 10 and step.default_unit == world.finance_bureau
    client.post(f"/projects/formality-steps/{step.pk}/delete/")
    assert not enterprise_template().steps.filter(name="文物勘探").exists()
