from enterprises.selectors import enterprise_list
from stationing.selectors import (
    assignment_list,
    cadre_list,
    programme_list,
    report_assignment_list,
)
from tests.factories import AssignmentFactory, ProgrammeFactory


def names(qs):
    return sorted(obj.name for obj in qs)


def test_cadre_sees_only_their_enterprise(world):
    assert names(enterprise_list(user=world.cadre_a)) == ["甲机械制造有限公司"]


def test_enterprise_contact_sees_only_its_enterprise(world):
    assert names(enterprise_list(user=world.enterprise_a)) == ["甲机械制造有限公司"]


def test_office_sees_its_county_not_the_neighbour(world):
    assert names(enterprise_list(user=world.office)) == ["乙纺织有限公司", "甲机械制造有限公司"]
    assert names(programme_list(user=world.office)) == ["2026年示范县干部驻企"]


def test_department_and_outsider_see_no_enterprise(world):
    assert list(enterprise_list(user=world.department)) == []
    assert list(enterprise_list(user=world.outsider)) == []
    assert list(programme_list(user=world.outsider)) == []


def test_cadre_sees_own_assignment_and_profile(world):
    visible = assignment_list(user=world.cadre_a)
    assert [a.enterprise.name for a in visible] == ["甲机械制造有限公司"]
    assert names(cadre_list(user=world.cadre_a)) == ["张干部"]
    assert names(cadre_list(user=world.office)) == ["张干部", "李干部"]


def test_a_cadre_in_two_programmes_reads_team_mates_of_each_stationing_only(world):
    """Reports are shared within one stationing (same programme and enterprise). A cadre at
    甲 in one programme and at 乙 in another must not read 乙's reports of the first programme."""
    second = ProgrammeFactory(organiser=world.county, name="2027年示范县干部驻企")
    AssignmentFactory(programme=second, cadre=world.cadre_a.profile, enterprise=world.ent_b)
    visible = report_assignment_list(user=world.cadre_a)
    assert world.assignment_a in visible
    assert world.assignment_b not in visible  # 乙 in the first programme: not theirs
    mate = AssignmentFactory(programme=second, cadre=world.cadre_b.profile, enterprise=world.ent_b)
    assert mate in report_assignment_list(user=world.cadre_a)
