"""The engine's own rules, independent of any domain: one row per recipient, never the actor."""

from notifications.delivery import notify
from notifications.models import Notification


def notice(**overrides):
    fields = {
        "kind": "ticket_assigned",
        "object_key": "ticket:1",
        "period_key": "assigned",
        "subject": "新交办诉求",
        "body": "请办理。",
    }
    return notify(**{**fields, **overrides})


def test_nobody_is_notified_of_their_own_action(world):
    created = notice(recipients=[world.office, world.department], actor=world.office)
    assert [row.recipient for row in created] == [world.department]
    assert not Notification.objects.filter(recipient=world.office).exists()


def test_each_recipient_once_and_a_repeat_writes_nothing(world):
    assert len(notice(recipients=[world.department, world.department, world.office])) == 2
    assert notice(recipients=[world.department, world.office]) == []
    assert Notification.objects.count() == 2
