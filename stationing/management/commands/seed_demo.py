"""Load the demo county programme (stationing/demo_data.py) and print one login per role.

Every object is looked up by its natural key (unit name, phone, username, credit code, programme
name, work group name, assignment triple, survey date, indicator month) and created through the
services only when missing. Existing rows are never changed, so a second run writes nothing.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from enterprises.services import enterprise_create, indicator_create, survey_create
from stationing import demo_data
from stationing.choices import Role
from stationing.models import Assignment, Profile, Programme, Unit, WorkGroup
from stationing.services import (
    assignment_create,
    person_create,
    programme_create,
    unit_create,
    work_group_create,
)


class Command(BaseCommand):
    help = "Load the demo county programme (safe to run again) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo logins share a published password.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and the demo accounts use a "
                "published password. Use --force if this really is a demo server."
            )
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
        self.stdout.write(
            f"Demo county {demo_data.COUNTY}: {len(county.enterprises)} key enterprises, "
            f"{sum(1 for p in county.people if 'cadre' in p.roles)} cadres, "
            f"{len(county.work_groups)} work groups. "
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

    def _print_logins(self, admin: User) -> None:
        labels = dict(Role.choices)
        rows = []
        for role in ("office", "cadre", "department", "enterprise", "leader"):
            username = demo_data.DEMO_USERNAMES[role]
            profile = Profile.objects.select_related("unit", "enterprise").get(
                user__username=username
            )
            where = profile.enterprise.name if profile.enterprise else profile.unit.name
            rows.append((username, f"{labels[role]} {profile.name},{where}"))
        rows.append((admin.username, "系统管理员,可进入 /admin/"))
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
