"""Factories for tests. Valid credit codes are generated with the real check character."""

import datetime

import factory
from django.contrib.auth.models import User

from core.models import Profile, Unit
from core.services import user_set_roles
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.validators import credit_code_check_character
from stationing.models import Assignment, Programme, WorkGroup


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
