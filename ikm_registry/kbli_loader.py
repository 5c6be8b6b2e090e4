"""Load a KBLI list (section C, manufacturing) from a CSV file: the shipped KBLI 2020 list, or a full or updated
list an office receives (e.g. KBLI 2025). Codes are never deleted: units keep pointing at the code they have."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ikm_registry.models import KBLI, KBLIEdition, Sector

CODE_PATTERN = re.compile(r"^\d{2,5}$")
# Section C (Industri Pengolahan) is divisions 10 to 33 in KBLI 2020 and 2025 alike.
MANUFACTURING_DIVISIONS = {f"{d:02d}" for d in range(10, 34)}


@dataclass
class KBLILoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_other_sections: int = 0
    errors: list[str] = field(default_factory=list)


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    text = path.read_bytes().decode("utf-8-sig")
    # Indonesian Excel saves CSV with semicolons; accept both.
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    return headers, list(reader)


def load_kbli_file(path: Path, edition: str | None = None, update_titles: bool = True) -> KBLILoadResult:
    """Create missing codes and (optionally) update titles from a CSV with columns code, title and edition
    (edition may instead be given for the whole file). Nothing is written when any row is wrong: the errors
    name the spreadsheet row. Rows outside section C are counted and skipped."""
    try:
        headers, rows = _read_rows(path)
    except UnicodeDecodeError:
        raise ValidationError(_("Berkas harus berformat CSV UTF-8.")) from None
    missing = [h for h in ("code", "title") if h not in headers]
    if edition is None and "edition" not in headers:
        missing.append("edition")
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(columns)s (kolom yang dikenali: code, edition, title).")
            % {"columns": ", ".join(missing)}
        )
    if edition is not None and edition not in KBLIEdition.values:
        raise ValidationError(_("Edisi KBLI tidak dikenal: %(edition)s.") % {"edition": edition})

    result = KBLILoadResult()
    parsed: dict[tuple[str, str], str] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet shows it
        code = (row.get("code") or "").strip().replace(".", "")
        title = " ".join((row.get("title") or "").split())
        row_edition = edition or (row.get("edition") or "").strip()
        if not code and not title:
            continue
        if not CODE_PATTERN.match(code):
            result.errors.append(
                _('Baris %(row)d, kolom code: kode KBLI "%(code)s" harus 2 sampai 5 angka.')
                % {"row": number, "code": code}
            )
            continue
        if code[:2] not in MANUFACTURING_DIVISIONS:
            result.skipped_other_sections += 1
            continue
        if row_edition not in KBLIEdition.values:
            result.errors.append(
                _('Baris %(row)d, kolom edition: edisi "%(edition)s" tidak dikenal (pilihan: %(known)s).')
                % {"row": number, "edition": row_edition, "known": ", ".join(KBLIEdition.values)}
            )
            continue
        if not title:
            result.errors.append(_("Baris %(row)d, kolom title: judul kosong.") % {"row": number})
            continue
        if len(title) > KBLI._meta.get_field("title").max_length:
            result.errors.append(_("Baris %(row)d, kolom title: judul terlalu panjang.") % {"row": number})
            continue
        if (code, row_edition) in parsed:
            result.errors.append(
                _("Baris %(row)d, kolom code: kode %(code)s edisi %(edition)s muncul dua kali.")
                % {"row": number, "code": code, "edition": row_edition}
            )
            continue
        parsed[(code, row_edition)] = title
    if result.errors:
        return result

    by_division = {d: s for s in Sector.objects.all() for d in s.division_list()}
    existing = {(k.code, k.edition): k for k in KBLI.objects.all()}
    new, changed = [], []
    for (code, row_edition), title in parsed.items():
        current = existing.get((code, row_edition))
        if current is None:
            new.append(KBLI(code=code, edition=row_edition, title=title, sector=by_division.get(code[:2])))
        elif update_titles and current.title != title:
            current.title = title
            changed.append(current)
        else:
            result.unchanged += 1
    with transaction.atomic():
        KBLI.objects.bulk_create(new)
        KBLI.objects.bulk_update(changed, ["title"])
    result.created, result.updated = len(new), len(changed)
    return result
