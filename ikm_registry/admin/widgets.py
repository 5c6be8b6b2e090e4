"""Form fields that read numbers as Indonesian staff type them and show them the Indonesian way."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ikm_registry.formatting import format_number


def parse_rupiah(value) -> int | None:
    """Whole Rupiah from what staff type.

    >>> parse_rupiah("Rp 1.500.000,00")
    1500000
    >>> parse_rupiah("1500000")
    1500000
    >>> parse_rupiah("1,500,000")
    1500000
    >>> parse_rupiah("") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = re.sub(r"(?i)^\s*-?\s*rp\.?", "", str(value)).replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    # A comma followed by one or two digits at the end is the Indonesian decimal mark ("1.500.000,00").
    match = re.fullmatch(r"([\d.,]*?),(\d{1,2})", text)
    if match:
        if int(match.group(2)) != 0:
            raise ValueError("sen")
        text = match.group(1)
    digits = text.replace(".", "").replace(",", "")
    if not digits.isdigit():
        raise ValueError("not a number")
    return int(digits)


class RupiahInput(forms.TextInput):
    """A text input prefixed with "Rp" that shows 1500000 as 1.500.000."""

    template_name = "ikm_registry/widgets/rupiah.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "size": 16, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)


class RupiahField(forms.IntegerField):
    """Whole Rupiah; accepts 1500000, 1.500.000 and Rp 1.500.000,00."""

    widget = RupiahInput
    default_error_messages = {
        "invalid": _("Isi nilai Rupiah dengan angka, misalnya 1.500.000."),
        "sen": _("Nilai Rupiah harus bulat (tanpa sen)."),
    }

    def __init__(self, *, max_value=None, min_value=None, step_size=None, **kwargs):
        # No step/min attributes on a text input; the model's validators still apply.
        kwargs.setdefault("localize", False)
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_rupiah(value)
        except ValueError as exc:
            code = "sen" if str(exc) == "sen" else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from None


# For ModelAdmin/inline formfield_overrides: every money column (PositiveBigIntegerField) as Rupiah.
RUPIAH_OVERRIDES = {"form_class": RupiahField}
