"""The world of the permission walk (tests/test_permission_walk.py): two counties, built once per
module through the services, with two of everything a route can take.

County A (示范县) has one programme with two stationings: `cadre` at ent_a1 and `cadre2` at
ent_a2, a department handler of each responsible unit (`department`: the finance bureau, which
handles ticket a1; `department2`: the development bureau, which handles ticket a2), a contact
of each enterprise, the office and a leader. County B (邻县) has its own office, leader,
programme, cadre, handler and enterprise contact.

Every object kind is kept three times, as `objects[kind] = (a1, a2, b)`:

- a1: what the walked users of county A have to do with (the cadre's own enterprise and
  reports, the ticket assigned to the department's unit, the contact's enterprise …);
- a2: the same in county A but someone else's (the other cadre, the other unit, the other
  enterprise; a draft where a1 is published);
- b: the same in county B (outside the office's and the leader's territory).

`OTHER[role]` says which of a2 and b is "someone else's" for each walked role.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.choices import Role
from core.dates import SHANGHAI
from notifications.choices import DeliveryState
from notifications.delivery import notify, notify_unit_webhook
from notifications.models import Notification, WebhookDelivery
from notifications.services import calendar_feed_for
from projects.models import FormalityStep, FormalityTemplate
from projects.services.formalities import project_formalities_instantiate
from projects.services.progress import progress_submit
from projects.services.projects import milestone_add, project_create
from stationing.choices import StationingNotice
from stationing.models import ReportPeriod
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_save_draft,
    report_submit,
    work_plan_get_or_create,
    work_plan_save_draft,
    work_plan_submit,
)
from supervision.choices import Level, SupervisionNotice
from supervision.services import (
    appraisal_publish,
    appraisal_run_create,
    bulletin_generate,
    bulletin_publish,
    calendar_day_save,
    review_request_create,
    ticket_accept,
    ticket_assign,
    ticket_attach,
    ticket_create,
    ticket_progress,
)

from .factories import (
    AssignmentFactory,
    EnterpriseFactory,
    IndicatorFactory,
    ProgrammeFactory,
    RegionFactory,
    SurveyFactory,
    UnitFactory,
    WorkGroupFactory,
    make_person,
)

ROLES = ("anonymous", "office", "leader", "cadre", "department", "enterprise")
# Whose object is "someone else's" for each role (see the module docstring).
OTHER = {
    "anonymous": None,
    "office": 2,
    "leader": 2,
    "cadre": 1,
    "department": 1,
    "enterprise": 1,
}


def sh(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


# The walk runs on a Friday in the programme's third month: the appraisal (as of 30 April) was
# published on Wednesday and its review window is open.
WALK_MOMENT = sh(2026, 5, 8, 10, 0)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _county(tag: str, name: str, *, two: bool):
    """Units, enterprises, a programme and its people; with `two`, two of each below."""
    c = SimpleNamespace()
    c.county = UnitFactory(
        name=f"{name}人民政府",
        level="county",
        kind="government",
        is_dispatching=False,
        is_responsible=False,
    )
    c.towns = [RegionFactory(name=f"{name}{n}镇", parent=c.county) for n in "东西"[: 1 + two]]
    c.bureaus = [
        UnitFactory(name=f"{name}{label}", parent=c.county)
        for label in ("财政局", "发展和改革局")[: 1 + two]
    ]
    c.enterprises = [
        EnterpriseFactory(name=f"{name}{label}有限公司", region=town)
        for label, town in zip(("甲机械", "乙纺织"), c.towns, strict=False)
    ]
    c.programme = ProgrammeFactory(name=f"2026年{name}干部驻企", organiser=c.county)
    c.office = make_person(f"office{tag}", [Role.OFFICE], name=f"{name}督查员", unit=c.county)
    c.leader = make_person(f"leader{tag}", [Role.LEADER], name=f"{name}县长", unit=c.county)
    c.group = WorkGroupFactory(programme=c.programme, name="第一工作组", leader=c.leader)
    # The cadre of the second enterprise comes from the first bureau and vice versa, so a
    # cadre's dispatching unit is never the unit that handles their enterprise's ticket.
    c.cadres, c.handlers, c.contacts, c.assignments = [], [], [], []
    for n, enterprise in enumerate(c.enterprises):
        suffix = f"{tag}{n + 1}"
        cadre = make_person(
            f"cadre{suffix}",
            [Role.CADRE],
            name=f"{name}干部{n + 1}",
            phone=f"137{'ab'.index(tag)}{n}000001",
            unit=c.bureaus[(n + 1) % len(c.bureaus)],
        )
        c.cadres.append(cadre)
        c.handlers.append(
            make_person(
                f"department{suffix}",
                [Role.DEPARTMENT],
                name=f"{name}经办人{n + 1}",
                unit=c.bureaus[n],
            )
        )
        c.contacts.append(
            make_person(
                f"enterprise{suffix}",
                [Role.ENTERPRISE],
                name=f"{name}联络人{n + 1}",
                enterprise=enterprise,
            )
        )
        c.assignments.append(
            AssignmentFactory(
                programme=c.programme,
                cadre=cadre.profile,
                enterprise=enterprise,
                work_group=c.group,
                role="leader",
            )
        )
    programme_sync_periods(programme=c.programme)
    c.periods = list(ReportPeriod.objects.filter(programme=c.programme).order_by("start"))
    return c


def _stationing_data(c):
    """Per stationing: a submitted plan, a submitted report of period 1 with a problem, a draft
    report of period 2; per enterprise a survey and a month's figures."""
    c.plans, c.reports, c.drafts, c.problems, c.surveys, c.indicators = [], [], [], [], [], []
    for cadre, assignment in zip(c.cadres, c.assignments, strict=True):
        enterprise = assignment.enterprise
        with time_machine.travel(sh(2026, 3, 6, 9), tick=False):
            plan = work_plan_get_or_create(programme=c.programme, enterprise=enterprise, by=cadre)
            plan = work_plan_save_draft(
                plan=plan,
                by=cadre,
                expected_version=None,
                summary="一企一策",
                items=[
                    {
                        "area": "strategy",
                        "title": "技改项目",
                        "target": "完成立项",
                        "owner": "张",
                        "due_date": datetime.date(2026, 6, 30),
                    }
                ],
            )
            c.plans.append(work_plan_submit(plan=plan, by=cadre))
        with time_machine.travel(sh(2026, 3, 16, 9), tick=False):
            report = report_get_or_create_draft(
                assignment=assignment, period=c.periods[0], by=cadre
            )
            report = report_save_draft(
                report=report,
                by=cadre,
                expected_version=None,
                fields={
                    "work_done": "走访企业",
                    "days_on_site": 8,
                    "behind_reason": "设备未到",
                    "remedy": "催促供应商",
                },
                problems=["新厂区用电报装排队三个月"],
            )
            c.problems.append(report.problems.get())
            c.reports.append(report_submit(report=report, by=cadre))
        with time_machine.travel(sh(2026, 4, 2, 9), tick=False):
            draft = report_get_or_create_draft(assignment=assignment, period=c.periods[1], by=cadre)
            c.drafts.append(
                report_save_draft(
                    report=draft,
                    by=cadre,
                    expected_version=None,
                    fields={"work_done": "起草中"},
                )
            )
        c.surveys.append(SurveyFactory(enterprise=enterprise))
        c.indicators.append(IndicatorFactory(enterprise=enterprise))


