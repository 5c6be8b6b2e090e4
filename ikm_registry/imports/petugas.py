"""Import of field officers (kind "petugas"): TPL-IKM (Tenaga Penyuluh Lapangan IKM) and other facilitators,
one row per officer and contract year.

An officer is recorded under the office of the importing account (national staff: the kab/kota of the assigned
region, or its province when the assignment is a whole province), as the admin does. A row updates the officer
of that office with the same name (case and spacing ignored) and contract year; otherwise it adds one, so that
earlier contract years stay as their own records. A province office (or national staff) also reaches the
officers of the offices below it, so that its own export imports back unchanged; its own office's officer is
preferred when both exist. FieldOfficer.clean()'s rules are checked per row, naming the column.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_update_with_history

from ikm_registry import personal_data
from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.columns import Column
from ikm_registry.imports.engine import CHANGED, NEW, UNCHANGED, BaseImporter, Row, changed_columns
from ikm_registry.imports.lookups import REGION_CODE, RegionLookup, normalize_any_region_code
from ikm_registry.imports.parsing import CellError, norm_key, parse_bool, parse_year
from ikm_registry.models import FieldOfficer

COLUMNS = [
    Column(
        "nama",
        _lazy("Nama lengkap petugas atau fasilitator."),
        _lazy("teks, wajib"),
        "Rahmat Hidayat",
        required=True,
        required_header=True,
    ),
    Column(
        "tpl_ikm",
        _lazy("Petugas TPL-IKM (Tenaga Penyuluh Lapangan IKM)? Kosong berarti ya; tidak untuk fasilitator lain."),
        _lazy("ya, tidak"),
        "ya",
    ),
    Column(
        "kode_wilayah_tugas",
        _lazy(
            "Kode Kemendagri wilayah tugas: provinsi, kabupaten/kota, kecamatan atau kelurahan/desa, "
            "di dalam wilayah kerja Anda."
        ),
        _lazy("kode Kemendagri, misalnya 61.71 atau 61.71.02"),
        "61.71.02",
        required=True,
        required_header=True,
        text=True,
    ),
    Column(
        "tahun_kontrak",
        _lazy("Tahun kontrak. Wajib untuk TPL-IKM (dikontrak per tahun); boleh kosong untuk fasilitator lain."),
        _lazy("4 angka, paling jauh tahun depan"),
        2024,
        required_header=True,
        numeric=True,
    ),
    Column(
        "telepon",
        _lazy("Telepon/WA petugas (data pribadi). Disimpan dalam bentuk +62."),
        _lazy("misalnya 0812-3456-7890"),
        "0812-5678-1234",
        personal=True,
        text=True,
    ),
    Column("instansi", _lazy("Instansi atau lembaga asal petugas."), _lazy("teks"), "Disperindag Kota Pontianak"),
]
FIELDS = {
    "nama": "name",
    "tpl_ikm": "is_tpl_ikm",
    "kode_wilayah_tugas": "assigned_region_id",
    "tahun_kontrak": "contract_year",
    "telepon": "phone",
    "instansi": "institution",
}
LIMITS = {"nama": 200, "instansi": 200}


def covers(office: str, code: str) -> bool:
    """Whether region `code` lies in the office's region (FieldOfficer.clean's rule)."""
    return code == office or code.startswith(office + ".")


def office_for(code: str) -> str:
    """The office that records an officer assigned to `code` when national staff import: its kab/kota, or
    the province itself for a whole-province assignment (offices are provinces and kab/kota only)."""
    return code[:5] if "." in code else code


class FieldOfficerImporter(BaseImporter):
    kind = "petugas"
    columns = COLUMNS

    def prepare(self):
        self.regions = RegionLookup()
        self.can_add = self.user.has_perm("ikm_registry.add_fieldofficer")
        self.can_change = self.user.has_perm("ikm_registry.change_fieldofficer")
        self.seen: dict[tuple, int] = {}
        self.next_year = self.this_year + 1
        # The officers this account reaches, by (normalised name, contract year): loaded once for the file.
        self.existing: dict[tuple, list[FieldOfficer]] = {}
        for officer in FieldOfficer.objects.for_user(self.user).order_by("pk"):
            self.existing.setdefault((norm_key(officer.name), officer.contract_year), []).append(officer)

    def parse(self, row: Row) -> tuple[dict, str | None]:
        """The row's values by model field, and the phone as typed (checked once the officer is known)."""
        values = {}
        row.check_lengths(LIMITS)
        values["name"] = row.text("nama")
        if not values["name"]:
            row.error("nama", _("Wajib diisi."))
        if row.has("tpl_ikm"):
            values["is_tpl_ikm"] = row.parse("tpl_ikm", parse_bool, default=True)
        code = normalize_any_region_code(row.text("kode_wilayah_tugas"))
        values["assigned_region_id"] = None
        if not code:
            row.error("kode_wilayah_tugas", _("Wajib diisi."))
        elif not REGION_CODE.match(code):
            row.error(
                "kode_wilayah_tugas",
                _("Kode wilayah tugas “%(code)s” tidak sah: tulis kode Kemendagri, misalnya 61.71 atau 61.71.02.")
                % {"code": code},
            )
        elif not self.regions.exists(code):
            row.error("kode_wilayah_tugas", _("Wilayah tugas %(code)s tidak dikenal.") % {"code": code})
        elif not self.in_scope(code):
            row.error("kode_wilayah_tugas", _("Wilayah tugas harus berada di wilayah kerja Anda."))
        else:
            values["assigned_region_id"] = code
        values["contract_year"] = row.parse("tahun_kontrak", _contract_year, self.next_year)
        if row.has("instansi"):
            values["institution"] = row.text("instansi")
        phone = row.text("telepon") if row.has("telepon") else None
        return values, phone

    def process_chunk(self, rows: list[Row], write: bool) -> None:
        self.regions.prefetch({normalize_any_region_code(r.text("kode_wilayah_tugas")) for r in rows})
        new, changed = [], []
        for row in rows:
            values, phone = self.parse(row)
            year = values["contract_year"]
            row.label = f"{values['name']} ({year})" if year else values["name"]
            if row.errors_for("tahun_kontrak") or row.errors_for("nama"):
                continue
            officer = self._match(row, values)
            if row.errors:
                continue
            is_tpl = values.get("is_tpl_ikm", officer.is_tpl_ikm if officer is not None else True)
            if is_tpl and not year:
                row.error("tahun_kontrak", _("Isi tahun_kontrak untuk petugas TPL-IKM."))
            if phone is not None:
                values["phone"] = self._phone(row, phone, officer)
            if row.errors:
                continue
            if officer is None:
                if not self.can_add:
                    row.error("", _("Akun Anda tidak boleh menambah petugas."))
                    continue
                values.setdefault("is_tpl_ikm", True)
                new.append(FieldOfficer(owner_region_id=self._new_owner(values["assigned_region_id"]), **values))
                row.status = NEW
                continue
            diffs = changed_columns(officer, values, FIELDS)
            if not diffs:
                row.status = UNCHANGED
                continue
            if not self.can_change:
                row.error("", _("Akun Anda tidak boleh mengubah petugas."))
                continue
            for field, value in values.items():
                setattr(officer, field, value)
            changed.append(officer)
            row.status, row.changes = CHANGED, diffs
        if write and not self.report.has_errors and not any(r.errors for r in rows):
            history = self.history_kwargs()
            if new:
                create_with_history(new, FieldOfficer, **history)
                for officer in new:
                    key = (norm_key(officer.name), officer.contract_year)
                    self.existing.setdefault(key, []).append(officer)
            if changed:
                fields = [f[:-3] if f.endswith("_id") else f for h, f in FIELDS.items() if h in self.present]
                bulk_update_with_history(changed, FieldOfficer, fields, batch_size=500, **history)

    def _match(self, row: Row, values: dict) -> FieldOfficer | None:
        """The registry's officer this row describes (None: a new one), and the in-file duplicate check."""
        assigned = values["assigned_region_id"]
        if assigned is None:
            return None
        key = (norm_key(values["name"]), values["contract_year"])
        own = self._new_owner(assigned)
        candidates = self.existing.get(key, [])
        mine = [o for o in candidates if o.owner_region_id == own]
        # A province office or national staff may reach an officer recorded by an office below it.
        reachable = mine or [o for o in candidates if covers(o.owner_region_id, assigned)]
        if len(reachable) > 1:
            row.error(
                "nama",
                _(
                    "Ada %(n)s petugas bernama sama dengan tahun kontrak yang sama di registri: "
                    "perbaiki lewat halaman admin."
                )
                % {"n": len(reachable)},
            )
            return None
        officer = reachable[0] if reachable else None
        first = self.seen.setdefault((*key, officer.owner_region_id if officer else own), row.number)
        if first != row.number:
            row.error(
                "nama",
                _("Petugas ini (nama dan tahun kontrak sama) sudah ada di baris %(row)s.") % {"row": first},
            )
        if officer is not None and not covers(officer.owner_region_id, assigned):
            row.error("kode_wilayah_tugas", _("Wilayah tugas harus berada di wilayah kantor pencatat."))
        return officer

    def _new_owner(self, assigned: str) -> str:
        return self.scope or office_for(assigned)

    def _phone(self, row: Row, text: str, officer: FieldOfficer | None) -> str:
        if officer is not None and text == officer.phone:
            return text  # kept as the admin saved it, even in a form the import would not accept
        try:
            return personal_data.normalize_phone(text)
        except ValidationError as exc:
            row.error("telepon", " ".join(exc.messages))
            return text


def _contract_year(value, next_year: int) -> int:
    year = parse_year(value, 2000, this_year=9999)
    if year > next_year:
        raise CellError(_("Tahun kontrak paling jauh tahun depan (%(year)s).") % {"year": next_year})
    return year
