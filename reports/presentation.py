"""A DistrictReport laid out as sections of labelled values, tables and charts, for every format alike.

The renderers in reports/exporters only draw what this module lays out: the HTML page, the PDF, the XLSX
sheets and the CSV rows carry the same sections, rows and charts in the same order. Values stay raw numbers
here (ints, or None for "no figure"); each format decides how to write them (Rp1.500.000 on a page, a number
cell in a sheet).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ikm_registry.formatting import format_date, format_number, format_rupiah
from reports.aggregates import NO_FIGURES, DistrictReport

TEXT, NUMBER, MONEY, PERCENT = "text", "number", "money", "percent"


@dataclass
class Item:
    """One labelled value of a section's summary."""

    label: str
    value: int | float | str | None
    kind: str = NUMBER


@dataclass
class Column:
    label: str
    kind: str = NUMBER


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None

    @property
    def cell_rows(self) -> list[list[tuple]]:
        """Rows as (value, kind) pairs, for templates that cannot zip."""
        return [list(zip(row, (c.kind for c in self.columns), strict=True)) for row in self.rows]

    @property
    def total_cells(self) -> list[tuple]:
        return list(zip(self.total, (c.kind for c in self.columns), strict=True)) if self.total else []


@dataclass
class Chart:
    """A bar or pie chart of one series; the HTML draws it with frappe-charts, the PDF with reportlab."""

    key: str
    title: str
    kind: str  # "bar" or "pie"
    labels: list[str]
    values: list[int]
    series: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(self.values)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "type": self.kind,
            "labels": self.labels,
            "datasets": [{"name": self.series, "values": self.values}],
        }


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Excel allows 31 characters in a sheet name.
    sheet_title: str = ""

    def __post_init__(self):
        self.sheet_title = self.sheet_title or self.title


