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
