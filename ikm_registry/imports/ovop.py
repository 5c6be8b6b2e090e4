"""Import of OVOP ratings (kind "ovop"): one row per product and assessment year.

A row matches the rating of the same unit, product name (case and spacing ignored) and year; otherwise it
adds a rating, so that earlier years stay as history. The fostering level follows from the stars.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_update_with_history

from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.columns import Column
from ikm_registry.imports.engine import CHANGED, NEW, UNCHANGED, BaseImporter, Row, changed_columns
from ikm_registry.imports.lookups import SectorLookup, UnitRefs
from ikm_registry.imports.parsing import CellError, norm_key, parse_int, parse_year
from ikm_registry.models import IKMUnit, OVOPRating, fostering_level_for

COLUMNS = [
    Column(
        "kode_ikm",
        _lazy("Kode registri unit IKM yang produknya dinilai."),
        _lazy("kode dari sistem"),
        "IKM-6171-000001",
        text=True,
    ),
    Column("nib", _lazy("NIB unit, dipakai bila kode_ikm kosong."), _lazy("13 angka"), "", text=True),
    Column(
        "nama_produk",
        _lazy("Nama produk yang dinilai."),
        _lazy("teks, wajib"),
        "Amplang ikan tenggiri",
        required=True,
        required_header=True,
    ),
    Column(
        "kategori",
        _lazy("Kategori (sektor) produk. Bila kosong, sektor unit."),
        "PANGAN, SANDANG, KAYU, KERAJINAN, LMEA, KIMIA, ANEKA",
        "PANGAN",
    ),
    Column(
        "tahun_penilaian",
        _lazy("Tahun penilaian OVOP."),
        _lazy("4 angka, tidak di masa depan"),
        2023,
        required=True,
        required_header=True,
        numeric=True,
    ),
    Column(
        "bintang",
        _lazy("Jumlah bintang. Tingkat pembinaan mengikuti: 1-2 kab/kota, 3 provinsi, 4-5 kementerian."),
        "1, 2, 3, 4, 5",
        3,
        required=True,
        required_header=True,
        numeric=True,
    ),
    Column("nomor_sertifikat", _lazy("Nomor sertifikat OVOP."), _lazy("teks"), "OVOP/2023/61/014"),
    Column("penilai", _lazy("Lembaga penilai."), _lazy("teks"), "Kementerian Perindustrian"),
    Column(
        "nama_usaha",
        _lazy("Nama unit (hanya keterangan; diabaikan saat impor)."),
        _lazy("teks"),
        "Amplang Sinar Kapuas",
        info=True,
    ),
]
FIELDS = {
    "nama_produk": "product_name",
    "kategori": "category_id",
    "bintang": "stars",
    "nomor_sertifikat": "certificate_number",
    "penilai": "assessing_body",
}
LIMITS = {"nama_produk": 200, "nomor_sertifikat": 100, "penilai": 200}


class OVOPImporter(BaseImporter):
    kind = "ovop"
    columns = COLUMNS

    def map_headers(self, headers):
        colmap = super().map_headers(headers)
        if "kode_ikm" not in colmap and "nib" not in colmap:
            self.report.error(1, "kode_ikm", _("Berkas harus memiliki kolom kode_ikm atau nib."))
        return colmap

    def prepare(self):
        self.units = UnitRefs(self)
        self.sectors = SectorLookup()
        self.can_add = self.user.has_perm("ikm_registry.add_ovoprating")
        self.can_change = self.user.has_perm("ikm_registry.change_ovoprating")
        self.seen: dict[tuple, int] = {}

    def process_chunk(self, rows: list[Row], write: bool) -> None:
        self.units.prefetch(rows)
        parsed = []
        for row in rows:
            unit = self.units.resolve(row)
            values = {}
            row.check_lengths(LIMITS)
            values["product_name"] = row.text("nama_produk")
            if not values["product_name"]:
                row.error("nama_produk", _("Wajib diisi."))
            year = row.parse("tahun_penilaian", parse_year, 2000, this_year=self.this_year)
            if year is None and row.raw("tahun_penilaian") is None:
                row.error("tahun_penilaian", _("Wajib diisi."))
            values["stars"] = row.parse("bintang", _stars)
            if values["stars"] is None and row.raw("bintang") is None:
                row.error("bintang", _("Wajib diisi."))
            category = row.parse("kategori", self.sectors.parse) if row.has("kategori") else None
            values["category_id"] = category or (unit[5] if unit else None)
            if unit is not None and values["category_id"] is None:
                row.error("kategori", _("Isi kategori: unit ini belum memiliki sektor."))
            for header in ("nomor_sertifikat", "penilai"):
                if row.has(header):
                    values[FIELDS[header]] = row.text(header)
            row.label = f"{values['product_name']} ({unit[1] if unit else '?'})"
            key = (unit[0], norm_key(values["product_name"]), year) if unit and year else None
            if key:
                first = self.seen.setdefault(key, row.number)
                if first != row.number:
                    row.error(
                        "nama_produk",
                        _("Produk ini sudah dinilai untuk tahun yang sama di baris %(row)s.") % {"row": first},
                    )
            parsed.append((row, unit, year, key, values))

        unit_ids = {unit[0] for _row, unit, *_rest in parsed if unit}
        existing = {}
        if unit_ids:
            for rating in OVOPRating.objects.filter(unit_id__in=unit_ids):
                existing[(rating.unit_id, norm_key(rating.product_name), rating.assessment_year)] = rating
        new, changed = [], []
        for row, unit, year, key, values in parsed:
            if row.errors:
                continue
            rating = existing.get(key)
            if rating is None:
                if not self.can_add:
                    row.error("", _("Akun Anda tidak boleh menambah penilaian OVOP."))
                    continue
                rating = OVOPRating(unit_id=unit[0], assessment_year=year, **values)
                rating.fostering_level = fostering_level_for(rating.stars)
                new.append(rating)
                row.status = NEW
                continue
            diffs = changed_columns(rating, values, FIELDS)
            if not diffs:
                row.status = UNCHANGED
                continue
            if not self.can_change:
                row.error("", _("Akun Anda tidak boleh mengubah penilaian OVOP."))
                continue
            for field, value in values.items():
                setattr(rating, field, value)
            rating.fostering_level = fostering_level_for(rating.stars)
            changed.append(rating)
            row.status, row.changes = CHANGED, diffs
        if write and not self.report.has_errors and not any(r.errors for r in rows):
            history = self.history_kwargs()
            if new:
                create_with_history(new, OVOPRating, **history)
            if changed:
                fields = [*FIELDS.values(), "fostering_level"]
                fields = [f[:-3] if f.endswith("_id") else f for f in fields]
                bulk_update_with_history(changed, OVOPRating, fields, batch_size=500, **history)
            IKMUnit.objects.touch(r.unit_id for r in [*new, *changed])  # their stars changed


def _stars(value) -> int:
    try:
        stars = parse_int(value, minimum=None)
    except CellError:
        raise CellError(_("Bintang harus angka 1 sampai 5.")) from None
    if not 1 <= stars <= 5:
        raise CellError(_("Bintang OVOP antara 1 sampai 5, bukan %(value)s.") % {"value": stars})
    return stars
