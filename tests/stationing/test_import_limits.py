"""Malformed workbooks are refused with one clear Chinese message and nothing saved: files that are
not .xlsx, zip bombs and oversized sheets refused from the archive's own table before openpyxl
parses anything; wrong sheets, merged cells and formulas reported or read as values.

The bomb-like files are built here, small on disk: a member of zeros compresses about 1000:1, so
a 300 MB member takes some 300 kB. The test asserts the refusal came from the size table (the
archive is never unpacked): openpyxl is not even called.
"""

import io
import zipfile

import openpyxl
import pytest

from stationing.imports import run_import, workbook
from stationing.imports.workbook import ImportFileError, check_xlsx, declared_rows

from .test_import import CODE_1, ENTERPRISE_HEADER, counts, xlsx


def run(content: bytes, user):
    return run_import(io.BytesIO(content), user=user)


def file_error(report) -> str:
    assert not report.committed
    assert len(report.errors) == 1, [e.message for e in report.errors]
    return report.errors[0].message


def enterprise_row(name="己化工有限公司", code=CODE_1):
    return [name, code, "制造业", "", "民营", "小型", "城关镇"]


def zip_with(members: dict[str, bytes], *, level=9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def never_parsed(monkeypatch):
    """Fails the test if openpyxl is asked to load the file."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(workbook, "load_workbook", refuse)


def test_a_zip_bomb_is_refused_from_the_size_table_before_parsing(world, never_parsed):
    before = counts()
    # One member that unpacks to 120 MB of zeros (about 120 kB packed).
    content = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": bytes(120 * 1024 * 1024),
        }
    )
    assert len(content) < 1024 * 1024
    message = file_error(run(content, world.office))
    assert "超过上限 100 MB" in message
    assert counts() == before


def test_a_member_packed_far_tighter_than_a_spreadsheet_is_refused(world, never_parsed):
    content = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": bytes(8 * 1024 * 1024),
        }
    )
    message = file_error(run(content, world.office))
    assert "压缩比" in message and "上限 100:1" in message


def test_a_sheet_declaring_a_million_rows_is_refused_before_parsing(world, never_parsed):
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><dimension ref="A1:O1048576"/><sheetData/></worksheet>'
    )
    content = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": sheet,
        }
    )
    message = file_error(run(content, world.office))
    assert "1048576" in message and "拆分" in message


@pytest.mark.parametrize(
    ("head", "rows"),
    [
        (b'<dimension ref="A1:K200"/>', 200),
        (b'<x:dimension ref="B3"/>', 3),
        (b"<sheetData/>", None),
    ],
)
def test_declared_rows(head, rows):
    assert declared_rows(head) == rows


def test_a_real_workbook_passes_the_archive_checks():
    content = xlsx({"企业": [ENTERPRISE_HEADER, enterprise_row()]})
    check_xlsx(io.BytesIO(content))  # no ImportFileError


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"just text, not a workbook",
        b"%PDF-1.7\n",
        b"PK\x03\x04 truncated zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
    ],
)
def test_bytes_that_are_not_xlsx_are_refused(world, content):
    message = file_error(run(content, world.office))
    assert "Excel" in message


def test_a_zip_without_a_workbook_is_refused():
    with pytest.raises(ImportFileError):
        check_xlsx(io.BytesIO(zip_with({"readme.txt": b"hello"})))


def test_a_wrong_sheet_is_reported_and_nothing_saved(world):
    before = counts()
    content = xlsx({"工资表": [["姓名", "工资"], ["张三", 5000]]})
    message = file_error(run(content, world.office))
    assert "没有可导入的工作表" in message
    assert counts() == before


def test_merged_cells_and_formulas_are_read_as_values_or_reported(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业"
    sheet.append(ENTERPRISE_HEADER)
    sheet.append(enterprise_row())
    sheet.append(["=A2", "=B2", "制造业", "", "民营", "小型", "城关镇"])
    sheet.merge_cells("C2:D3")
    buffer = io.BytesIO()
    book.save(buffer)
    before = counts()
    report = run(buffer.getvalue(), world.office)
    # The formula cells have no cached value (nothing calculated them): they are blank
    # required cells, the merged industry cell of row 3 too; row by row, nothing saved.
    assert not report.committed and report.errors
    assert {e.row for e in report.errors} == {3}
    assert counts() == before


def test_too_many_rows_are_refused(world, settings):
    settings.IMPORT_MAX_ROWS = 50
    before = counts()
    rows = [enterprise_row(f"企业{n}", f"X{n}") for n in range(60)]
    message = file_error(run(xlsx({"企业": [ENTERPRISE_HEADER, *rows]}), world.office))
    assert "超过50行" in message
    assert counts() == before
