"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and upper-case letters without I, O, S, V, Z):
registration authority (1), organisation type (1), administrative division (6 digits),
organisation code (9) and a check character computed from the first 17 with fixed weights.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FORBIDDEN_LETTERS = "IOSVZ"


def normalize_credit_code(value: str) -> str:
    """Full-width characters folded, every space removed (also inside: "9144 0300 …" as
    printed on a licence) and upper-cased, so codes typed on a phone, pasted from a document
    or imported from Excel compare equal. The page, the API and the import all call this."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).upper()


def credit_code_check_character(first17: str) -> str:
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。") % {"length": len(code)},
            code="credit_code_length",
        )
    bad = [char for char in code if char not in ALPHABET]
    if bad:
        char = bad[0]
        if char in FORBIDDEN_LETTERS:
            message = _("统一社会信用代码不使用字母 I、O、S、V、Z，发现“%(char)s”。")
        else:
            message = _("统一社会信用代码只能包含数字和大写字母，发现“%(char)s”。")
        raise ValidationError(message % {"char": char}, code="credit_code_alphabet")
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3至8位是行政区划码，应为6位数字。"), code="credit_code_division"
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：末位应为“%(expected)s”，而不是“%(actual)s”，请核对。")
            % {"expected": expected, "actual": code[17]},
            code="credit_code_check",
        )
