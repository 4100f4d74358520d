"""One rule for mobile numbers and e-mail addresses (core.validators), wherever they are typed:
the cadre page, the cadre API and the import's 干部 sheet; the enterprise page, the enterprise
API and the import's 企业 sheet (its contact's mobile and e-mail). The same values pass and are
stored the same (full-width characters, spaces, separators and +86 dropped); the same values are
refused with the same message, naming the value."""

import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.models import Profile
from enterprises.models import Enterprise
from stationing.imports import run_import
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db

EMAIL_EXAMPLE = "应如 zhang@example.gov.cn。"
MOBILE_EXAMPLE = "应为11位中国大陆手机号（如 13912345678）。"

# (typed, stored or None when refused, the message's start when refused); {n} makes each
# channel's value its own, so the three channels do not collide on a unique phone.
EMAILS = [
    (" ｚｈａｎｇ{n}＠Example.gov.cn ", "zhang{n}@Example.gov.cn", None),
    ("zhang@", None, "电子邮箱“zhang@”格式不正确，"),
    ("wu.example.gov.cn", None, "电子邮箱“wu.example.gov.cn”格式不正确，"),
    ("zhang@example", None, "电子邮箱“zhang@example”格式不正确，"),
]
MOBILES = [
    ("+86 139-1234-560{n}", "139123456{n:02d}", None),
    ("１３９ １２３４ ５６１{n}", "139123456{m}", None),
    ("12912345678", None, "“12912345678”不是有效的手机号码，"),
    ("1391234567", None, "“1391234567”不是有效的手机号码，"),
]

CADRE_HEADER = ["姓名*", "手机号*", "派出单位*", "职级", "职务", "电子邮箱"]
ENTERPRISE_HEADER = ["企业名称*", "统一社会信用代码*", "行业门类*", "经济类型*", "企业规模*"]
ENTERPRISE_HEADER += ["所属区域*", "联系人手机", "联系人邮箱"]


def xlsx(sheet: str, rows: list[list]) -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def imported(sheet: str, rows, user, column: str):
    report = run_import(io.BytesIO(xlsx(sheet, rows)), user=user, commit=True)
    if report.ok:
        return None
    messages = [e.message for e in report.errors if e.column == column]
    assert len(messages) == len(report.errors) == 1, [str(e) for e in report.errors]
    return messages[0]


def page_error(response, field: str):
    if response.status_code == 302:
        return None
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors[field][0]


def api_error(response, field: str):
    if response.status_code in (200, 201):
        return None
    assert response.status_code == 400, response.content
    return response.json()[field][0]


def expected(template: str, n: int) -> str:
    return template.format(n=n, m=n + 10)


def check(outcomes: list, stored: list, want, message_start):
    """The three channels refused with one message, or all stored the normalised value."""
    if want is None:
        assert outcomes[0] is not None and outcomes[0].startswith(message_start), outcomes
        assert outcomes[0].endswith(EMAIL_EXAMPLE if "邮箱" in message_start else MOBILE_EXAMPLE)
        assert outcomes == [outcomes[0]] * 3, outcomes
        assert stored == [None] * 3
    else:
        assert outcomes == [None] * 3, outcomes
        assert stored == [expected(want, n) for n in (1, 2, 3)]


# --- Cadres -----------------------------------------------------------------------------------


