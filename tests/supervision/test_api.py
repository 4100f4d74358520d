"""REST API for problem tickets (/api/v1/tickets/, issue 4).

Same selectors, filters, permissions and services as the pages: out of scope is a 404 (events and
attachment downloads included), the wrong role a 403, a field error a 400 under the field, a step
the ticket's state refuses a 409 with the reason.
"""

import datetime
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import Role
from core.dates import SHANGHAI
from supervision.choices import TicketState
from supervision.models import Ticket, TicketAttachment, TicketEvent
from supervision.services import ticket_request_extension
from tests.factories import make_handler, make_person, make_ticket

pytestmark = pytest.mark.usefixtures("media")

TICKETS = "/api/v1/tickets/"
MONDAY = datetime.datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def url(ticket, action=""):
    pk = ticket if isinstance(ticket, int) else ticket.pk
    return f"{TICKETS}{pk}/{action + '/' if action else ''}"


def raise_ticket(world, **kw):
    return make_ticket(world, TicketState.SUBMITTED, **kw)


def assigned(world, **kw):
    return make_ticket(world, TicketState.ASSIGNED, **kw)


def answered(world):
    return make_ticket(world, TicketState.ANSWERED)


def other_department(world):
    return make_handler(world.dev_bureau, "dev_handler", name="发改经办人", phone="13800000011")


