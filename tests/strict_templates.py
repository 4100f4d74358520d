"""string_if_invalid for the test run: a template that uses a missing variable fails the test.

Django's documented hook (TEMPLATES OPTIONS string_if_invalid) is set, for the whole run, to an
object that raises when a missing variable would be printed, and that keeps the legitimate uses
working as with the default "": `{% if %}`/`{% for %}` tests and the `default` filter.
How Django uses the value (django/template/base.py, FilterExpression.resolve): for a variable
that does not resolve it tests `if string_if_invalid:`, then `"%s" in string_if_invalid`, and
returns `string_if_invalid % variable` without applying any filter; when the value is falsy it
applies the filters to the value itself instead. A lookup that fails silently (a related object
that does not exist, a method that needs arguments) yields the value as the result, which is
only an error once printed.
"""

import sys

from django.template.base import FilterExpression, Node

_RESOLVE = FilterExpression.resolve.__code__


class MissingTemplateVariable(Exception):
    """A template printed (or passed on) a variable that does not exist."""


def _frames(depth=12):
    frame = sys._getframe(2)
    while frame is not None and depth:
        yield frame
        frame = frame.f_back
        depth -= 1


def _expression():
    """The `{{ ... }}` expression being resolved, if the caller is inside one."""
    for frame in _frames():
        if frame.f_code is _RESOLVE:
            return frame.f_locals["self"]
    return None


def _node():
    """The template node being rendered: where the variable is written."""
    for frame in _frames(40):
        node = frame.f_locals.get("self")
        if isinstance(node, Node):
            return node
    return None


def _guarded_by_default(expression) -> bool:
    return expression is not None and any(
        getattr(func, "__name__", "") == "default" for func, _ in expression.filters
    )


class StrictMissingVariable(str):
    """TEMPLATES string_if_invalid for tests: using a missing variable fails the test.

    Django resolves a missing variable to this object (filters are then skipped). What stays
    legitimate behaves as with the default "": `{% if %}`, `{% for %}` and `firstof` never
    reach it (they resolve with ignore_failures), and an expression with a `default` filter
    sees a falsy "" so that the filter applies. Everything else (`{{ missing }}`, `{% url %}`
    or `{% with %}` arguments, blocktranslate placeholders) raises and is recorded, so a miss
    inside a view that swallows exceptions still fails the test at teardown.
    """

    misses: list[str] = []  # noqa: RUF012 - one shared record, read by the autouse fixture

    def __new__(cls):
        return super().__new__(cls, "")

    def _fail(self, variable):
        node = _node()
        where = getattr(getattr(node, "origin", None), "name", "?")
        line = getattr(getattr(node, "token", None), "lineno", "?")
        message = f"missing template variable {variable!r} in {where}, line {line}"
        self.misses.append(message)
        raise MissingTemplateVariable(message)

    def __bool__(self):
        # FilterExpression.resolve tests truthiness first: True sends it on to "%s" % name
        # (the error, with the name); False lets the filters run on "" (the `default` filter's
        # case). Anywhere else this is `{% if %}` on a silently failed lookup: false, as "" is.
        if _guarded_by_default(_expression()):
            return False
        return sys._getframe(1).f_code is _RESOLVE

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, variable):
        self._fail(str(variable))

    def __str__(self):
        # Reached when a lookup failed silently (a method needing arguments, a related object
        # that does not exist) and the result is printed.
        expression = _expression()
        if _guarded_by_default(expression):
            return ""
        self._fail(expression.token if expression is not None else "?")

    def __repr__(self):
        return "StrictMissingVariable()"