def cadre_channels(world, client_for, api, field, typed):
    """(error or None, stored value or None) for the page, the API and the import."""
    office = world.office

    def values(n):
        phone, email = f"1380000000{n}", f"zhou{n}@example.gov.cn"
        value = typed.format(n=n)
        return (value, email) if field == "phone" else (phone, value)

    def stored(n):
        profile = Profile.objects.filter(name=f"周干部{n}").select_related("user").first()
        if profile is None:
            return None
        return profile.phone if field == "phone" else profile.user.email

    phone, email = values(1)
    page = client_for(office).post(
        reverse("cadre-create"),
        {
            "name": "周干部1",
            "phone": phone,
            "unit": world.dev_bureau.pk,
            "email": email,
            "form_token": str(uuid.uuid4()),
        },
    )
    phone, email = values(2)
    payload = {"name": "周干部2", "phone": phone, "unit": world.dev_bureau.pk, "email": email}
    api_response = api(office).post("/api/v1/cadres/", payload)
    phone, email = values(3)
    header = "手机号" if field == "phone" else "电子邮箱"
    row = ["周干部3", phone, "示范县发展和改革局", None, None, email]
    errors = [
        page_error(page, field),
        api_error(api_response, field),
        imported("干部", [CADRE_HEADER, row], office, header),
    ]
    return errors, [stored(n) for n in (1, 2, 3)]


@pytest.mark.parametrize(("typed", "want", "message"), EMAILS)
def test_cadre_email_is_checked_alike_on_page_api_and_import(
    world, client_for, api, typed, want, message
):
    check(*cadre_channels(world, client_for, api, "email", typed), want, message)


@pytest.mark.parametrize(("typed", "want", "message"), MOBILES)
def test_cadre_mobile_is_checked_alike_on_page_api_and_import(
    world, client_for, api, typed, want, message
):
    check(*cadre_channels(world, client_for, api, "phone", typed), want, message)


def test_cadre_api_reads_and_changes_the_address(world, api):
    client = api(world.office)
    url = f"/api/v1/cadres/{world.cadre_a.profile.pk}/"
    assert client.get(url).json()["email"] == ""

    response = client.patch(url, {"email": "zhang@example.gov.cn"})

    assert response.status_code == 200, response.content
    assert response.json()["email"] == "zhang@example.gov.cn"
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.email == "zhang@example.gov.cn"
    # A change of another field leaves the address alone.
    assert client.patch(url, {"title": "科长"}).json()["email"] == "zhang@example.gov.cn"


# --- Enterprise contacts ---------------------------------------------------------------------


def enterprise_channels(world, client_for, api, field, typed):
    office = world.office

    def fields(n):
        other = "contact_email" if field == "contact_mobile" else "contact_mobile"
        filler = f"ding{n}@example.com" if other == "contact_email" else f"1370000000{n}"
        return {field: typed.format(n=n), other: filler}

    def data(n):
        return {
            "name": f"丁电子科技有限公司{n}",
            "credit_code": make_credit_code(700 + n),
            "region": world.town_a.pk,
            "industry": "C",
            "ownership": "private",
            "size": "small",
            "listing_status": "unlisted",
            **fields(n),
        }

    def stored(n):
        enterprise = Enterprise.objects.filter(name=f"丁电子科技有限公司{n}").first()
        return getattr(enterprise, field) if enterprise is not None else None

    page = client_for(office).post(
        reverse("enterprise-create"), {**data(1), "form_token": str(uuid.uuid4())}
    )
    api_response = api(office).post("/api/v1/enterprises/", data(2))
    values = fields(3)
    row = ["丁电子科技有限公司3", make_credit_code(703), "C", "民营", "小型", "城关镇"]
    row += [values["contact_mobile"], values["contact_email"]]
    header = "联系人手机" if field == "contact_mobile" else "联系人邮箱"
    errors = [
        page_error(page, field),
        api_error(api_response, field),
        imported("企业", [ENTERPRISE_HEADER, row], office, header),
    ]
    return errors, [stored(n) for n in (1, 2, 3)]


@pytest.mark.parametrize(("typed", "want", "message"), EMAILS)
def test_contact_email_is_checked_alike_on_page_api_and_import(
    world, client_for, api, typed, want, message
):
    check(*enterprise_channels(world, client_for, api, "contact_email", typed), want, message)


@pytest.mark.parametrize(("typed", "want", "message"), MOBILES)
def test_contact_mobile_is_checked_alike_on_page_api_and_import(
    world, client_for, api, typed, want, message
):
    check(*enterprise_channels(world, client_for, api, "contact_mobile", typed), want, message)
