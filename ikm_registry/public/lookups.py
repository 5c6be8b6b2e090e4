"""Reference rows every public request reads (sectors, KBLI codes, regions), kept in the process briefly.

They change only when an admin edits reference data or `load_regions` runs, and a round trip to the database
for seven sectors costs as much as the page's own query. An edit shows within TTL_SECONDS.
"""

import threading
import time

from ikm_registry.models import KBLI, Region, Sector

TTL_SECONDS = 60
MAX_REGIONS = 20_000  # the regions of the pages recently shown: a few MB at most

_lock = threading.Lock()
_sectors: tuple[float, list] = (0.0, [])
_kbli: dict[int, tuple[float, KBLI]] = {}
_regions: dict[str, tuple[float, Region]] = {}


def clear() -> None:
    """Forget everything, the data stamp included (tests, or after loading reference data in this process)."""
    global _sectors
    from ikm_registry.public.stats import forget_stamp

    with _lock:
        _sectors = (0.0, [])
        _kbli.clear()
        _regions.clear()
    forget_stamp()


def sectors() -> list[Sector]:
    global _sectors
    loaded, rows = _sectors
    if time.monotonic() - loaded > TTL_SECONDS:
        rows = list(Sector.objects.only("code", "name", "sort_order"))
        _sectors = (time.monotonic(), rows)
    return rows


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


def regions(codes) -> dict[str, Region]:
    fields = ("code", "name", "level", "kind", "path", "parent_id", "is_active")
    return _fresh(_regions, set(codes), lambda missing: Region.objects.only(*fields).in_bulk(missing))
