"""Passwords: 忘记密码 by e-mail, the office's reset of a cadre's password, changing one's own."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from core.services import user_password_reset

from ..conftest import PASSWORD

LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def mail_site(settings):
    settings.SITE_URL = "http://testserver"


def ask_for_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


@pytest.mark.django_db
def test_login_page_links_to_forgotten_password(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html and "忘记密码？" in html
    page = client.get(reverse("password_reset")).content.decode()
    assert "请联系督查室" in page


@pytest.mark.django_db
def test_reset_mail_is_chinese_and_the_link_works_end_to_end(
    world, client, mail_site, django_capture_on_commit_callbacks
):
    world.cadre_a.email = "zhang@example.gov.cn"
    world.cadre_a.save()
    response = ask_for_reset(client, "ZHANG@example.gov.cn", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.gov.cn"]
    assert message.subject == "【驻企服务平台】重设密码"
    assert "张干部，您好：" in message.body and "cadre_a" in message.body
    assert "如果不是您本人申请的" in message.body

    link = LINK.search(message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "设置新密码" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Xin-mima-2026", "new_password2": "Xin-mima-2026"},
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.check_password("Xin-mima-2026")
    # The link works once.
    again = client.get(link, follow=True)
    assert "这个链接已失效" in again.content.decode()


@pytest.mark.django_db
def test_unknown_address_discloses_nothing(world, client, django_capture_on_commit_callbacks):
    world.cadre_a.email = "zhang@example.gov.cn"
    world.cadre_a.save()
    known = ask_for_reset(client, "zhang@example.gov.cn", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(client, "nobody@example.gov.cn", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    page = client.get(unknown.url).content.decode()
    assert "如果您填写的邮箱已在平台登记" in page


@pytest.mark.django_db
def test_reset_form_names_the_field(client):
    response = client.post(reverse("password_reset"), {"email": ""})
    assert response.context["form"].errors["email"] == ["请填写“登记的电子邮箱”。"]


@pytest.mark.django_db
def test_a_person_without_a_password_yet_can_set_one_by_mail(
    world, client, django_capture_on_commit_callbacks
):
    world.cadre_b.email = "li@example.gov.cn"
    world.cadre_b.set_unusable_password()
    world.cadre_b.save()
    ask_for_reset(client, "li@example.gov.cn", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["li@example.gov.cn"]]


# --- The office resets a cadre's password -------------------------------------------------------


@pytest.mark.django_db
def test_office_resets_a_cadre_without_address_to_a_temporary_password(world, client_for):
    cadre = world.cadre_a.profile
    version = cadre.version
    client = client_for(world.office)
    detail = client.get(reverse("cadre-detail", args=[cadre.pk])).content.decode()
    assert reverse("cadre-password-reset", args=[cadre.pk]) in detail

    response = client.post(reverse("cadre-password-reset", args=[cadre.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    temporary = response.context["result"].temporary_password
    assert len(temporary) == 10 and temporary in response.content.decode()

    world.cadre_a.refresh_from_db()
    assert world.cadre_a.check_password(temporary)
    assert not world.cadre_a.check_password(PASSWORD)
    cadre.refresh_from_db()
    assert cadre.version == version + 1 and cadre.updated_by == world.office
    assert client.get(reverse("cadre-password-reset", args=[cadre.pk])).status_code == 405


@pytest.mark.django_db
def test_office_reset_mails_a_link_to_a_cadre_with_an_address(
    world, client_for, mail_site, django_capture_on_commit_callbacks
):
    world.cadre_a.email = "zhang@example.gov.cn"
    world.cadre_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.office).post(
            reverse("cadre-password-reset", args=[world.cadre_a.profile.pk])
        )
    assert response.context["result"].temporary_password == ""
    assert "zhang@example.gov.cn" in response.content.decode()
    world.cadre_a.refresh_from_db()
    assert not world.cadre_a.has_usable_password()
    (message,) = mail.outbox
    assert message.subject == "【驻企服务平台】督查室已为您重设密码"
    assert "督查室已为您重设" in message.body
    assert LINK.search(message.body)


@pytest.mark.django_db
def test_a_cadre_cannot_reset_someone_elses_password(world, client_for):
    client = client_for(world.cadre_a)
    response = client.post(reverse("cadre-password-reset", args=[world.cadre_b.profile.pk]))
    assert response.status_code == 403
    world.cadre_b.refresh_from_db()
    assert world.cadre_b.check_password(PASSWORD)
    detail = client.get(reverse("cadre-detail", args=[world.cadre_a.profile.pk]))
    if detail.status_code == 200:
        assert "cadre-password-reset" not in detail.content.decode()
        assert not detail.context["can_reset_password"]


@pytest.mark.django_db
def test_the_service_refuses_the_office_itself_and_superusers(world):
    from django.core.exceptions import PermissionDenied

    admin = User.objects.create_superuser("root", "root@example.gov.cn", "x")
    with pytest.raises(PermissionDenied):
        user_password_reset(user=world.office, by=world.office)
    with pytest.raises(PermissionDenied):
        user_password_reset(user=admin, by=world.office)
    with pytest.raises(PermissionDenied):
        user_password_reset(user=world.cadre_b, by=world.leader)


@pytest.mark.django_db
def test_a_cadre_changes_the_temporary_password(world, client_for):
    temporary = user_password_reset(user=world.cadre_a, by=world.office).temporary_password
    world.cadre_a.refresh_from_db()
    client = client_for(world.cadre_a)
    home = client.get(reverse("home"))
    assert f'href="{reverse("password_change")}"' in home.content.decode(), home.status_code
    response = client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password1": "Zhang-2026-mima", "new_password2": ""},
    )
    assert response.context["form"].errors["new_password2"] == ["请填写“新密码确认”。"]
    response = client.post(
        reverse("password_change"),
        {
            "old_password": temporary,
            "new_password1": "Zhang-2026-mima",
            "new_password2": "Zhang-2026-mima",
        },
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.check_password("Zhang-2026-mima")
    assert "新密码已生效" in client.get(response.url).content.decode()
