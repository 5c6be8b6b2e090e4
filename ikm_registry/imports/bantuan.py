"""Import of equipment assistance (kind "bantuan"): one row per item handed over, to exactly one recipient,
a unit (kode_ikm or NIB) or a sentra (name or code).

A row matches an item by id_bantuan (exported with each item), else by BAST number, item name and
recipient; otherwise it adds one. The same kind of item to the same recipient in the same fiscal year needs
alasan_bantuan_ganda, whether the other item is in the registry or elsewhere in the file (auditors flag
duplicate aid). A kondisi different from the item's latest check adds a condition check.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_update_with_history

from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.columns import Column
from ikm_registry.imports.engine import CHANGED, NEW, UNCHANGED, BaseImporter, Row, changed_columns
from ikm_registry.imports.lookups import SentraLookup, UnitRefs
from ikm_registry.imports.parsing import (
    Choices,
    norm_key,
    parse_date,
    parse_int,
    parse_money,
    parse_year,
)
from ikm_registry.models import ConditionCheck, EquipmentAssistance, EquipmentCondition, FundingSource

FUNDING = Choices(
    {
        FundingSource.APBD_KABKOTA: ["apbd kab/kota", "apbd kabupaten/kota", "apbd kabupaten", "apbd kota", "apbd ii"],
        FundingSource.APBD_PROVINSI: ["apbd provinsi", "apbd prov", "apbd i"],
        FundingSource.APBN: ["apbn"],
        FundingSource.DAK: ["dak", "dana alokasi khusus"],
        FundingSource.DEKONSENTRASI: ["dekonsentrasi", "dekon"],
        FundingSource.LAINNYA: ["lainnya", "lain-lain", "swasta", "csr"],
    },
    [f.value for f in FundingSource],
)
CONDITIONS = Choices(
    {c.value: [c.value, str(c.label)] for c in EquipmentCondition}, [c.value for c in EquipmentCondition]
)

COLUMNS = [
    Column(
        "id_bantuan",
        _lazy("Nomor data bantuan di registri (diisi sistem saat ekspor). Kosongkan untuk data baru."),
        _lazy("angka dari sistem"),
        "",
    ),
    Column(
        "nama_barang",
        _lazy("Nama barang."),
        _lazy("teks, wajib"),
        "Mesin pengaduk adonan",
        required=True,
        required_header=True,
    ),
    Column("merek", _lazy("Merek barang."), _lazy("teks"), "Getra"),
    Column("spesifikasi", _lazy("Spesifikasi."), _lazy("teks"), "Kapasitas 10 kg, 1 fase"),
    Column("jumlah", _lazy("Jumlah barang."), _lazy("bilangan bulat, minimal 1"), 1, required=True, numeric=True),
    Column("satuan", _lazy("Satuan jumlah."), _lazy("teks; kosong berarti unit"), "unit"),
    Column(
        "nilai",
        _lazy("Nilai barang (Rupiah)."),
        _lazy("Rupiah"),
        12500000,
        required=True,
        required_header=True,
        numeric=True,
    ),
    Column(
        "sumber_dana",
        _lazy("Sumber dana."),
        ", ".join(f.value for f in FundingSource),
        "apbd_kabkota",
        required=True,
        required_header=True,
    ),
    Column(
        "tahun_anggaran",
        _lazy("Tahun anggaran."),
        _lazy("4 angka"),
        2024,
        required=True,
        required_header=True,
        numeric=True,
    ),
    Column(
        "tanggal_serah_terima",
        _lazy("Tanggal serah terima (BAST)."),
        _lazy("tanggal, misalnya 15/08/2024"),
        "15/08/2024",
        required=True,
        required_header=True,
    ),
    Column(
        "nomor_bast",
        _lazy("Nomor Berita Acara Serah Terima."),
        _lazy("teks, wajib"),
        "027/BAST/DISPERINDAG/2024",
        required=True,
        required_header=True,
    ),
    Column(
        "penerima_kode_ikm",
        _lazy("Penerima unit IKM: kode_ikm. Isi salah satu penerima saja."),
        _lazy("kode dari sistem"),
        "IKM-6171-000001",
        text=True,
    ),
    Column("penerima_nib", _lazy("Penerima unit IKM: NIB, bila kode_ikm kosong."), _lazy("13 angka"), "", text=True),
    Column("penerima_sentra", _lazy("Penerima sentra: nama atau kode sentra."), _lazy("teks"), ""),
    Column(
        "alasan_bantuan_ganda",
        _lazy("Wajib bila penerima sudah menerima barang sejenis pada tahun anggaran yang sama."),
        _lazy("teks"),
        "",
    ),
    Column(
        "kondisi",
        _lazy("Kondisi terakhir barang. Bila berbeda dari pemeriksaan terakhir, dicatat pemeriksaan baru."),
        ", ".join(c.value for c in EquipmentCondition),
        "baik",
    ),
    Column(
        "tanggal_pemeriksaan",
        _lazy("Tanggal pemeriksaan kondisi. Bila kosong: tanggal impor."),
        _lazy("tanggal"),
        "15/08/2024",
    ),
    Column(
        "nama_penerima",
        _lazy("Nama penerima (hanya keterangan; diabaikan saat impor)."),
        _lazy("teks"),
        "Amplang Sinar Kapuas",
        info=True,
    ),
]
FIELDS = {
    "nama_barang": "name",
    "merek": "brand",
    "spesifikasi": "specification",
    "jumlah": "quantity",
    "satuan": "quantity_unit",
    "nilai": "value",
    "sumber_dana": "funding_source",
    "tahun_anggaran": "fiscal_year",
    "tanggal_serah_terima": "handover_date",
    "nomor_bast": "bast_number",
    "alasan_bantuan_ganda": "duplicate_justification",
}
LIMITS = {"nama_barang": 200, "merek": 100, "satuan": 30, "nomor_bast": 100}


class EquipmentImporter(BaseImporter):
    kind = "bantuan"
    columns = COLUMNS

    def prepare(self):
        self.units = UnitRefs(self)
        self.sentra = SentraLookup(self.user) if "penerima_sentra" in self.present else None
        self.can_add = self.user.has_perm("ikm_registry.add_equipmentassistance")
        self.can_change = self.user.has_perm("ikm_registry.change_equipmentassistance")
        self.seen_ids: dict[int, int] = {}
        # (recipient, item name, fiscal year) -> first row, for duplicate aid inside the file.
        self.seen_aid: dict[tuple, int] = {}

    def parse(self, row: Row) -> dict:
        values = {}
        row.check_lengths(LIMITS)
        for header in ("nama_barang", "nomor_bast"):
            values[FIELDS[header]] = row.text(header)
            if not values[FIELDS[header]]:
                row.error(header, _("Wajib diisi."))
        for header in ("merek", "spesifikasi", "alasan_bantuan_ganda"):
            if row.has(header):
                values[FIELDS[header]] = row.text(header)
        if row.has("satuan"):
            values["quantity_unit"] = row.text("satuan") or "unit"
        if row.has("jumlah"):
            values["quantity"] = row.parse("jumlah", parse_int, 1, default=None)
            if values["quantity"] is None and row.raw("jumlah") is None:
                row.error("jumlah", _("Wajib diisi."))
        values["value"] = row.parse("nilai", parse_money)
        values["funding_source"] = row.parse("sumber_dana", FUNDING.parse)
        values["fiscal_year"] = row.parse("tahun_anggaran", parse_year, 2000, this_year=self.this_year)
        values["handover_date"] = row.parse("tanggal_serah_terima", parse_date)
        for header in ("nilai", "sumber_dana", "tahun_anggaran", "tanggal_serah_terima"):
            if row.raw(header) is None:
                row.error(header, _("Wajib diisi."))
        if values["handover_date"] and values["handover_date"] > self.today:
            row.error("tanggal_serah_terima", _("Tanggal serah terima tidak boleh di masa depan."))
        return values

    def process_chunk(self, rows: list[Row], write: bool) -> None:
        self.units.prefetch(rows, "penerima_kode_ikm", "penerima_nib")
        ids = set()
        for row in rows:
            if row.has("id_bantuan") and row.text("id_bantuan"):
                try:
                    ids.add(parse_int(row.raw("id_bantuan"), minimum=1))
                except Exception:
                    row.error("id_bantuan", _("id_bantuan harus angka dari ekspor registri."))
        existing_by_id = {e.pk: e for e in EquipmentAssistance.objects.for_user(self.user).filter(pk__in=ids)}
        plans = []
        for row in rows:
            values = self.parse(row)
            unit = self.units.resolve(row, "penerima_kode_ikm", "penerima_nib", required=False)
            sentra_id = row.parse("penerima_sentra", self.sentra.parse) if self.sentra is not None else None
            has_unit = bool(row.has("penerima_kode_ikm") and row.text("penerima_kode_ikm")) or bool(
                row.has("penerima_nib") and row.text("penerima_nib")
            )
            has_sentra = self.sentra is not None and row.raw("penerima_sentra") is not None
            if has_unit == has_sentra:
                row.error("penerima_kode_ikm", _("Penerima harus tepat satu: unit IKM (kode_ikm/NIB) atau sentra."))
            recipient = ("unit", unit[0]) if unit else ("sentra", sentra_id) if sentra_id else None
            item_id = None
            if row.has("id_bantuan") and row.text("id_bantuan") and not row.errors_for("id_bantuan"):
                item_id = int(float(row.text("id_bantuan")))
                first = self.seen_ids.setdefault(item_id, row.number)
                if first != row.number:
                    row.error(
                        "id_bantuan", _("id_bantuan %(id)s sudah ada di baris %(row)s.") % {"id": item_id, "row": first}
                    )
                elif item_id not in existing_by_id:
                    row.error(
                        "id_bantuan", _("Bantuan nomor %(id)s tidak ditemukan di wilayah kerja Anda.") % {"id": item_id}
                    )
            condition = row.parse("kondisi", CONDITIONS.parse) if row.has("kondisi") else None
            checked_on = row.parse("tanggal_pemeriksaan", parse_date) if row.has("tanggal_pemeriksaan") else None
            row.label = f"{values.get('name', '')} — {values.get('bast_number', '')}"
            plans.append((row, values, recipient, item_id, condition, checked_on))

        # Existing items of the chunk's recipients: for matching without id and for the duplicate-aid rule.
        unit_ids = {p[2][1] for p in plans if p[2] and p[2][0] == "unit"}
        sentra_ids = {p[2][1] for p in plans if p[2] and p[2][0] == "sentra"}
        by_recipient: dict[tuple, list[EquipmentAssistance]] = {}
        if unit_ids or sentra_ids:
            from django.db.models import Q

            query = Q(unit_id__in=unit_ids) | Q(sentra_id__in=sentra_ids)
            for item in EquipmentAssistance.objects.filter(query):
                key = ("unit", item.unit_id) if item.unit_id else ("sentra", item.sentra_id)
                by_recipient.setdefault(key, []).append(item)
        latest = {}
        item_ids = [i for p in plans for i in [p[3]] if i] + [i.pk for items in by_recipient.values() for i in items]
        for check in ConditionCheck.objects.filter(equipment_id__in=item_ids).order_by(
            "equipment_id", "checked_on", "id"
        ):
            latest[check.equipment_id] = check

        new, changed, checks, fields = [], [], [], set()
        for row, values, recipient, item_id, condition, checked_on in plans:
            if row.errors or recipient is None:
                continue
            item = existing_by_id.get(item_id) if item_id else None
            if item is None and not item_id:
                for candidate in by_recipient.get(recipient, []):
                    if candidate.bast_number == values["bast_number"] and norm_key(candidate.name) == norm_key(
                        values["name"]
                    ):
                        item = candidate
                        break
            self._check_duplicate_aid(row, values, recipient, item, by_recipient)
            if row.errors:
                continue
            if item is None:
                if not self.can_add:
                    row.error("", _("Akun Anda tidak boleh menambah bantuan peralatan."))
                    continue
                item = EquipmentAssistance(**values)
                item.unit_id, item.sentra_id = (recipient[1], None) if recipient[0] == "unit" else (None, recipient[1])
                new.append(item)
                row.status = NEW
            else:
                diffs = changed_columns(item, values, FIELDS)
                if (item.unit_id, item.sentra_id) != (
                    (recipient[1], None) if recipient[0] == "unit" else (None, recipient[1])
                ):
                    diffs.append("penerima_kode_ikm" if recipient[0] == "unit" else "penerima_sentra")
                    item.unit_id, item.sentra_id = (
                        (recipient[1], None) if recipient[0] == "unit" else (None, recipient[1])
                    )
                    fields |= {"unit", "sentra"}
                if diffs:
                    if not self.can_change:
                        row.error("", _("Akun Anda tidak boleh mengubah bantuan peralatan."))
                        continue
                    for field, value in values.items():
                        setattr(item, field, value)
                    fields |= set(values)
                    changed.append(item)
                row.status, row.changes = (CHANGED, diffs) if diffs else (UNCHANGED, [])
            if condition:
                last = latest.get(item.pk) if item.pk else None
                when = checked_on or (last.checked_on if last and last.condition == condition else self.today)
                if last is None or last.condition != condition or last.checked_on != when:
                    checks.append((item, ConditionCheck(condition=condition, checked_on=when)))
                    if row.status == UNCHANGED:
                        row.status = CHANGED
                    if row.status == CHANGED:
                        row.changes.append("kondisi")
        if write and not self.report.has_errors and not any(r.errors for r in rows):
            history = self.history_kwargs()
            if new:
                create_with_history(new, EquipmentAssistance, **history)
            if changed:
                bulk_update_with_history(changed, EquipmentAssistance, sorted(fields), batch_size=500, **history)
            if checks:
                objs = []
                for item, check in checks:
                    check.equipment_id = item.pk
                    objs.append(check)
                create_with_history(objs, ConditionCheck, **history)

    def _check_duplicate_aid(self, row, values, recipient, item, by_recipient) -> None:
        if values.get("duplicate_justification") or not values.get("fiscal_year"):
            return
        key = (recipient, norm_key(values["name"]), values["fiscal_year"])
        first = self.seen_aid.setdefault(key, row.number)
        if first != row.number:
            row.error(
                "alasan_bantuan_ganda",
                _("Penerima ini menerima %(name)s tahun %(year)s juga di baris %(row)s: tulis alasannya.")
                % {"name": values["name"], "year": values["fiscal_year"], "row": first},
            )
            return
        for other in by_recipient.get(recipient, []):
            if (
                (item is None or other.pk != item.pk)
                and other.fiscal_year == values["fiscal_year"]
                and norm_key(other.name) == norm_key(values["name"])
            ):
                row.error(
                    "alasan_bantuan_ganda",
                    _(
                        "Penerima ini sudah menerima %(name)s pada tahun anggaran %(year)s (BAST %(bast)s): "
                        "tulis alasannya."
                    )
                    % {"name": values["name"], "year": values["fiscal_year"], "bast": other.bast_number},
                )
                return
