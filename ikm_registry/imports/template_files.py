"""Downloadable templates for each kind: XLSX (sheet 1 the headers and a filled example row, sheet 2 what
every column holds and which values it allows) and CSV (headers and the example row)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ikm_registry.imports.kinds import Kind
from ikm_registry.imports.writers import HEADER_FILL, HEADER_FONT, REQUIRED_FILL, stream_csv, xlsx_value


def template_xlsx(kind: Kind) -> bytes:
    columns = kind.columns
    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    data.append([c.header for c in columns])
    data.append([xlsx_value(c.example) if c.example != "" else None for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        data.column_dimensions[letter].width = max(12, min(40, len(column.header) + 4))
        if column.text:
            # Typed NIK, NIB and codes stay text: Excel would round a 16-digit NIK and drop leading zeros.
            data.column_dimensions[letter].number_format = "@"
            example = data.cell(row=2, column=index)
            if example.value is not None:
                example.value = str(example.value)
    data.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Petunjuk"))
    guide.append([_("Petunjuk pengisian: %(kind)s") % {"kind": kind.label}])
    guide["A1"].font = Font(bold=True, size=13)
    notes = [
        _("Baris 1 lembar Data adalah judul kolom: jangan diubah. Baris 2 adalah contoh: ganti atau hapus."),
        _(
            "Satu baris untuk satu data. Berkas dengan satu galat pun tidak disimpan sama sekali; "
            "setiap galat disebut dengan nomor baris dan kolomnya."
        ),
        _("Angka boleh ditulis 1500000, 1.500.000 atau Rp 1.500.000,00. Tanggal ditulis 31/12/2024."),
        _("Kolom berwarna jingga wajib diisi."),
    ]
    for note in notes:
        guide.append([note])
    guide.append([])
    guide.append([_("kolom"), _("wajib"), _("isi"), _("nilai yang diizinkan"), _("contoh")])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for column in columns:
        guide.append(
            [
                column.header,
                _("ya") if column.required else "",
                str(column.description) + (" " + _("Data pribadi.") if column.personal else ""),
                str(column.allowed),
                xlsx_value(str(column.example)) if column.example != "" else "",
            ]
        )
    for letter, width in zip("ABCDE", (26, 7, 70, 40, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind: Kind, delimiter: str = ";") -> str:
    columns = kind.columns
    return "".join(stream_csv([c.header for c in columns], [[c.example for c in columns]], delimiter))
