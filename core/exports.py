"""Excel (.xlsx) exports: one writer for every list page and the office's overviews.

A list page declares its columns once (`Column(header, accessor)`); `workbook_bytes` writes a
sheet with a bold, frozen header row, widths fitted to the content, dates and times as real
Excel dates, and every text cell passed through `safe_cell`.

Formula injection (OWASP "CSV injection"): a name or title a user typed that starts with `=`,
`+`, `-` or `@` (or a tab or carriage return, which Excel skips before looking) would be run as
a formula by a spreadsheet. openpyxl itself writes any str starting with "=" as a formula.
`safe_cell` follows the OWASP advice — prefix such text with a single quote — and the writer
also stores every text cell with the string type, so nothing a user typed is ever a formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from operator import attrgetter
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# What a spreadsheet treats as the start of a formula (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60
# Rows looked at when fitting a column's width (a long export need not be scanned twice).
WIDTH_SAMPLE = 200


def safe_cell(value: Any) -> Any:
    """The value as an Excel cell may hold it, text that would start a formula neutralised.

    Lazy translations become text, booleans 是/否, aware datetimes local and naive (Excel has
    no time zones), None an empty cell; numbers and dates are kept as they are.
    """
    if value is None:
        return None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | datetime.date | datetime.time):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    """One column of an export: its Chinese header and how to read the value from a row.

    `accessor` is a dotted attribute path ("enterprise.name") or a callable taking the row;
    a path that meets None on the way gives an empty cell. `width` (in characters) is fitted
    to the content when left out.
    """

    header: Any
    accessor: str | Callable[[Any], Any]
    width: int | None = None

    def value(self, row) -> Any:
        if callable(self.accessor):
            return self.accessor(row)
        try:
            value = attrgetter(self.accessor)(row)
        except AttributeError:
            return None
        return value() if callable(value) else value


def display_width(value: Any) -> int:
    """Characters an Excel column needs for the value: CJK characters count twice."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if ord(char) > 0x2E7F else 1 for char in longest)


def write_header(sheet, titles: Sequence[Any]) -> None:
    """A bold, centred first row that stays in view (frozen) while scrolling."""
    sheet.append([safe_cell(title) for title in titles])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"


def append_row(sheet, values: Iterable[Any]) -> list[Cell]:
    """Append one data row and return its cells: values through safe_cell, text stored as
    text, dates formatted.

    The cells are made here and handed to append(): reading the new row back through
    `sheet.max_row` scans every cell of the sheet, which made a 10,000-row export quadratic
    (80 s for a province's cadres)."""
    cells = []
    for value in values:
        cell = Cell(sheet, value=safe_cell(value))
        if isinstance(cell.value, str):
            # openpyxl guesses "f" (formula) for any str starting with "="; force plain text.
            cell.data_type = TYPE_STRING
        elif isinstance(cell.value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT
        cells.append(cell)
    sheet.append(cells)
    return cells


def set_widths(sheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def fit_widths(sheet, columns: Sequence[Column]) -> None:
    """Each column as wide as its header or its widest value in the first rows, bounded."""
    widths = []
    for index, column in enumerate(columns, start=1):
        if column.width:
            widths.append(column.width)
            continue
        cells = sheet.iter_rows(
            min_row=1, max_row=min(sheet.max_row, WIDTH_SAMPLE + 1), min_col=index, max_col=index
        )
        widest = max((display_width(row[0].value) for row in cells), default=0)
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, widest + 2)))
    set_widths(sheet, widths)


def add_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable, *, first=False
) -> Any:
    """A sheet of `rows` with `columns` in `workbook` (`first`: fill its initial empty sheet)."""
    sheet = workbook.active if first else workbook.create_sheet()
    # Excel refuses sheet titles over 31 characters or with []:*?/\ in them.
    sheet.title = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or "Sheet"
    write_header(sheet, [column.header for column in columns])
    for row in rows:
        append_row(sheet, [column.value(row) for column in columns])
    fit_widths(sheet, columns)
    return sheet


def workbook_to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(title: str, columns: Sequence[Column], rows: Iterable) -> bytes:
    """One sheet named `title` with `columns` over `rows`, as the bytes of an .xlsx file."""
    workbook = Workbook()
    add_sheet(workbook, title, columns, rows, first=True)
    return workbook_to_bytes(workbook)
