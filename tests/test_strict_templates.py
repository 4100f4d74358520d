"""The strict template check (tests/strict_templates.py) refuses what it should and only that."""

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.template import Context, Template

from tests.strict_templates import MissingTemplateVariable, StrictMissingVariable


class Thing:
    def needs_an_argument(self, value):
        return value

    @property
    def related(self):
        # What a reverse one-to-one without a row raises; Django treats it as a silent failure.
        raise ObjectDoesNotExist


def render(source: str) -> str:
    return Template(source).render(Context({"thing": Thing()}))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% if missing %}x{% else %}y{% endif %}", "y"),
        ("{% if missing.attribute %}x{% endif %}", ""),
        ("{% if thing.related %}x{% else %}y{% endif %}", "y"),
        ("{% for x in missing %}{{ x }}{% empty %}none{% endfor %}", "none"),
        ("{% firstof missing 'z' %}", "z"),
        ("{{ missing|default:'-' }}", "-"),
        ("{{ missing|upper|default:'-' }}", "-"),
        ("{{ missing|date:'Y'|default:'-' }}", "-"),
        ("{{ thing.related|default:'d' }}", "d"),
        ("{% with v=missing|default:'w' %}{{ v }}{% endwith %}", "w"),
    ],
)
def test_legitimate_uses_of_a_missing_variable_render_as_with_the_default(source, expected):
    assert render(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "{{ missing }}",
        "{{ missing|upper }}",
        "{{ thing.missing }}",
        "{{ thing.related }}",
        "{{ thing.needs_an_argument }}",
        "{% with v=missing %}{{ v }}{% endwith %}",
        "{% load i18n %}{% blocktranslate %}a {{ missing }}{% endblocktranslate %}",
        "{% url 'ticket-detail' missing %}",
    ],
)
def test_printing_a_missing_variable_fails(source):
    with pytest.raises(MissingTemplateVariable):
        render(source)
    # Recorded as well (for a view that swallows the error); cleared so this test passes.
    assert StrictMissingVariable.misses
    StrictMissingVariable.misses.clear()
