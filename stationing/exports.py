"""Excel exports of the office's overviews: the submission matrix (with each report's rating)
and the truancy list. The writing itself (header, widths, formula-safe cells) is core.exports."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from core.exports import append_row, set_widths, workbook_to_bytes, write_header

from .choices import PeriodStatus, ReportRating
from .selectors import Matrix, MatrixRow

STATUS_FILLS = {
    PeriodStatus.ON_TIME: "C6EFCE",
    PeriodStatus.REVIEWED: "C6EFCE",
    PeriodStatus.LATE: "FFEB9C",
    PeriodStatus.RETURNED: "FFEB9C",
    PeriodStatus.MISSING: "FFC7CE",
}
# The office's ratings as points for the average column (优 4 … 差 1).
RATING_POINTS = {
    ReportRating.EXCELLENT: 4,
    ReportRating.GOOD: 3,
    ReportRating.FAIR: 2,
    ReportRating.POOR: 1,
}


def _identity(row: MatrixRow) -> list:
    assignment = row.assignment
    return [
        assignment.cadre.unit.name if assignment.cadre.unit else "",
        assignment.cadre.name,
        assignment.enterprise.name,
        assignment.work_group.name if assignment.work_group else "",
    ]


def cell_label(status, report, status_labels, rating_labels) -> str:
    """A period's cell as on the page: the status, and the rating once the office gave one."""
    if not status:
        return "—"
    label = str(status_labels[status])
    rating = getattr(report, "rating", "") if report is not None else ""
    if rating:
        label = f"{label} · {rating_labels.get(rating, '')}"
    return label


def rating_summary(row: MatrixRow) -> list:
    """Per row: how many reports were rated, how many of each rating, the average points."""
    ratings = [
        report.rating for _p, report, _s in row.cells if report is not None and report.rating
    ]
    counts = [ratings.count(value) for value in RATING_POINTS]
    average = (
        round(sum(RATING_POINTS[r] for r in ratings if r in RATING_POINTS) / len(ratings), 2)
        if ratings
        else None
    )
    return [len(ratings), *counts, average]


def matrix_workbook(matrix: Matrix) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("报送情况")
    status_labels = dict(PeriodStatus.choices)
    rating_labels = dict(ReportRating.choices)
    write_header(
        sheet,
        [_("派出单位"), _("驻企干部"), _("企业"), _("工作组")]
        + [period.label for period in matrix.periods]
        + [_("缺报期数"), _("已评价期数")]
        + [_("评价为“%(rating)s”") % {"rating": label} for _v, label in ReportRating.choices]
        + [_("平均评价（优=4，良=3，中=2，差=1）")],
    )
    for row in matrix.rows:
        values = _identity(row)
        values += [
            cell_label(status, report, status_labels, rating_labels)
            for _p, report, status in row.cells
        ]
        values.append(row.missed)
        values += rating_summary(row)
        cells = append_row(sheet, values)
        for offset, (_p, _r, status) in enumerate(row.cells):
            color = STATUS_FILLS.get(status)
            if color:
                cells[4 + offset].fill = PatternFill("solid", fgColor=color)
    set_widths(
        sheet,
        [22, 10, 28, 14] + [16] * len(matrix.periods) + [10, 12] + [12] * len(RATING_POINTS) + [16],
    )
    sheet.append([])
    append_row(sheet, [_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    return workbook_to_bytes(workbook)


def truancy_workbook(rows: list[MatrixRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("缺报名单")
    write_header(
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
        append_row(
            sheet,
            _identity(row) + [row.missed, row.missed_in_a_row, row.longest_run, "、".join(missed)],
        )
    set_widths(sheet, [22, 10, 28, 14, 10, 12, 12, 60])
    return workbook_to_bytes(workbook)