def format_value(value, kind: str) -> str:
    """A value as people read it: Rp1.500.000, 1.500, 12,5%."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    if kind == MONEY:
        return format_rupiah(value)
    if kind == PERCENT:
        return format_number(value, 1) + "%"
    if kind == NUMBER:
        return format_number(value)
    return str(value)


def signed(value: int) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def size_class_label(code: str) -> str:
    from ikm_registry.models import SizeClass

    if code == NO_FIGURES:
        return _("Tanpa data tahun ini")
    return str(SizeClass(code).label) if code in SizeClass.values else code


def short_sector_name(name: str) -> str:
    """Chart labels have little room: "Industri Pangan" -> "Pangan"."""
    return name.removeprefix("Industri ").capitalize() if name.startswith("Industri ") else name


def headline(report: DistrictReport) -> str:
    """The sentence office heads quote: "5.815 IKM di 14 kabupaten/kota, mencakup 174 kecamatan, ..."."""
    cov, total = report.coverage, report.units.total
    parts = []
    if report.region.level < 2:
        parts.append(_("%(n)s kabupaten/kota") % {"n": format_number(cov.kabupaten_kota)})
    if report.region.level < 3:
        parts.append(_("%(n)s kecamatan") % {"n": format_number(cov.kecamatan)})
    places = _("%(kel)s kelurahan dan %(desa)s desa") % {
        "kel": format_number(cov.kelurahan),
        "desa": format_number(cov.desa),
    }
    text = _("%(total)s IKM terverifikasi aktif pada tahun %(year)s di %(region)s") % {
        "total": format_number(total),
        "year": report.year,
        "region": report.region.name,
    }
    if parts:
        text += _(", tersebar di %(places)s, mencakup %(villages)s.") % {
            "places": ", ".join(parts),
            "villages": places,
        }
    else:
        text += _(", mencakup %(villages)s.") % {"villages": places}
    ovop = report.ovop
    if ovop.rated:
        stars = [
            ngettext("%(n)s dengan %(s)s bintang", "%(n)s dengan %(s)s bintang", ovop.by_stars[s])
            % {"n": ovop.by_stars[s], "s": s}
            for s in ("5", "4", "3", "2", "1")
            if ovop.by_stars[s]
        ]
        text += " " + _("%(n)s produk OVOP: %(stars)s.") % {"n": ovop.rated, "stars": ", ".join(stars)}
    return text


def report_title(report: DistrictReport) -> str:
    return _("Laporan IKM %(region)s Tahun %(year)s") % {"region": report.region.name, "year": report.year}


def child_level_label(report: DistrictReport) -> str:
    return {
        0: _("Provinsi"),
        1: _("Kabupaten/kota"),
        2: _("Kecamatan"),
        3: _("Kelurahan/desa"),
    }[report.region.level]


def build_sections(report: DistrictReport) -> list[Section]:
    """The report's sections in reading order; every format renders exactly these."""
    units, figures, cov = report.units, report.figures, report.coverage

    ikm = Section("ikm", _("Unit IKM"))
    ikm.items = [
        Item(_("Jumlah IKM terverifikasi aktif"), units.total),
        Item(_("IKM baru (berdiri tahun ini)"), units.new_units),
        Item(_("IKM tutup pada tahun ini"), units.closed_units),
        Item(_("Jumlah IKM tahun sebelumnya"), report.growth.previous_total),
        Item(_("Pertumbuhan (unit)"), report.growth.change),
        Item(_("Pertumbuhan (%)"), report.growth.percent, PERCENT),
    ]
    sector_rows = [[r.name, r.count] for r in units.by_sector]
    ikm.tables.append(
        Table(
            "by_sector",
            _("Per sektor"),
            [Column(_("Sektor"), TEXT), Column(_("Unit"))],
            sector_rows,
            [_("Jumlah"), units.total],
        )
    )
    size_rows = [[size_class_label(code), n] for code, n in figures.by_size_class.items()]
    ikm.tables.append(
        Table(
            "by_size_class",
            _("Per kelas usaha (data tahun %(year)s)") % {"year": report.year},
            [Column(_("Kelas usaha"), TEXT), Column(_("Unit"))],
            size_rows,
            [_("Jumlah"), units.total],
        )
    )
    ikm.charts = [
        Chart(
            "sector",
            _("IKM per sektor"),
            "bar",
            [short_sector_name(r.name) for r in units.by_sector],
            [r.count for r in units.by_sector],
            _("Unit"),
        ),
        Chart(
            "size_class",
            _("IKM per kelas usaha"),
            "pie",
            [r[0] for r in size_rows],
            [r[1] for r in size_rows],
            _("Unit"),
        ),
    ]

    regions = Section("wilayah", _("Sebaran wilayah"))
    # A kab/kota's report does not count kab/kota, a kecamatan's not kecamatan.
    shown = ["kabupaten_kota", "kecamatan", "kelurahan", "desa"][max(report.region.level - 1, 0) :]
    level_labels = {
        "kabupaten_kota": _("Kabupaten/kota"),
        "kecamatan": _("Kecamatan"),
        "kelurahan": _("Kelurahan"),
        "desa": _("Desa"),
    }
    coverage_rows = [[level_labels[key], getattr(cov, key), cov.totals.get(key, 0)] for key in shown]
    covered_labels = {
        "kabupaten_kota": _("Kabupaten/kota yang memiliki IKM"),
        "kecamatan": _("Kecamatan yang memiliki IKM"),
        "kelurahan": _("Kelurahan yang memiliki IKM"),
        "desa": _("Desa yang memiliki IKM"),
    }
    regions.items = [Item(covered_labels[key], getattr(cov, key)) for key in covered_labels if key in shown]
    regions.tables.append(
        Table(
            "coverage",
            _("Cakupan wilayah"),
            [Column(_("Wilayah"), TEXT), Column(_("Memiliki IKM")), Column(_("Jumlah wilayah"))],
            coverage_rows,
        )
    )
    child_label = child_level_label(report)
    child_rows = [
        [
            row.name,
            row.count,
            figures.by_child_region.get(row.code, {}).get("workers", 0),
            figures.by_child_region.get(row.code, {}).get("production_value", 0),
        ]
        for row in units.by_child_region
    ]
    regions.tables.append(
        Table(
            "by_child_region",
            _("IKM per %(level)s") % {"level": child_label.lower()},
            [
                Column(child_label, TEXT),
                Column(_("Unit")),
                Column(_("Tenaga kerja")),
                Column(_("Nilai produksi"), MONEY),
            ],
            child_rows,
            [_("Jumlah"), units.total, figures.workers.total, figures.production_value],
        )
    )
    regions.charts = [
        Chart(
            "child_region",
            _("IKM per %(level)s") % {"level": child_label.lower()},
            "bar",
            [r.name for r in units.by_child_region],
            [r.count for r in units.by_child_region],
            _("Unit"),
        )
    ]

    economy = Section("produksi", _("Tenaga kerja, investasi dan produksi"), sheet_title=_("Tenaga kerja dan nilai"))
    economy.items = [
        Item(_("Tenaga kerja laki-laki"), figures.workers.men),
        Item(_("Tenaga kerja perempuan"), figures.workers.women),
        Item(_("Tenaga kerja total"), figures.workers.total),
        Item(_("Nilai investasi (tanpa tanah dan bangunan)"), figures.investment, MONEY),
        Item(_("Nilai produksi"), figures.production_value, MONEY),
        Item(_("Nilai bahan baku"), figures.raw_material_value, MONEY),
        Item(_("Nilai ekspor"), figures.export_value, MONEY),
        Item(_("Unit eksportir"), report.exporters.count),
        Item(_("Negara tujuan ekspor"), len(report.exporters.destinations)),
    ]
    economy.tables.append(
        Table(
            "export_destinations",
            _("Negara tujuan ekspor"),
            [Column(_("Negara"), TEXT), Column(_("Unit eksportir"))],
            [[r.name, r.count] for r in report.exporters.destinations],
        )
    )
    economy.notes.append(
        _("Tenaga kerja dan nilai dijumlah dari data tahunan %(year)s milik %(n)s dari %(total)s unit.")
        % {"year": report.year, "n": format_number(figures.units_with_figures), "total": format_number(units.total)}
    )

    certs = Section("sertifikat", _("Sertifikat dan izin"))
    certs.tables.append(
        Table(
            "certificates",
            _("Sertifikat dan izin yang berlaku pada tahun %(year)s") % {"year": report.year},
            [Column(_("Jenis"), TEXT), Column(_("Sertifikat")), Column(_("Unit pemegang"))],
            [[r.name, r.count, r.units] for r in report.certificates],
            [_("Jumlah"), sum(r.count for r in report.certificates), None],
        )
    )

    sentra = report.sentra
    sentra_section = Section("sentra", _("Sentra dan kawasan IKM"))
    sentra_section.items = [
        Item(_("Sentra dan kawasan"), sentra.count),
        Item(_("Anggota (unit)"), sentra.members),
        Item(_("Tenaga kerja anggota"), sentra.workers.total),
        Item(_("Nilai produksi anggota"), sentra.production_value, MONEY),
    ]
    sentra_section.tables.append(
        Table(
            "sentra_by_kind",
            _("Per jenis"),
            [
                Column(_("Jenis"), TEXT),
                Column(_("Jumlah")),
                Column(_("Anggota")),
                Column(_("Tenaga kerja")),
                Column(_("Nilai produksi"), MONEY),
            ],
            [[r.name, r.count, r.members, r.workers, r.production_value] for r in sentra.by_kind],
        )
    )

    pem = report.pembinaan
    pembinaan = Section("pembinaan", _("Pembinaan"))
    pembinaan.items = [
        Item(_("Kegiatan"), pem.activities),
        Item(_("Peserta laki-laki"), pem.participants.men),
        Item(_("Peserta perempuan"), pem.participants.women),
        Item(_("Peserta total"), pem.participants.total),
        Item(_("Unit terjangkau"), pem.units_reached),
        Item(_("Kunjungan pendampingan"), pem.mentoring_visits),
        Item(_("Unit yang dikunjungi"), pem.units_visited),
    ]
    pembinaan.tables += [
        Table(
            "activities_by_kind",
            _("Kegiatan per jenis"),
            [Column(_("Jenis"), TEXT), Column(_("Kegiatan"))],
            [[r.name, r.count] for r in pem.by_kind],
            [_("Jumlah"), pem.activities],
        ),
        Table(
            "activities_by_funding",
            _("Kegiatan per sumber dana"),
            [Column(_("Sumber dana"), TEXT), Column(_("Kegiatan")), Column(_("Anggaran"), MONEY)],
            [[r.name, r.count, r.value] for r in pem.by_funding_source],
            [_("Jumlah"), pem.activities, sum(r.value for r in pem.by_funding_source)],
        ),
    ]
    pembinaan.charts = [
        Chart(
            "activities",
            _("Kegiatan pembinaan per jenis"),
            "bar",
            [r.name for r in pem.by_kind],
            [r.count for r in pem.by_kind],
            _("Kegiatan"),
        )
    ]

    ban = report.bantuan
    bantuan = Section("bantuan", _("Bantuan peralatan"))
    bantuan.items = [
        Item(_("Barang diserahkan"), ban.items),
        Item(_("Baris BAST"), ban.records),
        Item(_("Nilai bantuan"), ban.value, MONEY),
        Item(_("Penerima"), ban.recipients),
        Item(_("Penerima unit IKM"), ban.recipient_units),
        Item(_("Penerima sentra"), ban.recipient_sentra),
    ]
    bantuan.tables += [
        Table(
            "equipment_by_funding",
            _("Per sumber dana"),
            [Column(_("Sumber dana"), TEXT), Column(_("Barang")), Column(_("Nilai"), MONEY)],
            [[r.name, r.count, r.value] for r in ban.by_funding_source],
            [_("Jumlah"), ban.items, ban.value],
        ),
        Table(
            "earlier_condition",
            _("Kondisi barang dari tahun anggaran sebelumnya (pemeriksaan terakhir)"),
            [Column(_("Kondisi"), TEXT), Column(_("Barang"))],
            [[r.name, r.count] for r in ban.earlier_condition],
            [_("Jumlah"), sum(r.count for r in ban.earlier_condition)],
        ),
    ]
    bantuan.charts = [
        Chart(
            "equipment_condition",
            _("Kondisi barang tahun sebelumnya"),
            "pie",
            [r.name for r in ban.earlier_condition],
            [r.count for r in ban.earlier_condition],
            _("Barang"),
        )
    ]

    ovop = report.ovop
    ovop_section = Section("ovop", _("OVOP"))
    ovop_section.items = [Item(_("Produk berperingkat"), ovop.rated)] + [
        Item(_("Bintang %(s)s") % {"s": s}, ovop.by_stars[s]) for s in ("5", "4", "3", "2", "1")
    ]
    ovop_section.tables.append(
        Table(
            "ovop_by_category",
            _("Per kategori"),
            [Column(_("Kategori"), TEXT), Column(_("Produk"))],
            [[r.name, r.count] for r in ovop.by_category],
            [_("Jumlah"), ovop.rated],
        )
    )
    ovop_section.charts = [
        Chart(
            "ovop_stars",
            _("Produk OVOP per bintang"),
            "bar",
            [_("%(s)s bintang") % {"s": s} for s in ("1", "2", "3", "4", "5")],
            [ovop.by_stars[s] for s in ("1", "2", "3", "4", "5")],
            _("Produk"),
        )
    ]
    ovop_section.notes.append(_("Setiap produk dihitung sekali, dengan penilaian terakhirnya sampai tahun laporan."))

    dq = report.data_quality
    quality = Section("kualitas", _("Kualitas data"))
    quality.items = [
        Item(_("Unit belum terverifikasi"), dq.unverified),
        *[Item(_("— %(status)s") % {"status": r.name}, r.count) for r in dq.unverified_by_status],
        Item(_("Unit terverifikasi tanpa data tahun ini"), dq.without_figures),
        Item(_("Unit dengan kelas usaha 'periksa'"), dq.size_check),
    ]
    quality.notes.append(_("Unit yang belum terverifikasi tidak dihitung dalam angka laporan ini."))

    return [ikm, regions, economy, certs, sentra_section, pembinaan, bantuan, ovop_section, quality]


def all_charts(sections: list[Section]) -> list[Chart]:
    return [chart for section in sections for chart in section.charts]


def generated_label(report: DistrictReport) -> str:
    from django.utils import timezone

    local = timezone.localtime(report.generated_at)
    return _("Dibuat %(date)s pukul %(time)s") % {"date": format_date(local), "time": local.strftime("%H.%M")}
