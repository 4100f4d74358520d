"""Excel import of enterprises, cadres, assignments and monthly indicators (office staff).

The page (stationing/views/imports.py) and the command (`manage.py import_xlsx`) are thin: both
call run_import(), which parses and validates the whole workbook and writes it through the
services in one transaction, or not at all.

    base.py            the sheet framework: columns, cell parsers, rows, errors
    context.py         what rows share: the importer's scope, lookups, keys the file defines
    enterprise_sheet.py, cadre_sheet.py, assignment_sheet.py, indicator_sheet.py  one per kind
    workbook.py        file checks, sheet recognition, the two phases, the report
    xlsx_templates.py  the downloadable blank templates
    storage.py         uploaded files kept between preview and confirm
    forms.py           the upload form
"""

from .base import RowError
from .workbook import (
    KINDS,
    ImportFileError,
    ImportReport,
    check_xlsx,
    register_kind,
    run_import,
)

__all__ = [
    "KINDS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "check_xlsx",
    "register_kind",
    "run_import",
]
