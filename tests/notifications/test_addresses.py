"""Addresses and resends: an e-mail skipped because the person had no address goes out once the
address is added (by the office on the cadre form, or by the person on the settings page), once,
and only while it is still relevant (its row's relevant_until; the rules per kind are tested in
test_relevance.py).

Tasks run eagerly in tests: the e-mail is sent when the captured on-commit hooks run.
"""

import datetime
import uuid

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Profile
from core.services import profile_update
from notifications.choices import DeliveryState
from notifications.delivery import notify
from notifications.models import Notification, NotificationPreference
from notifications.services import resend_skipped
from stationing.choices import StationingNotice

ADDRESS = "zhang@example.gov.cn"


def skipped_notice(user, *, object_key="report:1", kind=StationingNotice.REPORT_RETURNED):
    [row] = notify(
        kind=kind,
        recipients=[user],
        object_key=object_key,
        period_key="return:1",
        subject="半月报被退回",
        body="请修改后重新提交。",
    )
    assert row.email_state == DeliveryState.SKIPPED  # no address yet
    return row


def cadre_form_data(profile, **overrides):
    return {
        "name": profile.name,
        "phone": profile.phone,
        "unit": profile.unit_id,
        "rank": profile.rank,
        "title": profile.title,
        "email": ADDRESS,
        "version": profile.version,
        **overrides,
    }


def test_address_added_on_the_cadre_form_sends_the_skipped_notice_once(
    world, client_for, django_capture_on_commit_callbacks
):
    assert world.cadre_a.email == ""
    row = skipped_notice(world.cadre_a)
    profile = world.cadre_a.profile
    url = reverse("cadre-update", args=[profile.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.office).post(url, cadre_form_data(profile))

    assert response.status_code == 302
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.email == ADDRESS
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SENT and row.email_attempts == 1

    # Saving again (the address unchanged) or a second resend sends nothing more.
    profile.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.office).post(url, cadre_form_data(profile, title="科长"))
        assert resend_skipped(world.cadre_a) == 0
    assert len(mail.outbox) == 1


def test_two_resends_before_sending_queue_the_row_once(world, django_capture_on_commit_callbacks):
    row = skipped_notice(world.cadre_a)
    world.cadre_a.email = ADDRESS
    world.cadre_a.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert resend_skipped(world.cadre_a) == 1
        assert resend_skipped(world.cadre_a) == 0  # the claim (skipped -> pending) is taken

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SENT


def test_a_notice_no_longer_relevant_is_not_sent_late(world, django_capture_on_commit_callbacks):
    old = skipped_notice(world.cadre_a, object_key="report:1")
    recent = skipped_notice(world.cadre_a, object_key="report:2")
    Notification.objects.filter(pk=old.pk).update(
        relevant_until=timezone.now() - datetime.timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(
            profile=world.cadre_a.profile, by=world.office, expected_version=None, email=ADDRESS
        )

    assert len(mail.outbox) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email_state == DeliveryState.SKIPPED and old.email_sent_at is None
    assert recent.email_state == DeliveryState.SENT


def test_read_and_switched_off_notices_stay_skipped(world, django_capture_on_commit_callbacks):
    read = skipped_notice(world.cadre_a, object_key="report:1")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    off = skipped_notice(world.cadre_a, kind=StationingNotice.REPORT_REVIEWED)
    NotificationPreference.objects.create(user=world.cadre_a, kind=off.kind, email=False)

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(
            profile=world.cadre_a.profile, by=world.office, expected_version=None, email=ADDRESS
        )

    assert mail.outbox == []
    states = set(Notification.objects.values_list("email_state", flat=True))
    assert states == {DeliveryState.SKIPPED}


def test_address_added_on_the_settings_page_sends_the_skipped_notice(
    world, client_for, django_capture_on_commit_callbacks
):
    row = skipped_notice(world.cadre_a)
    client = client_for(world.cadre_a)
    form = client.get(reverse("notification-settings")).context["form"]
    data = {"email": ADDRESS, **{f"kind_{kind}": "on" for kind in form.kinds}}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notification-settings"), data)

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SENT


def test_cadre_form_creates_a_cadre_with_an_address(world, client_for):
    data = {
        "name": "赵干部",
        "phone": "13800000001",
        "unit": world.dev_bureau.pk,
        "rank": "section",
        "title": "副局长",
        "email": " zhao@example.gov.cn ",
        "form_token": str(uuid.uuid4()),
    }
    client = client_for(world.office)
    assert 'name="email"' in client.get(reverse("cadre-create")).content.decode()

    assert client.post(reverse("cadre-create"), data).status_code == 302

    assert Profile.objects.get(name="赵干部").user.email == "zhao@example.gov.cn"


def test_cadre_form_refuses_a_bad_address_in_chinese(world, client_for):
    profile = world.cadre_a.profile
    url = reverse("cadre-update", args=[profile.pk])
    client = client_for(world.office)
    form = client.get(url).context["form"]
    assert list(form.fields)[:3] == ["name", "phone", "email"]

    response = client.post(url, cadre_form_data(profile, email="zhang@"))

    assert response.status_code == 200
    assert "电子邮箱“zhang@”格式不正确" in response.content.decode()
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.email == ""


def test_cadre_detail_shows_the_address(world, client_for):
    world.cadre_a.email = ADDRESS
    world.cadre_a.save(update_fields=["email"])
    url = reverse("cadre-detail", args=[world.cadre_a.profile.pk])
    assert f'href="mailto:{ADDRESS}"' in client_for(world.office).get(url).content.decode()
