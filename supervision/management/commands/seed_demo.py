"""Load the demo county programme (stationing/demo_data.py) and print one login per role.

Every object is looked up by its natural key (unit name, phone, username, credit code, programme
name, work group name, assignment triple, survey date, indicator month) and created through the
services only when missing. Existing rows are never changed, so a second run writes nothing.

Then the programme's life so far (stationing/demo_activity.py), relative to the day it runs:
work plans (one per programme and enterprise), half-monthly reports (one per assignment and
period) and problem tickets (one per enterprise and title), each written only when its natural
key is missing, with the services' `at=` back-filling when it really happened. A second run on
the same day writes nothing; a run on a later day adds what has come due since.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.choices import Role
from core.models import Profile, Unit
from core.services import person_create, unit_create
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.services import enterprise_create, indicator_create, survey_create
from projects.choices import STAGE_ORDER
from projects.models import KeyProject, ProjectProblem
from projects.permissions import due_day
from projects.selectors import project_settings
from projects.services import milestone_add, progress_submit, project_create
from stationing.choices import PlanState, ReportState
from stationing.models import (
    Assignment,
    Programme,
    ProgressReport,
    ReportProblem,
    WorkGroup,
    WorkPlan,
    WorkPlanItem,
)
from stationing.services import (
    ITEM_FIELDS,
    assignment_create,
    behind_items,
    programme_create,
    report_get_or_create_draft,
    report_return,
    report_review,
    report_save_draft,
    report_submit,
    work_group_create,
    work_plan_approve,
    work_plan_get_or_create,
    work_plan_return,
    work_plan_save_draft,
    work_plan_submit,
)
from supervision.demo import activity as demo_activity
from supervision.demo import data as demo_data
from supervision.demo import projects as demo_projects
from supervision.models import Ticket
from supervision.services import (
    ticket_accept,
    ticket_answer,
    ticket_assign,
    ticket_create,
    ticket_escalate_overdue,
    ticket_progress,
    ticket_rate,
    ticket_reject,
    ticket_request_extension,
    ticket_withdraw,
)
from supervision.workdays import WorkCalendar

# The programme needs to have run a while before it has a history worth showing.
ACTIVITY_AFTER_DAYS = 40
# The demo's key projects are the programme's first year's list.
PROGRAMME_YEAR = demo_data.PROGRAMME_START.year


def project_due_day_for(programme) -> int:
    return due_day(project_settings(programme.pk))


class Command(BaseCommand):
    help = "Load the demo county programme (safe to run again) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo logins share a published password.",
        )
        parser.add_argument(
            "--report-periods",
            type=int,
            default=demo_activity.REPORT_WINDOW,
            metavar="N",
            help="Write half-monthly reports only for the last N periods already due "
            "(default: all of them; fewer is quicker, but the earlier periods then show as "
            "missed in the submission matrix).",
        )

    def handle(self, *args, force=False, report_periods=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and the demo accounts use a "
                "published password. Use --force if this really is a demo server."
            )
        if report_periods is not None and report_periods < 0:
            raise CommandError("--report-periods must be 0 or more.")
        self.created = 0
        county = demo_data.build()
        with transaction.atomic():
            units = self._units(county)
            admin = self._admin(units)
            people = self._people(county, units, enterprises={})
            # The office sets the programme up, so it is recorded as the last editor.
            office = User.objects.get(username=demo_data.DEMO_USERNAMES["office"])
            enterprises = self._enterprises(county, units, by=office)
            people = self._people(county, units, enterprises)
            programme = self._programme(units, by=office)
            groups = self._work_groups(county, programme, people, by=office)
            self._assignments(county, programme, groups, people, enterprises, by=office)
            self._surveys_and_indicators(county, enterprises, people)
            activity = self._activity(
                county, programme, units, people, enterprises, office, report_periods
            )
        self.stdout.write(
            f"Demo county {demo_data.COUNTY}: {len(county.enterprises)} key enterprises, "
            f"{sum(1 for p in county.people if 'cadre' in p.roles)} cadres, "
            f"{len(county.work_groups)} work groups{activity}. "
            + (f"{self.created} objects created." if self.created else "Nothing to change.")
        )
        self._print_logins(admin)

    # --- helpers: find by natural key, else create through the service ------------------------

    def _units(self, county) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for data in county.units:
            unit = Unit.objects.filter(name=data.name).first()
            if unit is None:
                unit = unit_create(
                    by=None,
                    name=data.name,
                    short_name=data.short_name,
                    level=data.level,
                    kind=data.kind,
                    parent=units[data.parent] if data.parent else None,
                    is_dispatching=data.is_dispatching,
                    is_responsible=data.is_responsible,
                )
                self.created += 1
            units[data.name] = unit
        return units

    def _admin(self, units) -> User:
        username = demo_data.DEMO_USERNAMES["admin"]
        user = User.objects.filter(username=username).first()
        if user is None:
            profile = person_create(
                by=None,
                name="系统管理员",
                roles=[Role.OFFICE],
                username=username,
                password=demo_data.DEMO_PASSWORD,
                unit=units[demo_data.COUNTY_GOVERNMENT],
                title="系统管理员",
            )
            user = profile.user
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            self.created += 1
        return user

    def _people(self, county, units, enterprises) -> dict[str, Profile]:
        """Create everyone whose unit or enterprise exists yet (contacts wait for enterprises)."""
        people: dict[str, Profile] = {}
        for data in county.people:
            if data.enterprise_code and data.enterprise_code not in enterprises:
                continue
            profile = Profile.objects.select_related("user").filter(phone=data.phone).first()
            if profile is None:
                if data.username and User.objects.filter(username=data.username).exists():
                    raise CommandError(
                        f"User {data.username!r} exists but is not the demo person with phone "
                        f"{data.phone}; rename that user or use a fresh database."
                    )
                demo_login = data.username is not None
                profile = person_create(
                    by=None,
                    name=data.name,
                    roles=list(data.roles),
                    username=data.username,
                    # Only the demo logins can sign in; everyone else waits for the office.
                    password=demo_data.DEMO_PASSWORD if demo_login else None,
                    phone=data.phone,
                    unit=units[data.unit] if data.unit else None,
                    enterprise=enterprises[data.enterprise_code] if data.enterprise_code else None,
                    rank=data.rank,
                    title=data.title,
                )
                self.created += 1
            people[data.phone] = profile
        return people

    def _enterprises(self, county, units, *, by) -> dict[str, Enterprise]:
        enterprises: dict[str, Enterprise] = {}
        for data in county.enterprises:
            enterprise = Enterprise.objects.filter(credit_code=data.credit_code).first()
            if enterprise is None:
                enterprise = enterprise_create(
                    by=by,
                    name=data.name,
                    credit_code=data.credit_code,
                    industry=data.industry,
                    industry_detail=data.industry_detail,
                    ownership=data.ownership,
                    size=data.size,
                    region=units[data.region],
                    address=data.address,
                    legal_representative=data.legal_representative,
                    contact_name=data.contact_name,
                    contact_phone=data.contact_phone,
                    employees=data.employees,
                    main_products=data.main_products,
                    is_key=True,
                    listing_status=data.listing_status,
                )
                self.created += 1
            enterprises[data.credit_code] = enterprise
        return enterprises

    def _programme(self, units, *, by) -> Programme:
        programme = Programme.objects.filter(name=demo_data.PROGRAMME_NAME).first()
        if programme is None:
            programme = programme_create(
                by=by,
                name=demo_data.PROGRAMME_NAME,
                organiser=units[demo_data.COUNTY_GOVERNMENT],
                start_date=demo_data.PROGRAMME_START,
                end_date=demo_data.PROGRAMME_END,
                status="active",
                description=demo_data.PROGRAMME_DESCRIPTION,
                report_due_days=3,
                plan_due_days=7,
                growth_targets=demo_data.GROWTH_TARGETS,
            )
            self.created += 1
        return programme

    def _work_groups(self, county, programme, people, *, by) -> dict[str, WorkGroup]:
        groups: dict[str, WorkGroup] = {}
        for data in county.work_groups:
            group = WorkGroup.objects.filter(programme=programme, name=data.name).first()
            if group is None:
                group = work_group_create(
                    by=by,
                    programme=programme,
                    name=data.name,
                    leader=people[data.leader_phone].user,
                    description=data.description,
                )
                self.created += 1
            groups[data.name] = group
        return groups

    def _assignments(self, county, programme, groups, people, enterprises, *, by) -> None:
        for data in county.assignments:
            cadre = people[data.cadre_phone]
            enterprise = enterprises[data.enterprise_code]
            exists = Assignment.objects.filter(
                programme=programme, cadre=cadre, enterprise=enterprise
            ).exists()
            if not exists:
                assignment_create(
                    by=by,
                    programme=programme,
                    cadre=cadre,
                    enterprise=enterprise,
                    work_group=groups[data.work_group],
                    start_date=demo_data.STATIONED_ON,
                    role=data.role,
                )
                self.created += 1

    def _surveys_and_indicators(self, county, enterprises, people) -> None:
        # The group leader (组长) at each enterprise surveyed it and reports its figures.
        reporter = {
            a.enterprise_code: people[a.cadre_phone].user
            for a in county.assignments
            if a.role == "leader"
        }
        for data in county.enterprises:
            enterprise = enterprises[data.credit_code]
            cadre_user = reporter[data.credit_code]
            survey = data.survey
            if not EnterpriseSurvey.objects.filter(
                enterprise=enterprise, surveyed_on=survey.surveyed_on
            ).exists():
                survey_create(
                    by=cadre_user,
                    enterprise=enterprise,
                    surveyed_on=survey.surveyed_on,
                    fixed_assets=survey.fixed_assets,
                    output_value=survey.output_value,
                    sales=survey.sales,
                    profit_tax=survey.profit_tax,
                    main_markets=survey.main_markets,
                    equipment=survey.equipment,
                    renovation_plans=survey.renovation_plans,
                    difficulties=survey.difficulties,
                    suggestions=survey.suggestions,
                )
                self.created += 1
            existing = set(
                IndicatorReport.objects.filter(enterprise=enterprise).values_list(
                    "month", flat=True
                )
            )
            for row in data.indicators:
                if row.month in existing:
                    continue
                by = cadre_user if row.source == "cadre" else None
                indicator_create(
                    by=by,
                    enterprise=enterprise,
                    month=row.month,
                    output_value=row.output_value,
                    value_added=row.value_added,
                    revenue=row.revenue,
                    profit=row.profit,
                    tax=row.tax,
                    investment=row.investment,
                    employees=row.employees,
                    source=row.source,
                )
                self.created += 1

    # --- the programme so far: plans, reports, tickets --------------------------------------

    def _activity(self, county, programme, units, people, enterprises, office, window) -> str:
        now = timezone.now()
        today = timezone.localdate(now)
        if today < demo_data.STATIONED_ON + datetime.timedelta(days=ACTIVITY_AFTER_DAYS):
            return " (too early in the programme for plans, reports and tickets)"
        plans = demo_activity.build_plans(county, now)
        self._plans(plans, programme, people, enterprises, office)
        periods = [
            demo_activity.PeriodData(p.number, p.start, p.end, p.due_at)
            for p in programme.periods.order_by("number")
        ]
        report_plan = demo_activity.build_reports(county, plans, periods, now, window)
        self._reports(report_plan.reports, programme, people, enterprises, office)
        self._revisions(plans, programme, people, enterprises, office)
        source = report_plan.problem_source
        source_at = next(
            (
                report.submit_at
                for report in report_plan.reports
                if source and (report.cadre_phone, report.period_number) == source
            ),
            None,
        )
        tickets = demo_activity.build_tickets(county, now, _working_days_before(today), source_at)
        self._tickets(tickets, county, programme, units, people, enterprises, office, source)
        self._projects(county, programme, units, people, enterprises, office, today)
        counts = (
            WorkPlan.objects.filter(programme=programme).count(),
            ProgressReport.objects.filter(period__programme=programme).count(),
            Ticket.objects.filter(programme=programme).count(),
            KeyProject.objects.filter(programme=programme).count(),
        )
        return (
            ", {} work plans, {} half-monthly reports, {} tickets, {} key projects as of {}"
        ).format(*counts, today)

    def _projects(self, county, programme, units, people, enterprises, office, today) -> None:
        """Key projects (领导包项): each found by programme and name, created with its team and
        milestones when missing; then every month fallen due that has no progress yet is filed
        by the team head, and a problem becomes a ticket once."""
        leader_phones = [p.phone for p in county.people if "leader" in p.roles]
        due_day = project_due_day_for(programme)
        for data in demo_projects.build_projects(county, today, due_day, leader_phones):
            project = KeyProject.objects.filter(programme=programme, name=data.name).first()
            team = [people[phone] for phone in data.team_phones]
            if project is None:
                project = project_create(
                    by=office,
                    programme=programme,
                    name=data.name,
                    category=data.category,
                    industry_chain=data.industry_chain,
                    description=data.description,
                    total_investment=data.total_investment,
                    plan_year=PROGRAMME_YEAR,
                    year_planned_investment=data.year_planned_investment,
                    enterprise=enterprises[data.enterprise_code] if data.enterprise_code else None,
                    leader=people[data.leader_phone].user,
                    lead_unit=units[data.lead_unit],
                    co_units=[units[name] for name in data.co_units],
                    region=units[data.region],
                    stage=data.start_stage,
                    start_date=data.start_date,
                    end_date=data.end_date,
                    team_leader=team[0],
                    team_members=team[1:],
                )
                # Registered when the programme began: its monthly progress is owed from then.
                KeyProject.objects.filter(pk=project.pk).update(
                    created_at=demo_activity.at(demo_data.PROGRAMME_START, 9)
                )
                project.refresh_from_db()
                for milestone in data.milestones:
                    milestone_add(
                        project=project,
                        by=office,
                        title=milestone.title,
                        planned_date=milestone.planned,
                        actual_date=milestone.actual,
                    )
                self.created += 1
            filed = set(project.progress_reports.values_list("month", flat=True))
            head = team[0].user
            for row in data.progress:
                if row.month in filed:
                    continue
                project.refresh_from_db()
                # A run on a later day may find the project further on than this month's plan.
                stage = max(row.stage, project.stage, key=STAGE_ORDER.index)
                progress_submit(
                    project=project,
                    by=head,
                    month=row.month,
                    investment_month=row.investment,
                    stage_reached=stage,
                    work_done=row.work_done,
                    next_steps=row.next_steps,
                    problems=row.problems,
                    at=row.filed_at,
                )
                self.created += 1
            self._project_ticket(data, project, head, enterprises)

    def _project_ticket(self, data, project, head, enterprises) -> None:
        if data.ticket is None or data.enterprise_code is None:
            return
        problem = (
            ProjectProblem.objects.filter(progress__project=project, ticket__isnull=True)
            .select_related("progress")
            .order_by("-progress__month", "position")
            .first()
        )
        if problem is None or Ticket.objects.filter(project=project).exists():
            return
        ticket_create(
            by=head,
            enterprise=enterprises[data.enterprise_code],
            category=data.ticket.category,
            urgency=data.ticket.urgency,
            title=data.ticket.title,
            description=problem.description,
            project_problem=problem,
            at=problem.progress.submitted_at + datetime.timedelta(hours=1),
        )
        self.created += 1

    def _plans(self, plans, programme, people, enterprises, office) -> None:
        existing = set(
            WorkPlan.objects.filter(programme=programme).values_list(
                "enterprise__credit_code", flat=True
            )
        )
        for data in plans:
            if data.submitted_at is None or data.enterprise_code in existing:
                continue
            author = people[data.author_phone].user
            plan = work_plan_get_or_create(
                programme=programme, enterprise=enterprises[data.enterprise_code], by=author
            )
            plan = work_plan_save_draft(
                plan=plan,
                by=author,
                expected_version=None,
                summary=data.summary,
                items=[item.form() for item in data.items],
            )
            plan = work_plan_submit(plan=plan, by=author, at=data.submitted_at)
            work_plan_approve(plan=plan, by=office, at=data.approved_at)
            self.created += 1

    def _revisions(self, plans, programme, people, enterprises, office) -> None:
        for data in plans:
            revision = data.revision
            if revision is None:
                continue
            plan = WorkPlan.objects.filter(
                programme=programme, enterprise=enterprises[data.enterprise_code]
            ).first()
            if plan is None or plan.latest_number > 1 or plan.state != PlanState.APPROVED:
                continue  # revised already (or not the approved plan this story starts from)
            author = people[data.author_phone].user
            position, target = revision.target_change
            items = [
                {"id": item.pk, **{name: getattr(item, name) for name in ITEM_FIELDS}}
                for item in _active_items(plan)
            ]
            items[position]["target"] = target
            items += [item.form() for item in revision.new_items]
            plan = work_plan_save_draft(
                plan=plan, by=author, expected_version=None, summary=revision.summary, items=items
            )
            plan = work_plan_submit(plan=plan, by=author, at=revision.submitted_at)
            if revision.return_comment:
                work_plan_return(plan=plan, by=office, comment=revision.return_comment)
            self.created += 1

    def _reports(self, reports, programme, people, enterprises, office) -> None:
        assignments = {
            (a.cadre_id, a.enterprise_id): a for a in Assignment.objects.filter(programme=programme)
        }
        periods = {period.number: period for period in programme.periods.all()}
        existing = {
            (assignment_id, number): state
            for assignment_id, number, state in ProgressReport.objects.filter(
                period__programme=programme
            ).values_list("assignment_id", "period__number", "state")
        }
        item_ids: dict[int, list[int]] = {}
        items = WorkPlanItem.objects.filter(plan__programme=programme, is_active=True)
        for enterprise_id, item_id in items.order_by("plan_id", "position", "id").values_list(
            "plan__enterprise_id", "pk"
        ):
            item_ids.setdefault(enterprise_id, []).append(item_id)
        for data in reports:
            cadre = people[data.cadre_phone]
            enterprise = enterprises[data.enterprise_code]
            assignment = assignments[(cadre.pk, enterprise.pk)]
            state = existing.get((assignment.pk, data.period_number))
            # A draft left open by an earlier run (on an earlier day) is finished and submitted
            # once its period is due; anything else that exists stays as it is.
            if state is not None and (state != ReportState.DRAFT or data.submit_at is None):
                continue
            by = cadre.user
            report = report_get_or_create_draft(
                assignment=assignment, period=periods[data.period_number], by=by
            )
            self.created += 1
            if data.submit_at is None:
                # The demo cadre's report of the open period: begun, not yet finished.
                report_save_draft(
                    report=report,
                    by=by,
                    expected_version=None,
                    fields={"work_done": data.work_done},
                )
                continue
            ids = item_ids.get(enterprise.pk, [])
            report = report_save_draft(
                report=report,
                by=by,
                expected_version=None,
                fields={
                    "work_done": data.work_done,
                    "next_steps": data.next_steps,
                    "days_on_site": data.days_on_site,
                    "behind_reason": data.behind_reason,
                    "remedy": data.remedy,
                },
                item_progress=[
                    {"item": ids[position], "progress": progress, "status": status, "note": note}
                    for position, progress, status, note in data.items
                    if position < len(ids)
                ],
                problems=data.problems,
            )
            if len(ids) > len(data.items) and not data.behind_reason and behind_items(report):
                # A task added by a later plan revision is behind from the start.
                report = report_save_draft(
                    report=report,
                    by=by,
                    expected_version=None,
                    fields={
                        "behind_reason": "计划调整后新增的任务刚刚启动。",
                        "remedy": "已制定推进时间表，下期起按进度推进。",
                    },
                )
            report = report_submit(report=report, by=by, at=data.submit_at)
            if data.return_reason:
                report_return(report=report, by=office, reason=data.return_reason)
            elif data.rating:
                report_review(
                    report=report, by=office, rating=data.rating, comment=data.review_comment
                )

    def _tickets(
        self, tickets, county, programme, units, people, enterprises, office, source
    ) -> None:
        leaders = {
            a.enterprise_code: people[a.cadre_phone].user
            for a in county.assignments
            if a.role == "leader"
        }
        group_leaders = {g.name: people[g.leader_phone].user for g in county.work_groups}
        group_of = {a.enterprise_code: a.work_group for a in county.assignments}
        contacts, handlers = {}, {}
        for person in county.people:
            if person.enterprise_code:
                contacts[person.enterprise_code] = people[person.phone].user
            elif "department" in person.roles:
                handlers[person.unit] = people[person.phone].user
        existing = set(
            Ticket.objects.filter(enterprise__in=enterprises.values()).values_list(
                "enterprise__credit_code", "title"
            )
        )
        for data in tickets:
            if (data.enterprise_code, data.title) in existing:
                continue
            enterprise = enterprises[data.enterprise_code]
            raiser = (leaders if data.raiser == "cadre" else contacts)[data.enterprise_code]
            problem = None
            if data.from_report and source:
                problem = ReportProblem.objects.filter(
                    report__assignment__cadre=people[source[0]],
                    report__assignment__programme=programme,
                    report__period__number=source[1],
                    position=0,
                    ticket__isnull=True,
                ).first()
            ticket = ticket_create(
                by=raiser,
                enterprise=enterprise,
                category=data.category,
                urgency=data.urgency,
                title=data.title,
                description=data.description,
                report_problem=problem,
                at=data.raised_at,
            )
            self.created += 1
            for step in data.steps:
                handler = handlers.get(
                    ticket.responsible_unit.name if ticket.responsible_unit else ""
                )
                if step.kind == "accept":
                    ticket = ticket_accept(ticket=ticket, by=office, at=step.at)
                elif step.kind == "assign":
                    leader = group_leaders[group_of[data.enterprise_code]]
                    ticket = ticket_assign(
                        ticket=ticket,
                        by=office,
                        level=step.level,
                        responsible_unit=units[step.unit],
                        co_units=[units[name] for name in step.co_units],
                        leader=leader if step.with_leader else None,
                        at=step.at,
                    )
                elif step.kind == "progress":
                    ticket = ticket_progress(ticket=ticket, by=handler, comment=step.text)
                elif step.kind == "extension":
                    ticket = ticket_request_extension(
                        ticket=ticket, by=handler, days=step.days, reason=step.text
                    )
                elif step.kind == "answer":
                    ticket = ticket_answer(ticket=ticket, by=handler, answer=step.text)
                elif step.kind == "rate":
                    ticket = ticket_rate(
                        ticket=ticket,
                        by=contacts[data.enterprise_code],
                        satisfaction=step.satisfaction,
                        comment=step.text,
                    )
                elif step.kind == "reject":
                    ticket = ticket_reject(ticket=ticket, by=office, reason=step.text)
                elif step.kind == "withdraw":
                    ticket = ticket_withdraw(
                        ticket=ticket, by=contacts[data.enterprise_code], reason=step.text
                    )
                elif step.kind == "escalate_overdue":
                    ticket_escalate_overdue(ticket=ticket)
                else:
                    raise CommandError(f"Unknown ticket step {step.kind!r}")

    def _print_logins(self, admin: User) -> None:
        labels = dict(Role.choices)
        rows = []
        for role in ("office", "cadre", "department", "enterprise", "leader"):
            username = demo_data.DEMO_USERNAMES[role]
            profile = Profile.objects.select_related("unit", "enterprise").get(
                user__username=username
            )
            where = profile.enterprise.name if profile.enterprise else profile.unit.name
            rows.append((username, f"{labels[role]} {profile.name}，{where}"))
        rows.append((admin.username, "系统管理员，可进入 /admin/"))
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password for all: {demo_data.DEMO_PASSWORD} - demo only, "
                "never on a real server):"
            )
        )
        for username, who in rows:
            self.stdout.write(f"  {username:<11} {who}")
        if not admin.check_password(demo_data.DEMO_PASSWORD):
            self.stdout.write(
                self.style.WARNING(
                    f"  (user {admin.username!r} existed before; password unchanged)"
                )
            )


def _working_days_before(today: datetime.date):
    """n -> the n-th working day before today on the official calendar (0: today itself)."""
    calendar = WorkCalendar.around(today)
    days: list[datetime.date] = []

    def working_day_before(n: int) -> datetime.date:
        day = days[-1] if days else today
        while len(days) < n:
            day -= datetime.timedelta(days=1)
            if calendar.is_workday(day):
                days.append(day)
        return days[n - 1] if n else today

    return working_day_before


def _active_items(plan: WorkPlan) -> list[WorkPlanItem]:
    return list(plan.items.filter(is_active=True).order_by("position", "id"))
