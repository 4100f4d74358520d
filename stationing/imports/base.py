"""The sheet framework of the Excel import: column specs, cell parsers, rows, errors, results.

An import runs in two phases (workbook.py drives them):

1. parse: every recognised sheet is read, every cell parsed and every row checked against the
   database and against the rest of the file. Nothing is written. Each problem becomes a
   RowError naming the sheet, the row number Excel shows, the column header and what is wrong.
2. apply: inside one transaction the rows are written through the services, enterprises and
   cadres first so that assignments and indicators can refer to them. Errors the services raise
   are mapped back to their row and column. If any row failed in either phase the transaction
   is rolled back and nothing is saved; a dry run (the preview page, `--dry-run`) always rolls
   back, so the preview shows the services' objections too.

Column headers are part of the file format, like the columns of a CSV: they are matched in
Chinese whatever the interface language, so they are plain strings and not translated. What the
user reads about them (notes, errors) is translated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl.utils.datetime import from_excel

from core.validators import (
    mobile_validator,
    normalize_email,
    normalize_mobile,
    validate_email_address,
)
from enterprises.validators import normalize_credit_code, validate_credit_code

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
SKIP = "skip"


class CellError(Exception):
    """A cell's value cannot be used; the message says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    """One problem, located the way the user will look for it in Excel."""

    sheet: str = ""
    row: int | None = None
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("工作表“%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("第%(row)s行") % {"row": self.row})
        if self.column:
            where.append(self.column)
        if not where:
            return self.message
        return _("%(where)s：%(message)s") % {"where": " ".join(where), "message": self.message}


# --- Cell values ---------------------------------------------------------------------------

BLANK_MARKS = {"", "-", "--", "—", "——", "/", "／"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.translate(_INVISIBLE).strip()
    return False


def as_text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD, surrounding space cut."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"  # data, not interface text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).translate(_INVISIBLE).strip()


def fold(value: Any) -> str:
    """Text for comparing codes and numbers: full-width forms folded, all spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", as_text(value)))


def normalize_header(value: Any) -> str:
    """'统一社会信用代码*', '工业总产值(万元)' and '工业总产值(当月)' all match their column."""
    text = unicodedata.normalize("NFKC", as_text(value))
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*:]", "", text)


# --- Cell parsers: value (never blank) -> python value, or CellError -------------------------


def parse_text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = as_text(value)
        if len(text) > max_length:
            raise CellError(
                _("内容过长：最多%(max)d个字，当前%(length)d个字。")
                % {"max": max_length, "length": len(text)}
            )
        return text

    return parse


def parse_credit_code(value: Any) -> str:
    if isinstance(value, float):
        # An all-digit code typed into a number cell is kept as a float with 15 significant
        # digits: the last characters are already gone, so say so instead of "bad check digit".
        raise CellError(
            _(
                "统一社会信用代码被 Excel 存成了数字（%(value)s），末几位已经丢失；"
                "请把该列设为文本格式后重新输入。"
            )
            % {"value": as_text(value)}
        )
    code = normalize_credit_code(fold(value))
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return code


def _validated(value: str, validator) -> str:
    try:
        validator(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return value


def parse_phone(value: Any) -> str:
    # The page's and the API's rule and message (core.validators): separators, +86 and the
    # full-width digits of a Chinese input method are dropped first.
    return _validated(normalize_mobile(as_text(value)), mobile_validator)


def parse_email(value: Any) -> str:
    # As on the page and in the API (core.validators): a full-width ＠ or ． folded, spaces cut.
    return _validated(normalize_email(as_text(value)), validate_email_address)


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "重点", "重点企业"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "非重点", "一般"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s”无法识别，请填写“是”或“否”。") % {"value": as_text(value)})


def _choice_key(value: Any) -> str:
    return re.sub(r"[\s、,;·\-_/]", "", unicodedata.normalize("NFKC", as_text(value))).lower()


def parse_choice(
    choices: type[models.TextChoices],
    *,
    aliases: dict[str, str] | None = None,
    with_code_prefix: bool = False,
) -> Callable[[Any], str]:
    """Accept the Chinese label (as users see it), the stored value, or an alias.

    with_code_prefix also accepts "C制造业" / "C-制造业" (industry sections are often written
    with their letter in front).
    """

    def mapping() -> dict[str, str]:
        # Labels are Chinese msgids; read them untranslated whatever language is active.
        with override("zh-hans"):
            keys = {}
            for value, label in choices.choices:
                keys[_choice_key(value)] = value
                keys[_choice_key(label)] = value
                if with_code_prefix:
                    keys[_choice_key(f"{value}{label}")] = value
            for alias, value in (aliases or {}).items():
                keys[_choice_key(alias)] = value
        return keys

    def parse(value: Any) -> str:
        found = mapping().get(_choice_key(value))
        if found is None:
            raise CellError(
                _("“%(value)s”不是可选值，应为：%(allowed)s。")
                % {"value": as_text(value), "allowed": choice_labels(choices)}
            )
        return found

    return parse


def choice_labels(choices: type[models.TextChoices]) -> str:
    return "、".join(labels_of(choices)())


def labels_of(choices: type[models.TextChoices]) -> Callable[[], list[str]]:
    """The Chinese labels of a choice class, read when needed (for the template's drop-downs)."""

    def labels() -> list[str]:
        with override("zh-hans"):
            return [str(label) for label in choices.labels]

    return labels


NUMBER_CLEAN_RE = re.compile(r"[,\s]|万元$|元$|人$")


def _number_text(value: Any) -> str:
    text = NUMBER_CLEAN_RE.sub("", fold(value)).replace("−", "-")
    if text.startswith("(") and text.endswith(")"):  # accounting style negative: (12.5)
        text = "-" + text[1:-1]
    return text


def parse_decimal(*, allow_negative: bool = False, max_abs: Decimal = Decimal("1e12")):
    """Amounts in 万元: thousands separators accepted, rounded to two decimals like the model."""

    def parse(value: Any) -> Decimal | None:
        if isinstance(value, bool):
            raise CellError(_("“%(value)s”不是数字。") % {"value": as_text(value)})
        if isinstance(value, int | float):
            text = repr(value)
        else:
            text = _number_text(value)
            if text in BLANK_MARKS:
                return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s”不是数字。") % {"value": as_text(value)}) from None
        if not number.is_finite():
            raise CellError(_("“%(value)s”不是数字。") % {"value": as_text(value)})
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if number < 0 and not allow_negative:
            raise CellError(_("不能为负数（%(value)s）。") % {"value": as_text(value)})
        if abs(number) >= max_abs:
            raise CellError(
                _("数值过大（%(value)s），请确认单位是万元。") % {"value": as_text(value)}
            )
        return number

    return parse


def parse_count(value: Any) -> int | None:
    """A head count: a whole number, zero or more."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s”不是整数。") % {"value": as_text(value)})
    text = repr(value) if isinstance(value, int | float) else _number_text(value)
    if text in BLANK_MARKS:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s”不是整数。") % {"value": as_text(value)}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("“%(value)s”不是整数。") % {"value": as_text(value)})
    if number < 0:
        raise CellError(_("不能为负数（%(value)s）。") % {"value": as_text(value)})
    if number > 10_000_000:
        raise CellError(_("数值过大（%(value)s）。") % {"value": as_text(value)})
    return int(number)


# Excel stores a date as a day count when the cell is formatted as a number; accept the range
# 1982-2064 so a genuine serial is understood without taking ordinary numbers for dates.
EXCEL_SERIAL_RANGE = range(30000, 60000)
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s].*)?$")
MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?份?$")


def _make_date(year: int, month: int, day: int, original: Any) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s”不是有效日期。") % {"value": as_text(original)}) from None


def _bad_month(value: Any) -> CellError:
    return CellError(
        _("“%(value)s”不是有效的月份，请填写如 2026-03、2026年3月，或日期格式。")
        % {"value": as_text(value)}
    )


def _make_month(year: int, month: int, original: Any) -> date:
    if not 1 <= month <= 12:
        raise _bad_month(original)
    return date(year, month, 1)


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in EXCEL_SERIAL_RANGE:
            return from_excel(int(value)).date()
        text = as_text(value)
    else:
        text = fold(value)
    if re.fullmatch(r"\d{8}", text):
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), value)
    match = DATE_RE.match(text)
    if match:
        return _make_date(*(int(part) for part in match.groups()), value)
    raise CellError(
        _("“%(value)s”不是日期，请填写如 2026-03-01 或 2026年3月1日。") % {"value": as_text(value)}
    )


def parse_month(value: Any) -> date:
    """2026-03, 2026/3, 2026年3月, 202603, or a real Excel date: the first day of that month."""
    if isinstance(value, datetime | date):
        return parse_date(value).replace(day=1)
    if isinstance(value, float) and not value.is_integer():
        # 2026.03 typed into a number cell: two decimals are unambiguous, one is not
        # (2026.1 is what Excel keeps of both "2026.1" and "2026.10").
        digits = repr(value).split(".")[1]
        if len(digits) == 2:
            return _make_month(int(value), int(digits), value)
        raise CellError(
            _(
                "月份“%(value)s”被 Excel 存成了数字，无法区分1月和10月；"
                "请填写为 2026-01 或 2026年1月 的形式。"
            )
            % {"value": as_text(value)}
        )
    text = fold(value)
    if re.fullmatch(r"\d{6}", text):
        return _make_month(int(text[:4]), int(text[4:]), value)
    if isinstance(value, int) and value in EXCEL_SERIAL_RANGE:
        return from_excel(value).date().replace(day=1)
    match = MONTH_RE.match(text)
    if match:
        return _make_month(int(match.group(1)), int(match.group(2)), value)
    match = DATE_RE.match(text)
    if match:
        try:
            return parse_date(text).replace(day=1)
        except CellError:
            raise _bad_month(value) from None
    raise _bad_month(value)


# --- Columns, rows, sheets -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, how a cell is read, and what the notes say of it.

    `field` is the model field the column is written to; errors the services raise for that
    field are reported against this column.
    """

    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = False
    field: str | None = None
    aliases: tuple[str, ...] = ()
    help: Any = ""
    allowed: Any = ""
    example: str = ""
    width: int = 14
    as_text: bool = False
    options: Callable[[], list[str]] | None = None

    @property
    def title(self) -> str:
        """The header as written in the template: required columns carry an asterisk."""
        return f"{self.header}*" if self.required else self.header

    @property
    def model_field(self) -> str:
        return self.field or self.key

    def matches(self, normalized: str) -> bool:
        return normalized == normalize_header(self.header) or normalized in {
            normalize_header(alias) for alias in self.aliases
        }


@dataclass
class ParsedRow:
    """One data row of a sheet, from the cells read to the action planned for it."""

    sheet: SheetData
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    action: str | None = None
    instance: Any = None
    changes: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)
    depends_on: list[ParsedRow] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def has(self, key: str) -> bool:
        return self.values.get(key) is not None

    def error(self, key: str | None, message: str) -> None:
        self.errors.append(
            RowError(
                sheet=self.sheet.title,
                row=self.number,
                column=self.sheet.header_for(key) if key else "",
                message=message,
            )
        )

    def cell_error(self, key: str) -> bool:
        """Whether the cell itself could not be read (then lookups on it are skipped)."""
        header = self.sheet.header_for(key)
        return any(error.column == header for error in self.errors)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(dep.failed for dep in self.depends_on)

    def given(self, keys) -> dict[str, Any]:
        """The non-blank values of these columns: blank cells never overwrite existing data."""
        return {key: self.values[key] for key in keys if self.values.get(key) is not None}

    def duplicate_of(self, first: ParsedRow, key: str, what: str) -> None:
        self.error(key, _("与%(place)s重复：%(what)s") % {"place": first.place(), "what": what})

    def place(self) -> str:
        """How another row refers to this one in an error message."""
        return _("工作表“%(sheet)s”第%(row)s行") % {"sheet": self.sheet.title, "row": self.number}

    def map_service_error(self, error: ValidationError) -> None:
        """A service refused the row: report each message against the column it concerns."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                key = None if name == NON_FIELD_ERRORS else self.sheet.kind.key_for_field(name)
                if key is None and name != NON_FIELD_ERRORS:
                    # A field the sheet has no column for: still say which one it was.
                    label = self.sheet.kind.field_label(name)
                    for message in ValidationError(errors).messages:
                        self.error(None, f"{label}：{message}" if label else message)
                    continue
                for message in ValidationError(errors).messages:
                    self.error(key, message)
        else:
            for message in error.messages:
                self.error(None, message)


@dataclass
class SheetData:
    """A worksheet recognised as one kind, with where its header is and which column is which."""

    title: str
    kind: SheetKind
    header_row: int
    columns: dict[int, Column] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def header_for(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        column = self.kind.column(key)
        return column.header if column else key

    def has_column(self, key: str) -> bool:
        return key in self.headers

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)


@dataclass
class HeaderMatch:
    """A header row read as one kind: {cell index: column}, {key: header as written}."""

    columns: dict[int, Column] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)


class SheetKind:
    """What one kind of sheet holds and how its rows are checked and written.

    Subclasses declare the columns and implement `validate` (lookups, duplicates inside the file,
    the planned action and its changes) and `apply` (the service calls). The import context
    (workbook.ImportContext) carries what rows of different sheets share.
    """

    kind: str = ""
    label: Any = ""
    sheet_name: str = ""
    sheet_aliases: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    model: type[models.Model] | None = None

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    @property
    def required_columns(self) -> list[Column]:
        return [column for column in self.columns if column.required]

    def match_header(self, cells: list[Any]) -> HeaderMatch:
        """Map a header row's cells to this kind's columns."""
        match = HeaderMatch()
        for index, cell in enumerate(cells):
            normalized = normalize_header(cell)
            if not normalized:
                continue
            column = next((c for c in self.columns if c.matches(normalized)), None)
            if column is None:
                continue
            written = as_text(cell).replace("*", "").strip()
            if column.key in match.headers:
                match.duplicates.append(written)
                continue
            match.columns[index] = column
            match.headers[column.key] = written
        return match

    def missing(self, match: HeaderMatch) -> list[Column]:
        return [column for column in self.required_columns if column.key not in match.headers]

    def key_for_field(self, name: str) -> str | None:
        return next(
            (column.key for column in self.columns if column.model_field == name),
            None,
        )

    def field_label(self, name: str) -> str:
        if self.model is None:
            return ""
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - an unknown key still gets reported, unlabelled
            return ""

    def changed_fields(self, instance: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
        """The subset of `fields` whose value differs from what `instance` holds."""
        changes = {}
        for name, value in fields.items():
            current = getattr(instance, name)
            if isinstance(value, models.Model) or isinstance(current, models.Model):
                same = getattr(current, "pk", current) == getattr(value, "pk", value)
            elif isinstance(value, Decimal) and current is not None:
                same = Decimal(current) == value
            else:
                same = current == value
            if not same:
                changes[name] = value
        return changes

    def prepare(self, ctx, rows: list[ParsedRow]) -> None:
        """Load what the rows refer to in a few queries, before they are validated one by one."""

    def validate(self, ctx, row: ParsedRow) -> None:
        raise NotImplementedError

    def apply(self, ctx, row: ParsedRow) -> None:
        raise NotImplementedError
