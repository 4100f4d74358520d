from enterprises.selectors import enterprise_list
from stationing.selectors import assignment_list, cadre_list, programme_list


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
