"""Reference lookups an import needs for every row, loaded in bulk and kept for the whole file: villages
by Kemendagri code or by name, sectors, KBLI codes, sentra. One query per chunk at most, never per row."""

import re

from django.utils.translation import gettext as _

from ikm_registry import personal_data
from ikm_registry.imports.parsing import CellError, cell_text, norm_key
from ikm_registry.models import KBLI, Region, RegionLevel, Sector

VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
REGENCY_PREFIXES = ("kabupaten", "kab", "kota")
VILLAGE_PREFIXES = ("kelurahan", "kel", "desa", "ds")
DISTRICT_PREFIXES = ("kecamatan", "kec", "distrik")


def normalize_region_code(text: str) -> str:
    """62.71.01.1003, "6271011003" or "62 71 01 1003" all give the dotted code.

    >>> normalize_region_code("6271011003"), normalize_region_code(" 62.71.01.1003 ")
    ('62.71.01.1003', '62.71.01.1003')
    """
    text = text.strip()
    digits = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"\d{10}", digits):
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return text


REGION_CODE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")


def normalize_any_region_code(text: str) -> str:
    """A Kemendagri code of any level, dotted: "6271" gives 62.71, "627101" 62.71.01, ten digits a village.

    >>> normalize_any_region_code("6271"), normalize_any_region_code(" 62.71.01 "), normalize_any_region_code("62")
    ('62.71', '62.71.01', '62')
    """
    text = text.strip()
    digits = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"\d{2}|\d{4}|\d{6}", digits):
        return ".".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    return normalize_region_code(text)


class RegionLookup:
    """Regions of any level (provinsi to kelurahan/desa) by Kemendagri code, fetched per chunk and cached."""

    def __init__(self):
        self.by_code: dict[str, str | None] = {}

    def prefetch(self, codes) -> None:
        missing = {c for c in codes if c and c not in self.by_code}
        if not missing:
            return
        self.by_code.update(Region.objects.filter(code__in=missing).values_list("code", "name"))
        for code in missing:
            self.by_code.setdefault(code, None)

    def exists(self, code: str) -> bool:
        return self.by_code.get(code) is not None


def _strip_prefix(key: str, prefixes) -> str:
    for prefix in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


class VillageLookup:
    """Villages by code (fetched per chunk, cached) and by name (an index built on first use)."""

    def __init__(self, user, scope: str):
        self.user, self.scope = user, scope
        self.by_code: dict[str, Region | None] = {}
        self._names = None
        self._district_codes: set[str] | None = None

    def prefetch(self, codes) -> None:
        missing = {c for c in codes if c and c not in self.by_code}
        if not missing:
            return
        for region in Region.objects.filter(code__in=missing).only("code", "name", "level", "is_active", "kind"):
            self.by_code[region.code] = region
        for code in missing:
            self.by_code.setdefault(code, None)

    def village(self, code: str) -> Region:
        """The village of a code, or CellError (unknown code, not a village)."""
        region = self.by_code.get(code)
        if region is None:
            if not VILLAGE_CODE.match(code):
                raise CellError(
                    _(
                        "Kode wilayah “%(code)s” tidak sah: tulis kode kelurahan/desa Kemendagri, "
                        "misalnya 62.71.01.1003."
                    )
                    % {"code": code}
                )
            raise CellError(
                _("Kode wilayah %(code)s tidak dikenal (bukan kelurahan/desa Kemendagri).") % {"code": code}
            )
        if region.level != RegionLevel.VILLAGE:
            raise CellError(
                _("Kode %(code)s adalah %(level)s %(name)s, bukan kelurahan/desa.")
                % {"code": code, "level": region.get_level_display().lower(), "name": region.name}
            )
        return region

    # --- by name -----------------------------------------------------------------------------------------
    def _index(self):
        if self._names is None:
            regencies, districts = {}, {}
            for code, name in Region.objects.filter(level__in=[RegionLevel.REGENCY, RegionLevel.DISTRICT]).values_list(
                "code", "name"
            ):
                (regencies if code.count(".") == 1 else districts)[code] = name
            names: dict[str, list[tuple[str, str]]] = {}
            villages = Region.objects.filter(level=RegionLevel.VILLAGE, is_active=True).values_list("code", "name")
            for code, name in villages.iterator(chunk_size=5000):
                names.setdefault(norm_key(name), []).append((code, name))
            self._names, self._regencies, self._districts = names, regencies, districts
        return self._names

    def resolve_names(self, village: str, district: str, regency: str) -> str:
        """The code of the one village these names describe, or CellError naming the candidates."""
        names = self._index()
        key = _strip_prefix(norm_key(village), VILLAGE_PREFIXES)
        candidates = names.get(norm_key(village)) or names.get(key) or []
        if district:
            dkey = norm_key(district)
            dkey_bare = _strip_prefix(dkey, DISTRICT_PREFIXES)
            candidates = [c for c in candidates if norm_key(self._districts.get(c[0][:8], "")) in (dkey, dkey_bare)]
        if regency:
            rkey = norm_key(regency)
            rkey_bare = _strip_prefix(rkey, REGENCY_PREFIXES)
            exact = [c for c in candidates if norm_key(self._regencies.get(c[0][:5], "")) == rkey]
            candidates = exact or [
                c
                for c in candidates
                if _strip_prefix(norm_key(self._regencies.get(c[0][:5], "")), REGENCY_PREFIXES) == rkey_bare
            ]
        where = ", ".join(p for p in (district, regency) if p)
        if not candidates:
            raise CellError(
                _("Kelurahan/desa “%(name)s”%(where)s tidak ditemukan. Periksa ejaan atau isi kode_wilayah.")
                % {"name": village, "where": f" ({where})" if where else ""}
            )
        if len(candidates) > 1:
            # Prefer the one place inside the user's region: a Banjarmasin office means its own "Kuin".
            mine = [
                c for c in candidates if self.scope == "" or c[0] == self.scope or c[0].startswith(self.scope + ".")
            ]
            if len(mine) == 1 and self.scope:
                candidates = mine
        if len(candidates) > 1:
            shown = "; ".join(
                f"{name}, {self._districts.get(code[:8], '?')}, {self._regencies.get(code[:5], '?')} ({code})"
                for code, name in candidates[:5]
            )
            more = len(candidates) - 5
            raise CellError(
                _(
                    "Nama “%(name)s” ambigu, ada di %(count)s tempat: %(places)s%(more)s. "
                    "Isi kecamatan dan kabupaten_kota, atau kode_wilayah."
                )
                % {
                    "name": village,
                    "count": len(candidates),
                    "places": shown,
                    "more": _(" dan %(n)s lainnya") % {"n": more} if more > 0 else "",
                }
            )
        code = candidates[0][0]
        self.prefetch([code])
        return code

    # --- NIK ---------------------------------------------------------------------------------------------
    def district_exists(self, code: str) -> bool:
        if self._district_codes is None:
            self._district_codes = set(Region.objects.filter(level=RegionLevel.DISTRICT).values_list("code", flat=True))
        return code in self._district_codes


