"""Choices too long to send: searched on the server instead.

A province's office may filter tickets by any of 10,000 enterprises. Rendering them all made
the ticket list's page heavy (hundreds of kilobytes) and slow (the query and the rendering
grew with the registry). `ScopedSelect` renders a long choice (more than LARGE_CHOICES rows)
as the selected option alone, with the address of the API list that searches the same scoped
rows (`data-remote-url`); static/js/select.js asks it as the user types. Short choices stay a
plain (locally searchable) select.

Apps say which API searches their rows with `register_remote_search()` in AppConfig.ready(),
so the core needs no import of theirs.
"""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

LARGE_CHOICES = 200
REMOTE_SEARCH: dict[str, tuple[str, str]] = {}  # model label -> (API list URL name, parameter)


def register_remote_search(model, url_name: str, parameter: str = "q") -> None:
    REMOTE_SEARCH[model._meta.label] = (url_name, parameter)


class FastSelect(forms.Select):
    """A select rendered in Python: the same markup as Django's select templates, without a
    template render per option. A province's filter forms hold a thousand options (regions,
    work groups, units), and rendering them one template at a time was most of a list page's
    time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # Plain string building with conditional_escape: format_html per option was most of
        # the time of a 500-option select.
        parts = [f'<select name="{conditional_escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                option_attrs = option["attrs"]
                if not option_attrs:
                    extra = ""
                elif option_attrs.keys() == {"selected"} and option_attrs["selected"] is True:
                    extra = " selected"
                else:
                    extra = flatatt(option_attrs)
                parts.append(
                    f'<option value="{conditional_escape(option["value"])}"{extra}>'
                    f"{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 # values escaped above  # nosec B308 B703


def fast_select(widget: forms.Widget) -> forms.Widget:
    """The same single select as a FastSelect (a list page's filter form swaps its plain ones)."""
    if type(widget) is not forms.Select:
        return widget
    fast = FastSelect(attrs=widget.attrs)
    fast.choices = widget.choices
    return fast


class ScopedSelect(FastSelect):
    """`remote_query`: conditions the search adds to the API list so it offers the same rows as
    the choice (`{"kind": "government"}` for regions). `always_remote`: searched at any length,
    for a choice that is long in a province and short in a county (regions): the page then
    reads the same statements at any size, and none unless a value is chosen."""

    def __init__(self, attrs=None, choices=(), remote_query=None, always_remote=False):
        super().__init__(attrs, choices)
        self.remote_query = dict(remote_query or {})
        self.always_remote = always_remote

    def get_context(self, name, value, attrs):
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        remote = REMOTE_SEARCH.get(queryset.model._meta.label) if queryset is not None else None
        if remote is None:
            return super().get_context(name, value, attrs)
        # Counted without the choice's order: the first LARGE_CHOICES + 1 rows of any order.
        if not self.always_remote and (
            queryset.order_by()[: LARGE_CHOICES + 1].count() <= LARGE_CHOICES
        ):
            return super().get_context(name, value, attrs)
        url_name, parameter = remote
        query = f"{urlencode(self.remote_query)}&" if self.remote_query else ""
        attrs = {**(attrs or {}), "data-remote-url": f"{reverse(url_name)}?{query}{parameter}="}
        chosen = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        keys = [v for v in chosen if v.isascii() and v.isdigit()]  # not "²"
        limited = (
            [("", iterator.field.empty_label)] if iterator.field.empty_label is not None else []
        )
        limited += [iterator.choice(obj) for obj in queryset.filter(pk__in=keys)]
        self.choices = limited
        try:
            return super().get_context(name, value, attrs)
        finally:
            self.choices = iterator


class ScopedSelectMultiple(ScopedSelect):
    """ScopedSelect for a multiple choice (chips in the browser): a long choice renders only
    the chosen options and is searched through the same API list."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False  # as SelectMultiple: an empty choice sends nothing
