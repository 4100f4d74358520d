"""Choices offered to a user never list rows the user may not see (issue 16), for the permission
walk (tests/test_permission_walk.py): the filter dropdowns of the list pages and the related
fields of the API's write serializers.

Two yardsticks for the ids a choice offers a user:

- `visible(model, user)`: the app's own scoped selector of that model (what the user may read),
  where the model has one; every offered id must be in it;
- `hidden(world, model, role)`: rows of the walk's world the role may not see, known without the
  selectors: county B's (outside the territory of every walked role of county A) and "someone
  else's" object wherever the walk's table says its page answers 404 to the role. None of them
  may be offered.
"""

import importlib
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework import serializers
from rest_framework.request import Request

from core.models import Profile, Unit
from core.selectors import leader_list, unit_list
from core.views import FilteredListMixin
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list
from stationing.models import Assignment, Programme, ReportPeriod, WorkGroup
from stationing.selectors import (
    assignment_list,
    cadre_list,
    period_list,
    programme_list,
    work_group_list,
)
from supervision.selectors import bulletin_list

from .walk_world import OTHER

# The scoped selector of each model a choice may offer.
SELECTORS = {
    Enterprise: enterprise_list,
    Programme: programme_list,
    WorkGroup: work_group_list,
    ReportPeriod: period_list,
    Assignment: assignment_list,
    Profile: cadre_list,
    Unit: unit_list,
    get_user_model(): leader_list,
}

# Model label -> (the world's object kind, the route whose answer says whether a role sees it).
SEEN_BY = {
    "enterprises.Enterprise": ("enterprises", "enterprise-detail"),
    "stationing.Programme": ("programmes", "programme-detail"),
    "stationing.WorkGroup": ("groups", "api-work-group-detail"),
    "stationing.ReportPeriod": ("periods", "api-period-detail"),
    "stationing.Assignment": ("assignments", "api-assignment-detail"),
    "core.Profile": ("cadres", "cadre-detail"),
    "stationing.ReportProblem": ("problems", "ticket-from-problem"),
    "stationing.WorkPlan": ("plans", "plan-detail"),
    "stationing.ProgressReport": ("reports", "report-detail"),
    "projects.KeyProject": ("projects", "project-detail"),
    "supervision.Ticket": ("tickets", "ticket-detail"),
}


def visible(model: type[Model], user) -> set[int] | None:
    """The ids the user may see of this model (None: no selector to compare with)."""
    selector = SELECTORS.get(model)
    if selector is None:
        return None
    return set(selector(user=user).order_by().values_list("pk", flat=True))


def hidden(world, table, expected, model: type[Model], role: str) -> set[int]:
    """Ids of the world's rows of this model that the role may not see."""
    ids = set()
    if model is get_user_model():
        # Leaders: county B's is outside every county A role's territory.
        return {world.b.leader.pk, world.b.office.pk}
    known = SEEN_BY.get(model._meta.label)
    if known is None:
        return ids
    kind, route = known
    objects = world.objects[kind]
    ids.add(objects[2].pk)  # county B's
    if OTHER[role] is not None and expected(table[route], role, 1, {}) == 404:
        ids.add(objects[OTHER[role]].pk)
    return ids


# Filters whose rows are seen another way than through their model's selector: published
# bulletins are open notices to every signed-in user (supervision.selectors.bulletin_list), so
# the programmes they belong to are offered too, county B's included.
OTHER_YARDSTICK = {
    ("BulletinFilterSet", "programme"): lambda user: set(
        bulletin_list(user=user).order_by().values_list("programme_id", flat=True)
    ),
}


# --- List pages and their filter forms ---------------------------------------------------------


def filtered_list_routes() -> dict[str, type]:
    """{route name: view class} of every list page with a FilterSet (core.views.
    FilteredListMixin) reachable in the URLconf."""
    found = {}

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", None)
                if view is not None and issubclass(view, FilteredListMixin) and entry.name:
                    found[entry.name] = view

    walk(get_resolver().url_patterns)
    return found


def model_choice_filters(view_class, user) -> dict[str, type[Model]]:
    """{field name: model} of the filters of the view's FilterSet that choose a model row."""
    request = RequestFactory().get("/")
    request.user = user
    filterset_class = view_class.filterset_class
    filterset = filterset_class(
        None, queryset=filterset_class._meta.model.objects.none(), request=request
    )
    found = {}
    for name, field in filterset.form.fields.items():
        queryset = getattr(field, "queryset", None)
        if isinstance(queryset, QuerySet):
            found[name] = queryset.model
    return found


