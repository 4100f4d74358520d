"""The kinds of notification, registered by the apps that send them.

The engine knows no domain: each app lists its kinds (value, label, the roles that receive them,
and how long a notice stays relevant) in its `notices.py` and registers them when it loads. The
settings page offers a user the kinds of their roles, in registration order, plus any kind they
have actually received.

Relevance: an e-mail skipped because the recipient had no address is sent when the address is
added (notifications.services.resend_skipped), but only while the notice still means something
— a reminder for a deadline that has passed is not sent late. Each kind says how that moment is
found, and `notify()` stores it on the row (`Notification.relevant_until`), so the resend is one
query:

- a `datetime.timedelta`: that long after the notice was written (an event: a ticket assigned,
  a report returned);
- `THAT_DAY`: until the end of the day it was written, Asia/Shanghai (a daily or weekly digest);
- `GIVEN`: the notice's own deadline, which the caller passes to `notify(relevant_until=...)`
  (a report reminder until the period's due moment).

A kind registered without a rule gets DEFAULT_RELEVANCE.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db.models import TextChoices

from core.dates import end_of_day, local_date

logger = logging.getLogger(__name__)

DEFAULT_RELEVANCE = datetime.timedelta(days=7)
THAT_DAY = "that-day"
GIVEN = "given"

Relevance = datetime.timedelta | str


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    roles: frozenset[str]
    relevance: Relevance = DEFAULT_RELEVANCE


_KINDS: dict[str, Kind] = {}


def register_kinds(
    choices: type[TextChoices],
    roles: dict[str, tuple[str, ...]],
    relevance: dict[str, Relevance] | None = None,
) -> None:
    """Register every member of `choices`; `roles` maps a kind's value to the roles told,
    `relevance` a kind's value to its rule (module docstring; DEFAULT_RELEVANCE if absent)."""
    relevance = relevance or {}
    for value, label in choices.choices:
        rule = relevance.get(value, DEFAULT_RELEVANCE)
        if not isinstance(rule, datetime.timedelta) and rule not in (THAT_DAY, GIVEN):
            raise ValueError(f"unknown relevance rule {rule!r} for notification kind {value}")
        _KINDS[value] = Kind(
            value=value, label=label, roles=frozenset(roles.get(value, ())), relevance=rule
        )


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())


def kind_label(value: str) -> str:
    kind = _KINDS.get(value)
    return str(kind.label) if kind else value


def kinds_for_roles(roles) -> list[str]:
    return [kind.value for kind in _KINDS.values() if kind.roles & set(roles)]


def relevant_until(
    kind: str, written_at: datetime.datetime, given: datetime.datetime | None = None
) -> datetime.datetime:
    """Until when a notice of `kind` written at `written_at` is worth e-mailing late.

    `given` (the notice's own deadline) wins whatever the kind's rule. A GIVEN kind written
    without one falls back to DEFAULT_RELEVANCE, with a warning: the caller forgot its deadline,
    and a notice is never refused for that.
    """
    if given is not None:
        return given
    entry = _KINDS.get(kind)
    rule = entry.relevance if entry is not None else DEFAULT_RELEVANCE
    if rule == THAT_DAY:
        return end_of_day(local_date(written_at))
    if rule == GIVEN:
        logger.warning("notification of kind %s written without relevant_until", kind)
        rule = DEFAULT_RELEVANCE
    return written_at + rule
