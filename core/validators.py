"""Rules for people's contact details — a mainland mobile number, an e-mail address — shared by
every way they come in: the page forms (core.forms), the API (core.api.fields), the Excel import
and the services. One rule, one message, wherever it is typed.

1. `normalize_mobile` / `normalize_email` turn what a person typed into what is stored:
   full-width characters (a Chinese input method's ＠ or １３９) folded by NFKC, spaces removed,
   and for a mobile number the separators and a +86 prefix too.
2. `mobile_validator` / `validate_email_address` then refuse what is not a mobile number / an
   address, naming the value.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

# A mainland mobile number: a cadre's login name, an enterprise contact's phone.
MOBILE_PATTERN = r"^1[3-9]\d{9}$"
EMAIL_MAX_LENGTH = 254


def _folded(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))


def normalize_mobile(value) -> str:
    """'139 1234 5678', '139-1234-5678', '+86 13912345678' and full-width digits: 13912345678."""
    text = re.sub(r"[-()]", "", _folded(value))
    if text.startswith("+86"):
        return text[3:]
    if len(text) == 13 and text.startswith("86"):
        return text[2:]
    return text


def normalize_email(value) -> str:
    return _folded(value)


mobile_validator = RegexValidator(
    MOBILE_PATTERN,
    _("“%(value)s”不是有效的手机号码，应为11位中国大陆手机号（如 13912345678）。"),
    code="invalid_mobile",
)

_email_validator = EmailValidator()


def validate_email_address(value: str) -> None:
    try:
        _email_validator(value)
    except ValidationError:
        raise ValidationError(
            _("电子邮箱“%(value)s”格式不正确，应如 zhang@example.gov.cn。"),
            code="invalid_email",
            params={"value": value},
        ) from None
