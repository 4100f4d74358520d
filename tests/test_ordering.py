"""Natural order (core.ordering): numbered names by their number, people and enterprises by
pinyin, units in the tree's order — in the key itself, and in the lists, dropdowns and API."""

import pytest
from django.urls import reverse

from core.ordering import chinese_number, natural_key, person_key
from stationing.forms.organisation import AssignmentForm
from supervision.selectors import responsible_unit_list

from .conftest import results
from .factories import (
    EnterpriseFactory,
    ProfileFactory,
    UnitFactory,
    WorkGroupFactory,
)

WORK_GROUPS = ["第一工作组", "第二工作组", "第三工作组", "第九工作组", "第十工作组"]
WORK_GROUPS += ["第十一工作组", "第十二工作组"]


def in_natural_order(names, key=natural_key):
    return sorted(names, key=key)


# --- The key --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("二〇二五", 2025)],
)
def test_chinese_numerals_are_read_as_numbers(numeral, value):
    assert chinese_number(numeral) == value


def test_numbered_work_groups_go_by_their_number():
    shuffled = ["第三工作组", "第十工作组", "第一工作组", "第十二工作组", "第二工作组"]
    shuffled += ["第十一工作组", "第九工作组"]
    assert in_natural_order(shuffled) == WORK_GROUPS
    assert natural_key("第九工作组") < natural_key("第十工作组")
    assert natural_key("第十一工作组") < natural_key("第十二工作组")


def test_arabic_numbers_go_by_value():
    assert in_natural_order(["10号楼", "2号楼", "1号楼"]) == ["1号楼", "2号楼", "10号楼"]
    assert in_natural_order(["第10组", "第9组", "第2组"]) == ["第2组", "第9组", "第10组"]
    # Full-width digits are digits.
    assert natural_key("１２号") > natural_key("３号")


def test_numerals_only_count_after_di_or_before_a_counter():
    # 十堰 and 三明 are place names, not numbers: they sort by pinyin among the others.
    assert in_natural_order(["十堰市", "三明市", "安庆市"]) == ["安庆市", "三明市", "十堰市"]
    assert in_natural_order(["三组", "十组", "二组"]) == ["二组", "三组", "十组"]


def test_names_go_by_pinyin():
    names = ["程立", "白雪", "陈明", "安然", "丁一"]
    assert in_natural_order(names, person_key) == ["安然", "白雪", "陈明", "程立", "丁一"]
    # Syllable by syllable: li comes before lin.
    assert in_natural_order(["林一", "李四"], person_key) == ["李四", "林一"]


def test_a_surname_is_read_as_a_surname():
    # 单 as a surname is Shàn (after 程 and before 王); as a word it is dān (after 程 too,
    # but before 丁).
    assert in_natural_order(["王五", "单国强", "程立", "丁一"], person_key) == [
        "程立",
        "丁一",
        "单国强",
        "王五",
    ]
    assert person_key("曾明").startswith("zeng1")
    assert person_key("解放").startswith("xie4")
    assert natural_key("单位").startswith("dan1")


def test_enterprises_go_by_pinyin_with_phrases_read_right():
    names = ["重庆钢铁有限公司", "长沙银行", "安徽海螺集团"]
    # 重庆 is chóngqìng and 长沙 chángshā: both under C, after 安.
    assert in_natural_order(names) == ["安徽海螺集团", "长沙银行", "重庆钢铁有限公司"]


def test_letters_ignore_case_and_the_text_breaks_ties():
    assert in_natural_order(["b公司", "A公司"]) == ["A公司", "b公司"]
    assert natural_key("甲-乙") != natural_key("甲乙")
    # Punctuation is left out of the key proper and only the text itself tells them apart.
    assert natural_key("甲-乙").startswith("jia3yi30")
    assert natural_key("") < natural_key("阿")


# --- Stored keys and what the pages and the API list ---------------------------------------


