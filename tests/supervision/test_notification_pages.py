"""Notification pages: the header badge (one COUNT query on every page), the inbox with read
marks and the open redirect that never leaves the site, e-mail preferences, the office's failed
deliveries with retry, and the admin."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from notifications.choices import DeliveryState
from notifications.delivery import notify, notify_unit_webhook
from notifications.models import Notification, NotificationPreference, WebhookDelivery
from stationing.choices import StationingNotice
from supervision.choices import SupervisionNotice
from tests.factories import ProfileFactory, UserFactory


def note(user, n=1, kind=StationingNotice.REPORT_RETURNED, link="/tickets/", **kw):
    created = []
    for i in range(n):
        created += notify(
            kind=kind,
            recipients=[user],
            object_key=kw.get("object_key", f"test:{i}"),
            period_key=kw.get("period_key", ""),
            subject=kw.get("subject", f"通知{i}"),
            body=kw.get("body", f"内容{i}"),
            link=link,
        )
    return created


def badge_count(html: str) -> str | None:
    marker = 'data-testid="unread-count">'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("<", 1)[0]


# --- Header badge -----------------------------------------------------------------------------


def test_header_shows_unread_count(world, client_for):
    note(world.cadre_a, 3)
    note(world.cadre_b, 5)
    html = client_for(world.cadre_a).get(reverse("home")).content.decode()
    assert badge_count(html) == "3"
    assert reverse("notification-list") in html


def test_header_without_unread_shows_no_badge(world, client_for):
    html = client_for(world.cadre_a).get(reverse("home")).content.decode()
    assert badge_count(html) is None
    assert 'data-testid="notification-bell"' in html


def test_badge_is_one_count_query_whatever_the_number(world, client_for):
    client = client_for(world.cadre_a)
    note(world.cadre_a, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for i in range(40):
        note(world.cadre_a, 1, object_key=f"more:{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("home")).content.decode()
    assert badge_count(html) == "41"
    assert len(many) == len(few)
    # One COUNT, shared by the header badge and the cadre's home (which also lists the latest
    # three unread: one more, bounded, query).
    counts = [
        q["sql"]
        for q in many
        if "supervision_notification" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    assert len(counts) == 1


def test_badge_caps_at_99(world, client_for):
    for i in range(100):
        note(world.cadre_a, 1, object_key=f"k:{i}")
    html = client_for(world.cadre_a).get(reverse("home")).content.decode()
    assert badge_count(html) == "99+"


# --- Inbox ------------------------------------------------------------------------------------


def test_inbox_lists_own_notifications_newest_first(world, client_for):
    old = note(world.cadre_a, 1, object_key="old", subject="较早的通知")[0]
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=1)
    )
    note(world.cadre_a, 1, object_key="new", subject="最新的通知")
    note(world.cadre_b, 1, object_key="other", subject="别人的通知")
    response = client_for(world.cadre_a).get(reverse("notification-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("最新的通知") < html.index("较早的通知")
    assert "别人的通知" not in html
    assert html.count('data-testid="notification-unread"') == 2


def test_inbox_is_paginated_and_query_count_is_constant(world, client_for, settings):
    settings.PAGE_SIZE = 5
    client = client_for(world.cadre_a)
    note(world.cadre_a, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notification-list"))
    for i in range(12):
        note(world.cadre_a, 1, object_key=f"p:{i}")
    with CaptureQueriesContext(connection) as many:
        first = client.get(reverse("notification-list")).content.decode()
    assert len(many) == len(few)
    assert first.count('data-testid="notification-unread"') == 5
    page_3 = client.get(reverse("notification-list"), {"page": 3}).content.decode()
    assert page_3.count('data-testid="notification-unread"') == 5
    # A page that no longer exists shows the last page instead of an error.
    assert client.get(reverse("notification-list"), {"page": 99}).status_code == 200


def test_unread_filter(world, client_for):
    read, unread = note(world.cadre_a, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    html = client_for(world.cadre_a).get(reverse("notification-list"), {"unread": "1"})
    html = html.content.decode()
    assert unread.subject in html and read.subject not in html


def test_mark_one_read(world, client_for):
    first, second = note(world.cadre_a, 2)
    client = client_for(world.cadre_a)
    response = client.post(
        reverse("notification-read", args=[first.pk]), {"next": "/notifications/?unread=1"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/?unread=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    html = client.get(reverse("home")).content.decode()
    assert badge_count(html) == "1"


def test_mark_read_ignores_an_external_next(world, client_for):
    (item,) = note(world.cadre_a)
    response = client_for(world.cadre_a).post(
        reverse("notification-read", args=[item.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notification-list")


def test_mark_all_read(world, client_for):
    note(world.cadre_a, 4)
    others = note(world.cadre_b, 2)
    client = client_for(world.cadre_a)
    response = client.post(reverse("notification-read-all"), follow=True)
    assert "已将 4 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=world.cadre_a, read_at=None).exists()
    assert Notification.objects.filter(pk__in=[n.pk for n in others], read_at=None).count() == 2
    assert badge_count(client.get(reverse("home")).content.decode()) is None


def test_mark_read_needs_post(world, client_for):
    (item,) = note(world.cadre_a)
    client = client_for(world.cadre_a)
    assert client.get(reverse("notification-read", args=[item.pk])).status_code == 405
    assert client.get(reverse("notification-read-all")).status_code == 405


def test_open_marks_read_and_redirects_to_the_object(world, client_for):
    (item,) = note(world.cadre_a, link="/tickets/7/")
    response = client_for(world.cadre_a).get(reverse("notification-open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/tickets/7/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_open_accepts_an_absolute_link_to_this_site(world, client_for, settings):
    settings.SITE_URL = "https://zqfw.example.gov.cn"
    (item,) = note(world.cadre_a, link="https://zqfw.example.gov.cn/reports/3/")
    response = client_for(world.cadre_a).get(reverse("notification-open", args=[item.pk]))
    assert response["Location"] == "/reports/3/"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "",
    ],
)
def test_open_never_redirects_off_site(world, client_for, link):
    (item,) = note(world.cadre_a, link=link)
    response = client_for(world.cadre_a).get(reverse("notification-open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notification-list")
    item.refresh_from_db()
    assert item.read_at is not None


def test_external_link_is_not_shown_as_a_link(world, client_for):
    note(world.cadre_a, link="https://evil.example/phish", subject="外链通知")
    html = client_for(world.cadre_a).get(reverse("notification-list")).content.decode()
    assert "外链通知" in html
    assert "evil.example" not in html


def test_another_users_notification_is_404(world, client_for):
    (theirs,) = note(world.cadre_b, link="/tickets/1/")
    client = client_for(world.cadre_a)
    assert client.get(reverse("notification-open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_pages_need_sign_in(world, client):
    (item,) = note(world.cadre_a)
    for url in [
        reverse("notification-list"),
        reverse("notification-settings"),
        reverse("notification-open", args=[item.pk]),
        reverse("notification-failures"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


# --- Preferences ------------------------------------------------------------------------------


def settings_data(form_kinds, email="zhang@example.gov.cn", on=()):
    data = {"email": email}
    for kind in form_kinds:
        if kind in on:
            data[f"kind_{kind}"] = "on"
    return data


def test_settings_page_lists_the_kinds_of_the_role(world, client_for):
    html = client_for(world.cadre_a).get(reverse("notification-settings")).content.decode()
    assert "站内通知始终接收全部类型" in html
    assert str(StationingNotice.REPORT_DUE_SOON.label) in html
    assert f'name="kind_{StationingNotice.REPORT_RETURNED}"' in html
    # Not a cadre's: the office's daily digest.
    assert f'name="kind_{SupervisionNotice.OFFICE_DIGEST}"' not in html
    assert 'data-testid="no-email"' in html


def test_settings_page_lists_any_kind_the_user_received(world, client_for):
    note(world.cadre_a, kind=SupervisionNotice.TICKET_ASSIGNED)
    html = client_for(world.cadre_a).get(reverse("notification-settings")).content.decode()
    assert f'name="kind_{SupervisionNotice.TICKET_ASSIGNED}"' in html


def test_switching_email_off_for_one_kind(world, client_for):
    user = world.cadre_a
    client = client_for(user)
    form = client.get(reverse("notification-settings")).context["form"]
    on = [k for k in form.kinds if k != StationingNotice.REPORT_DUE_SOON]
    response = client.post(reverse("notification-settings"), settings_data(form.kinds, on=on))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "zhang@example.gov.cn"
    assert (
        NotificationPreference.objects.get(user=user, kind=StationingNotice.REPORT_DUE_SOON).email
        is False
    )
    assert NotificationPreference.objects.get(
        user=user, kind=StationingNotice.REPORT_DUE_TODAY
    ).email

    (off,) = note(user, kind=StationingNotice.REPORT_DUE_SOON, object_key="assignment:1")
    (still_on,) = note(user, kind=StationingNotice.REPORT_DUE_TODAY, object_key="assignment:1")
    assert off.email_state == DeliveryState.SKIPPED
    assert Notification.objects.filter(pk=off.pk, recipient=user).exists()  # inbox still gets it
    assert still_on.email_state == DeliveryState.PENDING

    html = client.get(reverse("notification-settings")).content.decode()
    box = html.split(f'name="kind_{StationingNotice.REPORT_DUE_SOON}"', 1)[1].split(">", 1)[0]
    assert "checked" not in box
    assert 'data-testid="no-email"' not in html


def test_invalid_email_is_refused(world, client_for):
    client = client_for(world.cadre_a)
    form = client.get(reverse("notification-settings")).context["form"]
    response = client.post(
        reverse("notification-settings"), settings_data(form.kinds, email="not-an-address")
    )
    assert response.status_code == 200
    assert "电子邮箱“not-an-address”格式不正确" in response.content.decode()
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.email == ""
    assert not NotificationPreference.objects.filter(user=world.cadre_a).exists()


def test_e_mail_goes_out_only_where_wanted(world, client_for, django_capture_on_commit_callbacks):
    user = world.cadre_a
    client = client_for(user)
    form = client.get(reverse("notification-settings")).context["form"]
    client.post(reverse("notification-settings"), settings_data(form.kinds, on=[]))
    user.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        note(user, kind=StationingNotice.REPORT_RETURNED, object_key="report:1")
    assert mail.outbox == []
    client.post(
        reverse("notification-settings"),
        settings_data(form.kinds, on=[StationingNotice.REPORT_RETURNED]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        note(user, kind=StationingNotice.REPORT_RETURNED, object_key="report:2")
    assert [m.to for m in mail.outbox] == [["zhang@example.gov.cn"]]


# --- Failed deliveries (office) ---------------------------------------------------------------


def failed_email(user, error="SMTPRecipientsRefused('x')"):
    (item,) = note(user, object_key=f"failed:{user.pk}", subject="发送失败的邮件")
    Notification.objects.filter(pk=item.pk).update(
        email_state=DeliveryState.FAILED, email_attempts=5, email_error=error
    )
    return item


def failed_webhook(unit):
    unit.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY"
    unit.save()
    delivery = notify_unit_webhook(
        unit=unit, kind=SupervisionNotice.TICKET_ASSIGNED, object_key="ticket:1", text="新交办"
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED, attempts=5, error="URLError('timed out')"
    )
    return delivery


def test_failures_page_is_for_the_office(world, client_for):
    for user in [world.cadre_a, world.department, world.leader, world.enterprise_a]:
        assert client_for(user).get(reverse("notification-failures")).status_code == 403


def test_failures_page_lists_failed_emails_and_webhooks(world, client_for):
    world.cadre_a.email = "zhang@example.gov.cn"
    world.cadre_a.save()
    failed_email(world.cadre_a)
    note(world.cadre_b, subject="正常的通知")
    failed_webhook(world.finance_bureau)
    html = client_for(world.office).get(reverse("notification-failures")).content.decode()
    assert html.count('data-testid="failed-email"') == 1
    assert "张干部" in html and "zhang@example.gov.cn" in html
    assert "SMTPRecipientsRefused" in html and "尝试 5 次" in html
    assert "正常的通知" not in html
    assert html.count('data-testid="failed-webhook"') == 1
    assert "示范县财政局" in html and "qyapi.weixin.qq.com" in html
    assert "SECRET-KEY" not in html


def test_retry_resets_a_failed_email(world, client_for, django_capture_on_commit_callbacks):
    world.cadre_a.email = "zhang@example.gov.cn"
    world.cadre_a.save()
    item = failed_email(world.cadre_a)
    client = client_for(world.office)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("notification-email-retry", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.email_state == DeliveryState.PENDING
    assert item.email_attempts == 0
    assert len(callbacks) == 1
    callbacks[0]()  # after commit: enqueued (in-process here) and sent
    item.refresh_from_db()
    assert item.email_state == DeliveryState.SENT
    assert len(mail.outbox) == 1
    # A second click finds nothing failed and sends nothing.
    response = client.post(reverse("notification-email-retry", args=[item.pk]), follow=True)
    assert "无需重发" in response.content.decode()
    assert len(mail.outbox) == 1


def test_retry_resets_a_failed_webhook(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr(
        "notifications.delivery.enqueue",
        lambda task, *args: enqueued.append((task.name, args)),
    )
    delivery = failed_webhook(world.finance_bureau)
    client = client_for(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook-delivery-retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0
    assert enqueued == [("notifications.send_webhook", (delivery.pk,))]


def test_retry_is_office_only_and_scoped(world, client_for):
    item = failed_email(world.cadre_a)
    assert (
        client_for(world.cadre_a)
        .post(reverse("notification-email-retry", args=[item.pk]))
        .status_code
        == 403
    )
    # Office staff of another county do not see (or retry) this county's e-mails.
    far_office = UserFactory(username="far_office", roles=[Role.OFFICE])
    ProfileFactory(user=far_office, unit=world.other_county)
    client = client_for(far_office)
    assert client.post(reverse("notification-email-retry", args=[item.pk])).status_code == 404
    html = client.get(reverse("notification-failures")).content.decode()
    assert 'data-testid="failed-email"' not in html
    item.refresh_from_db()
    assert item.email_state == DeliveryState.FAILED


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_for(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "model", ["notification", "webhookdelivery", "notificationpreference", "calendarfeed", "jobrun"]
)
def test_admin_lists_notification_models(world, admin_client_for, model):
    note(world.cadre_a)
    response = admin_client_for.get(reverse(f"admin:notifications_{model}_changelist"))
    assert response.status_code == 200


def test_unit_admin_edits_webhook_url(world, admin_client_for):
    response = admin_client_for.get(
        reverse("admin:core_unit_change", args=[world.finance_bureau.pk])
    )
    assert 'name="webhook_url"' in response.content.decode()


def test_admin_action_retries_failed_emails(world, admin_client_for):
    item = failed_email(world.cadre_a)
    response = admin_client_for.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry_email", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.email_state == DeliveryState.PENDING and item.email_attempts == 0


def test_admin_never_shows_the_feed_token(world, admin_client_for):
    from notifications.services import calendar_feed_for

    feed = calendar_feed_for(user=world.cadre_a)
    html = admin_client_for.get(
        reverse("admin:notifications_calendarfeed_change", args=[feed.pk])
    ).content.decode()
    assert feed.token not in html
    admin_client_for.post(
        reverse("admin:notifications_calendarfeed_changelist"),
        {"action": "reset", "_selected_action": [feed.pk]},
    )
    old = feed.token
    feed.refresh_from_db()
    assert feed.token != old
