"""Bulletins (通报, issue 11): the facts of a small programme computed by hand, numbering (in
sequence, and two publishes at once), a published bulletin never changes, who sees and edits
what, stale edits, the print page, the PDF read back with pdftotext, the API and the job.

The world programme's periods: 1 = 1-15 March 2026 (due 18 March 23:59:59 Asia/Shanghai),
2 = 16-31 March (due 3 April), 3 = 1-15 April (due 18 April). The bulletin of period 3 is drafted
on 19 April at 10:00.
"""

import datetime
import shutil
import subprocess
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import SHANGHAI
from core.locking import StaleEditError
from notifications.jobs import run_job
from notifications.models import Notification
from stationing.services import (
    report_get_or_create_draft,
    report_review,
    report_save_draft,
    report_submit,
)
from supervision.choices import BulletinState, SupervisionNotice, TicketState
from supervision.models import Bulletin
from supervision.services import (
    BulletinStateError,
    bulletin_generate,
    bulletin_publish,
    bulletin_update,
)
from supervision.services import bulletins as bulletin_service

from ..factories import AssignmentFactory, make_person, make_ticket

DRAFTED_AT = datetime.datetime(2026, 4, 19, 10, 0, tzinfo=SHANGHAI)


def sh(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def hand_in(assignment, period, when, by, rating=None):
    """A report for `period`, submitted by the cadre (call it with the clock at `when`) and
    reviewed with `rating`."""
    report = report_get_or_create_draft(assignment=assignment, period=period, by=None)
    report = report_save_draft(
        report=report,
        by=by,
        expected_version=None,
        fields={"work_done": "走访企业", "days_on_site": 8},
    )
    assert timezone.now() == when
    report = report_submit(report=report, by=by)
    if rating:
        report = report_review(report=report, by=None, rating=rating)
    return report


@pytest.fixture
def scene(world, periods, at):
    """Four stationings, all owing period 3:

    - 张干部 (发改局, 甲): periods 1 and 3 on time, 3 rated 优; 2 missed;
    - 李干部 (财政局, 乙): period 1 on time, 2 and 3 missed: 2 in a row;
    - 王干部 (发改局, 乙), stationed from 1 April: 3 missed (1 in a row: 1-2 not covered);
    - 赵干部 (发改局, 甲): period 3 handed in late (19 April 9:00), 1 and 2 on time.

    Tickets of the programme: one red (assigned 1 April, past its deadline on 19 April), one
    closed 满意 on 2 April (praised), one closed 满意 on 20 March (period 2, not praised).
    """
    w = world
    w.periods = periods
    w.cadre_c = make_person(
        "cadre_c", ["cadre"], name="王干部", phone="13900000031", unit=w.dev_bureau
    )
    w.cadre_d = make_person(
        "cadre_d", ["cadre"], name="赵干部", phone="13900000032", unit=w.dev_bureau
    )
    w.assignment_c = AssignmentFactory(
        programme=w.programme,
        cadre=w.cadre_c.profile,
        enterprise=w.ent_b,
        start_date=datetime.date(2026, 4, 1),
    )
    w.assignment_d = AssignmentFactory(
        programme=w.programme, cadre=w.cadre_d.profile, enterprise=w.ent_a
    )
    p1, p2, p3 = periods[1], periods[2], periods[3]
    at(sh(2026, 3, 15, 9), hand_in, w.assignment_a, p1, sh(2026, 3, 15, 9), w.cadre_a)
    at(sh(2026, 4, 15, 9), hand_in, w.assignment_a, p3, sh(2026, 4, 15, 9), w.cadre_a, "excellent")
    at(sh(2026, 3, 15, 9), hand_in, w.assignment_b, p1, sh(2026, 3, 15, 9), w.cadre_b)
    at(sh(2026, 3, 15, 9), hand_in, w.assignment_d, p1, sh(2026, 3, 15, 9), w.cadre_d)
    at(sh(2026, 4, 1, 9), hand_in, w.assignment_d, p2, sh(2026, 4, 1, 9), w.cadre_d)
    at(sh(2026, 4, 19, 9), hand_in, w.assignment_d, p3, sh(2026, 4, 19, 9), w.cadre_d)
    w.red = at(sh(2026, 4, 1, 10), make_ticket, w, TicketState.IN_PROGRESS, title="厂区道路破损")
    w.praised = at(sh(2026, 4, 2, 10), make_ticket, w, TicketState.CLOSED, title="用电增容提速")
    w.earlier = at(sh(2026, 3, 20, 10), make_ticket, w, TicketState.CLOSED, title="三月办结")
    return w


def draft(at, scene, by=None):
    return at(DRAFTED_AT, bulletin_generate, period=scene.periods[3], by=by)


# --- The facts --------------------------------------------------------------------------------


def test_facts_of_a_period_computed_by_hand(scene, at):
    bulletin = draft(at, scene)
    facts = bulletin.facts
    assert bulletin.state == BulletinState.DRAFT
    assert (bulletin.programme, bulletin.period) == (scene.programme, scene.periods[3])
    assert facts["period"]["label"] == "2026年4月上半月"
    # Units in tree (pinyin) order. 财政局: 李 missing; 发改局: 张 on time, 赵 late, 王 missing.
    assert [
        (u["unit"], u["owed"], u["on_time"], u["late"], u["missing"], u["rate"], u["on_time_rate"])
        for u in facts["units"]
    ] == [
        ("示范县财政局", 1, 0, 0, 1, "0", "0"),
        ("示范县发展和改革局", 3, 1, 1, 1, "66.67", "33.33"),
    ]
    totals = facts["totals"]
    assert (totals["owed"], totals["on_time"], totals["late"], totals["missing"]) == (4, 1, 1, 2)
    assert (totals["rate"], totals["on_time_rate"]) == ("50", "25")
    # Who missed, and how many in a row: 李 missed 2 and 3; 王 was not stationed before 3.
    assert [(m["cadre"], m["unit"], m["enterprise"], m["in_a_row"]) for m in facts["missed"]] == [
        ("李干部", "示范县财政局", "乙纺织有限公司", 2),
        ("王干部", "示范县发展和改革局", "乙纺织有限公司", 1),
    ]
    assert [m["cadre"] for m in facts["criticised_missed"]] == ["李干部"]
    # Red tickets by department.
    assert [(t["number"], t["title"], t["unit"]) for t in facts["red_tickets"]] == [
        (scene.red.number, "厂区道路破损", "示范县财政局")
    ]
    assert facts["departments"] == [
        {"unit_id": scene.finance_bureau.pk, "unit": "示范县财政局", "red": 1}
    ]
    # Praise: the report rated 优, the ticket closed 满意 before its deadline within period 3.
    assert [(r["cadre"], r["enterprise"]) for r in facts["praised_reports"]] == [
        ("张干部", "甲机械制造有限公司")
    ]
    assert [t["title"] for t in facts["praised_tickets"]] == ["用电增容提速"]
    # The drafted texts say the same.
    assert bulletin.title == "关于2026年4月上半月驻企工作情况的通报"
    assert "应报送半月报 4 份，按时报送 1 份，逾期报送 1 份，未报送 2 份，报送率 50%" in (
        bulletin.overview
    )
    assert "红牌诉求 1 件" in bulletin.overview
    assert "张干部（示范县发展和改革局，驻甲机械制造有限公司）" in bulletin.praise
    assert "示范县财政局（诉求" in bulletin.praise
    assert "李干部（示范县财政局，连续 2 期未报）" in bulletin.criticism
    assert "王干部" not in bulletin.criticism
    assert "示范县财政局（1 件）" in bulletin.criticism
    assert bulletin.issuer == "示范县人民政府"


def test_query_count_does_not_grow_with_cadres(scene, at):
    def count():
        with CaptureQueriesContext(connection) as queries:
            at(DRAFTED_AT, bulletin_service.bulletin_facts, period=scene.periods[3], now=DRAFTED_AT)
        return len(queries)

    before = count()
    for n in range(6):
        cadre = make_person(
            f"extra{n}", ["cadre"], name=f"增加{n}", phone=f"1380000000{n}", unit=scene.dev_bureau
        )
        AssignmentFactory(programme=scene.programme, cadre=cadre.profile, enterprise=scene.ent_a)
    assert count() == before


def test_a_period_not_yet_due_cannot_be_drafted(scene, at):
    with pytest.raises(ValidationError):
        at(sh(2026, 4, 18, 12), bulletin_generate, period=scene.periods[3], by=scene.office)
    assert not Bulletin.objects.exists()


def test_drafting_again_updates_the_draft_and_keeps_the_office_edits(scene, at):
    bulletin = draft(at, scene)
    bulletin = bulletin_update(
        bulletin=bulletin,
        by=scene.office,
        expected_version=bulletin.version,
        title=bulletin.title,
        issuer="示范县人民政府督查室",
        overview="督查室改写的总体情况。",
        praise=bulletin.praise,
        criticism=bulletin.criticism,
        requirements=bulletin.requirements,
    )
    # 李干部 hands in period 3 late; drafting again a day later counts it.
    at(
        sh(2026, 4, 20, 9),
        hand_in,
        scene.assignment_b,
        scene.periods[3],
        sh(2026, 4, 20, 9),
        scene.cadre_b,
    )
    again = at(sh(2026, 4, 20, 10), bulletin_generate, period=scene.periods[3], by=scene.office)
    assert again.pk == bulletin.pk and Bulletin.objects.count() == 1
    assert again.version == bulletin.version + 1
    assert again.facts["totals"]["late"] == 2
    assert [m["cadre"] for m in again.facts["missed"]] == ["王干部"]
    assert again.overview == "督查室改写的总体情况。"  # edited: kept
    assert again.issuer == "示范县人民政府督查室"
    assert "李干部" not in again.criticism  # not edited: redrafted


def test_a_published_bulletin_never_changes(scene, at):
    bulletin = draft(at, scene)
    published = at(sh(2026, 4, 20, 9), bulletin_publish, bulletin=bulletin, by=scene.office)
    frozen = Bulletin.objects.values().get(pk=published.pk)
    at(
        sh(2026, 4, 21, 9),
        hand_in,
        scene.assignment_b,
        scene.periods[3],
        sh(2026, 4, 21, 9),
        scene.cadre_b,
    )
    scene.cadre_b.profile.name = "李某某"
    scene.cadre_b.profile.save()
    again = at(sh(2026, 4, 22, 9), bulletin_generate, period=scene.periods[3], by=scene.office)
    assert again.pk == published.pk
    assert Bulletin.objects.values().get(pk=published.pk) == frozen
    with pytest.raises(BulletinStateError):
        bulletin_update(
            bulletin=published,
            by=scene.office,
            expected_version=published.version,
            title="改",
            issuer="改",
        )
    with pytest.raises(BulletinStateError):
        bulletin_publish(bulletin=published, by=scene.office)


# --- Numbers ----------------------------------------------------------------------------------


def test_numbers_run_per_programme_and_year(scene, at):
    periods = scene.periods
    first = at(sh(2026, 4, 5), bulletin_generate, period=periods[2], by=scene.office)
    second = draft(at, scene, by=scene.office)
    # Published out of order: numbers follow publishing.
    second = at(sh(2026, 4, 20), bulletin_publish, bulletin=second, by=scene.office)
    first = at(sh(2026, 4, 21), bulletin_publish, bulletin=first, by=scene.office)
    assert (second.year, second.sequence, second.number_label) == (2026, 1, "驻企通报〔2026〕第1期")
    assert (first.year, first.sequence) == (2026, 2)
    assert first.published_by == scene.office
    # A new year starts again at 1.
    late = at(sh(2027, 1, 5), bulletin_generate, period=periods[19], by=scene.office)
    late = at(sh(2027, 1, 6), bulletin_publish, bulletin=late, by=scene.office)
    assert late.number_label == "驻企通报〔2027〕第1期"


@pytest.mark.django_db(transaction=True)
def test_two_publishes_at_once_get_different_numbers(world, monkeypatch):
    """Each publish reads the last number and pauses before writing: without the programme
    lock both would read 0 and take number 1."""
    from stationing.services import programme_sync_periods

    programme_sync_periods(programme=world.programme)
    periods = list(world.programme.periods.order_by("number")[:2])
    drafts = [bulletin_generate(period=p, by=world.office) for p in periods]
    real = bulletin_service.next_sequence
    both_started = threading.Barrier(2, timeout=10)

    def slow_next(programme_id, year):
        value = real(programme_id, year)
        threading.Event().wait(0.3)
        return value

    monkeypatch.setattr(bulletin_service, "next_sequence", slow_next)
    numbers, errors = [], []

    def publish(bulletin):
        try:
            both_started.wait()
            numbers.append(bulletin_publish(bulletin=bulletin, by=world.office).sequence)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(b,)) for b in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors, errors
    assert sorted(numbers) == [1, 2]


