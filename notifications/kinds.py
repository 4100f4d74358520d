"""The kinds of notification, registered by the apps that send them.

The engine knows no domain: each app lists its kinds (value, label, the roles that receive them)
in its `notices.py` and registers them when it loads. The settings page offers a user the kinds
of their roles, in registration order, plus any kind they have actually received.
"""

from dataclasses import dataclass

from django.db.models import TextChoices


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    roles: frozenset[str]


_KINDS: dict[str, Kind] = {}


def register_kinds(choices: type[TextChoices], roles: dict[str, tuple[str, ...]]) -> None:
    """Register every member of `choices`; `roles` maps a kind's value to the roles told."""
    for value, label in choices.choices:
        _KINDS[value] = Kind(value=value, label=label, roles=frozenset(roles.get(value, ())))


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())


def kind_label(value: str) -> str:
    kind = _KINDS.get(value)
    return str(kind.label) if kind else value


def kinds_for_roles(roles) -> list[str]:
    return [kind.value for kind in _KINDS.values() if kind.roles & set(roles)]