def colleague(world):
    return make_handler(world.finance_bureau, "finance_2", name="财政经办人二", phone="13800000012")


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def pdf(name="说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def step(client, ticket, action, data=None, **kw):
    return client.post(url(ticket, action), data or {}, **kw)


# --- The whole loop, each step by its role -----------------------------------------------------


def test_the_whole_loop_through_the_api(api, world, frozen):
    cadre, office = api(world.cadre_a), api(world.office)
    department, enterprise = api(world.department), api(world.enterprise_a)

    created = ok(
        cadre.post(
            TICKETS,
            {
                "enterprise": world.ent_a.pk,
                "category": "utilities",
                "title": "用电增容",
                "description": "新生产线需增容 800 千伏安",
                "urgency": "urgent",
                "attachments": [pdf("现场照片说明.pdf")],
            },
            format="multipart",
        ),
        201,
    )
    pk = created["id"]
    assert created["state"] == "submitted" and created["number"].startswith("2026-")
    assert created["enterprise_name"] == world.ent_a.name
    assert created["raised_by"] == world.cadre_a.pk and created["raised_by_name"] == "张干部"
    assert created["level"] is None and created["colour"] is None
    assert created["allowed_actions"] == ["withdraw"]
    [attachment] = created["attachments"]
    assert (
        attachment["name"] == "现场照片说明.pdf" and attachment["content_type"] == "application/pdf"
    )
    assert attachment["url"].endswith(f"/api/v1/tickets/{pk}/attachments/{attachment['id']}/")

    body = ok(office.get(url(pk)))
    assert body["allowed_actions"] == ["accept", "assign", "reject"]

    body = ok(step(office, pk, "accept"))
    assert body["state"] == "accepted" and body["owner"] == world.office.pk
    assert body["owner_name"] == "督查员"

    body = ok(
        step(
            office,
            pk,
            "assign",
            {
                "level": "system",
                "responsible_unit": world.finance_bureau.pk,
                "co_units": [world.dev_bureau.pk],
                "leader": world.leader.pk,
                "comment": "请财政局牵头",
            },
        )
    )
    assert body["state"] == "assigned" and body["level"] == "system"
    assert body["responsible_unit"] == world.finance_bureau.pk
    assert body["responsible_unit_name"] == world.finance_bureau.name
    assert body["co_units"] == [world.dev_bureau.pk] and body["leader"] == world.leader.pk
    assert body["owner"] is None  # handed on to the unit: its first handler will own it
    assert body["time_limit_days"] == 5  # urgent
    assert body["deadline"].startswith("2026-11-23T23:59:59")
    assert body["colour"] == "green" and body["working_days_left"] == 5

    body = ok(department.get(url(pk)))
    assert set(body["allowed_actions"]) == {"progress", "answer", "request-extension", "object"}

    body = ok(
        step(
            department,
            pk,
            "progress",
            {"comment": "已约谈供电公司", "attachments": [pdf("会议纪要.pdf")]},
            format="multipart",
        )
    )
    assert body["state"] == "in_progress" and body["owner"] == world.department.pk
    assert [a["name"] for a in body["attachments"]] == ["现场照片说明.pdf", "会议纪要.pdf"]

    body = ok(step(department, pk, "request-extension", {"days": 3, "reason": "需等待设备到货"}))
    assert body["state"] == "in_progress"
    assert "decide-extension" in ok(office.get(url(pk)))["allowed_actions"]
    body = ok(step(office, pk, "decide-extension", {"approve": True, "comment": "同意"}))
    assert body["time_limit_days"] == 8
    assert body["deadline"].startswith("2026-11-26T23:59:59")

    body = ok(step(department, pk, "answer", {"answer": "增容已完成"}))
    assert body["state"] == "answered" and body["answer"] == "增容已完成"
    assert ok(enterprise.get(url(pk)))["allowed_actions"] == ["rate", "withdraw"]

    body = ok(step(enterprise, pk, "rate", {"satisfaction": "satisfied", "comment": "很及时"}))
    assert body["state"] == "closed" and body["satisfaction"] == "satisfied"
    assert body["rating_comment"] == "很及时" and body["allowed_actions"] == []

    events = ok(cadre.get(url(pk, "events")))
    assert [e["kind"] for e in events] == [
        "submit",
        "accept",
        "assign",
        "progress",
        "request_extension",
        "approve_extension",
        "answer",
        "rate",
    ]
    assert [(e["from_state"], e["to_state"]) for e in events[1:3]] == [
        ("submitted", "accepted"),
        ("accepted", "assigned"),
    ]
    assert events[2]["actor_name"] == "督查员" and events[2]["comment"] == "请财政局牵头"
    assert events[2]["data"]["unit"] == world.finance_bureau.name
    assert [a["name"] for a in events[0]["attachments"]] == ["现场照片说明.pdf"]
    assert [a["name"] for a in events[3]["attachments"]] == ["会议纪要.pdf"]


def test_office_assigns_a_submitted_ticket_in_one_step(api, world):
    ticket = raise_ticket(world)
    body = ok(
        step(
            api(world.office),
            ticket,
            "assign",
            {"level": "enterprise", "responsible_unit": world.finance_bureau.pk},
        )
    )
    assert body["state"] == "assigned" and body["level"] == "enterprise"
    assert list(ticket.events.values_list("kind", flat=True)) == ["submit", "accept", "assign"]


def test_reject_needs_a_reason(api, world):
    office = api(world.office)
    ticket = raise_ticket(world)
    response = step(office, ticket, "reject", {"reason": " "})
    assert response.status_code == 400 and "reason" in response.json()
    assert step(office, ticket, "reject", {}).status_code == 400
    body = ok(step(office, ticket, "reject", {"reason": "属企业自主经营事项"}))
    assert body["state"] == "rejected" and body["reason"] == "属企业自主经营事项"


def test_objection_then_confirm_or_reassign(api, world):
    office, department = api(world.office), api(world.department)
    first = assigned(world)
    body = ok(step(department, first, "object", {"reason": "属发改局职责"}))
    assert body["state"] == "objected"
    assert ok(office.get(url(first)))["allowed_actions"][:2] == ["assign", "confirm"]
    body = ok(step(office, first, "confirm", {"comment": "仍由财政局办理"}))
    assert body["state"] == "assigned"
    # The unit is now fixed: no second objection.
    response = step(department, first, "object", {"reason": "再次异议"})
    assert response.status_code == 409 and "不能再提出异议" in response.json()["detail"]

    second = assigned(world, title="第二件")
    ok(step(department, second, "object", {"reason": "属发改局职责"}))
    body = ok(
        step(office, second, "assign", {"level": "system", "responsible_unit": world.dev_bureau.pk})
    )
    assert body["state"] == "assigned" and body["responsible_unit"] == world.dev_bureau.pk
    assert TicketEvent.objects.filter(ticket=second, kind="reassign").count() == 1
    # The finance department no longer sees it.
    assert department.get(url(second)).status_code == 404


def test_hand_over_to_a_colleague(api, world):
    other = colleague(world)
    ticket = make_ticket(world, TicketState.IN_PROGRESS)
    # A colleague may not act while the owner holds it (首问负责).
    response = step(api(other), ticket, "progress", {"comment": "我来办"})
    assert response.status_code == 409 and "负责办理" in response.json()["detail"]
    assert step(api(other), ticket, "hand-over", {"to": other.pk}).status_code == 403
    body = ok(step(api(world.department), ticket, "hand-over", {"to": other.pk, "comment": "休假"}))
    assert body["owner"] == other.pk and body["owner_name"] == "财政经办人二"
    ok(step(api(other), ticket, "progress", {"comment": "我来办"}))
    # Only a handler of the responsible unit can receive it.
    response = step(api(other), ticket, "hand-over", {"to": world.cadre_a.pk})
    assert response.status_code == 400 and "to" in response.json()


def test_unsatisfied_reopens_and_a_second_time_escalates(api, world):
    enterprise, department = api(world.enterprise_a), api(world.department)
    ticket = answered(world)
    response = step(enterprise, ticket, "rate", {"satisfaction": "unsatisfied"})
    assert response.status_code == 400 and "comment" in response.json()
    body = ok(
        step(enterprise, ticket, "rate", {"satisfaction": "unsatisfied", "comment": "未解决"})
    )
    assert body["state"] == "in_progress" and body["escalation_count"] == 0
    ok(step(department, ticket, "answer", {"answer": "再次处理"}))
    body = ok(step(enterprise, ticket, "rate", {"satisfaction": "unsatisfied", "comment": "仍未"}))
    assert body["state"] == "in_progress" and body["escalation_count"] == 1
    assert body["is_urged"] is True and body["level"] == "city"


def test_withdraw_and_escalate(api, world):
    ticket = assigned(world)
    body = ok(step(api(world.office), ticket, "escalate", {"reason": "企业反映强烈"}))
    assert body["is_urged"] is True and body["level"] == "city" and body["escalation_count"] == 1
    assert step(api(world.enterprise_a), ticket, "withdraw", {"reason": ""}).status_code == 400
    body = ok(step(api(world.enterprise_a), ticket, "withdraw", {"reason": "已自行解决"}))
    assert body["state"] == "withdrawn" and body["reason"] == "已自行解决"
    # The office still sees every withdrawn ticket.
    listed = ok(api(world.office).get(TICKETS, {"state": "withdrawn"}))["results"]
    assert [t["id"] for t in listed] == [ticket.pk]


# --- Refusals: 409 for the state, 403 for the role, no update ----------------------------------


def _pending_extension(world):
    ticket = assigned(world)
    return ticket_request_extension(ticket=ticket, by=world.department, days=2, reason="等待")


@pytest.mark.parametrize(
    ("setup", "who", "action", "data", "reason"),
    [
        (raise_ticket, "office", "confirm", {}, "不能维持交办"),
        (raise_ticket, "office", "decide-extension", {"approve": True}, "没有待审批的延期申请"),
        (assigned, "office", "accept", {}, "不能受理"),
        (assigned, "office", "reject", {"reason": "重复"}, "不能不予受理"),
        (
            assigned,
            "office",
            "assign",
            {"level": "system", "responsible_unit": "finance_bureau"},
            "不能交办",
        ),
        (assigned, "enterprise_a", "rate", {"satisfaction": "satisfied"}, "不能评价"),
        (answered, "department", "answer", {"answer": "再答一次"}, "不能答复"),
        (answered, "department", "progress", {"comment": "补充"}, "不能记录办理进展"),
        (answered, "department", "object", {"reason": "不属本单位"}, "不能提出交办异议"),
        (
            _pending_extension,
            "department",
            "request-extension",
            {"days": 1, "reason": "再延"},
            "已有一项延期申请",
        ),
    ],
)
def test_a_step_the_state_forbids_is_409_with_the_reason(
    api, world, setup, who, action, data, reason
):
    ticket = setup(world)
    data = {k: getattr(world, v).pk if v == "finance_bureau" else v for k, v in data.items()}
    events = ticket.events.count()
    response = step(api(getattr(world, who)), ticket, action, data)
    assert response.status_code == 409, response.content.decode()
    assert reason in response.json()["detail"]
    assert ticket.events.count() == events


def test_withdrawing_a_closed_ticket_is_409(api, world):
    ticket = make_ticket(world, TicketState.CLOSED)
    response = step(api(world.enterprise_a), ticket, "withdraw", {"reason": "撤回"})
    assert response.status_code == 409 and "不能撤回" in response.json()["detail"]


def test_objection_after_one_working_day_is_409(api, world, frozen):
    ticket = assigned(world)  # Monday: objections until the end of Tuesday
    frozen.move_to(datetime.datetime(2026, 11, 18, 9, tzinfo=SHANGHAI))
    assert "object" not in ok(api(world.department).get(url(ticket)))["allowed_actions"]
    response = step(api(world.department), ticket, "object", {"reason": "不属本单位"})
    assert response.status_code == 409 and "异议期限" in response.json()["detail"]


def test_a_stale_version_is_409(api, world):
    ticket = raise_ticket(world)
    response = step(api(world.office), ticket, "accept", {"version": ticket.version + 1})
    assert response.status_code == 409
    body = ok(step(api(world.office), ticket, "accept", {"version": ticket.version}))
    assert body["state"] == "accepted" and body["version"] == ticket.version + 1


@pytest.mark.parametrize(
    ("setup", "who", "action", "data"),
    [
        (assigned, "department", "accept", {}),
        (raise_ticket, "cadre_a", "accept", {}),
        (raise_ticket, "enterprise_a", "reject", {"reason": "x"}),
        (raise_ticket, "cadre_a", "escalate", {}),
        (assigned, "enterprise_a", "assign", {"level": "system"}),
        (assigned, "department", "escalate", {}),
        (assigned, "office", "progress", {"comment": "督查室代办"}),
        (assigned, "office", "answer", {"answer": "督查室代答"}),
        (assigned, "enterprise_a", "object", {"reason": "x"}),
        (assigned, "cadre_a", "request-extension", {"days": 1, "reason": "x"}),
        (answered, "department", "rate", {"satisfaction": "satisfied"}),
        (answered, "office", "rate", {"satisfaction": "satisfied"}),
        (assigned, "department", "withdraw", {"reason": "x"}),
        (assigned, "office", "withdraw", {"reason": "x"}),
    ],
)
def test_the_wrong_role_gets_403(api, world, setup, who, action, data):
    ticket = setup(world)
    events = ticket.events.count()
    response = step(api(getattr(world, who)), ticket, action, data)
    assert response.status_code == 403, response.content.decode()
    assert response.json()["detail"]
    assert ticket.events.count() == events


def test_content_cannot_be_changed_after_raising(api, world):
    ticket = raise_ticket(world)
    client = api(world.cadre_a)
    assert client.put(url(ticket), {"title": "改"}).status_code == 405
    assert client.patch(url(ticket), {"title": "改"}).status_code == 405
    assert client.delete(url(ticket)).status_code == 405
    assert Ticket.objects.get(pk=ticket.pk).title == "用电增容"


def test_anonymous_is_refused(api, world):
    # 401 with a challenge: token authentication is the first authentication class.
    ticket = raise_ticket(world)
    for response in (api().get(TICKETS), api().post(url(ticket, "accept"))):
        assert response.status_code == 401
        assert response.json() == {"detail": "身份认证信息未提供。"}
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.SUBMITTED


# --- Raising ----------------------------------------------------------------------------------


def create_data(world, **kw):
    data = {
        "enterprise": world.ent_a.pk,
        "category": "financing",
        "title": "流动资金贷款",
        "description": "需要 2000 万元流动资金贷款",
    }
    data.update(kw)
    return data


@pytest.mark.parametrize(
    ("who", "enterprise", "status"),
    [
        ("cadre_a", "ent_a", 201),
        ("enterprise_a", "ent_a", 201),
        ("cadre_a", "ent_b", 400),  # visible? no: another cadre's enterprise
        ("enterprise_a", "ent_b", 400),
        ("office", "ent_a", 400),  # visible but not raisable by the office
        ("department", "ent_a", 400),
        ("cadre_b", "ent_c", 400),  # not stationed there, not visible
    ],
)
def test_who_may_raise_for_which_enterprise(api, world, who, enterprise, status):
    enterprise = getattr(world, enterprise)
    response = api(getattr(world, who)).post(TICKETS, create_data(world, enterprise=enterprise.pk))
    assert response.status_code == status, response.content.decode()
    if status == 400:
        assert list(response.json()) == ["enterprise"]
        assert not Ticket.objects.exists()
    else:
        assert response.json()["urgency"] == "normal"


def test_raising_validates_fields(api, world):
    client = api(world.cadre_a)
    response = client.post(TICKETS, create_data(world, title=" ", category="nonsense"))
    assert response.status_code == 400
    assert {"title", "category"} <= set(response.json())
    assert not Ticket.objects.exists()


def test_a_refused_attachment_is_400_under_attachments_and_nothing_is_saved(api, world, media):
    response = api(world.cadre_a).post(
        TICKETS,
        create_data(world, attachments=[pdf("正常.pdf"), pdf("伪装.pdf", HTML)]),
        format="multipart",
    )
    assert response.status_code == 400
    [message] = response.json()["attachments"]
    assert "伪装.pdf" in message
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_a_refused_attachment_on_answer_leaves_the_ticket_unanswered(api, world, settings):
    ticket = make_ticket(world, TicketState.IN_PROGRESS)
    settings.TICKET_ATTACHMENT_MAX_BYTES = 100
    response = step(
        api(world.department),
        ticket,
        "answer",
        {"answer": "答复", "attachments": [pdf("大.pdf", PDF + b"x" * 200)]},
        format="multipart",
    )
    assert response.status_code == 400 and "太大" in response.json()["attachments"][0]
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.IN_PROGRESS
    assert not ticket.events.filter(kind="answer").exists()


def test_a_report_problem_becomes_a_ticket(api, world, report_problem):
    client = api(world.cadre_a)
    body = ok(client.post(TICKETS, create_data(world, report_problem=report_problem.pk)), 201)
    assert body["report_problem"] == report_problem.pk
    assert Ticket.objects.get(pk=body["id"]).report_problem == report_problem
    # Once only.
    response = client.post(TICKETS, create_data(world, report_problem=report_problem.pk))
    assert response.status_code == 400
    # Not a problem the user can read: like an id that does not exist.
    response = api(world.enterprise_a).post(
        TICKETS, create_data(world, report_problem=report_problem.pk)
    )
    assert response.status_code == 400 and "report_problem" in response.json()


# --- Scoping ----------------------------------------------------------------------------------


def test_each_role_sees_only_its_tickets(api, world):
    mine = assigned(world)
    other = raise_ticket(world, by=world.cadre_b, enterprise=world.ent_b, title="乙公司用地")
    waiting = raise_ticket(world, title="尚未交办")
    dev_handler = other_department(world)
    for user, visible in (
        (world.office, {mine, other, waiting}),
        (world.cadre_a, {mine, waiting}),
        (world.cadre_b, {other}),
        (world.enterprise_a, {mine, waiting}),
        (world.department, {mine}),  # only what is assigned to its unit
        (dev_handler, set()),
        (world.outsider, set()),
    ):
        client = api(user)
        listed = {t["id"] for t in ok(client.get(TICKETS))["results"]}
        assert listed == {t.pk for t in visible}, user
        for ticket in (mine, other, waiting):
            expected = 200 if ticket in visible else 404
            assert client.get(url(ticket)).status_code == expected, (user, ticket)
            assert client.get(url(ticket, "events")).status_code == expected, (user, ticket)


def test_a_co_unit_sees_the_ticket(api, world):
    dev_handler = other_department(world)
    ticket = assigned(world, co_units=[world.dev_bureau])
    body = ok(api(dev_handler).get(url(ticket)))
    assert body["allowed_actions"] == []  # co-handling, not responsible
    assert step(api(dev_handler), ticket, "answer", {"answer": "x"}).status_code == 403


def test_out_of_scope_steps_are_404(api, world):
    ticket = raise_ticket(world, by=world.cadre_b, enterprise=world.ent_b)
    for user, action, data in (
        (world.enterprise_a, "withdraw", {"reason": "x"}),
        (world.department, "accept", {}),
        (world.cadre_a, "withdraw", {"reason": "x"}),
    ):
        assert step(api(user), ticket, action, data).status_code == 404
    assert ok(api(world.office).get(url(ticket)))["state"] == "submitted"


def test_attachment_downloads_are_scoped(api, world):
    body = ok(
        api(world.cadre_a).post(
            TICKETS, create_data(world, attachments=[pdf("合同.pdf")]), format="multipart"
        ),
        201,
    )
    download = body["attachments"][0]["url"]
    attachment_id = body["attachments"][0]["id"]

    response = api(world.enterprise_a).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    # Any Accept header still gets the file.
    assert api(world.office).get(download, HTTP_ACCEPT="application/json").status_code == 200

    # Not yet assigned: the department does not see the ticket, nor its files.
    assert api(world.department).get(download).status_code == 404
    assert api(world.cadre_b).get(download).status_code == 404
    assert api(world.outsider).get(download).status_code == 404
    # An attachment id under another (visible) ticket's URL is a 404 too.
    another = raise_ticket(world, title="另一件")
    response = api(world.cadre_a).get(f"{url(another)}attachments/{attachment_id}/")
    assert response.status_code == 404


# --- Two officers at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_once_one_wins_one_conflict_one_event(api, world, frozen):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    ticket = raise_ticket(world)
    second_officer = make_person("office_2", [Role.OFFICE], unit=world.county)
    barrier = threading.Barrier(2)
    statuses = []

    def accept(user):
        from django.db import connections

        try:
            client = api(user)
            barrier.wait()
            statuses.append(client.post(url(ticket, "accept")).status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(user,)) for user in (world.office, second_officer)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert TicketEvent.objects.filter(ticket=ticket, kind="accept").count() == 1


# --- List: filters, counts per state, colour, query count -------------------------------------


def ids(response):
    return {t["id"] for t in ok(response)["results"]}


def test_list_filters_and_state_counts(api, world, frozen):
    early = assigned(world, title="早交办")
    frozen.move_to(datetime.datetime(2026, 11, 27, 10, tzinfo=SHANGHAI))
    late = assigned(world, title="晚交办", unit=world.dev_bureau)
    waiting = raise_ticket(world, title="待受理")
    other = raise_ticket(world, by=world.cadre_b, enterprise=world.ent_b, title="乙公司")
    client = api(world.office)

    assert ids(client.get(TICKETS, {"state": "submitted"})) == {waiting.pk, other.pk}
    assert ids(client.get(TICKETS, {"enterprise": world.ent_b.pk})) == {other.pk}
    assert ids(client.get(TICKETS, {"responsible_unit": world.dev_bureau.pk})) == {late.pk}
    assert ids(client.get(TICKETS, {"colour": "yellow"})) == {early.pk}
    assert ids(client.get(TICKETS, {"colour": "green"})) == {late.pk}
    assert ids(client.get(TICKETS, {"q": "乙公司"})) == {other.pk}
    assert client.get(TICKETS, {"state": "nonsense"}).status_code == 400

    frozen.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI))
    client = api(world.office)  # days later: the 8-hour session has expired, sign in again
    assert ids(client.get(TICKETS, {"colour": "red"})) == {early.pk}
    body = ok(client.get(url(early)))
    assert body["colour"] == "red" and body["working_days_left"] == -1

    # Counts per state follow the other filters, not the state filter.
    body = ok(client.get(TICKETS, {"state": "assigned", "enterprise": world.ent_a.pk}))
    assert body["count"] == 2
    counts = {c["state"]: c["count"] for c in body["state_counts"]}
    assert counts["assigned"] == 2 and counts["submitted"] == 1 and counts["closed"] == 0
    assert [c["state"] for c in body["state_counts"]] == list(TicketState.values)
    labels = {c["state"]: c["label"] for c in body["state_counts"]}
    assert labels["submitted"] == "待受理"

    # Ordering by deadline.
    body = ok(client.get(TICKETS, {"state": "assigned", "ordering": "deadline"}))
    assert [t["id"] for t in body["results"]] == [early.pk, late.pk]


