"""The one import engine behind both doors (the admin's upload page and `manage.py import_records`).

A file is read row by row in chunks. Each chunk is parsed, checked against the reference data and the
registry with a handful of bulk queries (never one per row), classified as new, changed, unchanged or
erroneous, and, when committing, written with bulk inserts and updates plus their history rows. A commit
runs inside one transaction: the first error stops all writing, validation goes on to the end of the file
so that every error is reported, and the transaction is rolled back. A file with any error writes nothing.
"""

import contextlib
import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from ikm_registry import maintenance
from ikm_registry.imports.columns import Column
from ikm_registry.imports.parsing import CellError, cell_text, norm_key
from ikm_registry.imports.reader import TableError, open_table
from ikm_registry.models import scope_region_code, user_can_access_region

logger = logging.getLogger(__name__)

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATUSES = (NEW, CHANGED, UNCHANGED, ERROR)
# Rows of each status kept for the preview; the counts are always complete.
SAMPLE_LIMIT = 200
# Errors and warnings kept in the job's summary (the command prints all; the failed-rows file has all).
ISSUE_LIMIT = 2000


@dataclass
class Issue:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    """What an import found (and, when committed, did): counts by status, errors, warnings, sample rows."""

    kind: str
    file_name: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    samples: dict = field(default_factory=lambda: {s: [] for s in STATUSES})
    total_rows: int = 0
    committed: bool = False
    # Rows the commit's transaction wrote per table, kept or rolled back (maintenance.rows_written); not shown.
    written: dict[str, int] = field(default_factory=dict)
    error_count: int = 0
    warning_count: int = 0

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        self.errors.append(Issue(row, column, str(message)))

    def warning(self, row: int, column: str, message: str) -> None:
        self.warning_count += 1
        self.warnings.append(Issue(row, column, str(message)))

    def record(self, status: str, row: int, label: str, changes: list[str] | None = None) -> None:
        self.counts[status] += 1
        if len(self.samples[status]) < SAMPLE_LIMIT:
            self.samples[status].append({"row": row, "label": label, "changes": changes or []})

    def error_rows(self) -> dict[int, list[str]]:
        """Row number -> its messages ("column: reason"), for the failed-rows file."""
        rows: dict[int, list[str]] = {}
        for issue in self.errors:
            text = f"{issue.column}: {issue.message}" if issue.column else issue.message
            rows.setdefault(issue.row, []).append(text)
        return rows

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "counts": self.counts,
            "total_rows": self.total_rows,
            "committed": self.committed,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "errors": [i.as_dict() for i in self.errors[:ISSUE_LIMIT]],
            "warnings": [i.as_dict() for i in self.warnings[:ISSUE_LIMIT]],
            "samples": self.samples,
        }


