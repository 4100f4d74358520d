"""core.widgets: the Python-rendered select is Django's select, and a long scoped choice is
searched on the server."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import FastSelect, ScopedSelect, fast_select

CHOICES = [
    ("", "请选择…"),
    ("1", "第一组 <b>&"),
    ("第二", [("2", "乙“引号”"), ("3", 'x" onmouseover="alert(1)')]),
]


def test_fast_select_renders_what_django_renders_with_escaping():
    attrs = {"class": "form-select", "data-x": "1", "required": True, "disabled": False}
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("group", "2")
    fast_html = FastSelect(attrs=attrs, choices=CHOICES).render("group", "2")
    assert parse_html(fast_html) == parse_html(django_html)
    assert "&lt;b&gt;" in fast_html and 'onmouseover="' not in fast_html


def test_only_plain_single_selects_are_swapped():
    plain = forms.Select(choices=CHOICES)
    swapped = fast_select(plain)
    assert isinstance(swapped, FastSelect) and list(swapped.choices) == list(plain.choices)
    multiple = forms.SelectMultiple(choices=CHOICES)
    assert fast_select(multiple) is multiple


@pytest.mark.django_db
def test_an_always_remote_choice_sends_only_the_chosen_option_and_searches_the_same_rows(
    django_assert_num_queries,
):
    from core.choices import UnitKind
    from core.models import Unit
    from tests.factories import UnitFactory

    towns = [UnitFactory(name=f"第{n}镇", kind=UnitKind.GOVERNMENT) for n in range(1, 4)]
    field = forms.ModelChoiceField(
        queryset=Unit.objects.filter(kind=UnitKind.GOVERNMENT),
        required=False,
        empty_label="全部",
        widget=ScopedSelect(remote_query={"kind": "government"}, always_remote=True),
    )
    with django_assert_num_queries(0):  # nothing chosen: nothing read, at any size
        empty = field.widget.render("region", "")
    assert 'data-remote-url="/api/v1/units/?kind=government&amp;q="' in empty
    assert "第1镇" not in empty and ">全部</option>" in empty
    assert "selected" not in field.widget.render("region", "²")  # a digit, not an id
    chosen = field.widget.render("region", str(towns[1].pk))
    assert "第2镇" in chosen and "第1镇" not in chosen and "selected" in chosen


@pytest.mark.django_db
def test_long_form_choices_are_searched_and_an_edit_keeps_what_was_chosen(
    world, client_for, monkeypatch
):
    """The stationing and key-project forms: cadres, enterprises and units are searched through
    the API list of the same scoped rows (a province's 10,000 made these pages 10-12 s); an edit
    page renders the chosen options alone, selected, the multiple choice as one select."""
    from django.urls import reverse

    from tests.projects.formality_helpers import make_project
    from tests.walk_choices import selects

    monkeypatch.setattr("core.widgets.LARGE_CHOICES", 0)
    client = client_for(world.office)

    page = selects(
        client.get(reverse("assignment-create", args=[world.programme.pk])).content.decode()
    )
    assert page["cadre"]["attrs"]["data-remote-url"] == "/api/v1/cadres/?q="
    assert page["enterprise"]["attrs"]["data-remote-url"] == "/api/v1/enterprises/?q="
    assert page["cadre"]["values"] == page["enterprise"]["values"] == []
    page = selects(
        client.get(reverse("assignment-update", args=[world.assignment_a.pk])).content.decode()
    )
    assert page["cadre"]["values"] == [str(world.assignment_a.cadre_id)]
    assert page["enterprise"]["values"] == [str(world.assignment_a.enterprise_id)]

    project = make_project(world, team=(world.cadre_a, world.cadre_b))
    html = client.get(reverse("project-update", args=[project.pk])).content.decode()
    page = selects(html)
    assert page["team_members"]["attrs"]["data-remote-url"] == "/api/v1/cadres/?q="
    assert "multiple" in page["team_members"]["attrs"]
    assert page["team_members"]["values"] == [str(world.cadre_b.profile.pk)]
    assert page["team_leader"]["values"] == [str(world.cadre_a.profile.pk)]
    assert page["lead_unit"]["values"] == [str(world.dev_bureau.pk)]
    assert page["region"]["attrs"]["data-remote-url"] == "/api/v1/units/?kind=government&q="
    assert page["region"]["values"] == [str(world.town_a.pk)]
    # What the searches answer is the rows the form accepts (the permission walk checks scope).
    cadres = client.get("/api/v1/cadres/", {"q": world.cadre_b.profile.name}).json()["results"]
    assert [row["id"] for row in cadres] == [world.cadre_b.profile.pk]
