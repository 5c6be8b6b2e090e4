import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from reports.aggregates import DistrictReport
from reports.presentation import MONEY, PERCENT, TEXT, build_sections, generated_label, headline, report_title

NUMBER_FORMATS = {MONEY: '"Rp"#,##0', PERCENT: "0.0", "number": "#,##0"}
INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


class SheetWriter:
    """Cells for a write-only sheet: numbers stay numbers, with a display format."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=13)

    def cell(self, value, kind: str = TEXT, bold: bool = False):
        cell = WriteOnlyCell(self.sheet, value=value)
        if kind != TEXT and isinstance(value, int | float):
            cell.number_format = NUMBER_FORMATS.get(kind, "#,##0")
            cell.alignment = Alignment(horizontal="right")
        if bold:
            cell.font = self.bold
        return cell

    def title(self, text: str):
        cell = WriteOnlyCell(self.sheet, value=text)
        cell.font = self.title_font
        self.sheet.append([cell])

    def row(self, values: list, kinds: list[str], bold: bool = False):
        self.sheet.append([self.cell(v, k, bold) for v, k in zip(values, kinds, strict=True)])


def sheet_name(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    name = title.translate(INVALID_SHEET_CHARS).strip()[:31]
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def render_xlsx(report: DistrictReport) -> bytes:
    """A workbook with a cover sheet and a sheet per section (openpyxl write-only, numbers as numbers)."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    cover = SheetWriter(book.create_sheet(sheet_name(_("Ringkasan"), used)))
    cover.sheet.column_dimensions["A"].width = 28
    cover.sheet.column_dimensions["B"].width = 80
    cover.title(report_title(report))
    cover.row([_("Wilayah"), f"{report.region.name} ({report.region.code})"], [TEXT, TEXT])
    cover.row([_("Tahun"), report.year], [TEXT, TEXT])
    cover.row([_("Ringkasan"), headline(report)], [TEXT, TEXT])
    cover.row([_("Keterangan"), generated_label(report)], [TEXT, TEXT])

    for section in build_sections(report):
        sheet = SheetWriter(book.create_sheet(sheet_name(section.sheet_title, used)))
        widest = max([len(section.tables[0].columns) if section.tables else 2, 2])
        sheet.sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFG"[: widest - 1]:
            sheet.sheet.column_dimensions[letter].width = 20
        sheet.title(section.title)
        for item in section.items:
            sheet.row([item.label, item.value], [TEXT, item.kind])
        for table in section.tables:
            sheet.sheet.append([])
            sheet.row([table.title], [TEXT], bold=True)
            kinds = [c.kind for c in table.columns]
            sheet.row([c.label for c in table.columns], [TEXT] * len(kinds), bold=True)
            for row in table.rows:
                sheet.row(row, kinds)
            if table.total:
                sheet.row(table.total, kinds, bold=True)
        for note in section.notes:
            sheet.sheet.append([])
            sheet.row([note], [TEXT])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
