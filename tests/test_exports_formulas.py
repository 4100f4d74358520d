"""Every .xlsx the portal writes — each list's ?export=xlsx, the submission matrix and truancy
list, the appraisal run, the import templates with their reference lists — holds text a user
typed as text: no formula cells, and names starting with = + - @ tab or carriage return written
with the leading quote (issue 16, "Exports").

The lists are found by walking the URLconf (core.views.FilteredListMixin with export columns),
so a new export is checked without being listed here."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from core.exports import FORMULA_PREFIXES
from core.views import FilteredListMixin
from stationing.choices import ReportRating
from stationing.services import report_review
from supervision.choices import TicketState
from supervision.services.appraisal import appraisal_run_create

from .factories import EnterpriseFactory, UnitFactory, make_ticket
from .lists_helpers import submit_reports

pytestmark = pytest.mark.usefixtures("periods")

MARK = "注入"


def typed(prefix: str, what: str) -> str:
    """What a user might type: a formula-like start, then a marker to find the cell by."""
    return f"{prefix}{what}{MARK}"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


@pytest.fixture
def formula_data(world, periods):
    """User-typed names and texts starting with each formula prefix, across the models the
    exports show."""
    prefixes = list(FORMULA_PREFIXES)
    world.programme.name = typed("=", "批次")
    world.programme.save()
    world.group.name = typed("+", "工作组")
    world.group.save()
    world.dev_bureau.name = typed("@", "发改局")
    world.dev_bureau.save()
    world.cadre_a.profile.name = typed("-", "干部")
    world.cadre_a.profile.save()
    world.ent_a.name = typed("\t", "企业")
    world.ent_a.save()
    for n, prefix in enumerate(prefixes):
        EnterpriseFactory(name=typed(prefix, f"企业{n}"), region=world.town_a)
        make_ticket(world, TicketState.ASSIGNED, title=typed(prefix, f"诉求{n}"))
    UnitFactory(name=typed("\r", "单位"), parent=world.county)
    reports = submit_reports([world.assignment_a, world.assignment_b], periods[1])
    report_review(
        report=reports[0], by=world.office, rating=ReportRating.GOOD, comment=typed("=", "意见")
    )
    return world


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def exporting_lists() -> list[str]:
    names = []
    for route, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if view and issubclass(view, FilteredListMixin) and view.export_columns is not None:
            if "<" not in route:
                names.append(pattern.name)
    return names


def unsafe_cells(content: bytes) -> list[str]:
    """Formula cells, and marked (user-typed) text a spreadsheet would run, in every sheet."""
    book = load_workbook(BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate}: formula {value!r}")
                elif (
                    isinstance(value, str) and MARK in value and value.startswith(FORMULA_PREFIXES)
                ):
                    found.append(f"{sheet.title}!{cell.coordinate}: {value!r}")
    return found


def marked_cells(content: bytes) -> int:
    book = load_workbook(BytesIO(content))
    return sum(
        1
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and MARK in value
    )


def test_the_walk_finds_the_exports():
    names = set(exporting_lists())
    assert {"ticket-list", "enterprise-list", "report-list", "plan-queue"} <= names


def test_no_export_writes_user_text_as_a_formula(formula_data, client_for):
    world = formula_data
    downloads = {}
    for name in exporting_lists():
        # Each list as a role that has it (the department's inbox is theirs alone).
        for user in (world.office, world.department):
            response = client_for(user).get(reverse(name), {"export": "xlsx"})
            if response.status_code != 403:
                break
        assert response.status_code == 200, name
        downloads[name] = response.content
    office = client_for(world.office)
    matrix = reverse("report-matrix", args=[world.programme.pk])
    for kind in ("matrix", "truancy"):
        downloads[kind] = office.get(matrix, {"export": kind}).content
    run = appraisal_run_create(
        programme=world.programme, as_of=datetime.date(2026, 3, 19), by=world.office
    )
    downloads["appraisal"] = office.get(
        reverse("appraisal-detail", args=[run.pk]), {"export": "xlsx"}
    ).content
    for kind in ("all", "enterprises", "cadres", "assignments", "indicators"):
        downloads[f"template-{kind}"] = office.get(reverse("import-template", args=[kind])).content
    problems = {name: unsafe_cells(content) for name, content in downloads.items()}
    assert not any(problems.values()), problems
    # The checks looked at user data: the lists, the matrix and the templates carry the marks.
    for name in ("ticket-list", "enterprise-list", "matrix", "appraisal", "template-all"):
        assert marked_cells(downloads[name]) > 0, name
