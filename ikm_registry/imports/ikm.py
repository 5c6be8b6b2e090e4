"""Import of IKM units with one year's figures (kind "ikm").

A row matches an existing unit by kode_ikm, else by NIB; otherwise it creates one, with a registry code
reserved in bulk per kabupaten/kota. Kecamatan, kab/kota and province follow from the village; the size
class follows from the figures (Permenperin 64/2016) and is never read from the file.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from ikm_registry import personal_data
from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.engine import CHANGED, NEW, UNCHANGED, BaseImporter, Prototype, Row
from ikm_registry.imports.ikm_columns import (
    COLUMNS,
    FIELD_COLUMNS,
    FIGURE_FIELDS,
    GENDERS,
    LATITUDE_MESSAGE,
    LEGAL_FORMS,
    LONGITUDE_MESSAGE,
    MAX_LENGTHS,
    MONEY_COLUMNS,
    REACHES,
    STATUS_EXPORT,
    STATUSES,
    UNIT_FIELDS,
    VILLAGE_NAME_COLUMNS,
)
from ikm_registry.imports.lookups import (
    KBLILookup,
    SectorLookup,
    SentraLookup,
    VillageLookup,
    normalize_region_code,
    parse_nik,
)
from ikm_registry.imports.parsing import (
    CellError,
    cell_text,
    norm_name,
    parse_bool,
    parse_coordinate,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money,
    parse_year,
)
from ikm_registry.models import (
    IKMUnit,
    MarketingReach,
    RegistryCodeSequence,
    UnitStatus,
    VerificationStatus,
    YearlyFigures,
)
from ikm_registry.models.units import LATITUDE_RANGE, LONGITUDE_RANGE

VERIFY_PERMISSION = "ikm_registry.verify_ikmunit"


class ParsedUnit:
    __slots__ = ("code", "nib", "fields", "nik", "nik_hash", "village", "year", "figures", "sentra_id", "name_key")

    def __init__(self):
        self.code = self.nib = self.nik = self.nik_hash = self.village = self.year = None
        self.fields: dict = {}
        self.figures: dict | None = None
        self.sentra_id = None
        self.name_key = ""


class IKMImporter(BaseImporter):
    kind = "ikm"
    columns = COLUMNS
    aliases = {"kelurahan/desa": "kelurahan_desa", "kab/kota": "kabupaten_kota", "kabupaten/kota": "kabupaten_kota"}

    def map_headers(self, headers):
        colmap = super().map_headers(headers)
        if "kode_wilayah" not in colmap and "kelurahan_desa" not in colmap:
            self.report.error(
                1, "kode_wilayah", _("Berkas harus memiliki kolom kode_wilayah, atau kolom nama kelurahan_desa.")
            )
        return colmap

    def prepare(self):
        present = self.present
        self.villages = VillageLookup(self.user, self.scope)
        self.sectors = SectorLookup()
        self.kbli = KBLILookup() if "kbli" in present else None
        self.sentra = SentraLookup(self.user) if "sentra" in present else None
        self.can_add = self.user.has_perm("ikm_registry.add_ikmunit")
        self.can_change = self.user.has_perm("ikm_registry.change_ikmunit")
        self.can_verify = self.user.has_perm(VERIFY_PERMISSION)
        self.has_figures = "tahun_data" in present
        self.figure_columns = [h for h in FIGURE_FIELDS if h in present]
        # The status date is settled together with the status (_settle_status_date).
        self.unit_columns = [h for h in UNIT_FIELDS if h in present and h != "tanggal_status"]
        # Keys already used in this file -> first row, for duplicates inside the file.
        self.seen_codes: dict[str, int] = {}
        self.seen_nibs: dict[str, int] = {}
        self.seen_niks: dict[str, int] = {}
        self.seen_units: dict[int, int] = {}
        self.seen_names: dict[tuple[str, str], int] = {}
        # Units already in each village (normalised name, id, code), for possible-duplicate warnings.
        self.village_units: dict[str, list[tuple[str, int, str]]] = {}
        self.created_ids: set[int] = set()
        self.unit_prototype = Prototype(IKMUnit, verification_status=VerificationStatus.DRAFT)
        self.figures_prototype = Prototype(YearlyFigures)

    # --- parsing one row (no database) -----------------------------------------------------------------------
    def parse_row(self, row: Row) -> ParsedUnit:
        p = ParsedUnit()
        f = p.fields
        p.code = row.text("kode_ikm").upper() or None
        if row.has("nib"):
            nib = "".join(row.text("nib").split()).replace("-", "").replace(".", "")
            if nib and not (len(nib) == 13 and nib.isdigit()):
                row.error("nib", _("NIB harus 13 angka, bukan “%(value)s”.") % {"value": row.text("nib")})
                nib = None
            p.nib = nib or None
            f["nib"] = p.nib
        for header, limit in MAX_LENGTHS.items():
            if row.has(header) and len(row.text(header)) > limit:
                row.error(header, _("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": limit})
        for header, field in (("nama_usaha", "business_name"), ("nama_pemilik", "owner_name")):
            if row.has(header):
                f[field] = row.text(header)
                if not f[field]:
                    row.error(header, _("Wajib diisi."))
        for header, field in (("merek", "brand"), ("alamat", "address"), ("produk_utama", "main_products")):
            if row.has(header):
                f[field] = row.text(header)
        if row.has("bentuk_usaha"):
            f["legal_form"] = row.parse("bentuk_usaha", LEGAL_FORMS.parse, default="")
        if row.has("nik_pemilik"):
            p.nik = row.parse("nik_pemilik", parse_nik, self.villages, default="")
            p.nik_hash = personal_data.nik_lookup_hash(p.nik) if p.nik else None
        if row.has("jenis_kelamin_pemilik"):
            f["owner_gender"] = row.parse("jenis_kelamin_pemilik", GENDERS.parse, default="")
        if row.has("telepon"):
            phone = row.text("telepon")
            try:
                f["owner_phone"] = personal_data.normalize_phone(phone)
            except ValidationError as exc:
                row.error("telepon", " ".join(exc.messages))
        if row.has("email"):
            email = row.text("email")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    row.error("email", _("Alamat email tidak sah: “%(value)s”.") % {"value": email})
            f["owner_email"] = email
        self._parse_village(row, p)
        if row.has("latitude"):
            f["latitude"] = row.parse("latitude", parse_coordinate, *LATITUDE_RANGE, LATITUDE_MESSAGE)
        if row.has("longitude"):
            f["longitude"] = row.parse("longitude", parse_coordinate, *LONGITUDE_RANGE, LONGITUDE_MESSAGE)
        kbli = None
        if self.kbli is not None:
            kbli = row.parse("kbli", self.kbli.parse)
            f["kbli_id"] = kbli.id if kbli else None
        if row.has("sektor"):
            sector = row.parse("sektor", self.sectors.parse)
            f["sector_id"] = sector or self.sectors.default_for_kbli(kbli)
        elif kbli is not None:
            f["sector_id"] = self.sectors.default_for_kbli(kbli)
        if row.has("tahun_berdiri"):
            f["year_established"] = row.parse("tahun_berdiri", parse_year, this_year=self.this_year)
        if row.has("status"):
            f["status"] = row.parse("status", STATUSES.parse, default=UnitStatus.AKTIF)
        if row.has("tanggal_status"):
            f["status_date"] = row.parse("tanggal_status", parse_date)
        if row.has("pemasaran"):
            f["marketing_reach"] = row.parse("pemasaran", REACHES.parse, default=MarketingReach.LOKAL)
        if row.has("negara_tujuan_ekspor"):
            countries = [c.strip() for c in row.text("negara_tujuan_ekspor").replace(";", ",").split(",")]
            f["export_destinations"] = ", ".join(c for c in countries if c)
        if row.has("publikasi_kontak"):
            f["publish_contact"] = row.parse("publikasi_kontak", parse_bool, default=False)
        self._parse_figures(row, p)
        if self.sentra is not None and row.raw("sentra") is not None:
            p.sentra_id = row.parse("sentra", self.sentra.parse)
        name = f.get("business_name", "")
        row.label = name
        p.name_key = norm_name(name)
        return p

    def _parse_village(self, row: Row, p: ParsedUnit) -> None:
        code = normalize_region_code(row.text("kode_wilayah")) if row.has("kode_wilayah") else ""
        if code:
            try:
                village = self.villages.village(code)
            except CellError as exc:
                row.error("kode_wilayah", exc)
                return
            p.village = village.code
            given = row.text("kelurahan_desa") if row.has("kelurahan_desa") else ""
            if given and norm_name(given) != norm_name(village.name):
                row_note = _("kode_wilayah %(code)s adalah %(name)s, bukan “%(given)s”; yang dipakai kodenya.")
                self.report.warning(
                    row.number, "kelurahan_desa", row_note % {"code": code, "name": village.name, "given": given}
                )
            return
        names = [row.text(h) if row.has(h) else "" for h in VILLAGE_NAME_COLUMNS]
        if not names[0]:
            row.error(
                "kode_wilayah", _("Isi kode_wilayah, atau nama kelurahan_desa (dengan kecamatan dan kabupaten_kota).")
            )
            return
        try:
            p.village = self.villages.resolve_names(*names)
        except CellError as exc:
            row.error("kelurahan_desa", exc)

    def _parse_figures(self, row: Row, p: ParsedUnit) -> None:
        if not self.has_figures:
            if self.figure_columns:
                # Figures without their year cannot be stored: say so once per row that has any.
                if any(row.raw(h) is not None for h in self.figure_columns):
                    row.error("tahun_data", _("Kolom tahun_data tidak ada, padahal baris ini berisi angka tahunan."))
            return
        p.year = row.parse("tahun_data", parse_year, 1990, this_year=self.this_year)
        values = {}
        for header in self.figure_columns:
            field = FIGURE_FIELDS[header]
            if header in MONEY_COLUMNS:
                values[field] = row.parse(header, parse_money, default=0)
            elif header == "kapasitas_produksi":
                values[field] = row.parse(header, parse_decimal)
            elif header == "satuan_kapasitas":
                values[field] = row.text(header)
            else:
                values[field] = row.parse(header, parse_int, default=0)
        if p.year is None:
            if row.raw("tahun_data") is None and any(row.raw(h) is not None for h in self.figure_columns):
                row.error("tahun_data", _("Isi tahun_data untuk angka tahunan di baris ini."))
            return
        p.figures = values

    # --- one chunk -------------------------------------------------------------------------------------------
    def process_chunk(self, rows: list[Row], write: bool) -> None:
        if "kode_wilayah" in self.present:
            self.villages.prefetch({normalize_region_code(r.text("kode_wilayah")) for r in rows})
        for row in rows:
            row.data = self.parse_row(row)
        parsed = [r.data for r in rows]
        codes = {p.code for p in parsed if p.code}
        nibs = {p.nib for p in parsed if p.nib}
        hashes = {p.nik_hash for p in parsed if p.nik_hash}
        query = Q(registry_code__in=codes) | Q(nib__in=nibs) | Q(owner_nik_hash__in=hashes)
        existing = list(IKMUnit.objects.filter(query).order_by()) if (codes or nibs or hashes) else []
        by_code = {u.registry_code: u for u in existing}
        by_nib = {u.nib: u for u in existing if u.nib}
        by_hash: dict[str, list[IKMUnit]] = {}  # one owner may have several units
        for u in existing:
            if u.owner_nik_hash:
                by_hash.setdefault(u.owner_nik_hash, []).append(u)

        targets: dict[int, IKMUnit | None] = {}
        for row in rows:
            targets[row.number] = self._match(row, by_code, by_nib, by_hash)

        matched_ids = [u.pk for u in targets.values() if u is not None]
        figures = {}
        if self.has_figures and matched_ids:
            years = {r.data.year for r in rows if r.data.year}
            for fig in YearlyFigures.objects.filter(unit_id__in=matched_ids, year__in=years).order_by():
                figures[(fig.unit_id, fig.year)] = fig
        memberships = {}
        if self.sentra is not None and matched_ids:
            from sentra.models import SentraMembership

            for m in SentraMembership.objects.filter(unit_id__in=matched_ids, left_on__isnull=True):
                memberships[m.unit_id] = m
        self._load_village_units({r.data.village for r in rows if r.data.village and targets[r.number] is None})

        plan = _Plan()
        for row in rows:
            self._plan_row(row, targets[row.number], figures, memberships, plan)
        if write and not self.report.has_errors and not any(r.errors for r in rows):
            self._write(plan)

    def describe_conflict(self, column, value):
        # The one unique value a file brings: kode_ikm only matches units, new units get generated codes.
        if column != "nib":
            return None
        row = self.seen_nibs.get(value) if value else None
        if row is None:
            return 1, "nib", _("Salah satu NIB di berkas ini disimpan untuk unit lain selama impor berjalan.")
        return (
            row,
            "nib",
            _("NIB %(nib)s disimpan untuk unit lain (impor lain atau suntingan di admin) selama impor berjalan.")
            % {"nib": value},
        )

    def _match(self, row: Row, by_code, by_nib, by_hash) -> IKMUnit | None:
        p: ParsedUnit = row.data
        unit = None
        if p.code:
            first = self.seen_codes.setdefault(p.code, row.number)
            if first != row.number:
                row.error(
                    "kode_ikm", _("kode_ikm %(code)s sudah ada di baris %(row)s.") % {"code": p.code, "row": first}
                )
            unit = by_code.get(p.code)
            if unit is None or not self.in_scope(unit.village_id):
                row.error("kode_ikm", _("kode_ikm %(code)s tidak ditemukan di wilayah kerja Anda.") % {"code": p.code})
                unit = None
        elif p.nib:
            unit = by_nib.get(p.nib)
            if unit is not None and not self.in_scope(unit.village_id):
                row.error(
                    "nib", _("NIB %(nib)s sudah terdaftar untuk unit di luar wilayah kerja Anda.") % {"nib": p.nib}
                )
                unit = None
        if p.nib:
            first = self.seen_nibs.setdefault(p.nib, row.number)
            if first != row.number:
                row.error("nib", _("NIB %(nib)s sudah dipakai di baris %(row)s.") % {"nib": p.nib, "row": first})
            else:
                other = by_nib.get(p.nib)
                if other is not None and (unit is None or other.pk != unit.pk) and not row.errors_for("nib"):
                    row.error(
                        "nib",
                        _("NIB %(nib)s sudah terdaftar untuk unit lain (%(other)s).")
                        % {"nib": p.nib, "other": self._describe(other)},
                    )
        if p.nik_hash:
            # One person may own several businesses: a shared NIK is a possible duplicate, not an error.
            first = self.seen_niks.setdefault(p.nik_hash, row.number)
            if first != row.number:
                self.report.warning(
                    row.number,
                    "nik_pemilik",
                    _("Mungkin ganda: NIK pemilik sama dengan baris %(row)s.") % {"row": first},
                )
            else:
                others = [u for u in by_hash.get(p.nik_hash, []) if unit is None or u.pk != unit.pk]
                # Name one the user may see, if any.
                other = next((u for u in others if self.in_scope(u.village_id)), others[0] if others else None)
                if other is not None:
                    if self.in_scope(other.village_id):
                        message = _(
                            "Mungkin ganda: NIK pemilik juga tercatat untuk %(other)s. Bila unit yang sama, isi "
                            "kode_ikm-nya."
                        ) % {"other": self._describe(other)}
                    else:
                        message = _("Mungkin ganda: NIK pemilik juga tercatat untuk unit IKM di wilayah lain.")
                    self.report.warning(row.number, "nik_pemilik", message)
        if unit is not None:
            first = self.seen_units.setdefault(unit.pk, row.number)
            if first != row.number:
                row.error("kode_ikm", _("Baris ini merujuk unit yang sama dengan baris %(row)s.") % {"row": first})
        if p.village and not self.in_scope(p.village):
            column = "kode_wilayah" if row.raw("kode_wilayah") is not None else "kelurahan_desa"
            region = self.villages.by_code.get(p.village)
            row.error(
                column,
                _("Kelurahan/desa %(name)s (%(code)s) berada di luar wilayah kerja Anda.")
                % {"name": region.name if region else "", "code": p.village},
            )
        if unit is None and not row.errors and not p.code:
            if not self.can_add:
                row.error("", _("Akun Anda tidak boleh menambah unit IKM."))
            for header in ("nama_usaha", "nama_pemilik"):
                if not row.has(header):
                    row.error(header, _("Wajib diisi untuk unit baru."))
        return unit

    def _describe(self, unit: IKMUnit) -> str:
        if self.in_scope(unit.village_id):
            return f"{unit.registry_code} {unit.business_name}"
        return _("di luar wilayah kerja Anda")

    def _load_village_units(self, villages: set) -> None:
        missing = [v for v in villages if v not in self.village_units]
        if not missing:
            return
        for v in missing:
            self.village_units[v] = []
        rows = (
            IKMUnit.objects.filter(village_id__in=missing)
            .order_by()
            .values_list("village_id", "business_name", "id", "registry_code")
        )
        for village, name, pk, code in rows.iterator(chunk_size=5000):
            if pk not in self.created_ids:
                self.village_units[village].append((norm_name(name), pk, code))

    # --- classify and plan -----------------------------------------------------------------------------------
    def _plan_row(self, row: Row, unit: IKMUnit | None, figures, memberships, plan) -> None:
        p: ParsedUnit = row.data
        if row.errors:
            return
        is_new = unit is None
        changes: list[str] = []
        if is_new:
            unit = self.unit_prototype.new()
        dirty: set[str] = set()
        for header in self.unit_columns:
            field = UNIT_FIELDS[header]
            if field not in p.fields:
                continue
            value = p.fields[field]
            if getattr(unit, field) != value:
                setattr(unit, field, value)
                dirty.add(field)
                changes.append(header)
        if p.village and unit.village_id != p.village:
            if not self.villages.by_code[p.village].is_active:
                # A code retired by a pemekaran stays valid for units already there, not for new places.
                row.error(
                    "kode_wilayah",
                    _("Kode wilayah %(code)s sudah tidak berlaku (pemekaran wilayah): gunakan kode yang baru.")
                    % {"code": p.village},
                )
                return
            unit.village = self.villages.by_code[p.village]
            unit.assign_regions()
            dirty.update({"village", "district", "regency", "province"})
            changes.append("kode_wilayah" if row.raw("kode_wilayah") is not None else "kelurahan_desa")
        elif p.village:
            unit.village = self.villages.by_code[p.village]  # cached for clean(), no query
        if row.has("nik_pemilik") and unit.owner_nik_hash != p.nik_hash:
            # Encrypted only when written (Fernet costs more than all other checks of a row).
            unit.owner_nik_hash = p.nik_hash
            plan.niks.append((unit, p.nik or ""))
            dirty.update({"owner_nik_encrypted", "owner_nik_hash"})
            changes.append("nik_pemilik")
        self._settle_status_date(row, unit, p, dirty, changes)
        try:
            unit.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    row.error(FIELD_COLUMNS.get(field, ""), message)
            return

        fig = None
        if p.figures is not None:
            fig = None if is_new else figures.get((unit.pk, p.year))
            if fig is None:
                fig = self.figures_prototype.new(year=p.year, **p.figures)
                fig.size_class = fig.derive_size_class()
                plan.new_figures.append((unit, fig))
                changes.append("tahun_data")
            else:
                fig_changes = [
                    h for h in self.figure_columns if getattr(fig, FIGURE_FIELDS[h]) != p.figures[FIGURE_FIELDS[h]]
                ]
                if fig_changes:
                    for field, value in p.figures.items():
                        setattr(fig, field, value)
                    fig.size_class = fig.derive_size_class()
                    plan.changed_figures.append(fig)
                    changes.extend(fig_changes)
            if unit.latest_figures_year is None or p.year >= unit.latest_figures_year:
                if (unit.size_class, unit.latest_figures_year) != (fig.size_class, p.year):
                    unit.size_class, unit.latest_figures_year = fig.size_class, p.year
                    dirty.update({"size_class", "latest_figures_year"})

        if p.sentra_id is not None:
            current = None if is_new else memberships.get(unit.pk)
            if current is None or current.sentra_id != p.sentra_id:
                if current is not None:
                    current.left_on = self.today
                    plan.closed_memberships.append(current)
                plan.new_memberships.append((unit, p.sentra_id))
                changes.append("sentra")

        if self.verify:
            if unit.verification_status != VerificationStatus.VERIFIED:
                unit.verify(self.user)
                unit.return_reason = ""
                dirty.update({"verification_status", "verified_by", "verified_at", "return_reason"})
                changes.append(_("status verifikasi"))
        elif changes and not is_new and unit.verification_status == VerificationStatus.VERIFIED and not self.can_verify:
            # As in the admin: a change by someone who may not verify goes back to the verifier.
            unit.submit()
            dirty.update({"verification_status", "return_reason"})

        if is_new:
            row.status = NEW
            plan.new_units.append(unit)
        elif changes:
            if not self.can_change:
                row.error("", _("Akun Anda tidak boleh mengubah unit IKM."))
                return
            row.status = CHANGED
            if dirty:
                plan.changed_units.append(unit)
                plan.fields |= dirty
        else:
            row.status = UNCHANGED
        row.changes = changes if not is_new else []
        row.label = f"{unit.business_name} ({unit.registry_code})" if unit.registry_code else unit.business_name
        if is_new:
            self._warn_possible_duplicates(row, unit, p)

    def _settle_status_date(self, row: Row, unit: IKMUnit, p: ParsedUnit, dirty: set, changes: list) -> None:
        """A closed or inactive unit needs the date of that status. When the file gives none, keep the date
        already recorded if the status itself did not change, else use the import's date."""
        if "status" not in p.fields and not row.has("tanggal_status"):
            return
        target = p.fields.get("status_date")
        if target is None:
            if unit.status == UnitStatus.AKTIF:
                target = None if row.has("tanggal_status") else unit.status_date
            elif "status" in dirty or not unit.status_date:
                target = self.today
            else:
                target = unit.status_date
        if target != unit.status_date:
            unit.status_date = target
            dirty.add("status_date")
            changes.append("tanggal_status")

    def _warn_possible_duplicates(self, row: Row, unit: IKMUnit, p: ParsedUnit) -> None:
        if not p.name_key or not unit.village_id:
            return
        key = (unit.village_id, p.name_key)
        first = self.seen_names.setdefault(key, row.number)
        if first != row.number:
            self.report.warning(
                row.number,
                "nama_usaha",
                _("Mungkin ganda: nama usaha sama dengan baris %(row)s di kelurahan/desa yang sama.") % {"row": first},
            )
        for name_key, pk, code in self.village_units.get(unit.village_id, []):
            if name_key == p.name_key and pk not in self.created_ids:
                self.report.warning(
                    row.number,
                    "nama_usaha",
                    _(
                        "Mungkin ganda: %(code)s bernama sama di kelurahan/desa yang sama. "
                        "Bila unit yang sama, isi kode_ikm."
                    )
                    % {"code": code},
                )
                break

    # --- writing ---------------------------------------------------------------------------------------------
    def _write(self, plan: "_Plan") -> None:
        history = self.history_kwargs()
        for unit, nik in plan.niks:
            unit.set_owner_nik(nik)
        if plan.closed_memberships:
            from sentra.models import SentraMembership

            bulk_update_with_history(plan.closed_memberships, SentraMembership, ["left_on"], **history)
        if plan.new_units:
            by_regency: dict[str, list[IKMUnit]] = {}
            for unit in plan.new_units:
                by_regency.setdefault(unit.regency_id, []).append(unit)
            for regency, units in by_regency.items():
                for unit, code in zip(units, RegistryCodeSequence.reserve(regency, len(units)), strict=True):
                    unit.registry_code = code
            for unit in plan.new_units:
                unit.created_at = unit.updated_at = self.now
            create_with_history(plan.new_units, IKMUnit, **history)
            self.created_ids.update(u.pk for u in plan.new_units)
        if plan.changed_units:
            for unit in plan.changed_units:
                unit.updated_at = self.now
            fields = sorted(_attnames(plan.fields) | {"updated_at"})
            bulk_update_with_history(plan.changed_units, IKMUnit, fields, batch_size=500, **history)
        if plan.new_figures:
            new = []
            for unit, fig in plan.new_figures:
                fig.unit_id = unit.pk
                new.append(fig)
            create_with_history(new, YearlyFigures, **history)
        if plan.changed_figures:
            fields = [*FIGURE_FIELDS.values(), "size_class"]
            bulk_update_with_history(plan.changed_figures, YearlyFigures, fields, batch_size=500, **history)
        if plan.new_memberships:
            from sentra.models import SentraMembership

            objs = [
                SentraMembership(unit_id=u.pk, sentra_id=sid, joined_on=self.today) for u, sid in plan.new_memberships
            ]
            create_with_history(objs, SentraMembership, **history)


def _attnames(fields: set[str]) -> set[str]:
    # bulk_update takes field names; foreign keys by name ("village"), not attname ("village_id").
    return {f[:-3] if f.endswith("_id") else f for f in fields}


class _Plan:
    __slots__ = (
        "new_units",
        "changed_units",
        "fields",
        "new_figures",
        "changed_figures",
        "closed_memberships",
        "new_memberships",
        "niks",
    )

    def __init__(self):
        self.new_units: list[IKMUnit] = []
        self.changed_units: list[IKMUnit] = []
        self.fields: set[str] = set()
        self.new_figures: list[tuple[IKMUnit, YearlyFigures]] = []
        self.changed_figures: list[YearlyFigures] = []
        self.closed_memberships: list = []
        self.new_memberships: list[tuple[IKMUnit, int]] = []
        self.niks: list[tuple[IKMUnit, str]] = []


def export_status(value: str) -> str:
    return STATUS_EXPORT.get(value, value)


__all__ = ["COLUMNS", "IKMImporter", "cell_text", "export_status"]
