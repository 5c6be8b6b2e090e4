"""Writing spreadsheets for staff: exports, templates and failed-rows files, CSV (streamed, UTF-8 with BOM,
comma or semicolon) and XLSX (openpyxl write-only, constant memory).

Every text cell a spreadsheet would run as a formula is escaped with a leading apostrophe (see
parsing.escape_text); the importer strips it again, so exports re-import unchanged. Numbers are written as
numbers, never escaped: a negative latitude is not a formula.
"""

import csv
import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from ikm_registry.imports.parsing import escape_text

BOM = "\ufeff"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def csv_cell(value, delimiter: str = ";") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, Decimal | float):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        # Indonesian Excel reads ";" files with a decimal comma.
        return text.replace(".", ",") if delimiter == ";" else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return escape_text(str(value))


class _Echo:
    def write(self, value):
        return value


def stream_csv(headers: list[str], rows, delimiter: str = ";"):
    """Yield a CSV file piece by piece: a BOM so that Excel reads UTF-8, then one line per row."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield BOM + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([csv_cell(v, delimiter) for v in row])


def xlsx_value(value):
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def header_cells(sheet, headers: list[str], required: set[str] = frozenset()):
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if header in required else HEADER_FILL
        cells.append(cell)
    return cells


def write_xlsx(fileobj, headers: list[str], rows, title: str = "Data", progress=None, date_columns=()):
    """One sheet, write-only: a 100,000-row export stays within a few tens of MB."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, headers))
    for count, row in enumerate(rows, start=1):
        values = [xlsx_value(v) for v in row]
        for index in date_columns:
            if isinstance(values[index], datetime.date):
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.number_format = "DD/MM/YYYY"
                values[index] = cell
        sheet.append(values)
        if progress and count % 1000 == 0:
            progress(count)
    workbook.save(fileobj)