def parse_nik(value, villages: VillageLookup) -> str:
    """A NIK checked by structure (personal_data.validate_nik) against an in-memory set of kecamatan codes."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: a NIK typed as a number has already lost its last digit.
        raise CellError(
            _(
                "NIK tersimpan sebagai angka sehingga Excel membulatkan digit terakhirnya. "
                "Format kolom sebagai Teks lalu ketik ulang."
            )
        )
    try:
        return personal_data.validate_nik(cell_text(value), region_exists=villages.district_exists)
    except Exception as exc:  # ValidationError with an Indonesian message
        raise CellError(" ".join(getattr(exc, "messages", [str(exc)]))) from None


class SectorLookup:
    """Sectors by code or name ("PANGAN" or "Industri Pangan"), and the default sector of a KBLI code."""

    def __init__(self):
        self.sectors = list(Sector.objects.all())
        self.keys: dict[str, str] = {}
        for sector in self.sectors:
            self.keys[norm_key(sector.code)] = sector.code
            self.keys[norm_key(sector.name)] = sector.code
            self.keys[_strip_prefix(norm_key(sector.name), ("industri",))] = sector.code
        self.by_division = {d: s.code for s in self.sectors for d in s.division_list()}

    def parse(self, value) -> str:
        text = cell_text(value)
        code = self.keys.get(norm_key(text)) or self.keys.get(_strip_prefix(norm_key(text), ("industri",)))
        if code is None:
            raise CellError(
                _("Sektor “%(value)s” tidak dikenal. Pilihan: %(choices)s.")
                % {"value": text, "choices": ", ".join(s.code for s in self.sectors)}
            )
        return code

    def default_for_kbli(self, kbli: KBLI | None) -> str | None:
        if kbli is None:
            return None
        return kbli.sector_id or self.by_division.get(kbli.code[:2])


class KBLILookup:
    """KBLI codes: "10794" takes the 2020 edition when the code exists in it, "10794/2025" picks an edition."""

    PREFERRED = "2020"

    def __init__(self):
        self.by_code: dict[str, dict[str, KBLI]] = {}
        self.by_id: dict[int, KBLI] = {}
        for kbli in KBLI.objects.only("id", "code", "edition", "sector_id"):
            self.by_code.setdefault(kbli.code, {})[kbli.edition] = kbli
            self.by_id[kbli.id] = kbli

    def parse(self, value) -> KBLI:
        text = cell_text(value)
        m = re.fullmatch(r"(\d{2,5})\s*(?:[/(]\s*(?:KBLI\s*)?(\d{4})\s*\)?)?", text, re.IGNORECASE)
        if not m:
            raise CellError(_("Kode KBLI terdiri dari 2 sampai 5 angka, bukan “%(value)s”.") % {"value": text})
        editions = self.by_code.get(m[1], {})
        if m[2]:
            kbli = editions.get(m[2])
        else:
            kbli = editions.get(self.PREFERRED) or (next(iter(editions.values())) if len(editions) == 1 else None)
            if kbli is None and editions:
                raise CellError(
                    _("KBLI %(code)s ada di beberapa edisi: tulis misalnya %(code)s/2025.") % {"code": m[1]}
                )
        if kbli is None:
            raise CellError(_("Kode KBLI %(code)s tidak dikenal.") % {"code": text})
        return kbli

    def export(self, kbli_id: int | None) -> str:
        """The spelling that imports back to the same KBLI row."""
        kbli = self.by_id.get(kbli_id) if kbli_id else None
        if kbli is None:
            return ""
        editions = self.by_code.get(kbli.code, {})
        plain = editions.get(self.PREFERRED) or (next(iter(editions.values())) if len(editions) == 1 else None)
        return kbli.code if plain is not None and plain.id == kbli.id else f"{kbli.code}/{kbli.edition}"


class SentraLookup:
    """Sentra in the user's scope by code or name; a name shared by two sentra must be given as a code."""

    def __init__(self, user):
        from sentra.models import Sentra

        self.by_key: dict[str, list[tuple[int, str]]] = {}
        self.names: dict[int, str] = {}
        self.codes: dict[int, str] = {}
        for sid, code, name in Sentra.objects.for_user(user).values_list("id", "code", "name"):
            self.names[sid] = name
            self.codes[sid] = code or ""
            if code:
                self.by_key.setdefault("code:" + norm_key(code), []).append((sid, name))
            self.by_key.setdefault("name:" + norm_key(name), []).append((sid, name))

    def parse(self, value) -> int:
        text = cell_text(value)
        found = self.by_key.get("code:" + norm_key(text)) or self.by_key.get("name:" + norm_key(text)) or []
        if not found:
            raise CellError(_("Sentra “%(value)s” tidak ditemukan di wilayah kerja Anda.") % {"value": text})
        if len(found) > 1:
            raise CellError(
                _("Ada %(n)s sentra bernama “%(value)s”: tulis kodenya.") % {"n": len(found), "value": text}
            )
        return found[0][0]

    def export(self, sentra_id: int | None) -> str:
        if not sentra_id:
            return ""
        name = self.names.get(sentra_id, "")
        if len(self.by_key.get("name:" + norm_key(name), [])) > 1 and self.codes.get(sentra_id):
            return self.codes[sentra_id]
        return name


