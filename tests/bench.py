"""Benchmark the main list pages and API endpoints on a county-sized registry.

    python -m tests.bench [--n 2000] [--repeat 15]      (or: make bench N=2000)

Builds N enterprises (each stationed with a cadre, six months of figures, twelve half-monthly
reports; a ticket for every fourth) in a throwaway database -- `bench_<name>` on PostgreSQL, in
memory on SQLite -- and times the enterprise list, the report submission matrix, the ticket list
and their API endpoints as the office (sees all N) and as a cadre (sees two), printing the
median and slowest time and the number of queries per request. The database is dropped at the
end. URLs that do not exist yet are reported as skipped.

Rows are written with bulk_create, not the services: this measures reads, and going through
full_clean for tens of thousands of rows would make the setup take minutes.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from datetime import date
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# WhiteNoise warns that STATIC_ROOT is missing before collectstatic; irrelevant to timing.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import NoReverseMatch, reverse  # noqa: E402

from core.choices import Role  # noqa: E402
from core.models import Profile  # noqa: E402
from core.ordering import natural_key, person_key  # noqa: E402
from core.services import ensure_role_groups, person_create, unit_create  # noqa: E402
from enterprises.models import Enterprise, IndicatorReport  # noqa: E402
from stationing.models import Assignment  # noqa: E402
from stationing.services import programme_create  # noqa: E402
from tests.factories import make_credit_code  # noqa: E402

TOWNSHIPS = 10
MONTHS = [date(2026, month, 1) for month in range(5, 11)]


def build(n: int) -> tuple[User, User]:
    """The registry: N key enterprises, N/2 cadres with two enterprises each. Returns the
    office user and one cadre user."""
    county = unit_create(by=None, name="基准县人民政府", level="county", kind="government")
    towns = [
        unit_create(
            by=None, name=f"基准县第{i}镇", level="township", kind="government", parent=county
        )
        for i in range(TOWNSHIPS)
    ]
    bureau = unit_create(
        by=None,
        name="基准县工业和信息化局",
        level="county",
        kind="department",
        parent=county,
        is_dispatching=True,
        is_responsible=True,
    )
    programme = programme_create(
        by=None,
        name="基准批次",
        organiser=county,
        start_date=date(2026, 3, 1),
        end_date=date(2027, 2, 28),
        status="active",
    )
    office = person_create(
        by=None, name="督查员", roles=[Role.OFFICE], username="bench-office", unit=county
    ).user

    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准企业{i:05d}有限公司",
            # bulk_create skips save(), which fills the key the lists order by.
            sort_key=natural_key(f"基准企业{i:05d}有限公司"),
            credit_code=make_credit_code(i),
            industry="C",
            industry_detail="机械制造",
            ownership="private",
            size="medium",
            region=towns[i % TOWNSHIPS],
            employees=100 + i % 900,
            main_products="机械配件",
            is_key=i % 4 != 0,
        )
        for i in range(n)
    )
    enterprises = list(Enterprise.objects.order_by("pk"))
    IndicatorReport.objects.bulk_create(
        IndicatorReport(
            enterprise=enterprise,
            month=month,
            output_value=Decimal(1000 + index % 500),
            value_added=Decimal(300),
            revenue=Decimal(950),
            profit=Decimal(60),
            tax=Decimal(30),
            employees=enterprise.employees,
        )
        for index, enterprise in enumerate(enterprises)
        for month in MONTHS
    )

    cadres = max(1, n // 2)
    User.objects.bulk_create(
        User(username=f"1380000{i:04d}", password="!")  # noqa: S106 - unusable password
        for i in range(cadres)
    )
    users = list(User.objects.filter(username__startswith="1380000").order_by("username"))
    cadre_group = ensure_role_groups()[Role.CADRE]
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=cadre_group.pk) for user in users
    )
    Profile.objects.bulk_create(
        Profile(
            user=user,
            name=f"干部{i:04d}",
            sort_key=person_key(f"干部{i:04d}"),
            phone=user.username,
            unit=bureau,
            rank="clerk",
        )
        for i, user in enumerate(users)
    )
    profiles = list(Profile.objects.filter(unit=bureau).order_by("phone"))
    Assignment.objects.bulk_create(
        Assignment(
            programme=programme,
            cadre=profiles[i // 2 % cadres],
            enterprise=enterprise,
            start_date=date(2026, 3, 2),
            role="leader" if i % 2 == 0 else "member",
        )
        for i, enterprise in enumerate(enterprises)
    )
    _reports_and_tickets(programme, bureau, office)
    assert Group.objects.filter(name=Role.CADRE).exists()
    return office, profiles[0].user


REPORT_PERIODS = 12


def _reports_and_tickets(programme, bureau, office) -> None:
    """Twelve half-months of reports per assignment, and one ticket per four enterprises."""
    from django.utils import timezone

    from stationing.models import ProgressReport, ReportPeriod
    from supervision.models import Ticket

    periods = list(ReportPeriod.objects.filter(programme=programme).order_by("number"))
    assignments = list(Assignment.objects.filter(programme=programme).order_by("pk"))
    ProgressReport.objects.bulk_create(
        ProgressReport(
            assignment=assignment,
            period=period,
            state="reviewed" if (a + p) % 5 else "submitted",
            work_done="走访企业，协调解决问题。",
            days_on_site=8,
            submitted_at=period.due_at,
            first_submitted_at=period.due_at,
            is_late=(a + p) % 11 == 0,
            submission_count=1,
            rating="good",
        )
        for a, assignment in enumerate(assignments)
        for p, period in enumerate(periods[:REPORT_PERIODS])
        if (a + p) % 13  # some missing, for the truancy list
    )
    now = timezone.now()
    Ticket.objects.bulk_create(
        Ticket(
            number=f"B-{i:06d}",
            enterprise_id=assignment.enterprise_id,
            programme=programme,
            raised_by=office,
            category="utilities",
            title=f"基准诉求{i}",
            description="用电增容",
            state="in_progress",
            level="system",
            responsible_unit=bureau,
            assigned_at=now - timezone.timedelta(days=i % 20),
            time_limit_days=10,
            deadline=now + timezone.timedelta(days=10 - i % 20),
            yellow_at=now + timezone.timedelta(days=7 - i % 20),
        )
        for i, assignment in enumerate(assignments[::4])
    )


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def time_requests(client: Client, url: str, repeat: int) -> tuple[int, list[float], int]:
    response = client.get(url)  # warm-up: templates, caches, connection
    if response.status_code != 200:
        return response.status_code, [], 0
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Count now: the next request resets the connection's query log the slice is taken from.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return 200, timings, query_count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="enterprises to create (2000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per URL (15)")
    args = parser.parse_args()

    setup_test_environment(debug=False)
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite":
        # Own name, so a concurrent pytest run's test_<name> database is never clobbered.
        settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        office, cadre = build(args.n)
        print(
            f"{connection.vendor}: built {args.n} enterprises, {args.n // 2} cadres, "
            f"{args.n * len(MONTHS)} monthly figures in {time.perf_counter() - started:.1f}s"
        )
        from stationing.models import Programme

        programme_id = Programme.objects.get().pk
        targets = [
            ("enterprise list page", url_or_none("enterprise-list")),
            ("API /api/v1/enterprises/", "/api/v1/enterprises/"),
            ("report matrix page", f"/programmes/{programme_id}/reports/"),
            ("API /api/v1/reports/", "/api/v1/reports/"),
            ("ticket list page", url_or_none("ticket-list")),
            ("API /api/v1/tickets/", "/api/v1/tickets/"),
        ]
        print(f"{'who':<8} {'what':<26} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for who, user in (("office", office), ("cadre", cadre)):
            client = Client()
            client.force_login(user)
            for what, url in targets:
                if url is None:
                    print(f"{who:<8} {what:<26} skipped: URL name not defined yet")
                    continue
                status, timings, queries = time_requests(client, url, args.repeat)
                if status != 200:
                    print(f"{who:<8} {what:<26} skipped: HTTP {status}")
                    continue
                print(
                    f"{who:<8} {what:<26} {statistics.median(timings):>10.1f} "
                    f"{max(timings):>8.1f} {queries:>8}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())