class Row:
    """One data row: raw cells by header, the row's errors, and what the importer made of it."""

    __slots__ = ("number", "values", "colmap", "errors", "status", "label", "changes", "data", "texts")

    def __init__(self, number: int, values: list, colmap: dict[str, int]):
        self.number, self.values, self.colmap = number, values, colmap
        self.texts: dict[str, str] = {}
        self.errors: list[tuple[str, str]] = []
        self.status = None
        self.label = ""
        self.changes: list[str] = []
        self.data = None

    def has(self, header: str) -> bool:
        return header in self.colmap

    def raw(self, header: str):
        index = self.colmap.get(header)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index]
        return None if value == "" else value

    def text(self, header: str) -> str:
        text = self.texts.get(header)
        if text is None:
            text = self.texts[header] = cell_text(self.raw(header))
        return text

    def error(self, header: str, message) -> None:
        self.errors.append((header, str(message)))

    def errors_for(self, header: str) -> bool:
        return any(h == header for h, _message in self.errors)

    def check_lengths(self, limits: dict[str, int]) -> None:
        """An error for each text column longer than its model field allows (header -> max length)."""
        for header, limit in limits.items():
            if self.has(header) and len(self.text(header)) > limit:
                self.error(header, _("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": limit})

    def parse(self, header: str, parser: Callable, *args, default=None, **kwargs):
        """Run a parser on a cell; empty cells give `default`; a CellError becomes the row's error."""
        value = self.raw(header)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        try:
            return parser(value, *args, **kwargs)
        except CellError as exc:
            self.error(header, exc)
            return default


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def _large_page_cache(kib: int = 65536):
    """SQLite's default page cache (2 MB) thrashes once a large import's tables and history indexes outgrow
    it inside the one transaction: inserts slowed down threefold over 100,000 rows. PostgreSQL is unaffected."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class Prototype:
    """New model instances by copying a fresh one's attributes: Model.__init__ walks every field (about 45
    for IKMUnit) and costs more per row than all of a row's parsing. Defaults are plain values here, no
    callables, and no post_init receivers are involved, so a copy is the same as a constructed instance."""

    def __init__(self, model, **defaults):
        self.model = model
        self.values = model(**defaults).__dict__.copy()
        del self.values["_state"]

    def new(self, **values):
        obj = self.model.__new__(self.model)
        obj.__dict__.update(self.values)
        obj.__dict__.update(values)
        obj._state = ModelState()
        return obj


class BaseImporter:
    """One kind of record. Subclasses define `kind`, `columns` and `process_chunk(rows, write)`."""

    kind = ""
    columns: list[Column] = []
    chunk_size = 1000
    # Header alternatives staff use ("Nama Usaha" for nama_usaha is handled by norm_key already).
    aliases: dict[str, str] = {}

    def __init__(self, user, file_name: str, verify: bool = False, progress: Callable[[int], None] | None = None):
        self.user = user
        self.file_name = file_name
        self.verify = verify
        self.progress = progress
        self.scope = scope_region_code(user)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.this_year = self.today.year
        self.report = ImportReport(kind=self.kind, file_name=file_name)

    # --- the run ---------------------------------------------------------------------------------------------
    def run(self, fileobj, commit: bool = False) -> ImportReport:
        report = self.report
        if self.scope is None:
            report.error(1, "", _("Akun %(user)s tidak memiliki wilayah kerja: impor ditolak.") % {"user": self.user})
            return report
        try:
            table = open_table(fileobj, self.file_name)
            colmap = self.map_headers(table.headers)
        except TableError as exc:
            report.error(1, "", str(exc))
            return report
        if report.has_errors:
            return report
        self.present = set(colmap)
        self.prepare()
        if not commit:
            self._process(table.rows, colmap, write=False)
            return report
        try:
            with transaction.atomic(), _large_page_cache():
                self._process(table.rows, colmap, write=True)
                report.written = maintenance.rows_written()
                if report.has_errors:
                    raise _Rollback
                report.committed = True
        except _Rollback:
            report.committed = False
        except IntegrityError as exc:
            # Another import or an admin edit wrote the same unique value (a NIB) after this file was checked.
            logger.warning("Import of %s rolled back by a unique value written meanwhile: %s", self.file_name, exc)
            report.committed = False
            conflict = self.describe_conflict(*unique_conflict(exc))
            if conflict is not None:
                report.error(*conflict)
            report.error(
                1,
                "",
                _(
                    "Data di registri berubah selama impor (mungkin ada impor lain atau suntingan di admin pada saat "
                    "yang sama); tidak ada yang disimpan. Unggah ulang untuk memeriksa lagi."
                ),
            )
        except TableError as exc:
            report.error(1, "", str(exc))
        return report

    def describe_conflict(self, column: str | None, value: str | None) -> tuple[int, str, str] | None:
        """(row, header, message) for a unique `column` value that someone else saved while this file was being
        written, when this kind can tell which row holds it; None otherwise (the general message stands)."""
        return None

    def _process(self, rows, colmap, write: bool) -> None:
        report = self.report
        max_rows = getattr(settings, "IMPORT_MAX_ROWS", 500_000)
        try:
            while chunk := list(itertools.islice(rows, self.chunk_size)):
                batch = [Row(number, values, colmap) for number, values in chunk]
                # Once any error is known nothing more is written; validation carries on to the end.
                self.process_chunk(batch, write=write and not report.has_errors)
                for row in batch:
                    self._settle(row)
                report.total_rows += len(batch)
                if self.progress:
                    self.progress(report.total_rows)
                if report.total_rows > max_rows:
                    report.error(
                        1,
                        "",
                        _("Berkas melebihi %(n)s baris: bagi menjadi beberapa berkas.")
                        % {"n": f"{max_rows:,}".replace(",", ".")},
                    )
                    return
            self.finish(write=write and not report.has_errors)
        except TableError as exc:
            report.error(1, "", str(exc))

    def _settle(self, row: Row) -> None:
        report = self.report
        if row.errors:
            for header, message in row.errors:
                report.error(row.number, header, message)
            report.record(ERROR, row.number, row.label)
        elif row.status:
            report.record(row.status, row.number, row.label, row.changes)

    # --- headers ---------------------------------------------------------------------------------------------
    def map_headers(self, headers: list[str]) -> dict[str, int]:
        known = {norm_key(c.header): c.header for c in self.columns}
        known.update({norm_key(alias): header for alias, header in self.aliases.items()})
        colmap: dict[str, int] = {}
        for index, raw in enumerate(headers):
            if not raw:
                continue
            header = known.get(norm_key(raw))
            if header is None:
                if norm_key(raw) in {"galat", "error", "kesalahan", "barisasal"}:
                    continue  # the extra columns of a failed-rows file being uploaded again
                self.report.error(
                    1,
                    raw,
                    _("Kolom “%(header)s” tidak dikenal. Gunakan judul kolom dari templat.") % {"header": raw},
                )
            elif header in colmap:
                self.report.error(1, raw, _("Kolom “%(header)s” muncul dua kali.") % {"header": header})
            else:
                colmap[header] = index
        for column in self.columns:
            if column.required_header and column.header not in colmap:
                self.report.error(
                    1, column.header, _("Kolom wajib “%(header)s” tidak ada.") % {"header": column.header}
                )
        return colmap

    # --- hooks -----------------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Load reference data once per file (sectors, KBLI, sentra...)."""

    def process_chunk(self, rows: list[Row], write: bool) -> None:
        raise NotImplementedError

    def finish(self, write: bool) -> None:
        """After the last chunk (e.g. cross-row checks that need the whole file)."""

    # --- helpers ---------------------------------------------------------------------------------------------
    def in_scope(self, region_code: str | None) -> bool:
        return user_can_access_region(self.user, region_code)

    def history_kwargs(self) -> dict:
        return {"default_user": self.user, "default_change_reason": self.file_name, "default_date": self.now}


def changed_columns(obj, values: dict, fields: dict[str, str]) -> list[str]:
    """The headers (of `fields`: header -> model field) whose new value in `values` differs from `obj`'s."""
    return [header for header, name in fields.items() if name in values and getattr(obj, name) != values[name]]


def unique_conflict(exc: IntegrityError) -> tuple[str | None, str | None]:
    """(column, value) of a unique-constraint violation, as far as the database tells: PostgreSQL names both,
    SQLite only the column; (None, None) for any other integrity error.

    >>> unique_conflict(IntegrityError('duplicate key value violates unique constraint "x"\\n'
    ...                                'DETAIL:  Key (nib)=(9120301234567) already exists.'))
    ('nib', '9120301234567')
    >>> unique_conflict(IntegrityError("UNIQUE constraint failed: ikm_registry_ikmunit.nib"))
    ('nib', None)
    """
    text = str(exc)
    if found := re.search(r"Key \((\w+)\)=\((.*?)\) already exists", text):
        return found.group(1), found.group(2)
    if found := re.search(r"UNIQUE constraint failed: \w+\.(\w+)", text):
        return found.group(1), None
    return None, None
