"""Import of sentra and kawasan with their members (kind "sentra"): one row per membership, the sentra's
columns repeated on each of its rows (a sentra without members takes one row).

A sentra is matched by kode_sentra, else by name and village; its rows must agree on every sentra column.
A membership is matched by sentra, unit and joining date; a unit may belong to one sentra at a time, so
periods that overlap (in the registry or in the file) are refused.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_update_with_history

from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.columns import Column
from ikm_registry.imports.engine import CHANGED, NEW, UNCHANGED, BaseImporter, Row
from ikm_registry.imports.lookups import SectorLookup, UnitRefs, VillageLookup, normalize_region_code
from ikm_registry.imports.parsing import CellError, Choices, norm_key, norm_name, parse_date, parse_decimal, parse_year
from ikm_registry.models import IKMUnit
from sentra.models import Sentra, SentraKind, SentraMembership, SentraStatus

KINDS = Choices({k.value: [k.value, str(k.label)] for k in SentraKind}, [k.value for k in SentraKind])
STATUSES = Choices(
    {SentraStatus.FORMAL: ["formal"], SentraStatus.NON_FORMAL: ["non formal", "nonformal", "non_formal", "informal"]},
    ["formal", "non formal"],
)
STATUS_EXPORT = {SentraStatus.FORMAL: "formal", SentraStatus.NON_FORMAL: "non formal"}

COLUMNS = [
    Column(
        "kode_sentra",
        _lazy("Kode sentra (bebas, unik). Dipakai untuk mencocokkan; bila kosong: nama dan desa."),
        _lazy("teks"),
        "SENTRA-6171-AMPLANG",
        text=True,
    ),
    Column(
        "nama_sentra",
        _lazy("Nama sentra atau kawasan."),
        _lazy("teks, wajib"),
        "Sentra Amplang Tanjung Hulu",
        required=True,
        required_header=True,
    ),
    Column("jenis", _lazy("Jenis. Kosong berarti sentra."), ", ".join(k.value for k in SentraKind), "sentra"),
    Column(
        "status", _lazy("Status. Formal wajib bernomor SK. Kosong berarti non formal."), "formal, non formal", "formal"
    ),
    Column("nomor_sk", _lazy("Nomor SK bupati/wali kota (sentra formal)."), _lazy("teks"), "188.45/123/HK/2019"),
    Column("tanggal_sk", _lazy("Tanggal SK."), _lazy("tanggal"), "12/03/2019"),
    Column(
        "kode_wilayah",
        _lazy("Kode kelurahan/desa Kemendagri. Bila kosong, isi kolom nama wilayah."),
        _lazy("misalnya 61.71.02.1004"),
        "61.71.02.1004",
        text=True,
    ),
    Column("komoditas_utama", _lazy("Komoditas utama."), _lazy("teks, wajib"), "Amplang ikan", required=True),
    Column(
        "sektor", _lazy("Sektor IKM."), "PANGAN, SANDANG, KAYU, KERAJINAN, LMEA, KIMIA, ANEKA", "PANGAN", required=True
    ),
    Column("tahun_terbentuk", _lazy("Tahun terbentuk."), _lazy("4 angka"), 2015, numeric=True),
    Column("luas_ha", _lazy("Luas (hektare)."), _lazy("angka, koma untuk desimal"), "1,5", numeric=True),
    Column("pengelola", _lazy("Pengelola."), _lazy("teks"), "Koperasi Amplang Kapuas"),
    Column("kontak_pengelola", _lazy("Kontak pengelola."), _lazy("teks"), "0561-734-123"),
    Column(
        "fasilitas_bersama",
        _lazy("Fasilitas bersama (UPT, rumah produksi bersama...)."),
        _lazy("teks"),
        "Rumah produksi bersama",
    ),
    Column("deskripsi", _lazy("Deskripsi."), _lazy("teks"), ""),
    Column(
        "kode_ikm",
        _lazy("Anggota: kode_ikm unit. Kosongkan kolom anggota untuk sentra tanpa anggota."),
        _lazy("kode dari sistem"),
        "IKM-6171-000001",
        text=True,
    ),
    Column("nib", _lazy("Anggota: NIB unit, bila kode_ikm kosong."), _lazy("13 angka"), "", text=True),
    Column("tanggal_bergabung", _lazy("Tanggal unit bergabung."), _lazy("tanggal; wajib untuk anggota"), "01/01/2020"),
    Column("tanggal_keluar", _lazy("Tanggal unit keluar (kosong: masih anggota)."), _lazy("tanggal"), ""),
    Column("kelurahan_desa", _lazy("Nama kelurahan/desa, bila kode_wilayah kosong."), _lazy("teks"), "Tanjung Hulu"),
    Column("kecamatan", _lazy("Nama kecamatan."), _lazy("teks"), "Pontianak Timur"),
    Column("kabupaten_kota", _lazy("Nama kabupaten/kota."), _lazy("teks"), "Kota Pontianak"),
    Column(
        "nama_usaha",
        _lazy("Nama unit anggota (hanya keterangan; diabaikan saat impor)."),
        _lazy("teks"),
        "Amplang Sinar Kapuas",
        info=True,
    ),
]
SENTRA_FIELDS = {
    "kode_sentra": "code",
    "nama_sentra": "name",
    "jenis": "kind",
    "status": "status",
    "nomor_sk": "decree_number",
    "tanggal_sk": "decree_date",
    "komoditas_utama": "main_commodity",
    "sektor": "sector_id",
    "tahun_terbentuk": "year_formed",
    "luas_ha": "area_hectares",
    "pengelola": "managing_body",
    "kontak_pengelola": "contact",
    "fasilitas_bersama": "shared_facilities",
    "deskripsi": "description",
}
LIMITS = {
    "kode_sentra": 30,
    "nama_sentra": 200,
    "nomor_sk": 100,
    "komoditas_utama": 200,
    "pengelola": 200,
    "kontak_pengelola": 200,
}
MEMBER_HEADERS = ("kode_ikm", "nib", "tanggal_bergabung", "tanggal_keluar")
FOREVER = datetime.date.max


class _Sentra:
    __slots__ = ("first_row", "values", "obj", "is_new", "changes")

    def __init__(self, first_row, values, obj, is_new):
        self.first_row, self.values, self.obj, self.is_new = first_row, values, obj, is_new
        self.changes: list[str] = []


class SentraImporter(BaseImporter):
    kind = "sentra"
    columns = COLUMNS
    aliases = {"kelurahan/desa": "kelurahan_desa", "kab/kota": "kabupaten_kota"}

    def prepare(self):
        self.units = UnitRefs(self)
        self.villages = VillageLookup(self.user, self.scope)
        self.sectors = SectorLookup()
        self.can_add = self.user.has_perm("sentra.add_sentra")
        self.can_change = self.user.has_perm("sentra.change_sentra")
        self.sentra: dict[tuple, _Sentra] = {}
        # Each unit's membership periods seen in the file: (joined, left, row) for the overlap rule.
        self.periods: dict[int, list[tuple]] = {}

    def parse_sentra(self, row: Row) -> dict:
        values = {}
        row.check_lengths(LIMITS)
        if row.has("kode_sentra"):
            values["code"] = row.text("kode_sentra") or None
        for header in ("nama_sentra", "komoditas_utama"):
            if row.has(header):
                values[SENTRA_FIELDS[header]] = row.text(header)
                if not values[SENTRA_FIELDS[header]]:
                    row.error(header, _("Wajib diisi."))
        if row.has("jenis"):
            values["kind"] = row.parse("jenis", KINDS.parse, default=SentraKind.SENTRA)
        if row.has("status"):
            values["status"] = row.parse("status", STATUSES.parse, default=SentraStatus.NON_FORMAL)
        for header in ("nomor_sk", "pengelola", "kontak_pengelola", "fasilitas_bersama", "deskripsi"):
            if row.has(header):
                values[SENTRA_FIELDS[header]] = row.text(header)
        if row.has("tanggal_sk"):
            values["decree_date"] = row.parse("tanggal_sk", parse_date)
        if row.has("sektor"):
            values["sector_id"] = row.parse("sektor", self.sectors.parse)
            if row.raw("sektor") is None:
                row.error("sektor", _("Wajib diisi."))
        if row.has("tahun_terbentuk"):
            values["year_formed"] = row.parse("tahun_terbentuk", parse_year, this_year=self.this_year)
        if row.has("luas_ha"):
            values["area_hectares"] = row.parse("luas_ha", parse_decimal)
        village = self._village(row)
        if village:
            values["village_id"] = village
        return values

    def _village(self, row: Row) -> str | None:
        code = normalize_region_code(row.text("kode_wilayah")) if row.has("kode_wilayah") else ""
        try:
            if code:
                return self.villages.village(code).code
            names = [row.text(h) if row.has(h) else "" for h in ("kelurahan_desa", "kecamatan", "kabupaten_kota")]
            if names[0]:
                return self.villages.resolve_names(*names)
        except CellError as exc:
            row.error("kode_wilayah" if code else "kelurahan_desa", exc)
            return None
        row.error("kode_wilayah", _("Isi kode_wilayah, atau nama kelurahan_desa."))
        return None

    def process_chunk(self, rows: list[Row], write: bool) -> None:
        self.units.prefetch(rows)
        if "kode_wilayah" in self.present:
            self.villages.prefetch({normalize_region_code(r.text("kode_wilayah")) for r in rows})
        parsed = [(row, self.parse_sentra(row)) for row in rows]
        codes = {v["code"] for _r, v in parsed if v.get("code")}
        by_code = {s.code: s for s in Sentra.objects.filter(code__in=codes)} if codes else {}
        villages = {v["village_id"] for _r, v in parsed if v.get("village_id") and not v.get("code")}
        by_name: dict[tuple, list] = {}
        if villages:
            for s in Sentra.objects.filter(village_id__in=villages):
                by_name.setdefault((norm_name(s.name), s.village_id), []).append(s)
        touched: list[_Sentra] = []
        members = []
        for row, values in parsed:
            sentra = self._sentra(row, values, by_code, by_name, touched)
            row.label = values.get("name", "")
            if not any(row.raw(h) is not None for h in MEMBER_HEADERS if row.has(h)):
                continue
            unit = self.units.resolve(row)
            joined = row.parse("tanggal_bergabung", parse_date)
            left = row.parse("tanggal_keluar", parse_date) if row.has("tanggal_keluar") else None
            if joined is None and row.raw("tanggal_bergabung") is None:
                row.error("tanggal_bergabung", _("Wajib diisi untuk anggota."))
            if joined and left and left < joined:
                row.error("tanggal_keluar", _("Tanggal keluar tidak boleh sebelum tanggal bergabung."))
            if joined and joined > self.today:
                row.error("tanggal_bergabung", _("Tanggal bergabung tidak boleh di masa depan."))
            if unit and sentra is not None:
                row.label = f"{values.get('name', '')} — {unit[4]} ({unit[1]})"
                members.append((row, sentra, unit, joined, left))

        unit_ids = {unit[0] for _r, _s, unit, _j, _l in members}
        db_periods: dict[int, list[SentraMembership]] = {}
        if unit_ids:
            for m in SentraMembership.objects.filter(unit_id__in=unit_ids).select_related("sentra"):
                db_periods.setdefault(m.unit_id, []).append(m)
        matched = []
        for row, sentra, unit, joined, left in members:
            if row.errors or joined is None:
                continue
            current = None
            if not sentra.is_new:
                current = next(
                    (m for m in db_periods.get(unit[0], []) if m.sentra_id == sentra.obj.pk and m.joined_on == joined),
                    None,
                )
            matched.append((row, sentra, unit, joined, left, current))
        # Memberships already recorded first: a row that closes one makes room for a row that opens another.
        matched.sort(key=lambda m: m[5] is None)
        new_members, changed_members = [], []
        for row, sentra, unit, joined, left, current in matched:
            was_left = current.left_on if current is not None else None
            if current is not None:
                current.left_on = left
            if not self._check_overlap(row, unit, joined, left, current, db_periods.get(unit[0], [])):
                continue
            if current is None:
                new_members.append((sentra, SentraMembership(unit_id=unit[0], joined_on=joined, left_on=left)))
                row.status = NEW
            elif was_left != left:
                changed_members.append(current)
                row.status, row.changes = CHANGED, ["tanggal_keluar"]
        self._settle_rows(parsed)
        for row in rows:
            if not row.errors and (
                row.status == NEW and not self.can_add or row.status == CHANGED and not self.can_change
            ):
                row.error("", _("Akun Anda tidak boleh menambah atau mengubah sentra."))
        if write and not self.report.has_errors and not any(r.errors for r in rows):
            history = self.history_kwargs()
            new = [s.obj for s in touched if s.is_new and s.obj.pk is None]
            if new:
                create_with_history(new, Sentra, **history)
            changed = [s.obj for s in touched if not s.is_new and s.changes]
            if changed:
                fields = {f[:-3] if f.endswith("_id") else f for h, f in SENTRA_FIELDS.items() if h in self.present}
                fields |= {"village", "district", "regency", "province"}
                bulk_update_with_history(changed, Sentra, sorted(fields), batch_size=500, **history)
            if changed_members:
                bulk_update_with_history(changed_members, SentraMembership, ["left_on"], batch_size=500, **history)
            if new_members:
                objs = []
                for sentra, membership in new_members:
                    membership.sentra_id = sentra.obj.pk
                    objs.append(membership)
                create_with_history(objs, SentraMembership, **history)
            members = [*changed_members, *(membership for _sentra, membership in new_members)]
            IKMUnit.objects.touch(m.unit_id for m in members)  # their sentra changed
            # A new name shows in every current member's public record.
            Sentra.touch_current_members(s.obj.pk for s in touched if not s.is_new and "nama_sentra" in s.changes)

    def _sentra(self, row: Row, values: dict, by_code, by_name, touched) -> "_Sentra | None":
        if values.get("code"):
            key = ("code", norm_key(values["code"]))
        elif values.get("name") and values.get("village_id"):
            key = ("name", norm_name(values["name"]), values["village_id"])
        else:
            return None
        if key not in self.sentra:
            if row.errors:
                return None
            if key[0] == "code":
                obj = by_code.get(values["code"])
                if obj is not None and not self.in_scope(obj.village_id):
                    row.error(
                        "kode_sentra",
                        _("Kode sentra %(code)s dipakai sentra di luar wilayah kerja Anda.") % {"code": values["code"]},
                    )
                    return None
            else:
                found = by_name.get((key[1], key[2]), [])
                if len(found) > 1:
                    row.error(
                        "nama_sentra",
                        _("Ada %(n)s sentra bernama sama di desa itu: isi kode_sentra.") % {"n": len(found)},
                    )
                    return None
                obj = found[0] if found else None
            is_new = obj is None
            if is_new:
                obj = Sentra()
            if values.get("village_id") and not self.in_scope(values["village_id"]):
                row.error(
                    "kode_wilayah",
                    _("Kelurahan/desa %(code)s berada di luar wilayah kerja Anda.") % {"code": values["village_id"]},
                )
                return None
            self.sentra[key] = self._start(row, values, obj, is_new, touched)
        sentra = self.sentra[key]
        if sentra.first_row != row.number and not row.errors:
            for header, field in [*SENTRA_FIELDS.items(), ("kode_wilayah", "village_id")]:
                if field in values and field in sentra.values and values[field] != sentra.values[field]:
                    row.error(
                        header, _("Berbeda dengan baris %(row)s untuk sentra yang sama.") % {"row": sentra.first_row}
                    )
                    break
        row.data = sentra
        return sentra

    def _start(self, row: Row, values: dict, obj: Sentra, is_new: bool, touched) -> "_Sentra | None":
        sentra = _Sentra(row.number, values, obj, is_new)
        for header, field in [*SENTRA_FIELDS.items(), ("kode_wilayah", "village_id")]:
            if field in values and (is_new or getattr(obj, field) != values[field]):
                if not is_new:
                    sentra.changes.append(header)
                setattr(obj, field, values[field])
        if is_new:
            obj.kind = values.get("kind") or SentraKind.SENTRA
            obj.status = values.get("status") or SentraStatus.NON_FORMAL
        if obj.village_id:
            parts = obj.village_id.split(".")
            obj.province_id, obj.regency_id, obj.district_id = parts[0], ".".join(parts[:2]), ".".join(parts[:3])
        for header in ("nama_sentra", "komoditas_utama", "sektor"):
            if is_new and not getattr(obj, SENTRA_FIELDS[header]) and not row.errors_for(header):
                row.error(header, _("Wajib diisi untuk sentra baru."))
        try:
            obj.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                header = {"decree_number": "nomor_sk", "decree_date": "tanggal_sk"}.get(field, "")
                for message in messages:
                    row.error(header, message)
        touched.append(sentra)
        return sentra

    def _check_overlap(self, row, unit, joined, left, current, db_memberships) -> bool:
        """A unit belongs to one sentra at a time: no two membership periods may overlap."""
        end = left or FOREVER
        for m in db_memberships:
            if current is not None and m.pk == current.pk:
                continue
            if m.joined_on < end and joined < (m.left_on or FOREVER):
                row.error(
                    "tanggal_bergabung",
                    _("Unit %(unit)s sudah menjadi anggota %(sentra)s pada periode itu (sejak %(joined)s).")
                    % {"unit": unit[1], "sentra": m.sentra.name, "joined": m.joined_on.strftime("%d/%m/%Y")},
                )
                return False
        for other_joined, other_left, other_row in self.periods.get(unit[0], []):
            if other_joined < end and joined < (other_left or FOREVER):
                row.error(
                    "tanggal_bergabung",
                    _("Periode keanggotaan unit %(unit)s tumpang tindih dengan baris %(row)s.")
                    % {"unit": unit[1], "row": other_row},
                )
                return False
        self.periods.setdefault(unit[0], []).append((joined, left, row.number))
        return True

    def _settle_rows(self, parsed) -> None:
        for row, _values in parsed:
            sentra = row.data
            if row.errors:
                continue
            if sentra is not None and sentra.first_row == row.number:
                if sentra.is_new:
                    row.status = NEW
                elif sentra.changes:
                    row.status = CHANGED
                    row.changes = sentra.changes + [c for c in row.changes if c not in sentra.changes]
            if row.status is None:
                row.status = UNCHANGED


def export_status(value: str) -> str:
    return STATUS_EXPORT.get(value, value)
