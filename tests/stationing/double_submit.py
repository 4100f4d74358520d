"""Two submits of one report at the same moment (a double tap, two tabs), shared by the
PostgreSQL test and the SQLite run (`main()`, in a subprocess of test_double_submit.py, on a
fresh SQLite file)."""

import datetime
import json
import threading

from django.db import connection
from django.test import Client
from django.urls import reverse

from core.choices import Role
from stationing.models import ProgressReport, ProgressReportVersion, ReportPeriod
from stationing.services import (
    programme_sync_periods,
    report_get_or_create_draft,
    report_save_draft,
)
from tests.factories import AssignmentFactory, EnterpriseFactory, ProgrammeFactory, make_person

# Period 1 is 1-15 March 2026, due 18 March: submitted the day before, on time.
MOMENT = "2026-03-17 10:00 +0800"


def scenario(n: int = 0) -> tuple:
    """A cadre's draft for period 1, filled in and ready to submit."""
    programme = ProgrammeFactory(start_date=datetime.date(2026, 3, 1))
    cadre = make_person(f"double_tap{n}", [Role.CADRE], name="赵干部", phone=f"1390000009{n}")
    assignment = AssignmentFactory(
        programme=programme, cadre=cadre.profile, enterprise=EnterpriseFactory()
    )
    programme_sync_periods(programme=programme)
    period = ReportPeriod.objects.get(programme=programme, number=1)
    report = report_get_or_create_draft(assignment=assignment, period=period, by=cadre)
    report = report_save_draft(
        report=report,
        by=cadre,
        expected_version=None,
        fields={"work_done": "走访企业，协调用电。", "days_on_site": 8},
    )
    return cadre, report


def submit_twice(cadre, report, second: str) -> dict:
    """Post the same submit from two threads released together: the page form twice (a
    double tap), or the page form and the API (`second` is "page" or "api")."""
    barrier = threading.Barrier(2)
    statuses = []
    page = (
        reverse("report-edit", args=[report.pk]),
        {
            "version": report.version,
            "work_done": report.work_done,
            "days_on_site": report.days_on_site,
            "action": "submit",
        },
    )
    api = (f"/api/v1/reports/{report.pk}/submit/", {"version": report.version})
    posts = [page, page if second == "page" else api]

    def submit(url, data):
        client = Client(raise_request_exception=False)
        client.force_login(cadre)
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    report.refresh_from_db()
    return {
        "statuses": sorted(statuses),
        "state": report.state,
        "submission_count": report.submission_count,
        "versions": ProgressReportVersion.objects.filter(report=report).count(),
        "reports": ProgressReport.objects.filter(assignment=report.assignment).count(),
    }


def main() -> None:
    """The SQLite run: migrate the (empty) file database, then the scenario; JSON out."""
    import time_machine
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # as under pytest: the test client's host, in-memory e-mail
    call_command("migrate", verbosity=0)
    outcomes = {}
    with time_machine.travel(MOMENT, tick=True):
        for n, second in enumerate(("page", "api")):
            cadre, report = scenario(n)
            outcomes[second] = submit_twice(cadre, report, second)
    print(json.dumps({"vendor": connection.vendor, **outcomes}))  # noqa: T201
