"""Bounds every Django form gets, installed once at start-up (CoreConfig.ready), so that no form of any
app can forget them. Found by the form fuzz test (core/tests/test_fuzz_forms.py), each was a 500:

- dates and date-times outside ``FORM_YEAR_RANGE`` (default 1900–2100): year 1 in Hong Kong time is
  before year 1 in UTC (OverflowError on save), year 9999 overflows any date arithmetic
  (deadline + reminder interval, due dates);
- a model choice whose id is beyond a 64-bit integer (``99999999999999999999``): SQLite raises
  OverflowError and PostgreSQL an out-of-range error on the lookup, instead of "not a valid choice".

Each becomes an ordinary, translated form error on that field.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
INT64 = 2**63


def year_range() -> tuple[int, int]:
    return tuple(getattr(settings, "FORM_YEAR_RANGE", (1900, 2100)))


def _check_year(value):
    if isinstance(value, dt.date | dt.datetime):
        low, high = year_range()
        if not low <= value.year <= high:
            raise ValidationError(
                _("Enter a date between the years %(low)d and %(high)d."),
                code="year_range",
                params={"low": low, "high": high},
            )
    return value


def _out_of_range_id(field, value) -> bool:
    model = field.queryset.model
    key = field.to_field_name or model._meta.pk.name
    try:
        model_field = model._meta.get_field(key)
    except Exception:
        return False
    if model_field.get_internal_type() not in INTEGER_TYPES:
        return False
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check answers "not a valid choice"
    return not -INT64 <= number < INT64


def install() -> None:
    if getattr(forms.Field, "_sciencebridge_bounds", False):
        return
    forms.Field._sciencebridge_bounds = True

    for cls in (forms.DateField, forms.DateTimeField):
        original = cls.to_python

        def to_python(self, value, _original=original):
            return _check_year(_original(self, value))

        cls.to_python = to_python

    choice_to_python = forms.ModelChoiceField.to_python

    def model_choice_to_python(self, value):
        if value not in self.empty_values and _out_of_range_id(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return choice_to_python(self, value)

    forms.ModelChoiceField.to_python = model_choice_to_python

    check_values = forms.ModelMultipleChoiceField._check_values

    def model_multiple_check_values(self, value):
        for pk in value:
            if _out_of_range_id(self, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return check_values(self, value)

    forms.ModelMultipleChoiceField._check_values = model_multiple_check_values
