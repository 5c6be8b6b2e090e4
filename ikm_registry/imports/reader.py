"""Streaming readers for uploaded spreadsheets: XLSX (first sheet) and CSV (comma, semicolon or tab; UTF-8
with or without BOM, or the Windows code page Excel uses for "CSV" on Indonesian Windows).

Rows come out one at a time with their spreadsheet row number (the header is row 1), so a 100,000-row
file never sits in memory. The XLSX reader walks the sheet's XML with the standard library's expat
parser: openpyxl's read-only mode reads the same 36-column template at about 1,200 rows/s (it builds an
object per inline string and, without a <dimension> element, scans the whole sheet twice), this reader
several times faster. Files are still written with openpyxl (see writers.py).
"""

import codecs
import csv
import datetime
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Built-in number formats that are dates (ECMA-376 18.8.30), plus the CJK/Thai ranges Excel also uses.
BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))


class TableError(ValueError):
    """The file itself cannot be read (not a spreadsheet, damaged, no header)."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (spreadsheet row number, cell values)


def open_table(fileobj, name: str) -> Table:
    """Open an uploaded XLSX or CSV file. `fileobj` is a binary file (path-like objects are opened)."""
    if isinstance(fileobj, str) or hasattr(fileobj, "__fspath__"):
        fileobj = open(fileobj, "rb")  # noqa: SIM115 - closed when the rows are exhausted
    head = fileobj.read(4)
    fileobj.seek(0)
    if head == XLSX_MAGIC:
        rows = _xlsx_rows(fileobj)
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise TableError(_("Berkas bukan XLSX yang sah. Simpan ulang dari Excel sebagai .xlsx atau .csv."))
    elif name.lower().endswith(".xls"):
        raise TableError(_("Format .xls (Excel 97-2003) tidak didukung. Simpan sebagai .xlsx atau .csv."))
    else:
        rows = _csv_rows(fileobj)
    for number, values in rows:
        if any(v not in (None, "") for v in values):
            headers = [str(v).strip() if v is not None else "" for v in values]
            if number != 1:
                raise TableError(_("Baris 1 harus berisi judul kolom (header) templat."))
            return Table(headers=headers, rows=_skip_empty(rows))
    raise TableError(_("Berkas kosong: tidak ada baris judul kolom."))


def _skip_empty(rows):
    for number, values in rows:
        if any(v is not None and v != "" for v in values):
            yield number, values


def count_rows(fileobj, name: str) -> int:
    """Data rows in a file (without the header), cheaply enough to decide where a file is validated."""
    table = open_table(fileobj, name)
    count = sum(1 for _ in table.rows)
    fileobj.seek(0)
    return count


# --- CSV -----------------------------------------------------------------------------------------------------


def _detect_encoding(fileobj) -> str:
    """UTF-8 (BOM or not) when the whole file decodes as UTF-8; else cp1252, Excel's "CSV" on Windows."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fileobj.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    fileobj.seek(0)
    return encoding


def _csv_rows(fileobj):
    encoding = _detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    first = text.readline()
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    text.seek(0)
    try:
        # Records are numbered as a spreadsheet numbers rows (a quoted cell may span several lines).
        yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
    except csv.Error as exc:
        raise TableError(_("CSV rusak: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()  # leave the caller's file open


# --- XLSX ----------------------------------------------------------------------------------------------------


def _xlsx_rows(fileobj):
    try:
        archive = zipfile.ZipFile(fileobj)
        sheet_path = _first_sheet_path(archive)
        shared = _shared_strings(archive)
        date_styles, date1904 = _date_styles(archive)
    except (zipfile.BadZipFile, KeyError, expat.ExpatError) as exc:
        raise TableError(_("Berkas XLSX rusak atau bukan buatan Excel: %(error)s") % {"error": exc}) from exc
    epoch = datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
    yield from _SheetReader(archive, sheet_path, shared, date_styles, epoch).rows()


def _parse_xml(data: bytes, start=None, end=None, chars=None):
    parser = expat.ParserCreate(namespace_separator="|")
    parser.buffer_text = True
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    parser.Parse(data, True)


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    sheets, rels = [], {}

    def wb_start(name, attrs):
        if name == f"{MAIN_NS}|sheet":
            sheets.append(attrs.get(f"{REL_NS}|id"))

    _parse_xml(archive.read("xl/workbook.xml"), start=wb_start)

    def rel_start(name, attrs):
        if name == f"{PKG_REL_NS}|Relationship":
            rels[attrs.get("Id")] = attrs.get("Target", "")

    _parse_xml(archive.read("xl/_rels/workbook.xml.rels"), start=rel_start)
    if not sheets or sheets[0] not in rels:
        raise TableError(_("Berkas XLSX tidak memiliki lembar kerja."))
    target = rels[sheets[0]]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "skip": 0}
    si, t, rph = f"{MAIN_NS}|si", f"{MAIN_NS}|t", f"{MAIN_NS}|rPh"

    def start(name, attrs):
        if name == si:
            parts.clear()
        elif name == t:
            state["in_t"] = True
        elif name == rph:  # phonetic hints are not part of the text
            state["skip"] += 1

    def end(name):
        if name == si:
            strings.append("".join(parts))
        elif name == t:
            state["in_t"] = False
        elif name == rph:
            state["skip"] -= 1

    def chars(data):
        if state["in_t"] and not state["skip"]:
            parts.append(data)

    _parse_xml(data, start, end, chars)
    return strings


_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], bool]:
    """Indexes of cell styles whose number format is a date, and whether the workbook counts from 1904."""
    date1904 = False

    def wb_start(name, attrs):
        nonlocal date1904
        if name == f"{MAIN_NS}|workbookPr" and attrs.get("date1904") in ("1", "true"):
            date1904 = True

    _parse_xml(archive.read("xl/workbook.xml"), start=wb_start)
    try:
        data = archive.read("xl/styles.xml")
    except KeyError:
        return set(), date1904
    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"cellXfs": False}

    def start(name, attrs):
        if name == f"{MAIN_NS}|numFmt":
            custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif name == f"{MAIN_NS}|cellXfs":
            depth["cellXfs"] = True
        elif name == f"{MAIN_NS}|xf" and depth["cellXfs"]:
            formats.append(int(attrs.get("numFmtId", 0)))

    def end(name):
        if name == f"{MAIN_NS}|cellXfs":
            depth["cellXfs"] = False

    _parse_xml(data, start, end)

    def is_date(fmt_id: int) -> bool:
        if fmt_id in custom:
            # Quoted text, [colour/locale] sections and escaped characters are not date parts.
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom[fmt_id])
            return bool(_DATE_TOKENS.search(code))
        return fmt_id in BUILTIN_DATE_FORMATS

    return {i for i, fmt in enumerate(formats) if is_date(fmt)}, date1904


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


