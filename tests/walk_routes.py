"""The machinery of the permission walk (tests/test_permission_walk.py): the routes of the
URLconf, the table's entry type, how a route's URL is built for an object, and the writes a
refused request must not make."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# Apps whose rows a refused request must not touch.
DOMAIN_APPS = ("core", "stationing", "enterprises", "projects", "supervision", "notifications")


def url_routes(patterns=None, prefix: str = "", namespace: str = "") -> dict[str, list[str]]:
    """{name: [pattern, …]} for every named route of the URLconf, namespaced as Django reverses
    it ("admin:index"). DRF's format-suffix twins share their route's name."""
    found: dict[str, list[str]] = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            for name, shapes in url_routes(
                entry.url_patterns, prefix + str(entry.pattern), inner
            ).items():
                found.setdefault(name, []).extend(shapes)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name is None:
                # Only the admin's redirects of old change URLs are unnamed.
                name = f"{namespace}:<unnamed>" if namespace else "<unnamed>"
            elif namespace:
                name = f"{namespace}:{name}"
            found.setdefault(name, []).append(prefix + str(entry.pattern))
    return found


# What a role gets: one code, or (own object, someone else's object). "login": a redirect to the
# sign-in page (pages); the API answers 401 instead.
Answer = int | str | tuple


def pk(obj) -> dict:
    return {"pk": obj.pk}


@dataclass
class Route:
    """One route of the table.

    `kind`: the object the URL takes (a key of world.objects, or a function (world, role, which)
    -> object, which being 0 for own and 1 for someone else's); None for a route without one.
    `kwargs(world, obj)` builds the URL's arguments (default: the object's pk). `method`: GET,
    or POST for a route that only acts (an empty POST). `variants`: extra URL arguments, each
    walked on its own (a ticket's steps). `roles`: the roles walked (default: all).
    `expect`: the answer for each role (tests.walk_world.
    ROLES), by role; `variant_expect`: {variant value: {role: answer}} where a variant differs.
    """

    expect: dict[str, Answer]
    kind: str | Callable | None = None
    kwargs: Callable = field(default=lambda world, obj: pk(obj))
    method: str = "GET"
    variants: tuple[dict, ...] = ({},)
    api: bool = False
    query: str = ""
    roles: tuple[str, ...] | None = None
    variant_expect: dict[str, dict] = field(default_factory=dict)


# Tables a refused request writes by design: the audit trail logs every 403 (core.middleware.
# AuditMiddleware); sessions and django-axes' sign-in records (a logout closes its access log
# row) are no domain data.
EXPECTED_WRITES = ("core_auditevent", "django_session", "axes_")
AUDIT_TABLE = "core_auditevent"


def table_writes() -> dict[str, tuple[int, int, int]]:
    """{table: (rows inserted, updated, deleted)} so far in the current transaction (the walk
    runs in one), from PostgreSQL's own counters: one query, and it sees every write, even one
    undone by a savepoint. Equal before and after a batch means the batch wrote nothing."""
    if connection.vendor != "postgresql":
        return {"digest": (hash(_digest()), 0, 0)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return {name: (ins, upd, dele) for name, ins, upd, dele in cursor.fetchall()}


def written(before: dict, after: dict) -> dict[str, tuple[int, int, int]]:
    """The tables written between two table_writes(): {table: (inserted, updated, deleted)}."""
    changed = {}
    for table, counts in after.items():
        old = before.get(table, (0, 0, 0))
        if counts != old:
            changed[table] = tuple(new - was for new, was in zip(counts, old, strict=True))
    return changed


def _digest() -> str:
    """Elsewhere than on PostgreSQL: a digest of every row's identity in the domain apps."""
    digest = hashlib.sha256()
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            rows = model._default_manager.order_by("pk").values_list("pk", flat=True)
            digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()