@pytest.mark.django_db
def test_the_key_is_stored_on_save_and_follows_a_rename():
    group = WorkGroupFactory(name="第十工作组")
    assert group.sort_key == natural_key("第十工作组")
    group.name = "第二工作组"
    group.save(update_fields=["name"])
    group.refresh_from_db()
    assert group.sort_key == natural_key("第二工作组")
    person = ProfileFactory(name="单国强")
    assert person.sort_key == person_key("单国强")


def test_work_group_dropdown_is_in_natural_order(world):
    programme = world.programme
    for name in reversed(WORK_GROUPS[1:]):
        WorkGroupFactory(programme=programme, name=name)
    form = AssignmentForm(user=world.office, programme=programme)
    labels = [label for value, label in form.fields["work_group"].choices if value]
    assert labels == WORK_GROUPS


def test_cadre_and_enterprise_dropdowns_are_in_pinyin_order(world):
    for name in ("程立", "白雪", "单国强", "安然"):
        ProfileFactory(name=name, unit=world.dev_bureau).user.groups.add(
            *world.cadre_a.groups.all()
        )
    form = AssignmentForm(user=world.office, programme=world.programme)
    cadres = [obj.name for obj in form.fields["cadre"].queryset]
    assert cadres == sorted(cadres, key=person_key)
    assert cadres.index("安然") < cadres.index("白雪") < cadres.index("程立")
    assert cadres.index("程立") < cadres.index("单国强") < cadres.index("张干部")
    enterprises = [obj.name for obj in form.fields["enterprise"].queryset]
    assert enterprises == sorted(enterprises, key=natural_key)


def test_enterprise_list_page_and_api_are_in_pinyin_order(world, client_for, api):
    for name in ("重庆钢铁有限公司", "安徽海螺集团", "第十建筑公司", "第二建筑公司"):
        EnterpriseFactory(name=name, region=world.town_a)
    expected = ["第二建筑公司", "第十建筑公司", "安徽海螺集团", "重庆钢铁有限公司"]

    response = client_for(world.office).get(reverse("enterprise-list"))
    assert response.status_code == 200
    shown = [e.name for e in response.context["object_list"] if e.name in expected]
    # 第 is dì: after 安 (ān) and 重 (chóng).
    assert shown == sorted(expected, key=natural_key)
    assert shown == ["安徽海螺集团", "重庆钢铁有限公司", "第二建筑公司", "第十建筑公司"]

    rows = results(api(world.office).get("/api/v1/enterprises/", {"ordering": "name"}))
    assert [row["name"] for row in rows if row["name"] in expected] == shown
    rows = results(api(world.office).get("/api/v1/enterprises/", {"ordering": "-name"}))
    assert [row["name"] for row in rows if row["name"] in expected] == shown[::-1]


def test_cadre_list_page_is_in_pinyin_order(world, client_for):
    response = client_for(world.office).get(reverse("cadre-list"))
    assert response.status_code == 200
    names = [cadre.name for cadre in response.context["object_list"]]
    # 李 (lǐ) before 张 (zhāng), whatever order they were created in.
    assert names == sorted(names, key=person_key)
    assert names.index("李干部") < names.index("张干部")


def test_units_follow_the_tree_parents_first_then_siblings_in_natural_order(world):
    county = world.county
    second = UnitFactory(name="第二办事处", parent=county)
    tenth = UnitFactory(name="第十办事处", parent=county)
    ninth = UnitFactory(name="第九办事处", parent=county)
    child = UnitFactory(name="第十办事处综合科", parent=ninth)
    units = list(responsible_unit_list(user=world.office))
    index = units.index
    assert index(second) < index(ninth) < index(child) < index(tenth)
    # Renaming a unit moves its subtree with it.
    ninth.name = "第十一办事处"
    ninth.save()
    child.refresh_from_db()
    assert child.tree_key.startswith(ninth.tree_key)
    units = list(responsible_unit_list(user=world.office))
    assert units.index(tenth) < units.index(ninth) < units.index(child)