_CELL, _TEXT, _ROW, _PHONETIC, _OTHER = 1, 2, 3, 4, 0
_LOCAL_TAGS = {"c": _CELL, "v": _TEXT, "t": _TEXT, "row": _ROW, "rPh": _PHONETIC}
_DIGITS = "0123456789"


class _SheetReader:
    """Expat callbacks that turn <row><c t=".." s=".."><v>..</v></c></row> into lists of values.

    Every cell costs several callbacks, so they stay small: tags map to codes through a dict (a tag may
    carry a namespace prefix, "x:c"), column letters to indexes through another."""

    def __init__(self, archive, path, shared, date_styles, epoch):
        self.archive, self.path, self.shared = archive, path, shared
        self.date_styles, self.epoch = date_styles, epoch
        self.done: list[tuple[int, list]] = []
        self.row: list = []
        self.row_number = 0
        self.text = None
        self.collect = False
        self.cell_type = None
        self.cell_style = 0
        self.cell_col = 0
        self.tags: dict[str, int] = {}
        self.columns: dict[str, int] = {}

    def rows(self):
        parser = expat.ParserCreate()  # no namespace processing: tags keep any prefix, handled below
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        with self.archive.open(self.path) as src:
            while chunk := src.read(1 << 20):
                parser.Parse(chunk, False)
                if self.done:
                    yield from self.done
                    self.done.clear()
            parser.Parse(b"", True)
        yield from self.done

    def _tag(self, name: str) -> int:
        code = self.tags[name] = _LOCAL_TAGS.get(name.rpartition(":")[2], _OTHER)
        return code

    def start(self, name, attrs):
        code = self.tags.get(name)
        if code is None:
            code = self._tag(name)
        if code == _CELL:
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.cell_style = int(style) if style else 0
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                col = self.columns.get(letters)
                if col is None:
                    col = self.columns[letters] = _column_index(letters)
                self.cell_col = col
            else:
                self.cell_col = len(self.row)
            self.text = None
        elif code == _TEXT:
            self.collect = True
        elif code == _ROW:
            r = attrs.get("r")
            self.row_number = int(r) if r else self.row_number + 1
            self.row = []
        elif code == _PHONETIC:
            self.collect = False

    def end(self, name):
        code = self.tags.get(name)
        if code == _TEXT:
            self.collect = False
        elif code == _CELL:
            text = self.text
            value = None if text is None else (text if self.cell_type == "inlineStr" else self.value(text))
            row = self.row
            if len(row) < self.cell_col:
                row.extend([None] * (self.cell_col - len(row)))
            row.append(value)
        elif code == _ROW:
            self.done.append((self.row_number, self.row))

    def chars(self, data):
        if self.collect:
            self.text = data if self.text is None else self.text + data

    def value(self, text: str):
        kind = self.cell_type
        if kind == "s":
            return self.shared[int(text)]
        if kind in ("inlineStr", "str"):
            return text
        if kind == "b":
            return text == "1"
        if kind == "e":
            return text  # "#N/A" and friends: validation reports them as bad values
        if kind == "d":
            return datetime.datetime.fromisoformat(text)
        number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        if self.cell_style in self.date_styles:
            moment = self.epoch + datetime.timedelta(days=float(number))
            return moment.date() if moment.time() == datetime.time(0) else moment
        if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