# --- Who may do what --------------------------------------------------------------------------


def test_drafts_are_the_offices_and_published_ones_everyones(scene, at, client_for):
    bulletin = draft(at, scene)
    detail = reverse("bulletin-detail", args=[bulletin.pk])
    for user in (scene.cadre_a, scene.leader, scene.department, scene.enterprise_a):
        client = client_for(user)
        assert client.get(detail).status_code == 404
        assert bulletin.title not in client.get(reverse("bulletin-list")).content.decode()
    with pytest.raises(PermissionDenied):
        bulletin_generate(period=scene.periods[3], by=scene.cadre_a)
    with pytest.raises(PermissionDenied):
        bulletin_publish(bulletin=bulletin, by=scene.leader)

    bulletin = at(sh(2026, 4, 20), bulletin_publish, bulletin=bulletin, by=scene.office)
    for user in (scene.cadre_a, scene.leader, scene.outsider):
        client = client_for(user)
        page = client.get(detail)
        assert page.status_code == 200
        assert "驻企通报〔2026〕第1期" in page.content.decode()
        assert 'data-testid="bulletin-actions"' not in page.content.decode()
        assert client.get(reverse("bulletin-list")).context["total"] == 1
        assert client.get(reverse("bulletin-edit", args=[bulletin.pk])).status_code == 403
        assert client.post(reverse("bulletin-publish", args=[bulletin.pk])).status_code == 403
        assert client.get(reverse("bulletin-generate")).status_code == 403
    with pytest.raises(PermissionDenied):
        bulletin_update(
            bulletin=bulletin, by=scene.cadre_a, expected_version=None, title="改", issuer="改"
        )


