import datetime
import io

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.dates import SHANGHAI
from stationing.choices import PeriodStatus
from stationing.models import ReportPeriod
from stationing.selectors import submission_matrix, truancy_list
from stationing.services import (
    report_get_or_create_draft,
    report_save_draft,
    report_submit,
)
from stationing.views import reports as report_views
from tests.factories import AssignmentFactory, ProfileFactory, UserFactory

NOW = datetime.datetime(2026, 4, 25, 12, tzinfo=SHANGHAI)  # periods 1-3 due, 4 open


def submit(assignment, period, when):
    report = report_get_or_create_draft(assignment=assignment, period=period, by=None)
    report = report_save_draft(
        report=report,
        by=None,
        expected_version=None,
        fields={"work_done": "工作", "days_on_site": 5},
    )
    with time_machine.travel(when, tick=False):
        return report_submit(report=report, by=None)


def test_cells_and_truancy(world, periods):
    submit(world.assignment_a, periods[1], datetime.datetime(2026, 3, 17, tzinfo=SHANGHAI))
    submit(world.assignment_a, periods[2], datetime.datetime(2026, 4, 10, tzinfo=SHANGHAI))
    matrix = submission_matrix(user=world.office, programme=world.programme, now=NOW)
    assert [p.number for p in matrix.periods] == [1, 2, 3, 4]
    rows = {row.assignment.pk: row for row in matrix.rows}
    a = [status for _p, _r, status in rows[world.assignment_a.pk].cells]
    assert a == [
        PeriodStatus.ON_TIME,
        PeriodStatus.LATE,
        PeriodStatus.MISSING,
        PeriodStatus.NOT_STARTED,
    ]
    b = rows[world.assignment_b.pk]
    assert (b.missed, b.missed_in_a_row, b.longest_run) == (3, 3, 3)
    assert [row.assignment.pk for row in truancy_list(matrix=matrix)] == [
        world.assignment_b.pk,
        world.assignment_a.pk,
    ]
    # Grouped by the dispatching unit.
    assert {unit.name for unit, _rows in matrix.groups} == {"示范县发展和改革局", "示范县财政局"}


def test_a_cadre_sees_only_their_own_row(world, periods):
    matrix = submission_matrix(user=world.cadre_a, programme=world.programme, now=NOW)
    assert [row.assignment.pk for row in matrix.rows] == [world.assignment_a.pk]


def _add_assignments(world, count):
    for _ in range(count):
        cadre = ProfileFactory(user=UserFactory(roles=["cadre"]), unit=world.dev_bureau)
        assignment = AssignmentFactory(
            programme=world.programme, cadre=cadre, enterprise=world.ent_b
        )
        submit(
            assignment,
            ReportPeriod.objects.get(programme=world.programme, number=1),
            datetime.datetime(2026, 3, 16, tzinfo=SHANGHAI),
        )


def test_matrix_queries_do_not_grow_with_rows(world, periods):
    _add_assignments(world, 3)
    submission_matrix(user=world.office, programme=world.programme, now=NOW)  # roles cached
    with CaptureQueriesContext(connection) as few:
        submission_matrix(user=world.office, programme=world.programme, now=NOW)
    _add_assignments(world, 25)
    with CaptureQueriesContext(connection) as many:
        matrix = submission_matrix(user=world.office, programme=world.programme, now=NOW)
    assert len(matrix.rows) == 30
    assert len(many) == len(few)


def test_the_matrix_page_shows_a_page_of_rows_and_exports_them_all(
    world, periods, client, monkeypatch
):
    """A province's programme has 10,000 stationings: the page shows MATRIX_PAGE_SIZE of them
    in the matrix's order, says how many there are, and the export keeps every row."""
    for n in range(3):  # five stationings in all
        cadre = ProfileFactory(
            user=UserFactory(roles=["cadre"]), unit=world.dev_bureau, phone=f"1370000{n:04d}"
        )
        AssignmentFactory(programme=world.programme, cadre=cadre, enterprise=world.ent_b)
    monkeypatch.setattr(report_views, "MATRIX_PAGE_SIZE", 2)
    client.force_login(world.office)
    url = f"/programmes/{world.programme.pk}/reports/"
    seen = []
    for page in (1, 2, 3):
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        rows = response.context["matrix"].rows
        assert len(rows) == (2 if page < 3 else 1)
        seen += [row.assignment.pk for row in rows]
        assert "共 5 个驻企安排" in response.content.decode()
    everyone = submission_matrix(user=world.office, programme=world.programme)
    assert seen == [row.assignment.pk for row in everyone.rows]
    export = client.get(url, {"export": "matrix"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row.assignment.cadre.name for row in everyone.rows]
    assert sorted(cell.value for cell in sheet["B"] if cell.value in names) == sorted(names)
