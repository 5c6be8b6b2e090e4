"""Reading cell values as office staff type them: numbers, Rupiah, years, dates, yes/no, choices, and
formula-escaped text. Each parser returns the clean value or raises CellError with a message in Indonesian.

>>> parse_money("Rp 1.500.000,00")
1500000
>>> parse_money("1.500.000"), parse_money("1500000"), parse_money(1500000.0), parse_money("1,500,000")
(1500000, 1500000, 1500000, 1500000)
>>> parse_decimal("2,5"), parse_decimal("1.500"), parse_decimal("2.75")
(Decimal('2.5'), Decimal('1500'), Decimal('2.75'))
>>> parse_coordinate("-2,2136", Decimal(-11), Decimal(7), "di luar Indonesia")
Decimal('-2.213600')
>>> unescape_text("'+6281234567890"), unescape_text("'Toko 'Maju'")
('+6281234567890', "'Toko 'Maju'")
>>> escape_text("=SUM(A1)"), escape_text("-2.5"), escape_text("Amplang")
("'=SUM(A1)", '-2.5', 'Amplang')
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from ikm_registry.formatting import MONTHS_ID


class CellError(ValueError):
    """A cell that cannot be read: the message is shown to staff beside the row and column."""


# --- text ----------------------------------------------------------------------------------------------------

# What a spreadsheet may run as a formula (OWASP "CSV injection"): =, +, -, @ and tab/CR at the start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def escape_text(value: str) -> str:
    """Prefix a formula-looking text with an apostrophe, the spreadsheet's own "this is text" mark.
    Plain negative numbers ("-2.5", a latitude) are not formulas and stay as they are."""
    if value and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unescape_text(value: str) -> str:
    """Undo escape_text: strip one apostrophe only where it guards a formula character, so that a name
    which really starts with an apostrophe keeps it."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def cell_text(value) -> str:
    """Any cell as trimmed text; numbers typed in a spreadsheet come back without a spurious ".0"."""
    if value is None:
        return ""
    if type(value) is str:  # the common case, kept short: this runs for every cell of every row
        value = value.strip()
        return unescape_text(value).strip() if value[:1] == "'" else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unescape_text(str(value).strip()).strip()


def norm_key(value: str) -> str:
    """A comparison key tolerant of case, spacing and punctuation: "Kota  Palangka-Raya" ~ "kota palangkaraya".

    >>> norm_key(" Kota  Palangka Raya "), norm_key("Palangka-raya")
    ('kotapalangkaraya', 'palangkaraya')
    """
    return re.sub(r"[\W_]+", "", value.casefold())


def norm_name(value: str) -> str:
    """A business name for duplicate checks: case, spacing and punctuation ignored, legal-form words dropped.

    >>> norm_name("UD. Amplang  Sinar Jaya"), norm_name("amplang sinar-jaya")
    ('amplangsinarjaya', 'amplangsinarjaya')
    """
    words = re.sub(r"[^\w\s]+", " ", value.casefold()).split()
    words = [w for w in words if w not in {"ud", "cv", "pt", "pd", "tbk", "koperasi", "usaha", "toko"}]
    return "".join(words)


# --- numbers -------------------------------------------------------------------------------------------------

_ID_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.500.000 or 1.500.000,50
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # 1,500,000 or 1,500,000.50
_COMMA_DECIMAL = re.compile(r"^\d+,\d+$")  # 2,5
_DOT_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")  # 2.75 or 1500
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)


def _number(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Harus berupa angka."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = cell_text(value).replace("\u00a0", " ")
    negative = False
    if text.startswith("-"):
        negative, text = True, text[1:].strip()
    text = _CURRENCY.sub("", text).replace(" ", "")
    if text.endswith(",-"):  # "Rp 1.500.000,-"
        text = text[:-2]
    if text.startswith("-"):  # "Rp -1.500"
        negative, text = True, text[1:]
    if _ID_GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(text):
        text = text.replace(",", "")
    elif _COMMA_DECIMAL.match(text):
        text = text.replace(",", ".")
    elif not _DOT_DECIMAL.match(text):
        try:  # scientific notation from a spreadsheet ("1.5E+6")
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("Harus berupa angka, bukan “%(value)s”.") % {"value": cell_text(value)}) from None
        if not number.is_finite() or "e" not in text.lower():
            raise CellError(_("Harus berupa angka, bukan “%(value)s”.") % {"value": cell_text(value)})
        return -number if negative else number
    number = Decimal(text)
    return -number if negative else number


def parse_decimal(value, places: int = 2, minimum: int | None = 0) -> Decimal:
    number = _number(value)
    if minimum is not None and number < minimum:
        raise CellError(_("Tidak boleh negatif."))
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    # 1500.00 -> 1500, 2.50 -> 2.5 (normalize() alone would write 1500 as 1.5E+3)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()


