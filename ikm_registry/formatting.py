"""Indonesian formatting for money and dates, shared by admin, pages, reports and exports."""

import datetime
from decimal import Decimal

MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def format_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1500000 -> '1.500.000'; with decimals a comma: 2.5 -> '2,50'.

    >>> format_number(1500000)
    '1.500.000'
    >>> format_number(-2500.5, 2)
    '-2.500,50'
    """
    if value is None or value == "":
        return ""
    text = f"{float(value) if decimals else round(value):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_rupiah(value: int | float | Decimal | None) -> str:
    """Whole Rupiah the Indonesian way.

    >>> format_rupiah(1500000)
    'Rp1.500.000'
    >>> format_rupiah(None)
    ''
    """
    if value is None or value == "":
        return ""
    amount = round(value)
    return ("-Rp" if amount < 0 else "Rp") + format_number(abs(amount))


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """23 November 2026.

    >>> format_date(datetime.date(2026, 11, 23))
    '23 November 2026'
    """
    if not value:
        return ""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