def _tickets(c):
    """Per enterprise a ticket raised by its cadre, assigned to the bureau of the same index and
    in progress there, with a PDF attached."""
    c.tickets, c.attachments = [], []
    for cadre, enterprise, unit, handler in zip(
        c.cadres, c.enterprises, c.bureaus, c.handlers, strict=False
    ):
        with time_machine.travel(sh(2026, 4, 20, 9), tick=False):
            ticket = ticket_create(
                by=cadre,
                enterprise=enterprise,
                category="utilities",
                title="用电增容",
                description="新生产线需增容",
            )
            ticket_accept(ticket=ticket, by=c.office)
            ticket = ticket_assign(
                ticket=ticket, by=c.office, level=Level.SYSTEM, responsible_unit=unit
            )
            ticket = ticket_progress(ticket=ticket, by=handler, comment="已对接")
            upload = SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
            c.attachments.append(ticket_attach(ticket=ticket, by=cadre, upload=upload))
        c.tickets.append(ticket)


def _projects(c):
    """Per enterprise a key project whose team is its cadre, with a milestone, April's progress
    (with a problem) and the enterprise formality chain."""
    c.projects, c.milestones, c.project_problems, c.formalities = [], [], [], []
    template = FormalityTemplate.objects.get(kind="enterprise")
    for n, (cadre, enterprise) in enumerate(zip(c.cadres, c.enterprises, strict=False)):
        with time_machine.travel(sh(2026, 4, 1, 9), tick=False):
            project = project_create(
                by=c.office,
                programme=c.programme,
                name=f"{enterprise.name}技改项目",
                category="industry",
                total_investment=Decimal("50000"),
                plan_year=2026,
                year_planned_investment=Decimal("12000"),
                enterprise=enterprise,
                leader=c.leader,
                lead_unit=c.bureaus[n],
                region=c.towns[n],
                stage="sign",
                start_date=datetime.date(2026, 4, 1),
                team_leader=cadre.profile,
            )
            c.milestones.append(
                milestone_add(
                    project=project,
                    by=c.office,
                    title="开工",
                    planned_date=datetime.date(2026, 6, 1),
                )
            )
            c.formalities.append(
                project_formalities_instantiate(project=project, template=template, by=c.office)[0]
            )
        with time_machine.travel(sh(2026, 5, 3, 9), tick=False):
            progress = progress_submit(
                project=project,
                by=cadre,
                month=datetime.date(2026, 4, 1),
                investment_month=Decimal("300"),
                work_done="完成设备招标",
                problems=["环评批复未下达"],
            )
        c.project_problems.append(progress.problems.get())
        c.projects.append(project)


