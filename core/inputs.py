"""What any input must be before the portal acts on it, checked in the layers every page, API
call and import goes through (forms, FilterSets, full_clean), so no view repeats it.

1. An id typed into a query string is ASCII digits that fit a database key (`parse_id`).
   `"²".isdigit()` is True yet `int("²")` fails, and twenty digits overflow the key: both
   are "no such id", never a server error.
2. Text never holds NUL: PostgreSQL refuses it (a server error), SQLite stores it.
3. Dates lie between DATE_MIN and DATE_MAX, so date arithmetic (due dates, periods, working
   days) never overflows and a typo such as 20266-03-01 is refused with the allowed range.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext as _

ID_PATTERN = re.compile(r"[0-9]{1,18}")
# Beyond this a key overflows PostgreSQL's bigint; ids here are far smaller anyway.
ID_MAX = 2**63 - 1

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2099, 12, 31)

NUL = "\x00"


def parse_id(value) -> int | None:
    """The id in `value` ("12", " 12 "), or None for anything else: empty, signs, non-ASCII
    digits (١٢ ² ①), more than 18 digits, or 0."""
    if value is None:
        return None
    text = str(value).strip()
    if not ID_PATTERN.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def nul_message(label) -> str:
    return _("“%(field)s”中含有不可见的控制字符（NUL），请删除后重新填写。") % {"field": label}


def date_range_message(label) -> str:
    return _("“%(field)s”须在 %(min)s 到 %(max)s 之间。") % {
        "field": label,
        "min": DATE_MIN.isoformat(),
        "max": DATE_MAX.isoformat(),
    }


def check_text(value, label) -> None:
    """Refuse text holding NUL, naming the field."""
    if isinstance(value, str) and NUL in value:
        raise ValidationError(nul_message(label), code="null_characters_not_allowed")


def check_date(value, label) -> None:
    """Refuse a date (or date-time) outside DATE_MIN..DATE_MAX, naming the field and range."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date) and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(date_range_message(label), code="date_out_of_range")


def field_input_errors(instance, exclude=()) -> dict[str, list]:
    """For a model instance: the text fields holding NUL and the dates out of range."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.attname in exclude:
            continue
        value = getattr(instance, field.attname, None)
        try:
            if isinstance(field, models.CharField | models.TextField):
                check_text(value, field.verbose_name)
            elif isinstance(field, models.DateField):  # DateTimeField is a DateField
                check_date(value, field.verbose_name)
        except ValidationError as error:
            errors[field.name] = error.error_list
    return errors


class CleanInputMixin(models.Model):
    """Models whose full_clean refuses NUL in text and dates out of range (field_input_errors)
    on top of their own field rules: the services validate every write with full_clean."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in field_input_errors(self, exclude or ()).items():
            errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)


def non_negative_errors(instance, names) -> dict[str, str]:
    """The named number fields of `instance` that are below zero, each with a message naming
    the field and the allowed range (a model's clean raises them)."""
    errors = {}
    for name in names:
        value = getattr(instance, name, None)
        if value is not None and value < 0:
            label = instance._meta.get_field(name).verbose_name
            errors[name] = _("“%(field)s”须大于或等于 0。") % {"field": label}
    return errors


INT_MAX = 2**31 - 1


def bound_form_field(field, label) -> None:
    """Give a form field the bounds every input has: dates within DATE_MIN..DATE_MAX, whole
    numbers that fit a database integer (a form's own max_value stays)."""
    if isinstance(field, forms.DateField):
        field.validators.append(lambda value: check_date(value, label))
    elif isinstance(field, forms.IntegerField) and field.max_value is None:
        field.validators.append(
            MaxValueValidator(
                INT_MAX,
                message=_("“%(field)s”须小于或等于 %(max)d。") % {"field": label, "max": INT_MAX},
            )
        )
