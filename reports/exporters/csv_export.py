import csv
import io

from django.utils.translation import gettext as _

from reports.aggregates import DistrictReport
from reports.presentation import TEXT, build_sections, report_title


def iter_rows(report: DistrictReport):
    """(section, item, value) rows: each summary value, then each table cell that holds a number.

    A table row reads "table: row label — column" so that every figure stays on one line of its own."""
    yield _("Laporan"), report_title(report), ""
    yield _("Laporan"), _("Kode wilayah"), report.region.code
    yield _("Laporan"), _("Tahun"), report.year
    for section in build_sections(report):
        for item in section.items:
            yield section.title, item.label, "" if item.value is None else item.value
        for table in section.tables:
            label_index = 0
            rows = list(table.rows) + ([table.total] if table.total else [])
            for row in rows:
                for index, column in enumerate(table.columns):
                    if column.kind == TEXT or row[index] is None:
                        continue
                    name = f"{table.title}: {row[label_index]} — {column.label}"
                    yield section.title, name, row[index]


def render_csv(report: DistrictReport) -> bytes:
    """CSV with a UTF-8 BOM and semicolons, as Indonesian Excel opens it; numbers without separators."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Bagian"), _("Uraian"), _("Nilai")])
    for section, item, value in iter_rows(report):
        # Indonesian Excel reads a decimal comma; whole numbers carry no thousands separator.
        writer.writerow([section, item, str(value).replace(".", ",") if isinstance(value, float) else value])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
