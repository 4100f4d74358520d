"""Blank .xlsx templates for the import: one data sheet per kind plus a 填写说明 sheet.

Each data sheet has the header row only (an example row would be imported as data); the notes
sheet explains every column with its allowed values and an example, and — when we know who is
downloading — lists the regions, dispatching units and programmes the user may refer to.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import append_row
from core.selectors import territory_regions
from stationing.selectors import cadre_unit_list, programme_list

from .base import Column, SheetKind
from .workbook import KINDS, KINDS_BY_KEY

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = "all"
NOTES_TITLE = "填写说明"
DATA_ROWS = 2000  # rows the drop-down lists cover
MAX_LISTED = 300  # reference values listed in the notes sheet, per list

REQUIRED_FILL = PatternFill("solid", fgColor="F8D7DA")
OPTIONAL_FILL = PatternFill("solid", fgColor="E9ECEF")
THIN = Side(style="thin", color="ADB5BD")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def template_kinds(key: str) -> list[SheetKind] | None:
    if key == ALL:
        return list(KINDS)
    kind = KINDS_BY_KEY.get(key)
    return [kind] if kind else None


def template_filename(key: str) -> str:
    kind = KINDS_BY_KEY.get(key)
    suffix = kind.sheet_name if kind else "全部"
    return f"驻企平台导入模板-{suffix}.xlsx"


def column_allowed(column: Column) -> str:
    if column.allowed:
        return str(column.allowed)
    if column.options:
        return "、".join(column.options())
    return ""


def _data_sheet(workbook: Workbook, kind: SheetKind) -> None:
    sheet = workbook.create_sheet(kind.sheet_name)
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = Font(bold=True, color="842029" if column.required else "212529")
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = BORDER
        note = " ".join(part for part in (str(column.help), column_allowed(column)) if part)
        if note:
            cell.comment = Comment(note, "驻企服务平台", width=260, height=110)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(column.width, len(column.title) * 2 + 4)
        if column.as_text:
            # Long digit strings (credit codes, phones, months) must not become numbers.
            dimension.number_format = "@"
        if column.options:
            listed = ",".join(column.options())
            if len(listed) <= 250:  # Excel's limit for an inline list
                validation = DataValidation(
                    type="list",
                    formula1=f'"{listed}"',
                    allow_blank=True,
                    errorStyle="warning",
                    error=_("建议从下拉列表中选择。"),
                )
                validation.add(f"{letter}2:{letter}{DATA_ROWS}")
                sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 22
    sheet.freeze_panes = "A2"


def _notes_sheet(workbook: Workbook, kinds: list[SheetKind], user) -> None:
    sheet = workbook.create_sheet(NOTES_TITLE)
    for letter, width in zip("ABCDEF", (12, 22, 8, 60, 40, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_("导入说明")])
    sheet["A1"].font = Font(bold=True, size=14)
    notes = [
        _("每个工作表的第一行是表头，请不要修改表头；从第二行起每行填写一条记录。"),
        _("带 * 的列必须填写；可以只保留需要的列，但必填列不能删除。"),
        _(
            "一个文件可以同时包含“企业”“干部”“驻企安排”“月度指标”几个工作表。"
            "系统先导入企业和干部，驻企安排和月度指标可以引用本文件中新登记的企业和干部。"
        ),
        _(
            "导入是整体进行的：只要有一行有错误，所有数据都不会导入。系统会列出每一处错误"
            "（工作表、行号、列名和原因），改正后重新上传即可。"
        ),
        _(
            "重复导入不会产生重复数据：企业按统一社会信用代码、干部按手机号、驻企安排按"
            "批次+干部+企业、月度指标按企业+月份更新原有记录。空白单元格不会覆盖已有数据。"
        ),
        _("统一社会信用代码、手机号等列请保持文本格式，以免 Excel 把长数字改成科学计数法。"),
        _("金额单位为万元，可以带千分位逗号。"),
    ]
    for number, text in enumerate(notes, start=1):
        sheet.append([f"{number}.", text])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=6
        )
        sheet.cell(row=sheet.max_row, column=2).alignment = WRAP
        sheet.row_dimensions[sheet.max_row].height = 32
    sheet.append([])
    header = [_("工作表"), _("列名"), _("必填"), _("说明"), _("可选值或格式"), _("示例")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = OPTIONAL_FILL
        cell.border = BORDER
    for kind in kinds:
        for column in kind.columns:
            sheet.append(
                [
                    kind.sheet_name,
                    column.header,
                    _("是") if column.required else "",
                    str(column.help),
                    column_allowed(column),
                    column.example,
                ]
            )
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAP
                cell.border = BORDER
    if user is not None:
        _reference_lists(sheet, kinds, user)
    sheet.freeze_panes = None


def _reference_lists(sheet, kinds: list[SheetKind], user) -> None:
    """What the user may refer to, so names can be copied rather than guessed: the same choices
    as the page forms and the API (and the import checks its rows against them)."""
    keys = {kind.kind for kind in kinds}
    lists = []
    if "enterprises" in keys:
        regions = territory_regions(user)
        lists.append((_("可填的所属区域"), [unit.name for unit in regions[:MAX_LISTED]]))
    if "cadres" in keys:
        units = cadre_unit_list(user=user)
        lists.append((_("可填的派出单位"), [unit.name for unit in units[:MAX_LISTED]]))
    if "assignments" in keys:
        programmes = programme_list(user=user).prefetch_related("work_groups")[:MAX_LISTED]
        lists.append(
            (
                _("可填的驻企批次（括号内为其工作组）"),
                [
                    programme.name
                    + (
                        "(" + "、".join(group.name for group in programme.work_groups.all()) + ")"
                        if programme.work_groups.all()
                        else ""
                    )
                    for programme in programmes
                ],
            )
        )
    for title, values in lists:
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for value in values or [_("（暂无）")]:
            # Names people typed: text that would start a formula is written as text.
            append_row(sheet, ["", value])


def template_bytes(kinds: list[SheetKind], *, user=None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind in kinds:
        _data_sheet(workbook, kind)
    _notes_sheet(workbook, kinds, user)
    workbook.active = 0
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
