"""Rows for the list-page and export tests: reports, plans and stationings made straight in the
database (the lists are under test here, not the services that make the rows)."""

import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from core.choices import Role
from stationing.choices import PlanState, ReportState
from stationing.models import ProgressReport, WorkPlan, WorkPlanVersion

from .factories import AssignmentFactory, EnterpriseFactory, make_person

SHANGHAI = ZoneInfo("Asia/Shanghai")


def add_stationings(world, count: int, *, unit=None, prefix="测试企业") -> list:
    """`count` more cadres stationed at `count` more enterprises of the world's programme."""
    unit = unit or world.dev_bureau
    assignments = []
    for n in range(count):
        cadre = make_person(
            f"{prefix}-cadre-{unit.pk}-{n}",
            [Role.CADRE],
            name=f"{prefix}干部{n:02d}",
            phone=None,
            unit=unit,
        )
        enterprise = EnterpriseFactory(name=f"{prefix}{n:02d}有限公司", region=world.town_a)
        assignments.append(
            AssignmentFactory(
                programme=world.programme,
                cadre=cadre.profile,
                enterprise=enterprise,
                work_group=world.group,
            )
        )
    return assignments


def submit_reports(assignments, period, *, late=False, start_minute=0) -> list:
    """A submitted report per assignment for `period`, a minute apart (queue order)."""
    base = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI)
    reports = []
    for offset, assignment in enumerate(assignments):
        moment = base + datetime.timedelta(minutes=start_minute + offset)
        reports.append(
            ProgressReport.objects.create(
                assignment=assignment,
                period=period,
                state=ReportState.SUBMITTED,
                work_done="走访企业",
                days_on_site=5,
                submitted_at=moment,
                first_submitted_at=moment,
                submission_count=1,
                is_late=late,
            )
        )
    return reports


def submit_plans(world, assignments) -> list:
    """A submitted plan (with its first version) for each assignment's enterprise."""
    plans = []
    for n, assignment in enumerate(assignments):
        moment = datetime.datetime(2026, 3, 5, 9, n, tzinfo=SHANGHAI)
        plan = WorkPlan.objects.create(
            programme=world.programme,
            enterprise=assignment.enterprise,
            state=PlanState.SUBMITTED,
            latest_number=1,
            first_submitted_at=moment,
        )
        WorkPlanVersion.objects.create(
            plan=plan, number=1, submitted_at=moment, submitted_by=assignment.cadre.user
        )
        plans.append(plan)
    return plans


def sheet_of(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content)).active


def header(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def column(sheet, title: str) -> list:
    index = header(sheet).index(title)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def formula_cells(sheet) -> list:
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
