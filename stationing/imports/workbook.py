"""Reading a workbook and running an import: recognise the sheets, parse, validate, apply.

run_import():

1. check the file really is an .xlsx workbook (a zip with a workbook inside, not too big
   unpacked) and open it read-only;
2. recognise each sheet by its name (企业 / 干部 / 驻企安排 / 月度指标) or else by a header
   row within its first rows; unrecognised sheets are skipped with a warning;
3. parse every cell and validate every row, kinds in the order enterprises, cadres,
   assignments, indicators, so later sheets can refer to what earlier ones define;
4. inside ONE transaction write every valid row through the services, collecting what the
   services refuse; roll everything back if anything failed anywhere, or if this is a dry run.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from stationing.permissions import may_import

from .assignment_sheet import AssignmentSheet
from .base import (
    CREATE,
    SKIP,
    UNCHANGED,
    UPDATE,
    CellError,
    HeaderMatch,
    ParsedRow,
    RowError,
    SheetData,
    SheetKind,
    as_text,
    is_blank,
)
from .cadre_sheet import CadreSheet
from .context import ImportContext
from .enterprise_sheet import EnterpriseSheet
from .indicator_sheet import IndicatorSheet

# In the order they are validated and written; apps above stationing append theirs.
KINDS: list[SheetKind] = [
    EnterpriseSheet(),
    CadreSheet(),
    AssignmentSheet(),
    IndicatorSheet(),
]
KINDS_BY_KEY = {kind.kind: kind for kind in KINDS}


def register_kind(kind: SheetKind) -> None:
    """Add a higher app's sheet (projects' 重点项目) to the one import: it is recognised, offered
    as a template and validated and written after the sheets above, so its rows may refer to
    enterprises and people the same file defines. Registered from the app's ready()."""
    if kind.kind not in KINDS_BY_KEY:
        KINDS.append(kind)
        KINDS_BY_KEY[kind.kind] = kind


NOTES_SHEETS = {"填写说明", "说明", "使用说明", "可选值"}
TOTAL_MARKS = {"合计", "总计", "小计", "全市合计", "全县合计"}
HEADER_SCAN_ROWS = 10
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
# Limits read from the archive's own table before anything is unpacked (a zip bomb is a
# few kilobytes that unpack to gigabytes). A 20,000-row sheet unpacks to about 15 MB and
# compresses about 10:1; a bomb compresses hundreds or thousands to one.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBER_BYTES = 60 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # small members may compress very well (empty sheets)
MAX_ZIP_ENTRIES = 5000
# A worksheet's <dimension ref="A1:K20001"/> sits in its first bytes.
DIMENSION_SCAN_BYTES = 4096
DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20000)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, damaged, too big)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _RollBack(Exception):
    pass


# --- The file ------------------------------------------------------------------------------