def test_the_office_drafts_edits_previews_and_publishes_on_the_pages(scene, at, client_for):
    client = client_for(scene.office)
    page = at(DRAFTED_AT, client.get, reverse("bulletin-generate"))
    assert page.status_code == 200
    response = at(
        DRAFTED_AT, client.post, reverse("bulletin-generate"), {"period": scene.periods[3].pk}
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("bulletin-detail", args=[bulletin.pk])
    detail = client.get(response.url).content.decode()
    assert "草稿" in detail and "李干部" in detail and "连续 2 期未报" in detail

    edit = reverse("bulletin-edit", args=[bulletin.pk])
    form = client.get(edit)
    assert form.status_code == 200
    data = {
        "version": bulletin.version,
        "title": "关于四月上半月驻企工作的通报",
        "issuer": "示范县驻企办",
        "overview": "总体平稳。",
        "praise": "表扬张干部。",
        "criticism": "批评李干部。",
        "requirements": "按时报送。",
    }
    assert client.post(edit, data).status_code == 302
    # The same form sent again on the old version is refused, naming who saved first.
    stale = client.post(edit, {**data, "overview": "另一处修改。"})
    assert stale.status_code == 200
    assert "已被 督查员" in stale.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.overview == "总体平稳。"

    publish = reverse("bulletin-publish", args=[bulletin.pk])
    # Without the confirmation nothing happens.
    client.post(publish, {"version": bulletin.version})
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.DRAFT
    # An old version is refused.
    client.post(publish, {"version": bulletin.version - 1, "confirm": "on"})
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.DRAFT
    at(sh(2026, 4, 20, 9), client.post, publish, {"version": bulletin.version, "confirm": "on"})
    bulletin.refresh_from_db()
    assert (bulletin.state, bulletin.number_label) == ("published", "驻企通报〔2026〕第1期")
    assert client.get(edit).status_code == 302  # published: back to the detail page


def test_stale_edit_is_refused_by_the_service(scene, at):
    bulletin = draft(at, scene)
    fields = {"title": bulletin.title, "issuer": bulletin.issuer}
    bulletin_update(bulletin=bulletin, by=scene.office, expected_version=bulletin.version, **fields)
    with pytest.raises(StaleEditError):
        bulletin_update(
            bulletin=bulletin, by=scene.office, expected_version=bulletin.version, **fields
        )
    # A redraft is a new version too: an edit opened before it is refused.
    current = Bulletin.objects.get()
    at(sh(2026, 4, 20), bulletin_generate, period=scene.periods[3], by=None)
    with pytest.raises(StaleEditError):
        bulletin_update(
            bulletin=current, by=scene.office, expected_version=current.version, **fields
        )


def test_the_list_pages_newest_first(scene, at, client_for, settings):
    settings.PAGE_SIZE = 2
    for number in (1, 2, 3):
        at(DRAFTED_AT, bulletin_generate, period=scene.periods[number], by=scene.office)
    client = client_for(scene.office)
    page = client.get(reverse("bulletin-list"))
    assert page.context["total"] == 3
    assert [b.period.number for b in page.context["bulletins"]] == [3, 2]
    assert [
        b.period.number
        for b in client.get(reverse("bulletin-list") + "?page=2").context["bulletins"]
    ] == [1]
    assert 'data-testid="nav-bulletins"' in page.content.decode()


# --- Print and PDF ----------------------------------------------------------------------------


def test_the_print_page(scene, at, client_for):
    bulletin = draft(at, scene)
    bulletin = at(sh(2026, 4, 20, 9), bulletin_publish, bulletin=bulletin, by=scene.office)
    page = client_for(scene.cadre_b).get(reverse("bulletin-print", args=[bulletin.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "css/bulletin.css" in html
    assert "驻企通报〔2026〕第1期" in html
    assert bulletin.title in html
    assert "示范县人民政府" in html and "2026年4月20日" in html
    assert "一、总体情况" in html and "二、表扬" in html and "三、批评" in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_pdf_renders_the_chinese_text(scene, at, client_for, tmp_path):
    bulletin = draft(at, scene)
    bulletin = at(sh(2026, 4, 20, 9), bulletin_publish, bulletin=bulletin, by=scene.office)
    response = client_for(scene.cadre_a).get(reverse("bulletin-pdf", args=[bulletin.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(response.content)
    pdftotext, pdffonts = shutil.which("pdftotext"), shutil.which("pdffonts")
    text = subprocess.run(  # noqa: S603 - our own file
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    compact = "".join(text.split())
    assert "关于2026年4月上半月驻企工作情况的通报" in compact
    assert "驻企通报〔2026〕第1期" in compact
    assert "李干部" in compact and "张干部" in compact
    assert "示范县人民政府" in compact
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True).stdout  # noqa: S603
    assert "WenQuanYi" in fonts or "CJK" in fonts, fonts


# --- API --------------------------------------------------------------------------------------


def test_api_drafts_edits_and_publishes(scene, at, api):
    office = api(scene.office)
    url = reverse("api-bulletin-list")
    created = at(DRAFTED_AT, office.post, url, {"period": scene.periods[3].pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["number"] == ""
    assert body["facts"]["totals"]["missing"] == 2
    detail = reverse("api-bulletin-detail", args=[body["id"]])
    again = at(DRAFTED_AT, office.post, url, {"period": scene.periods[3].pk})
    assert again.status_code == 200

    patched = office.patch(detail, {"version": again.json()["version"], "praise": "表扬。"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["praise"] == "表扬。"
    assert office.patch(detail, {"version": 1, "praise": "旧版本"}).status_code == 409
    assert office.patch(detail, {"praise": "没有版本号"}).status_code == 400

    # Others see no draft and may not write.
    cadre = api(scene.cadre_a)
    assert cadre.get(detail).status_code == 404
    assert cadre.get(url).json()["count"] == 0
    # Refused before the body is read (supervision.permissions.may_edit_bulletins): 403.
    assert at(DRAFTED_AT, cadre.post, url, {"period": scene.periods[3].pk}).status_code == 403

    publish = reverse("api-bulletin-publish", args=[body["id"]])
    done = at(sh(2026, 4, 20, 9), office.post, publish, {"version": patched.json()["version"]})
    assert done.status_code == 200, done.content
    assert done.json()["number"] == "驻企通报〔2026〕第1期"
    assert office.post(publish, {"version": done.json()["version"]}).status_code == 409
    assert (
        office.patch(detail, {"version": done.json()["version"], "title": "改"}).status_code == 409
    )

    assert cadre.get(detail).status_code == 200
    assert cadre.get(url).json()["count"] == 1
    assert (
        cadre.patch(detail, {"version": done.json()["version"], "title": "改"}).status_code == 403
    )
    assert cadre.get(reverse("api-bulletin-pdf", args=[body["id"]])).status_code == 200
    assert api().get(url).status_code in (401, 403)


# --- The scheduled job ------------------------------------------------------------------------


def test_the_job_drafts_once_the_day_after_the_due_date_and_tells_the_office(scene, at):
    run = lambda moment: at(moment, run_job, "supervision-bulletin-drafts")  # noqa: E731
    # 18 April, the due day itself: nothing for period 3 yet.
    run(sh(2026, 4, 18, 23, 0))
    assert not Bulletin.objects.filter(period=scene.periods[3]).exists()
    run(sh(2026, 4, 19, 1, 20))
    bulletin = Bulletin.objects.get(period=scene.periods[3])
    told = Notification.objects.filter(kind=SupervisionNotice.BULLETIN_DRAFTED)
    assert set(told.values_list("recipient__username", flat=True)) == {"office"}
    assert told.get().link == f"/bulletins/{bulletin.pk}/"
    version = bulletin.version
    # Safe to run twice: no second draft, no second notice, the draft untouched.
    run(sh(2026, 4, 19, 1, 21))
    run(sh(2026, 4, 20, 1, 20))
    assert Bulletin.objects.filter(period=scene.periods[3]).count() == 1
    assert Bulletin.objects.get(period=scene.periods[3]).version == version
    assert told.count() == 1