def test_list_query_count_does_not_grow_with_rows(api, world):
    client = api(world.office)

    def make(n):
        # Half assigned (deadline, colour, days left, unit, co-units), half still submitted.
        for i in range(n):
            if i % 2:
                ticket = assigned(world, title=f"批量{i}")
                ticket.co_units.add(world.dev_bureau)
            else:
                raise_ticket(world, title=f"批量{i}")

    def count():
        client.get(TICKETS)
        with CaptureQueriesContext(connection) as queries:
            body = ok(client.get(TICKETS))
        return len(queries), len(body["results"])

    make(5)
    few, rows = count()
    assert rows == 5
    make(25)
    many, rows = count()
    assert rows == 30
    assert many == few


def test_events_are_in_order_with_names(api, world):
    ticket = answered(world)
    events = ok(api(world.enterprise_a).get(url(ticket, "events")))
    assert [e["kind"] for e in events] == ["submit", "accept", "assign", "progress", "answer"]
    assert events[-1]["actor_name"] == "部门经办人" and events[-1]["to_state"] == "answered"
    assert events[3]["comment"] == "已对接"


def test_objected_ticket_is_still_seen_by_the_objecting_unit(api, world):
    ticket = make_ticket(world, TicketState.OBJECTED)
    body = ok(api(world.department).get(url(ticket)))
    assert body["state"] == "objected" and body["allowed_actions"] == []
