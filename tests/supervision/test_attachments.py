"""Attachments: checked by content, stored under random names, downloaded only by those who see
the ticket, with nosniff and as an attachment."""

import datetime
import io
import re
import struct
import zipfile
import zlib
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.dates import SHANGHAI
from supervision import attachments
from supervision.choices import TicketState
from supervision.models import Ticket, TicketAttachment
from supervision.services import ticket_accept, ticket_assign, ticket_attach
from tests.factories import make_handler, make_ticket

pytestmark = pytest.mark.usefixtures("media")

MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def png_bytes() -> bytes:
    """A real 1x1 red PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def office_zip(folder: str, extra: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if extra:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- The check --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("照片.png", png_bytes(), "image/png"),
        ("scan.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg"),
        ("a.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        ("a.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
        ("情况说明.pdf", PDF, "application/pdf"),
        (
            "报告.docx",
            office_zip("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            office_zip("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "汇报.pptx",
            office_zip("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("旧文档.doc", OLE2, "application/msword"),
        ("旧表格.xls", OLE2, "application/vnd.ms-excel"),
    ],
)
def test_allowed_types_are_recognised_by_content(name, content, content_type):
    checked = attachments.check_upload(upload(name, content, content_type="text/html"))
    assert checked.content_type == content_type and checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("invoice.pdf", HTML, "type"),  # HTML renamed .pdf
        ("page.html", HTML, "type"),
        ("script.exe", b"MZ\x90\x00" + b"\x00" * 60, "type"),
        ("archive.docx", office_zip("word/", extra=False), "type"),  # a zip, not Office
        ("photo.jpg", png_bytes(), "extension"),  # a PNG called .jpg
        ("report.docx", office_zip("xl/"), "extension"),  # a workbook called .docx
        ("old.pdf", OLE2, "extension"),
        ("noextension", PDF, "extension"),
        ("empty.pdf", b"", "type"),
    ],
)
def test_refused_files_say_why(name, content, code):
    with pytest.raises(ValidationError) as caught:
        attachments.check_upload(upload(name, content))
    assert caught.value.code == code
    assert name in caught.value.messages[0]


def test_oversized_files_are_refused(settings):
    settings.TICKET_ATTACHMENT_MAX_BYTES = 1000
    attachments.check_upload(upload("ok.pdf", PDF + b" " * (1000 - len(PDF))))
    with pytest.raises(ValidationError) as caught:
        attachments.check_upload(upload("big.pdf", PDF + b" " * 1000))
    assert caught.value.code == "too_big" and "不能超过" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("/var/www/html/shell.pdf", "shell.pdf"),
        ("C:\\Users\\张三\\Desktop\\说明.pdf", "说明.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
        ("../", "附件"),
    ],
)
def test_a_path_in_the_name_is_reduced_to_its_base_name(sent, kept):
    assert attachments.clean_name(sent) == kept


# --- Storage and the service ------------------------------------------------------------------


def raise_ticket(world):
    return make_ticket(world, TicketState.SUBMITTED)


def test_files_are_stored_under_random_names_outside_the_web_root(world, media):
    ticket = raise_ticket(world)
    attachment = ticket_attach(
        ticket=ticket, by=world.cadre_a, upload=upload("../../现场照片.png", png_bytes())
    )
    assert attachment.original_name == "现场照片.png"
    assert re.fullmatch(r"tickets/2026/[0-9a-f]{32}", attachment.storage_name)
    stored = media / attachment.storage_name
    assert stored.read_bytes() == png_bytes()
    assert not list((media / "tickets").rglob("*.png"))
    with pytest.raises(ValidationError):
        ticket_attach(ticket=ticket, by=world.cadre_a, upload=upload("x.pdf", HTML))
    assert TicketAttachment.objects.count() == 1
    assert len(list((media / "tickets" / "2026").iterdir())) == 1


# --- Pages ------------------------------------------------------------------------------------


def create_data(**kw):
    data = {
        "enterprise": None,
        "category": "utilities",
        "urgency": "normal",
        "title": "天然气管道接入",
        "description": "新厂区需接入天然气管道",
    }
    data.update(kw)
    return data


def test_a_ticket_is_raised_with_several_attachments(client_for, world, media):
    client = client_for(world.cadre_a)
    response = client.post(
        reverse("ticket-create"),
        create_data(
            enterprise=world.ent_a.pk,
            attachments=[upload("现场.png", png_bytes()), upload("函.pdf", PDF)],
        ),
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    files = list(ticket.attachments.order_by("original_name"))
    assert [f.original_name for f in files] == ["函.pdf", "现场.png"]
    assert {f.event.kind for f in files} == {"submit"}
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    for attachment in files:
        assert reverse("ticket-attachment", args=[attachment.pk]) in page


def test_a_refused_file_says_why_and_the_rest_of_the_form_is_kept(client_for, world, media):
    client = client_for(world.cadre_a)
    response = client.post(
        reverse("ticket-create"),
        create_data(
            enterprise=world.ent_a.pk,
            attachments=[upload("发票.pdf", HTML), upload("现场.png", png_bytes())],
        ),
    )
    assert response.status_code == 200 and Ticket.objects.count() == 0
    html = response.content.decode()
    field = html.split('data-testid="attachments-field"')[1].split("</div>\n</div>")[0]
    assert "“发票.pdf”的文件类型不允许上传" in field
    assert "天然气管道接入" in html and "新厂区需接入天然气管道" in html
    # The good file is kept: the re-shown form lists it, ticked.
    assert 'data-testid="staged-files"' in html and "现场.png" in html
    staged = re.search(r'name="staged" value="([^"]+)"', html).group(1)
    keys = re.findall(r'name="keep" value="([0-9a-f]{32})"', html)
    assert len(keys) == 1
    response = client.post(
        reverse("ticket-create"),
        create_data(enterprise=world.ent_a.pk, staged=staged, keep=keys),
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert [a.original_name for a in ticket.attachments.all()] == ["现场.png"]
    assert not list((media / "tickets" / "staging").iterdir())


def test_a_forged_staging_value_attaches_nothing(client_for, world, media):
    client = client_for(world.cadre_a)
    response = client.post(
        reverse("ticket-create"),
        create_data(enterprise=world.ent_a.pk, staged="forged:value", keep=["0" * 32]),
    )
    assert response.status_code == 302
    assert TicketAttachment.objects.count() == 0


def test_oversized_file_on_the_answer_form(client_for, world, settings):
    settings.TICKET_ATTACHMENT_MAX_BYTES = 100
    ticket = make_ticket(world, TicketState.ASSIGNED)
    client = client_for(world.department)
    response = client.post(
        reverse("ticket-action", args=[ticket.pk, "answer"]),
        {"answer-answer": "已办结", "answer-attachments": [upload("大文件.pdf", PDF * 10)]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "“大文件.pdf”太大" in html and "已办结" in html
    ticket.refresh_from_db()
    assert ticket.state == "assigned"
    response = client.post(
        reverse("ticket-action", args=[ticket.pk, "progress"]),
        {
            "progress-comment": "已现场查看",
            "progress-attachments": [upload("照片.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    attachment = TicketAttachment.objects.get()
    assert attachment.event.kind == "progress"


def test_download_headers_and_scope(client_for, world):
    ticket = raise_ticket(world)
    attachment = ticket_attach(
        ticket=ticket, by=world.cadre_a, upload=upload("现场 照片.png", png_bytes())
    )
    url = reverse("ticket-attachment", args=[attachment.pk])
    response = client_for(world.enterprise_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('现场 照片.png')}" in disposition
    # Out of scope: 404, never the file.
    dev_handler = make_handler(world.dev_bureau, "dev_handler", phone="13800000021")
    for user in (world.cadre_b, world.department, dev_handler, world.outsider):
        assert client_for(user).get(url).status_code == 404
    # Once the ticket is assigned to the finance bureau, its handler may download it.
    ticket_assign(
        ticket=ticket_accept(ticket=ticket, by=world.office),
        by=world.office,
        level="system",
        responsible_unit=world.finance_bureau,
    )
    assert client_for(world.department).get(url).status_code == 200
    assert client_for(dev_handler).get(url).status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client_for, world, media):
    ticket = raise_ticket(world)
    attachment = ticket_attach(ticket=ticket, by=world.cadre_a, upload=upload("a.pdf", PDF))
    (media / attachment.storage_name).unlink()
    url = reverse("ticket-attachment", args=[attachment.pk])
    assert client_for(world.cadre_a).get(url).status_code == 404
