"""Reference data shipped with the project: the seven IKM sectors and KBLI section C codes.

Loaded after every migrate, creating only what is missing, so that admins' edits are kept.
"""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_noop

from ikm_registry.models import KBLI, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"

# The sectors regional offices use (DOMAIN.md), with the KBLI 2020 divisions of section C mapped to each. The
# names are stored in Indonesian; gettext_noop only puts them in the catalogue for Sector.display_name.
SECTORS = [
    ("PANGAN", gettext_noop("Industri Pangan"), "10,11,12"),
    ("SANDANG", gettext_noop("Industri Sandang"), "13,14,15"),
    ("KAYU", gettext_noop("Industri Barang dari Kayu dan Furnitur"), "16,31"),
    ("KERAJINAN", gettext_noop("Industri Aneka Kerajinan"), "32"),
    ("LMEA", gettext_noop("Industri Logam, Mesin, Elektronika dan Alat Angkut"), "24,25,26,27,28,29,30,33"),
    ("KIMIA", gettext_noop("Industri Kimia dan Bahan Bangunan"), "19,20,21,22,23"),
    ("ANEKA", gettext_noop("Aneka Industri"), "17,18"),
]


@transaction.atomic
def load_sectors() -> int:
    created = 0
    for order, (code, name, divisions) in enumerate(SECTORS, start=1):
        _, was_created = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "kbli_divisions": divisions, "sort_order": order}
        )
        created += was_created
    return created


@transaction.atomic
def load_kbli(path: Path | None = None) -> int:
    """Load KBLI codes from a CSV with columns code, edition, title (default: the shipped section C list)."""
    path = path or DATA_DIR / "kbli_section_c.csv"
    if not path.exists():
        return 0
    sectors = {s.code: s for s in Sector.objects.all()}
    by_division = {d: s for s in sectors.values() for d in s.division_list()}
    existing = set(KBLI.objects.values_list("code", "edition"))
    new = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["code"].strip(), row["edition"].strip())
            if key in existing:
                continue
            existing.add(key)
            sector = by_division.get(key[0][:2])
            new.append(KBLI(code=key[0], edition=key[1], title=row["title"].strip(), sector=sector))
    KBLI.objects.bulk_create(new)
    return len(new)


def load_reference_data(**kwargs) -> None:
    load_sectors()
    load_kbli()
