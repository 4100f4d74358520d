"""Factories for tests. Valid credit codes are generated with the real check character."""

import datetime

import factory
from django.contrib.auth.models import User

from core.choices import Role
from core.models import Profile, Unit
from core.services import user_set_roles
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.validators import credit_code_check_character
from stationing.models import Assignment, Programme, WorkGroup
from supervision.choices import Level, TicketState
from supervision.services import (
    ticket_accept,
    ticket_answer,
    ticket_assign,
    ticket_create,
    ticket_object,
    ticket_progress,
    ticket_rate,
    ticket_reject,
    ticket_withdraw,
)


def make_credit_code(n: int) -> str:
    first17 = f"91350100MA{n:07d}"
    return first17 + credit_code_check_character(first17)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    level = "county"
    kind = "department"
    is_dispatching = True
    is_responsible = True


class RegionFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"测试镇{n}")
    level = "township"
    kind = "government"
    is_dispatching = False
    is_responsible = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            user_set_roles(user=self, roles=list(extracted))
        if create:
            self.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    industry = "C"
    ownership = "private"
    size = "medium"
    region = factory.SubFactory(RegionFactory)
    is_key = True


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"2026年干部驻企第{n}批")
    organiser = factory.SubFactory(UnitFactory, kind="government", level="county")
    start_date = datetime.date(2026, 3, 1)
    end_date = datetime.date(2027, 2, 28)
    status = "active"


class WorkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkGroup

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"第{n}工作组")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    programme = factory.SubFactory(ProgrammeFactory)
    cadre = factory.SubFactory(ProfileFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    start_date = datetime.date(2026, 3, 1)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseSurvey

    enterprise = factory.SubFactory(EnterpriseFactory)
    surveyed_on = datetime.date(2026, 3, 10)
    output_value = 12000
    difficulties = "流动资金紧张"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    month = datetime.date(2026, 3, 1)
    output_value = 1000
    value_added = 300
    profit = 80
    tax = 40


# --- People -----------------------------------------------------------------------------------


def make_person(username: str, roles, **profile) -> User:
    """A user with these roles and a profile (name, phone, unit or enterprise, rank)."""
    user = UserFactory(username=username, roles=roles)
    ProfileFactory(user=user, **profile)
    return user


def make_handler(unit, username: str, **profile) -> User:
    """Another department handler, of `unit` (world.department handles for the finance bureau)."""
    return make_person(username, [Role.DEPARTMENT], unit=unit, **profile)


# --- Tickets ----------------------------------------------------------------------------------

# The path each state is reached by, through the services (so events, owner and clock are right).
TICKET_PATHS = {
    TicketState.SUBMITTED: [],
    TicketState.REJECTED: ["reject"],
    TicketState.WITHDRAWN: ["withdraw"],
    TicketState.ACCEPTED: ["accept"],
    TicketState.ASSIGNED: ["accept", "assign"],
    TicketState.OBJECTED: ["accept", "assign", "object"],
    TicketState.IN_PROGRESS: ["accept", "assign", "progress"],
    TicketState.ANSWERED: ["accept", "assign", "progress", "answer"],
    TicketState.CLOSED: ["accept", "assign", "progress", "answer", "rate"],
}


def make_ticket(
    world,
    state: str = TicketState.SUBMITTED,
    *,
    by=None,
    enterprise=None,
    level: str = Level.SYSTEM,
    unit=None,
    co_units=(),
    leader=None,
    handler=None,
    **fields,
):
    """A ticket raised in `world` and taken through the services to `state`.

    Raised by cadre_a for ent_a unless `by`/`enterprise` say otherwise; `fields` go to
    ticket_create (title, category, description, urgency, report_problem, at). The office
    accepts, rejects and assigns (to the finance bureau unless `unit`, at `level`, with
    `co_units` and `leader`); `handler` (world.department by default) objects, progresses and
    answers; the enterprise contact rates (satisfied) and the raiser withdraws.
    """
    by = by or world.cadre_a
    handler = handler or world.department
    create = {"category": "utilities", "title": "用电增容", "description": "新生产线需增容"}
    create.update(fields)
    ticket = ticket_create(by=by, enterprise=enterprise or world.ent_a, **create)
    for step in TICKET_PATHS[state]:
        if step == "reject":
            ticket = ticket_reject(ticket=ticket, by=world.office, reason="属企业自主经营事项")
        elif step == "withdraw":
            ticket = ticket_withdraw(ticket=ticket, by=by, reason="已自行解决")
        elif step == "accept":
            ticket = ticket_accept(ticket=ticket, by=world.office)
        elif step == "assign":
            ticket = ticket_assign(
                ticket=ticket,
                by=world.office,
                level=level,
                responsible_unit=unit or world.finance_bureau,
                co_units=co_units,
                leader=leader,
            )
        elif step == "object":
            ticket = ticket_object(ticket=ticket, by=handler, reason="不属本单位职责")
        elif step == "progress":
            ticket = ticket_progress(ticket=ticket, by=handler, comment="已对接")
        elif step == "answer":
            ticket = ticket_answer(ticket=ticket, by=handler, answer="已办结")
        elif step == "rate":
            ticket = ticket_rate(ticket=ticket, by=world.enterprise_a, satisfaction="satisfied")
    assert ticket.state == state, (ticket.state, state)
    return ticket