class SelectParser(HTMLParser):
    """Every <select> of a page: {name: {"attrs": {…}, "values": [option values]}}."""

    def __init__(self):
        super().__init__()
        self.selects: dict[str, dict] = {}
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name"):
            self.current = self.selects.setdefault(attrs["name"], {"attrs": attrs, "values": []})
        elif tag == "option" and self.current is not None:
            value = attrs.get("value")
            if value:
                self.current["values"].append(value)

    def handle_endtag(self, tag):
        if tag == "select":
            self.current = None


def selects(html: str) -> dict[str, dict]:
    parser = SelectParser()
    parser.feed(html)
    return parser.selects


# --- The API's serializers --------------------------------------------------------------------

WRITES = {"post": "POST", "put": "PUT", "patch": "PATCH"}
SERIALIZER_MODULES = (
    "enterprises.api.serializers",
    "projects.api.serializers.projects",
    "stationing.api.serializers.organisation",
    "stationing.api.serializers.plans",
    "stationing.api.serializers.reports",
    "supervision.api.serializers.appraisal",
    "supervision.api.serializers.bulletins",
    "supervision.api.serializers.tickets",
)


def api_serializers() -> list[type]:
    """Every serializer the API's apps define (those of the views' own actions included)."""
    found = []
    for name in SERIALIZER_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.Serializer)
                and value.__module__ == name
            ):
                found.append(value)
    return found


def api_request(user, method: str = "POST") -> Request:
    request = RequestFactory().generic(method, "/", content_type="application/json")
    request.user = user
    drf_request = Request(request)
    drf_request.user = user
    return drf_request


def related_fields(serializer, prefix: str = ""):
    """(path, model, queryset, many) of every writable related field, nested ones included."""
    fields = getattr(serializer, "fields", {})
    for name, field in fields.items():
        if field.read_only:
            continue
        path = f"{prefix}{name}"
        if isinstance(field, serializers.ManyRelatedField):
            queryset = field.child_relation.get_queryset()
            if queryset is not None:
                yield path, queryset.model, queryset, True
        elif isinstance(field, serializers.RelatedField):
            queryset = field.get_queryset()
            if queryset is not None:
                yield path, queryset.model, queryset, False
        elif isinstance(field, serializers.ListSerializer):
            yield from related_fields(field.child, f"{path}[].")
        elif isinstance(field, serializers.Serializer):
            yield from related_fields(field, f"{path}.")


def request_serializer(view, action: str, method: str, instance):
    """The serializer a write reads its body with, as the API schema names it (extend_schema's
    `request` on the views' own actions and custom creates), else the view's own; for a write
    to an object, bound to it as in a real request (fields fixed after creation read-only)."""
    handler = getattr(view, action)
    schema_class = getattr(handler, "kwargs", {}).get("schema") or type(view.schema)
    schema = schema_class()
    schema.view, schema.method, schema.path = view, method, ""
    found = schema.get_request_serializer()
    if isinstance(found, dict):  # by media type
        found = next(iter(found.values()), None)
    if isinstance(found, serializers.BaseSerializer):
        found = type(found)
    if not (isinstance(found, type) and issubclass(found, serializers.BaseSerializer)):
        return None
    if found is view.get_serializer_class():
        return view.get_serializer(instance)
    return found(context=view.get_serializer_context())


def api_writes(name: str, kwargs: dict, user):
    """[(method, action, serializer)] of the writes of an API route, each serializer built as
    for a request of this user (for a write to an object, with the object, so fields fixed
    after creation are read-only as in a real request). Raises Http404 / PermissionDenied /
    APIException where the user may not reach the object."""
    match = resolve(reverse(name, kwargs=kwargs))
    callback = match.func
    actions = getattr(callback, "actions", None) or {}
    found = []
    for method, action in actions.items():
        if method not in WRITES:
            continue
        view = callback.cls(**callback.initkwargs)
        view.action_map, view.action = actions, action
        view.args, view.kwargs, view.format_kwarg = (), match.kwargs, None
        view.request, view.headers = api_request(user, WRITES[method]), {}
        instance = view.get_object() if "pk" in match.kwargs else None
        serializer = request_serializer(view, action, WRITES[method], instance)
        if serializer is not None:
            found.append((WRITES[method], action, serializer))
    return found