def check_xlsx(source) -> None:
    """Refuse anything that is not an .xlsx workbook before openpyxl reads it.

    `source` is a path or a binary file object (an uploaded file); it is left at position 0.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return check_xlsx(handle)
    try:
        source.seek(0)
        head = source.read(8)
        source.seek(0)
        if head.startswith(OLE_MAGIC):
            raise ImportFileError(
                _(
                    "这是旧版 Excel（.xls）文件或设置了密码的工作簿，无法导入。"
                    "请在 Excel 中取消密码，并“另存为”Excel 工作簿（.xlsx）后再上传。"
                )
            )
        if not zipfile.is_zipfile(source):
            raise ImportFileError(
                _(
                    "文件不是有效的 Excel 工作簿（.xlsx）。"
                    "请上传用 Excel 或 WPS 表格保存的 .xlsx 文件。"
                )
            )
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or not any(
                name.startswith("xl/") for name in names
            ):
                raise ImportFileError(
                    _("文件不是 Excel 工作簿（.xlsx）。Word 文档、压缩包等其他文件不能导入。")
                )
            check_archive_sizes(entries)
            check_declared_rows(archive, entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ImportFileError(_("无法读取该 Excel 文件，它可能已损坏。")) from None
    finally:
        source.seek(0)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def check_archive_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse by the zip's central directory alone: too many members, too much unpacked in all
    or in one member, or a member packed far tighter than any spreadsheet."""
    too_big = _("文件解压后约 %(size)s MB，超过上限 %(max)s MB，请拆分成几个文件分批导入。")
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ImportFileError(
            _("文件包含 %(count)s 个部件，超过上限 %(max)s 个，不是正常的 Excel 工作簿。")
            % {"count": len(entries), "max": MAX_ZIP_ENTRIES}
        )
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            too_big % {"size": _megabytes(total), "max": _megabytes(MAX_UNPACKED_BYTES)}
        )
    for entry in entries:
        if entry.file_size > MAX_MEMBER_BYTES:
            raise ImportFileError(
                too_big % {"size": _megabytes(entry.file_size), "max": _megabytes(MAX_MEMBER_BYTES)}
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise ImportFileError(
                _(
                    "文件中“%(member)s”的压缩比为 %(ratio)d:1，远超正常 Excel 文件"
                    "（上限 %(max)d:1），不能导入。请在 Excel 中打开并重新保存后再试。"
                )
                % {"member": entry.filename, "ratio": ratio, "max": MAX_COMPRESSION_RATIO}
            )


def declared_rows(head: bytes) -> int | None:
    """The last row a worksheet's <dimension ref="A1:K200"/> declares, if it has one."""
    match = DIMENSION_RE.search(head)
    if match is None:
        return None
    rows = re.findall(rb"[0-9]+", match.group(1))
    return int(rows[-1]) if rows else None


def check_declared_rows(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a worksheet whose declared size is far beyond the row limit, reading only the
    first bytes of each sheet (openpyxl would read every row before the limit is counted)."""
    limit = max_rows() + HEADER_SCAN_ROWS + 1000
    for entry in entries:
        name = entry.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(entry) as member:
            rows = declared_rows(member.read(DIMENSION_SCAN_BYTES))
        if rows is not None and rows > limit:
            raise ImportFileError(
                _(
                    "文件中有工作表声明了 %(rows)s 行，超过上限 %(max)s 行，"
                    "请拆分成几个文件分批导入。"
                )
                % {"rows": rows, "max": max_rows()}
            )


def open_workbook(source):
    check_xlsx(source)
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(
            _("无法读取该 Excel 文件，它可能已损坏。请在 Excel 中打开并重新保存后再试。")
        ) from None


def _folded_title(title: str) -> str:
    return "".join(unicodedata.normalize("NFKC", title).split())


def kind_for_title(title: str) -> SheetKind | None:
    folded = _folded_title(title)
    for kind in KINDS:
        if folded == kind.sheet_name or folded in kind.sheet_aliases:
            return kind
    return None


def locate_header(title: str, head: list[list[Any]]) -> tuple[SheetKind, int, HeaderMatch] | None:
    """Which kind a sheet holds and which of its first rows is the header.

    A sheet named like a kind is that kind: its best header row is taken even if columns are
    missing (they are reported). Another sheet is recognised by a header row holding all the
    required columns of a kind, or all but one (then the missing one is reported, since the
    user evidently meant to import it); a sheet that matches less is not ours and is skipped.
    """
    named = kind_for_title(title)
    best = None
    for index, cells in enumerate(head):
        for kind in [named] if named else KINDS:
            match = kind.match_header(cells)
            if not match.headers:
                continue
            required = len(kind.required_columns)
            found = required - len(kind.missing(match))
            score = (found == required, found, len(match.headers), -index)
            if best is None or score > best[0]:
                best = (score, kind, index, match)
    if best is None:
        return (named, 0, HeaderMatch()) if named else None
    (complete, found, _count, _index), kind, index, match = best
    if named or complete or found >= max(2, len(kind.required_columns) - 1):
        return kind, index, match
    return None


def parse_row(sheet: SheetData, number: int, cells: list[Any]) -> ParsedRow:
    row = ParsedRow(sheet=sheet, number=number)
    for index, column in sheet.columns.items():
        value = cells[index] if index < len(cells) else None
        parsed = None
        if not is_blank(value):
            try:
                parsed = column.parse(value)
            except CellError as error:
                row.values[column.key] = None
                row.error(column.key, error.message)
                continue
        row.values[column.key] = parsed
        if parsed is None and column.required:
            row.error(column.key, _("必填项，不能为空。"))
    return row


def _is_total_row(sheet: SheetData, cells: list[Any]) -> bool:
    """A 合计 row under a statistics table: no key filled in, and a cell saying 合计."""
    keys_blank = all(
        is_blank(cells[index] if index < len(cells) else None)
        for index, column in sheet.columns.items()
        if column.required
    )
    return keys_blank and any(
        "".join(as_text(cell).split()) in TOTAL_MARKS for cell in cells if not is_blank(cell)
    )


def read_workbook(source) -> tuple[list[SheetData], list[str]]:
    """Every recognised sheet with its rows parsed, and warnings about what was skipped."""
    workbook = open_workbook(source)
    sheets: list[SheetData] = []
    warnings: list[str] = []
    total = 0
    try:
        for worksheet in workbook.worksheets:
            title = worksheet.title
            if _folded_title(title) in NOTES_SHEETS:
                continue
            if worksheet.sheet_state != "visible":
                warnings.append(_("隐藏的工作表“%(sheet)s”未导入。") % {"sheet": title})
                continue
            worksheet.reset_dimensions()  # some programs write a wrong size; read every row
            rows = worksheet.iter_rows(values_only=True)
            head = [list(cells) for _i, cells in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
            located = locate_header(title, head)
            if located is None:
                if any(not is_blank(cell) for cells in head for cell in cells):
                    warnings.append(
                        _("工作表“%(sheet)s”不是可导入的表格（名称和表头都对不上），已跳过。")
                        % {"sheet": title}
                    )
                continue
            kind, index, match = located
            sheet = SheetData(
                title=title,
                kind=kind,
                header_row=index + 1,
                columns=match.columns,
                headers=match.headers,
            )
            sheets.append(sheet)
            if not _header_ok(sheet, match):
                continue
            for number, cells in enumerate(chain(head[index + 1 :], rows), start=index + 2):
                cells = list(cells)
                if all(is_blank(cells[i] if i < len(cells) else None) for i in sheet.columns):
                    continue
                if _is_total_row(sheet, cells):
                    warnings.append(
                        _("工作表“%(sheet)s”第%(row)s行是合计行，已跳过。")
                        % {"sheet": title, "row": number}
                    )
                    continue
                total += 1
                if total > max_rows():
                    raise ImportFileError(
                        _("文件的数据行超过%(max)s行，请拆分成几个文件分批导入。")
                        % {"max": max_rows()}
                    )
                sheet.rows.append(parse_row(sheet, number, cells))
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails while it is read, not when opened
        raise ImportFileError(
            _("无法读取该 Excel 文件，它可能已损坏。请在 Excel 中打开并重新保存后再试。")
        ) from None
    finally:
        workbook.close()
    return sheets, warnings


def _header_ok(sheet: SheetData, match: HeaderMatch) -> bool:
    """Report a header that lacks required columns or repeats one; then rows are not read."""
    ok = True
    if not match.headers:
        sheet.errors.append(
            RowError(
                sheet=sheet.title,
                message=_("前%(rows)s行中找不到表头，表头应包含：%(columns)s。")
                % {
                    "rows": HEADER_SCAN_ROWS,
                    "columns": "、".join(c.header for c in sheet.kind.required_columns),
                },
            )
        )
        return False
    for column in sheet.kind.missing(match):
        ok = False
        sheet.errors.append(
            RowError(
                sheet=sheet.title,
                row=sheet.header_row,
                column=column.header,
                message=_("缺少必填列“%(column)s”。") % {"column": column.header},
            )
        )
    for header in match.duplicates:
        ok = False
        sheet.errors.append(
            RowError(
                sheet=sheet.title,
                row=sheet.header_row,
                column=header,
                message=_("列“%(column)s”出现了不止一次，请只保留一列。") % {"column": header},
            )
        )
    return ok


# --- Validation and writing ----------------------------------------------------------------


def _rows_of(sheets: list[SheetData], kind: SheetKind) -> list[ParsedRow]:
    return [row for sheet in sheets if sheet.kind is kind for row in sheet.rows]


def validate_all(sheets: list[SheetData], ctx: ImportContext) -> None:
    for kind in KINDS:
        rows = _rows_of(sheets, kind)
        if rows:
            kind.prepare(ctx, rows)
            for row in rows:
                kind.validate(ctx, row)


def apply_all(sheets: list[SheetData], ctx: ImportContext) -> None:
    """Write every row that passed validation; what a service refuses is recorded on its row."""
    for kind in KINDS:
        for row in _rows_of(sheets, kind):
            if row.failed or row.action not in (CREATE, UPDATE):
                continue
            try:
                # A savepoint per row: a refused row leaves the transaction usable, so every
                # row is still checked and every refusal reported.
                with transaction.atomic():
                    kind.apply(ctx, row)
            except ValidationError as error:
                row.map_service_error(error)
            except IntegrityError:
                row.error(None, _("与数据库中的已有数据冲突，未能保存。请稍后重新导入。"))


@dataclass
class SheetSummary:
    title: str
    label: str
    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: int


@dataclass
class ImportReport:
    """What an import found and did. `committed` is True only when the data was saved."""

    commit: bool
    sheets: list[SheetData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def errors(self) -> list[RowError]:
        errors = list(self.file_errors)
        for sheet in self.sheets:
            errors.extend(sheet.errors)
            for row in sheet.rows:
                errors.extend(row.errors)
        return errors

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[SheetSummary]:
        result = []
        for sheet in self.sheets:
            counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, SKIP: 0}
            for row in sheet.rows:
                if not row.failed and row.action in counts:
                    counts[row.action] += 1
            result.append(
                SheetSummary(
                    title=sheet.title,
                    label=str(sheet.kind.label),
                    created=counts[CREATE],
                    updated=counts[UPDATE],
                    unchanged=counts[UNCHANGED],
                    skipped=counts[SKIP],
                    errors=sheet.error_count,
                )
            )
        return result

    def counts_text(self) -> str:
        """One line per sheet, for the success message and the command's output."""
        return "；".join(
            _(
                "%(label)s（工作表“%(sheet)s”）：新增%(created)s条，更新%(updated)s条，"
                "未变化%(unchanged)s条"
            )
            % {
                "label": item.label,
                "sheet": item.title,
                "created": item.created,
                "updated": item.updated,
                "unchanged": item.unchanged,
            }
            for item in self.summary()
        )


def run_import(
    source,
    *,
    user=None,
    commit: bool = True,
    before_write: Callable[[], None] | None = None,
) -> ImportReport:
    """Import a workbook all-or-nothing; with commit=False only report what would happen.

    `user` is the importer: what they may touch bounds the import and they are recorded as the
    author of every change; None (the management command) is unrestricted. `before_write` runs
    inside the transaction before anything is written (the page claims its submission token
    there, so a double-clicked confirm imports once); whatever it raises rolls everything back.
    Raises PermissionDenied when `user` may not import (stationing.permissions.may_import).
    """
    if user is not None:
        may_import(user).check()
    report = ImportReport(commit=commit)
    ctx = ImportContext(user)
    try:
        report.sheets, report.warnings = read_workbook(source)
    except ImportFileError as error:
        report.file_errors.append(RowError(message=error.message))
        return report
    if not report.sheets:
        report.file_errors.append(
            RowError(
                message=_(
                    "文件中没有可导入的工作表。工作表应命名为“企业”“干部”“驻企安排”或“月度指标”，"
                    "或使用导入模板中的表头。"
                )
            )
        )
        return report
    validate_all(report.sheets, ctx)
    report.warnings.extend(ctx.warnings)
    validated = report.ok
    try:
        with transaction.atomic():
            if commit and validated and before_write is not None:
                before_write()
            apply_all(report.sheets, ctx)
            if not (commit and report.ok):
                raise _RollBack
    except _RollBack:
        pass
    else:
        report.committed = True
    return report
