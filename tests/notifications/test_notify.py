"""The engine's own rules, independent of any domain: one row per recipient, never the actor."""

from notifications.choices import DeliveryState
from notifications.delivery import Notice, notify, notify_many
from notifications.models import Notification, NotificationPreference


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


def test_many_objects_at_once_each_recipient_once_per_object(world, django_assert_max_num_queries):
    """notify_many: what notify writes, for many objects in a few statements; a repeat writes
    nothing, a newly added recipient is told, and one who turned e-mail off is not mailed."""
    world.department.email = "dept@example.cn"
    world.department.save()
    NotificationPreference.objects.create(user=world.department, kind="ticket_red", email=False)
    world.office.email = "office@example.cn"
    world.office.save()

    def notices(recipients):
        return [
            Notice(
                recipients=recipients,
                object_key=f"ticket:{n}",
                period_key="deadline:x",
                subject=f"红牌 {n}",
                body="请办理。",
                actor=world.leader,
            )
            for n in range(30)
        ]

    with django_assert_max_num_queries(6):
        created = notify_many(kind="ticket_red", notices=notices([world.department, world.leader]))
    assert len(created) == 30  # the leader is the actor of every notice
    assert {row.email_state for row in created} == {DeliveryState.SKIPPED}
    with django_assert_max_num_queries(1):
        assert notify_many(kind="ticket_red", notices=notices([world.department])) == []
    again = notify_many(kind="ticket_red", notices=notices([world.department, world.office]))
    assert len(again) == 30 and {row.recipient for row in again} == {world.office}
    assert {row.email_state for row in again} == {DeliveryState.PENDING}
    assert Notification.objects.filter(kind="ticket_red").count() == 60


def test_a_notice_written_meanwhile_is_skipped_not_an_error(world):
    """Told between notify_many's read and its insert (a race): the rows go in one by one and
    the one already there is left out."""
    from unittest import mock

    notice(kind="ticket_red", object_key="ticket:7", period_key="p", recipients=[world.office])
    with mock.patch.object(
        Notification.objects, "filter", wraps=Notification.objects.filter
    ) as read:
        read.return_value = Notification.objects.none()
        created = notify_many(
            kind="ticket_red",
            notices=[
                Notice(
                    recipients=[world.office, world.department],
                    object_key="ticket:7",
                    period_key="p",
                    subject="红牌",
                    body="请办理。",
                )
            ],
        )
    assert [row.recipient for row in created] == [world.department]
    assert Notification.objects.filter(kind="ticket_red").count() == 2
