"""The audit trail (core.audit, core.models.AuditEvent, /audit/): append-only, never a secret,
people and roles, failed sign-ins and refused access, the office's page."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.choices import AuditAction, Role
from core.models import AppendOnlyError, AuditEvent
from core.selectors import audit_event_list
from core.services import (
    api_token_revoke,
    person_create,
    profile_update,
    user_password_reset,
    user_set_roles,
)

from ..conftest import PASSWORD
from ..factories import UnitFactory


def events_of(obj, action: str | None = None) -> list[AuditEvent]:
    """The object's events (of one action), oldest first. The fixture's people have one each
    already: their roles, given by the system when the factory made them."""
    content_type = ContentType.objects.get_for_model(obj)
    events = AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk))
    if action is not None:
        events = events.filter(action=action)
    return list(events.order_by("pk"))


def everything_recorded() -> str:
    """Every audit row as text: what a secret must never appear in."""
    return json.dumps(
        list(AuditEvent.objects.values("actor_name", "object_repr", "changes", "note")),
        ensure_ascii=False,
        default=str,
    )


# --- Helpers ------------------------------------------------------------------------------------


def test_diff_keeps_changed_fields_and_drops_secrets():
    before = {"name": "张三", "password": "old", "api_key": "k1", "unit": "财政局", "is_key": True}
    after = {"name": "张三", "password": "new", "api_key": "k2", "unit": "发改局", "is_key": False}
    assert audit.diff(before, after) == {"unit": ["财政局", "发改局"], "is_key": [True, False]}


def test_values_that_look_like_a_password_hash_are_replaced():
    changes = audit.clean_changes({"note": ["pbkdf2_sha256$870000$salt$hash", "md5$abc$def"]})
    assert changes == {"note": [audit.REDACTED, audit.REDACTED]}
    assert audit.clean_changes({"webhook_url": ["a", "b"], "token": [None, "x"]}) == {}


def test_diff_of_nothing_lists_what_a_new_object_starts_with():
    assert audit.diff({}, {"title": "标题", "state": "draft"}) == {
        "title": [None, "标题"],
        "state": [None, "draft"],
    }


# --- Append-only ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = audit.record(None, AuditAction.CHANGED, note="原始")
    event.note = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).note == "原始"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET note = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(statement):
    event = audit.record(None, AuditAction.CHANGED, note="原始")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == "原始"


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_events(world):
    event = audit.record(world.outsider, AuditAction.CHANGED, world.ent_a)
    world.outsider.delete()
    kept = audit_event_list(user=world.office).get(pk=event.pk)
    assert kept.actor_name == "outsider" and kept.actor is None


@pytest.mark.django_db
def test_an_event_rolls_back_with_its_change(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        user_set_roles(user=world.outsider, roles=[Role.CADRE], by=world.office)
        assert events_of(world.outsider, AuditAction.ROLE_CHANGED)[-1].actor == world.office
        raise RuntimeError
    assert events_of(world.outsider, AuditAction.ROLE_CHANGED) == []


# --- People and roles -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_person_records_login_roles_and_profile(world):
    profile = person_create(
        by=world.office,
        name="赵干部",
        roles=[Role.CADRE],
        phone="13911112222",
        unit=world.dev_bureau,
        password="Mima-2026-secret",
    )
    (event,) = events_of(profile.user)
    assert (event.actor, event.action) == (world.office, AuditAction.CREATED)
    assert event.object_repr == "赵干部（13911112222）"
    assert event.changes["roles"] == [None, ["cadre"]]
    assert event.changes["unit"] == [None, str(world.dev_bureau)]
    assert "password" not in event.changes
    recorded = everything_recorded()
    assert "Mima-2026-secret" not in recorded and profile.user.password not in recorded


@pytest.mark.django_db
def test_a_role_change_records_old_and_new_roles(world):
    user_set_roles(user=world.cadre_a, roles=[Role.CADRE, Role.LEADER], by=world.office)
    event = events_of(world.cadre_a, AuditAction.ROLE_CHANGED)[-1]
    assert event.actor == world.office
    assert event.changes == {"roles": [["cadre"], ["cadre", "leader"]]}


@pytest.mark.django_db
def test_a_profile_change_records_the_unit_and_address(world):
    profile = world.cadre_a.profile
    profile_update(
        profile=profile,
        by=world.office,
        expected_version=profile.version,
        unit=world.finance_bureau,
        email="zhang@example.gov.cn",
    )
    (event,) = events_of(world.cadre_a, AuditAction.CHANGED)
    assert event.changes == {
        "unit": [str(world.dev_bureau), str(world.finance_bureau)],
        "email": ["", "zhang@example.gov.cn"],
    }


@pytest.mark.django_db
def test_password_reset_by_the_office_records_no_secret(world):
    result = user_password_reset(user=world.cadre_a, by=world.office)
    world.cadre_a.refresh_from_db()
    (event,) = events_of(world.cadre_a, AuditAction.PASSWORD_RESET)
    assert event.actor == world.office
    assert event.changes == {}
    recorded = everything_recorded()
    assert result.temporary_password not in recorded
    assert world.cadre_a.password not in recorded


@pytest.mark.django_db
def test_changing_ones_own_password_records_no_secret(world, client_for):
    client = client_for(world.cadre_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-mima-2026",
            "new_password2": "Xin-mima-2026",
        },
    )
    assert response.status_code == 302
    world.cadre_a.refresh_from_db()
    (event,) = events_of(world.cadre_a, AuditAction.PASSWORD_CHANGED)
    assert event.actor == world.cadre_a
    assert event.ip_address == "127.0.0.1"
    recorded = everything_recorded()
    for secret in (PASSWORD, "Xin-mima-2026", world.cadre_a.password):
        assert secret not in recorded


@pytest.mark.django_db
def test_the_admin_records_deactivation_and_roles(world, client):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    office_group = world.office.groups.get()
    url = reverse("admin:auth_user_change", args=[world.cadre_a.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        is_active="",
        groups=[str(group.pk) for group in world.cadre_a.groups.all()] + [str(office_group.pk)],
        last_login_0="",
        last_login_1="",
        date_joined_0=f"{world.cadre_a.date_joined:%Y-%m-%d}",
        date_joined_1=f"{world.cadre_a.date_joined:%H:%M:%S}",
    )
    data.pop("is_active")
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    actions = {event.action: event for event in events_of(world.cadre_a)}
    assert actions[AuditAction.DEACTIVATED].changes == {"is_active": [True, False]}
    assert actions[AuditAction.ROLE_CHANGED].changes == {"roles": [["cadre"], ["cadre", "office"]]}
    assert actions[AuditAction.DEACTIVATED].actor == admin


@pytest.mark.django_db
def test_the_admin_cannot_add_change_or_delete_events(client):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    event = audit.record(None, AuditAction.CHANGED, note="原始")
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(reverse("admin:core_auditevent_change", args=[event.pk]), {"note": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).note == "原始"


# --- Sign-in and refusals -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_sign_in_records_the_login_name_never_the_password(world, client):
    response = client.post(
        reverse("login"),
        {"username": "cadre_a", "password": "wrong-Guess-77"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200
    (event,) = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert (event.actor, event.actor_name, event.ip_address) == (None, "cadre_a", "10.1.2.3")
    assert "wrong-Guess-77" not in everything_recorded()


@pytest.mark.django_db
def test_refused_access_is_recorded_with_its_reason(world, client_for):
    client = client_for(world.cadre_a)
    assert client.get(reverse("audit-list")).status_code == 403
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED)
    assert event.actor == world.cadre_a
    assert event.object_repr == "GET /audit/"
    assert event.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_refusal_by_a_verdict_records_the_verdicts_reason(world, client_for):
    # A superuser's password is the admin's to reset: the service's Verdict refuses the office.
    world.cadre_b.is_superuser = True
    world.cadre_b.save()
    response = client_for(world.office).post(
        reverse("cadre-password-reset", args=[world.cadre_b.profile.pk])
    )
    assert response.status_code == 403
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED)
    assert event.actor == world.office
    assert event.note == "不能重设系统管理员的密码。"
    assert event.object_repr == f"POST /cadres/{world.cadre_b.profile.pk}/reset-password/"


@pytest.mark.django_db
def test_api_refusals_are_recorded_with_the_reason(world, api):
    response = api(world.cadre_a).post(
        "/api/v1/units/", {"name": "新单位", "level": "county", "kind": "department"}
    )
    assert response.status_code == 403
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED)
    assert event.note == response.json()["detail"]


# --- The page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_is_the_offices(world, client, client_for):
    anonymous = client.get(reverse("audit-list"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    for user in (world.leader, world.cadre_a, world.department, world.enterprise_a, world.outsider):
        assert client_for(user).get(reverse("audit-list")).status_code == 403
    assert client_for(world.office).get(reverse("audit-list")).status_code == 200


def _events(world, n):
    for i in range(n):
        user_set_roles(
            user=world.outsider,
            roles=[Role.CADRE] if i % 2 == 0 else [Role.LEADER],
            by=world.office,
        )


def _page_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit-list"))
    assert response.status_code == 200
    return len(queries), len(response.context["events"])


@pytest.mark.django_db
def test_the_page_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for(world.office)
    _events(world, 5)
    few, few_rows = _page_queries(client)
    _events(world, 60)
    many, many_rows = _page_queries(client)
    assert few_rows < 50 and many_rows == 50  # 50 a page
    assert few == many, (few, many)


@pytest.mark.django_db
def test_the_page_shows_changes_in_chinese_and_filters(world, client_for):
    unit = UnitFactory(name="示范县工信局", parent=world.county)
    profile = world.cadre_a.profile
    profile_update(profile=profile, by=world.office, expected_version=profile.version, unit=unit)
    user_set_roles(user=world.cadre_b, roles=[Role.CADRE, Role.LEADER], by=world.office)
    client = client_for(world.office)

    page = client.get(reverse("audit-list")).content.decode()
    assert f"所在单位：{world.dev_bureau} → {unit}" in page
    assert "角色：驻企干部 → 驻企干部、领导" in page
    assert "督查员" in page  # the actor's name

    only_changes = client.get(reverse("audit-list"), {"action": "changed"})
    assert [e.object_id for e in only_changes.context["events"]] == [str(world.cadre_a.pk)]
    one_object = client.get(
        reverse("audit-list"), {"object_type": "auth.user", "object_id": world.cadre_a.pk}
    )
    assert {e.object_id for e in one_object.context["events"]} == {str(world.cadre_a.pk)}
    assert one_object.context["total"] == 2  # its roles at creation, then the unit
    by_name = client.get(reverse("audit-list"), {"actor": "督查"})
    assert by_name.context["total"] == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    future = client.get(reverse("audit-list"), {"date_from": f"{tomorrow:%Y-%m-%d}"})
    assert future.context["total"] == 0


@pytest.mark.django_db
def test_the_export_has_the_filtered_rows(world, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    user_set_roles(user=world.cadre_b, roles=[Role.CADRE, Role.LEADER], by=world.office)
    audit.record(world.outsider, AuditAction.CHANGED, world.ent_a, note="别的")
    response = client_for(world.office).get(
        reverse("audit-list"), {"action": "role_changed", "actor": "督查员", "export": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "角色：驻企干部 → 驻企干部、领导" in rows[1]


@pytest.mark.django_db
def test_api_tokens_are_recorded_without_their_key(world, client_for, api):
    response = client_for(world.cadre_a).post(reverse("api_token"), {"action": "issue"})
    page_key = response.context["new_key"]
    assert page_key
    obtained = api().post("/api/v1/auth/token/", {"username": "cadre_b", "password": PASSWORD})
    assert obtained.status_code == 200
    api_token_revoke(user=world.cadre_a, by=world.office)

    (created,) = events_of(world.cadre_a, AuditAction.TOKEN_CREATED)
    assert created.actor == world.cadre_a and created.changes == {}
    assert [e.actor for e in events_of(world.cadre_b, AuditAction.TOKEN_CREATED)] == [world.cadre_b]
    (revoked,) = events_of(world.cadre_a, AuditAction.TOKEN_REVOKED)
    assert revoked.actor == world.office
    recorded = everything_recorded()
    assert page_key not in recorded and obtained.json()["token"] not in recorded
