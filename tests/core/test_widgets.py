"""core.widgets: the Python-rendered select is Django's select, and a long scoped choice is
searched on the server."""

from django import forms
from django.test.html import parse_html

from core.widgets import FastSelect, fast_select

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