def parse_int(value, minimum: int | None = 0, maximum: int | None = None) -> int:
    if type(value) is int or (type(value) is str and value.isascii() and value.isdigit()):
        number = int(value)  # the common case, without the Decimal round trip
    else:
        number = _number(value)
        if number != number.to_integral_value():
            raise CellError(_("Harus bilangan bulat, bukan “%(value)s”.") % {"value": cell_text(value)})
        number = int(number)
    if minimum is not None and number < minimum:
        raise CellError(_("Tidak boleh negatif.") if minimum == 0 else _("Minimal %(min)s.") % {"min": minimum})
    if maximum is not None and number > maximum:
        raise CellError(_("Maksimal %(max)s.") % {"max": maximum})
    return number


def parse_money(value) -> int:
    """Whole Rupiah: 1500000, 1.500.000, Rp 1.500.000,00, Rp1.500.000,- all read as 1500000."""
    if type(value) is int or (type(value) is str and value.isascii() and value.isdigit()):
        number = int(value)
        if number < 0:
            raise CellError(_("Nilai Rupiah tidak boleh negatif."))
        if number >= 10**18:
            raise CellError(_("Nilai terlalu besar."))
        return number
    number = _number(value)
    if number < 0:
        raise CellError(_("Nilai Rupiah tidak boleh negatif."))
    if number != number.to_integral_value():
        raise CellError(_("Nilai Rupiah harus bulat (tanpa sen): “%(value)s”.") % {"value": cell_text(value)})
    if number >= 10**18:
        raise CellError(_("Nilai terlalu besar."))
    return int(number)


def parse_year(value, minimum: int = 1900, this_year: int | None = None) -> int:
    """A year, never in the future (the office's local date)."""
    text = cell_text(value)
    if not (len(text) == 4 and text.isdigit()):
        raise CellError(_("Tahun harus 4 angka, bukan “%(value)s”.") % {"value": text})
    year = int(text)
    if year > (this_year or timezone.localdate().year):
        raise CellError(_("Tahun %(year)s ada di masa depan.") % {"year": year})
    if year < minimum:
        raise CellError(_("Tahun %(year)s terlalu lama (paling awal %(min)s).") % {"year": year, "min": minimum})
    return year


def parse_coordinate(value, low: Decimal, high: Decimal, message) -> Decimal:
    """A latitude or longitude in decimal degrees, 6 places. A comma decimal mark is accepted."""
    if isinstance(value, int | float):
        number = Decimal(repr(float(value)))
    else:
        text = cell_text(value).replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            raise CellError(_("Harus koordinat desimal, misalnya -2.2136, bukan “%(value)s”.") % {"value": text})
        number = Decimal(text)
    number = number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    if not (low <= number <= high):
        raise CellError(str(message))
    return number


# --- dates, choices, yes/no ----------------------------------------------------------------------------------

_MONTHS = {name.casefold(): i for i, name in enumerate(MONTHS_ID, start=1)}
_MONTHS.update({name.casefold()[:3]: i for i, name in enumerate(MONTHS_ID, start=1)})
_MONTHS.update({"agu": 8, "agt": 8, "ags": 8, "okt": 10, "des": 12, "peb": 2, "nop": 11, "nov": 11})


def parse_date(value) -> datetime.date:
    """31/12/2024, 31-12-2024, 2024-12-31, 31 Desember 2024, or a spreadsheet date cell. Never month first."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text):
            month = _MONTHS.get(m[2].casefold()) or _MONTHS.get(m[2].casefold()[:3])
            if month:
                return datetime.date(int(m[3]), month, int(m[1]))
    except ValueError:
        pass
    raise CellError(_("Tanggal tidak dikenali: “%(value)s”. Tulis seperti 31/12/2024.") % {"value": text})


YES = {"ya", "y", "yes", "1", "true", "benar", "setuju", "iya"}
NO = {"tidak", "t", "tdk", "no", "n", "0", "false", "salah", "tidak setuju"}


def parse_bool(value, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text == "":
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Isi “ya” atau “tidak”, bukan “%(value)s”.") % {"value": cell_text(value)})


class Choices:
    """Allowed values of a column: each stored value with the spellings staff use for it."""

    def __init__(self, options: dict[str, list[str]], shown: list[str]):
        self.shown = shown  # what the template lists, in order
        self.lookup = {norm_key(spelling): stored for stored, spellings in options.items() for spelling in spellings}
        for stored in options:
            self.lookup.setdefault(norm_key(stored), stored)

    def parse(self, value, default: str | None = None) -> str:
        text = cell_text(value)
        if text == "" and default is not None:
            return default
        stored = self.lookup.get(norm_key(text))
        if stored is None:
            raise CellError(
                _("Nilai “%(value)s” tidak dikenal. Pilihan: %(choices)s.")
                % {"value": text, "choices": ", ".join(self.shown)}
            )
        return stored


def format_phone_local(phone: str) -> str:
    """+6281234567890 -> 0812-3456-7890: how staff write it, readable, and never taken as a formula or a
    number by a spreadsheet; the importer normalises it back to +62.

    >>> format_phone_local("+6281234567890"), format_phone_local("+625363221234")
    ('0812-3456-7890', '0536-3221-234')
    """
    if not phone.startswith("+62"):
        return phone
    digits = "0" + phone[3:]
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))
