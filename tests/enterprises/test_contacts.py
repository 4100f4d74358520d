"""An enterprise's contact mobile and e-mail (issue 15): on the enterprise page, in the API and in
the import's 企业 sheet. When the contact has a login (world.enterprise_a, contact of ent_a, whose
profile has the mobile), the e-mail becomes that login's address through the path that resends
what was skipped for want of one (core.services.user_email_set), once."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import Workbook

from enterprises.services import enterprise_update
from notifications.choices import DeliveryState
from notifications.delivery import notify
from stationing.imports import run_import
from supervision.choices import SupervisionNotice

pytestmark = pytest.mark.django_db

ADDRESS = "li@jia-machinery.example.com"


def skipped_ticket_notice(user):
    [row] = notify(
        kind=SupervisionNotice.TICKET_ACCEPTED,
        recipients=[user],
        object_key="ticket:1",
        period_key="accepted:1",
        subject="诉求 QY-1 已受理",
        body="诉求已由督查室受理。",
    )
    assert row.email_state == DeliveryState.SKIPPED
    return row


def page_data(enterprise, **contact):
    return {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "region": enterprise.region_id,
        "industry": enterprise.industry,
        "ownership": enterprise.ownership,
        "size": enterprise.size,
        "listing_status": enterprise.listing_status,
        "contact_name": "甲公司联络人",
        "version": enterprise.version,
        **contact,
    }


def test_contact_email_on_the_page_reaches_the_contacts_login_and_resends_once(
    world, client_for, django_capture_on_commit_callbacks
):
    row = skipped_ticket_notice(world.enterprise_a)
    ent_a = world.ent_a
    url = reverse("enterprise-update", args=[ent_a.pk])
    client = client_for(world.office)
    form = client.get(url).content.decode()
    assert 'name="contact_mobile"' in form and 'name="contact_email"' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, page_data(ent_a, contact_mobile="139 0000 0006", contact_email=ADDRESS)
        )

    assert response.status_code == 302, response.context["form"].errors
    ent_a.refresh_from_db()
    assert (ent_a.contact_mobile, ent_a.contact_email) == ("13900000006", ADDRESS)
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.email == ADDRESS
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    row.refresh_from_db()
    assert row.email_state == DeliveryState.SENT

    # Saving other fields again sends nothing more and leaves an address the contact has since
    # changed on their settings page alone.
    world.enterprise_a.email = "own@example.com"
    world.enterprise_a.save(update_fields=["email"])
    ent_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, page_data(ent_a, contact_mobile="13900000006", contact_email=ADDRESS))
    assert len(mail.outbox) == 1
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.email == "own@example.com"

    detail = client.get(reverse("enterprise-detail", args=[ent_a.pk])).content.decode()
    assert f'href="mailto:{ADDRESS}"' in detail and 'href="tel:13900000006"' in detail


def test_contact_email_in_the_api_reaches_the_contacts_login(
    world, api, django_capture_on_commit_callbacks
):
    skipped_ticket_notice(world.enterprise_a)
    url = f"/api/v1/enterprises/{world.ent_a.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.office).patch(
            url, {"contact_mobile": "+8613900000006", "contact_email": ADDRESS}
        )

    assert response.status_code == 200, response.content
    assert response.json()["contact_mobile"] == "13900000006"
    assert response.json()["contact_email"] == ADDRESS
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.email == ADDRESS
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_contact_email_in_the_import_reaches_the_contacts_login(
    world, django_capture_on_commit_callbacks
):
    skipped_ticket_notice(world.enterprise_a)
    book = Workbook()
    sheet = book.active
    sheet.title = "企业"
    ent_a = world.ent_a
    sheet.append(["企业名称*", "统一社会信用代码*", "行业门类*", "经济类型*", "企业规模*"])
    sheet["F1"], sheet["G1"], sheet["H1"] = "所属区域*", "联系人手机", "联系人邮箱"
    sheet.append([ent_a.name, ent_a.credit_code, "C", "民营", "中型", "城关镇"])
    sheet["G2"], sheet["H2"] = "13900000006", ADDRESS
    content = io.BytesIO()
    book.save(content)

    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(io.BytesIO(content.getvalue()), user=world.office, commit=True)

    assert report.committed, [str(e) for e in report.errors]
    ent_a.refresh_from_db()
    assert ent_a.contact_email == ADDRESS
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.email == ADDRESS
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_a_mobile_without_a_contact_login_of_this_enterprise_touches_no_login(world):
    # enterprise_a's mobile, entered on ent_b: enterprise_a is ent_a's contact, not ent_b's.
    enterprise_update(
        enterprise=world.ent_b,
        by=world.office,
        expected_version=None,
        contact_mobile="13900000006",
        contact_email=ADDRESS,
    )
    # A mobile nobody signs in with: stored on the enterprise only.
    enterprise_update(
        enterprise=world.ent_a,
        by=world.office,
        expected_version=None,
        contact_mobile="13700000009",
        contact_email=ADDRESS,
    )

    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.email == ""
    world.ent_a.refresh_from_db()
    assert (world.ent_a.contact_mobile, world.ent_a.contact_email) == ("13700000009", ADDRESS)
