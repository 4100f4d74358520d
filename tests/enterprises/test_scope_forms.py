"""enterprises.selectors.in_scope_q: a top-level territory is written as "not one of the
enterprises outside it" (cheaper on a province's tickets); both forms select the same rows, for
a top-level office and for one lower down, including an enterprise outside the territory that
is stationed in the office's programme and one that is neither."""

import pytest
from django.db.models import Q

from core.choices import Role
from enterprises.selectors import enterprise_ids, in_scope_q
from supervision.choices import TicketState
from supervision.models import Ticket

from ..factories import (
    AssignmentFactory,
    EnterpriseFactory,
    ProfileFactory,
    RegionFactory,
    make_person,
    make_ticket,
)

pytestmark = pytest.mark.django_db


def test_both_forms_select_the_same_tickets(world):
    far = EnterpriseFactory(region=world.town_far)  # another county, not stationed
    stationed_far = EnterpriseFactory(region=world.town_far)
    AssignmentFactory(
        programme=world.programme,
        enterprise=stationed_far,
        cadre=ProfileFactory(phone="13712340001"),
    )
    village = RegionFactory(name="城关镇某村", parent=world.town_a)
    in_village = EnterpriseFactory(region=village)
    for enterprise in (world.ent_a, world.ent_b, world.ent_c, far, stationed_far, in_village):
        # Raised where the raiser may, then moved: only the rows matter here.
        ticket = make_ticket(world, TicketState.SUBMITTED)
        Ticket.objects.filter(pk=ticket.pk).update(enterprise=enterprise)
    town_office = make_person("town-office", [Role.OFFICE], unit=world.town_a, phone="13712340002")

    for user, complement in ((world.office, True), (world.leader, True), (town_office, False)):
        q = in_scope_q(user=user, field="enterprise_id")
        assert ("NOT" in str(Ticket.objects.filter(q).query)) is complement
        chosen = set(Ticket.objects.filter(q).values_list("pk", flat=True))
        listed = set(
            Ticket.objects.filter(enterprise_id__in=enterprise_ids(user=user)).values_list(
                "pk", flat=True
            )
        )
        assert chosen == listed and chosen

    seen = {
        t.enterprise_id
        for t in Ticket.objects.filter(in_scope_q(user=world.office, field="enterprise_id"))
    }
    assert stationed_far.pk in seen and far.pk not in seen and in_village.pk in seen


def test_a_top_level_offices_reports_are_those_of_its_territorys_programmes(world, periods):
    from stationing.models import Assignment, ProgressReport
    from stationing.selectors import report_list
    from stationing.services import report_get_or_create_draft

    from ..factories import ProgrammeFactory

    elsewhere = ProgrammeFactory(organiser=world.other_county, name="邻县驻企")
    far_assignment = AssignmentFactory(
        programme=elsewhere,
        enterprise=world.ent_c,
        cadre=ProfileFactory(phone="13712340003"),
    )
    own = report_get_or_create_draft(assignment=world.assignment_a, period=periods[1], by=None)
    far = ProgressReport.objects.create(assignment=far_assignment, period=periods[1])
    listed = set(report_list(user=world.office).values_list("pk", flat=True))
    assert "NOT" in str(report_list(user=world.office).query)
    direct = set(
        ProgressReport.objects.filter(
            assignment__in=Assignment.objects.filter(
                programme__organiser__path__startswith=world.county.path
            )
        ).values_list("pk", flat=True)
    )
    assert listed == direct and own.pk in listed and far.pk not in listed


def test_a_top_level_offices_enterprise_list_is_the_same_in_both_forms(world):
    from enterprises.models import Enterprise
    from enterprises.selectors import enterprise_list

    far = EnterpriseFactory(region=world.town_far)
    stationed_far = EnterpriseFactory(region=world.town_far)
    AssignmentFactory(
        programme=world.programme,
        enterprise=stationed_far,
        cadre=ProfileFactory(phone="13712340004"),
    )
    in_village = EnterpriseFactory(region=RegionFactory(name="城关镇某村", parent=world.town_a))
    for user in (world.office, world.leader):
        listed = enterprise_list(user=user)
        assert "NOT" in str(listed.query)
        direct = Enterprise.objects.filter(
            Q(region__path__startswith=world.county.path)
            | Q(assignments__programme__organiser__path__startswith=world.county.path)
        ).distinct()
        assert set(listed.values_list("pk", flat=True)) == set(direct.values_list("pk", flat=True))
        assert set(enterprise_ids(user=user).values_list("pk", flat=True)) == set(
            direct.values_list("pk", flat=True)
        )
        seen = set(listed.values_list("pk", flat=True))
        assert stationed_far.pk in seen and in_village.pk in seen and far.pk not in seen