def _bulletins_and_appraisal(c, *, two: bool):
    """The bulletin of period 1, published (and, with `two`, a draft of period 2); the appraisal
    as of 30 April, published (and, with `two`, a later draft rerun); a review request of each
    cadre's result."""
    with time_machine.travel(sh(2026, 3, 20, 9), tick=False):
        bulletin = bulletin_generate(period=c.periods[0], by=c.office)
        c.bulletins = [bulletin_publish(bulletin=bulletin, by=c.office)]
    if two:
        with time_machine.travel(sh(2026, 4, 5, 9), tick=False):
            c.bulletins.append(bulletin_generate(period=c.periods[1], by=c.office))
    with time_machine.travel(sh(2026, 5, 6, 9), tick=False):
        run = appraisal_run_create(
            programme=c.programme, as_of=datetime.date(2026, 4, 30), by=c.office
        )
        c.runs = [appraisal_publish(run=run, by=c.office)]
    c.results = [run.cadres.get(cadre=cadre.profile) for cadre in c.cadres]
    with time_machine.travel(sh(2026, 5, 7, 9), tick=False):
        c.reviews = [
            review_request_create(result=result, by=cadre, reason="第1期按时报送")
            for result, cadre in zip(c.results, c.cadres, strict=True)
        ]
        if two:
            c.runs.append(
                appraisal_run_create(
                    programme=c.programme,
                    as_of=datetime.date(2026, 4, 30),
                    by=c.office,
                    reason="复核",
                )
            )


