"""A template column: its exact header, what it holds and which values it allows (sheet 2 of the template)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    description: str
    allowed: str = ""
    example: object = ""
    # "Wajib" in the template: a row without it is refused.
    required: bool = False
    # The header itself must be in the file (matching keys may be missing from a partial file otherwise).
    required_header: bool = False
    # Personal data (UU PDP): exported only to roles with ikm_registry.view_owner_nik.
    personal: bool = False
    # Kept as text in the XLSX template, so that Excel does not round a NIK or drop a leading zero.
    text: bool = False
    # Written as a number in XLSX exports (Rupiah, counts, years, coordinates).
    numeric: bool = False
    # Shown in exports for the reader (e.g. the unit's name beside its code); ignored on import.
    info: bool = False
