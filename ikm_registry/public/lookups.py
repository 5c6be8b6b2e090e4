"""Reference rows every public request reads (sectors, KBLI codes, regions), kept in the process briefly.

They change only when an admin edits reference data or `load_regions` runs, and a round trip to the database
for seven sectors costs as much as the page's own query. An edit shows within TTL_SECONDS.
"""

import threading
import time

from django.db.models import Q
from django.utils.translation import get_language

from ikm_registry.models import KBLI, Region, RegionLevel, Sector
from ikm_registry.public.compiled import compiled

TTL_SECONDS = 60
MAX_REGIONS = 20_000  # the regions of the pages recently shown: a few MB at most

_lock = threading.Lock()
_sectors: tuple[float, list] = (0.0, [])
_kbli: dict[int, tuple[float, KBLI]] = {}
_regions: dict[str, tuple[float, Region]] = {}
_children: dict[str | None, tuple[float, list[tuple[str, str]]]] = {}
_sector_choices: dict[str, tuple[list, list[tuple[str, str]]]] = {}


def clear() -> None:
    """Forget everything, the data stamp included (tests, or after loading reference data in this process)."""
    global _sectors
    from ikm_registry.public.stats import forget_stamp

    with _lock:
        _sectors = (0.0, [])
        _kbli.clear()
        _regions.clear()
        _children.clear()
        _sector_choices.clear()
    forget_stamp()


def sectors() -> list[Sector]:
    global _sectors
    loaded, rows = _sectors
    if time.monotonic() - loaded > TTL_SECONDS:
        rows = list(Sector.objects.only("code", "name", "sort_order"))
        _sectors = (time.monotonic(), rows)
    return rows


def sector_choices(rows: list[Sector]) -> list[tuple[str, str]]:
    """(code, name in the active language) of the sectors `sectors()` gave, translated once per list and
    language rather than on every request."""
    language = get_language()
    kept = _sector_choices.get(language)
    if kept is None or kept[0] is not rows:
        kept = (rows, [(s.code, s.display_name) for s in rows])
        _sector_choices[language] = kept
    return kept[1]


def _fresh(memo: dict, keys, load) -> dict:
    now = time.monotonic()
    found = {k: memo[k][1] for k in keys if k in memo and now - memo[k][0] <= TTL_SECONDS}
    missing = set(keys) - set(found)
    if missing:
        loaded = load(missing)
        with _lock:
            if len(memo) > MAX_REGIONS:
                memo.clear()
            for key, row in loaded.items():
                memo[key] = (now, row)
        found.update(loaded)
    return found


def kbli(ids) -> dict[int, KBLI]:
    return _fresh(_kbli, set(ids), lambda missing: KBLI.objects.in_bulk(missing))


# What a public page reads of a region, in the model's field order (the order from_db() takes columns in).
REGION_FIELDS = tuple(
    f.attname
    for f in Region._meta.concrete_fields
    if f.attname in ("code", "name", "level", "kind", "path", "parent_id", "is_active")
)


def regions(codes) -> dict[str, Region]:
    return _fresh(_regions, set(codes), _load_regions)


def _load_regions(codes) -> dict[str, Region]:
    # A page of twenty units names about as many villages, seldom all kept: read them through SQL compiled once
    # and build rows as Django does (from_db). An in_bulk queryset compiled per request cost twice the
    # database's answer.
    query = compiled(
        ("regions-by-code",), lambda open_list: Region.objects.filter(code__in=open_list).values_list(*REGION_FIELDS)
    )
    key = REGION_FIELDS.index("code")
    return {row[key]: Region.from_db(query.using, REGION_FIELDS, row) for row in query.rows(sorted(codes))}


def children(parent_codes) -> dict[str | None, list[tuple[str, str]]]:
    """(code, name) of the current regions directly below each region, by name; None stands for the
    country (its children are the provinces). One query for the lists not kept yet.

    The directory's cascading selects show these on every page: 38 provinces and the kab/kota or kecamatan
    of the chosen region, the same few lists again and again.
    """
    now = time.monotonic()
    found = {p: _children[p][1] for p in parent_codes if p in _children and now - _children[p][0] <= TTL_SECONDS}
    missing = [p for p in parent_codes if p not in found]
    if missing:
        wanted = Q(parent_id__in=[p for p in missing if p is not None])
        if None in missing:
            wanted |= Q(level=RegionLevel.PROVINCE)
        loaded: dict[str | None, list[tuple[str, str]]] = {p: [] for p in missing}
        for code, name, parent_id, level in (
            Region.objects.current()
            .filter(wanted)
            .order_by("name", "code")
            .values_list("code", "name", "parent_id", "level")
        ):
            loaded[None if level == RegionLevel.PROVINCE else parent_id].append((code, name))
        with _lock:
            for parent, rows in loaded.items():
                _children[parent] = (now, rows)
        found.update(loaded)
    return found
