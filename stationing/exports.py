"""Excel exports of the office's views (Chinese headers, one sheet each)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .choices import PeriodStatus
from .selectors import Matrix, MatrixRow

STATUS_FILLS = {
    PeriodStatus.ON_TIME: "C6EFCE",
    PeriodStatus.REVIEWED: "C6EFCE",
    PeriodStatus.LATE: "FFEB9C",
    PeriodStatus.RETURNED: "FFEB9C",
    PeriodStatus.MISSING: "FFC7CE",
}


def _header(sheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _identity(row: MatrixRow) -> list:
    assignment = row.assignment
    return [
        assignment.cadre.unit.name if assignment.cadre.unit else "",
        assignment.cadre.name,
        assignment.enterprise.name,
        assignment.work_group.name if assignment.work_group else "",
    ]


def matrix_workbook(matrix: Matrix) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("报送情况")
    labels = dict(PeriodStatus.choices)
    _header(
        sheet,
        [_("派出单位"), _("驻企干部"), _("企业"), _("工作组")]
        + [period.label for period in matrix.periods]
        + [_("缺报期数")],
    )
    for row in matrix.rows:
        values = _identity(row)
        values += [str(labels[status]) if status else "—" for _p, _r, status in row.cells]
        values.append(row.missed)
        sheet.append(values)
        for offset, (_p, _r, status) in enumerate(row.cells):
            color = STATUS_FILLS.get(status)
            if color:
                sheet.cell(row=sheet.max_row, column=5 + offset).fill = PatternFill(
                    "solid", fgColor=color
                )
    _widths(sheet, [22, 10, 28, 14] + [14] * len(matrix.periods) + [10])
    sheet.append([])
    sheet.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    return _to_bytes(workbook)


def truancy_workbook(rows: list[MatrixRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("缺报名单")
    _header(
        sheet,
        [
            _("派出单位"),
            _("驻企干部"),
            _("企业"),
            _("工作组"),
            _("缺报期数"),
            _("当前连续缺报"),
            _("最长连续缺报"),
            _("缺报期次"),
        ],
    )
    for row in rows:
        missed = [p.label for p, _r, status in row.cells if status == PeriodStatus.MISSING]
        sheet.append(
            _identity(row) + [row.missed, row.missed_in_a_row, row.longest_run, "、".join(missed)]
        )
    _widths(sheet, [22, 10, 28, 14, 10, 12, 12, 60])
    return _to_bytes(workbook)