def _failed_deliveries(c):
    (failed,) = notify(
        kind=StationingNotice.REPORT_RETURNED,
        recipients=[c.cadres[0]],
        object_key=f"walk-failed:{c.county.pk}",
        subject="发送失败的邮件",
        body="内容",
        link="/reports/",
    )
    Notification.objects.filter(pk=failed.pk).update(
        email_state=DeliveryState.FAILED, email_attempts=5, email_error="SMTPRecipientsRefused"
    )
    unit = c.bureaus[0]
    unit.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WALK"
    unit.save()
    delivery = notify_unit_webhook(
        unit=unit,
        kind=SupervisionNotice.TICKET_ASSIGNED,
        object_key=f"walk:{unit.pk}",
        text="新交办",
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED, attempts=5, error="timed out"
    )
    c.failed_email, c.failed_webhook = failed, delivery


def build_world() -> SimpleNamespace:
    a = _county("a", "示范县", two=True)
    b = _county("b", "邻县", two=False)
    for county, two in ((a, True), (b, False)):
        _stationing_data(county)
        _tickets(county)
        _projects(county)
        _bulletins_and_appraisal(county, two=two)
        _failed_deliveries(county)

    users = {
        "anonymous": None,
        "office": a.office,
        "leader": a.leader,
        "cadre": a.cadres[0],
        "department": a.handlers[0],
        "enterprise": a.contacts[0],
    }
    # Everyone's own inbox row; a2 is a colleague's, b one in the other county.
    inbox = {}
    for person in [*users.values(), a.cadres[1], b.cadres[0]]:
        if person is not None:
            (inbox[person.pk],) = notify(
                kind=StationingNotice.REPORT_RETURNED,
                recipients=[person],
                object_key=f"walk:{person.pk}",
                subject="半月报被退回",
                body="请补充",
                link="/reports/",
            )
    # Shared by all programmes: two of each, so the office's first delete leaves the second.
    days = [
        calendar_day_save(by=a.office, date=day, is_workday=True, name="调休上班")
        for day in (datetime.date(2031, 1, 4), datetime.date(2031, 1, 5))
    ]
    steps = list(FormalityStep.objects.filter(template__kind="enterprise").order_by("pk")[:2])

    def three(name):
        one, other = getattr(a, name), getattr(b, name)
        return (one[0], one[1], other[0])

    objects = {
        name: three(name)
        for name in (
            "cadres",
            "enterprises",
            "assignments",
            "plans",
            "reports",
            "drafts",
            "problems",
            "surveys",
            "indicators",
            "tickets",
            "attachments",
            "projects",
            "milestones",
            "project_problems",
            "formalities",
            "results",
            "reviews",
        )
    }
    # Where county A has one of a kind, a2 is county B's too (or county A's draft).
    objects.update(
        {
            # Cadre pages and the API take the profile (stationing.selectors.cadre_list).
            "cadres": tuple(user.profile for user in objects["cadres"]),
            "programmes": (a.programme, b.programme, b.programme),
            "groups": (a.group, b.group, b.group),
            "periods": (a.periods[0], b.periods[0], b.periods[0]),
            "bulletins": (a.bulletins[0], a.bulletins[1], b.bulletins[0]),
            "runs": (a.runs[0], a.runs[1], b.runs[0]),
            "units": (a.bureaus[0], a.bureaus[1], b.bureaus[0]),
            "failed_emails": (a.failed_email, a.failed_email, b.failed_email),
            "failed_webhooks": (a.failed_webhook, a.failed_webhook, b.failed_webhook),
            "calendar_days": (days[0], days[1], days[1]),
            "formality_steps": (steps[0], steps[1], steps[1]),
        }
    )
    reset_user = a.cadres[1]
    return SimpleNamespace(
        a=a,
        b=b,
        users=users,
        objects=objects,
        inbox=inbox,
        colleague=a.cadres[1],
        stranger=b.cadres[0],
        feed_token=calendar_feed_for(user=a.cadres[0]).token,
        reset_uid=urlsafe_base64_encode(force_bytes(reset_user.pk)),
        reset_token=default_token_generator.make_token(reset_user),
    )