class UnitRefs:
    """IKM units referred to by kode_ikm or NIB (OVOP ratings, participants, aid recipients, sentra members),
    fetched once per chunk and checked against the user's region."""

    def __init__(self, importer):
        self.importer = importer
        self.by_code: dict[str, tuple] = {}
        self.by_nib: dict[str, tuple] = {}

    def prefetch(self, rows, code_header: str = "kode_ikm", nib_header: str = "nib") -> None:
        from ikm_registry.models import IKMUnit

        codes = {r.text(code_header).upper() for r in rows if r.has(code_header) and r.text(code_header)}
        nibs = {r.text(nib_header) for r in rows if r.has(nib_header) and r.text(nib_header)}
        codes -= self.by_code.keys()
        nibs -= self.by_nib.keys()
        if not codes and not nibs:
            return
        from django.db.models import Q

        fields = ("id", "registry_code", "nib", "village_id", "business_name", "sector_id")
        for unit in IKMUnit.objects.filter(Q(registry_code__in=codes) | Q(nib__in=nibs)).values_list(*fields):
            self.by_code[unit[1]] = unit
            if unit[2]:
                self.by_nib[unit[2]] = unit

    def resolve(self, row, code_header: str = "kode_ikm", nib_header: str = "nib", required: bool = True):
        """(id, code, nib, village, name, sector) of the unit a row names, or None with the row's error set."""
        code = row.text(code_header).upper() if row.has(code_header) else ""
        nib = row.text(nib_header) if row.has(nib_header) else ""
        if code:
            unit, header, shown = self.by_code.get(code), code_header, code
        elif nib:
            unit, header, shown = self.by_nib.get(nib), nib_header, nib
        else:
            if required:
                row.error(code_header, _("Isi kode_ikm atau NIB unit IKM."))
            return None
        if unit is None or not self.importer.in_scope(unit[3]):
            row.error(header, _("Unit IKM %(key)s tidak ditemukan di wilayah kerja Anda.") % {"key": shown})
            return None
        if code and nib and unit[2] and unit[2] != nib:
            row.error(nib_header, _("NIB %(nib)s bukan NIB unit %(code)s.") % {"nib": nib, "code": code})
            return None
        return unit
