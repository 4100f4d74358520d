"""Panels that an app higher up adds to a lower app's page.

A lower app must not import a higher one, yet its pages may need to show what the higher app
keeps about the object (the cadres stationed at an enterprise live in stationing). The higher app
registers a panel in its AppConfig.ready(); the lower app's view renders whatever is registered,
in `order`. Each panel scopes its own data to the user.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable  # (request, obj) -> dict, or None to show nothing


_PANELS: dict[str, list[Panel]] = defaultdict(list)


def register_panel(page: str, *, order: int, template: str, context: Callable) -> None:
    panel = Panel(order=order, template=template, context=context)
    if panel not in _PANELS[page]:
        _PANELS[page].append(panel)
        _PANELS[page].sort(key=lambda p: p.order)


def render_panels(page: str, request, obj) -> list[str]:
    rendered = []
    for panel in _PANELS[page]:
        context = panel.context(request, obj)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
