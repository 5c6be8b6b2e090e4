"""Public figures: the home page's headline numbers, region pages' figures by sector, and their cache.

Everything is a QuerySet aggregate over public units (verified and active). Counting a million rows costs
40-65 ms per COUNT, so figures over broad selections are cached, keyed by the data stamp: the latest
`updated_at` of any unit (one read of an index). Saving, verifying or importing a unit changes the stamp and
so the figures, as does a change to its OVOP ratings, sentra memberships, certificates or products, or a
new name of its sentra (IKMUnitQuerySet.touch); other changes (a deleted unit) show within CACHE_SECONDS.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Sum
from django.utils.translation import gettext

from ikm_registry.models import IKMUnit, OVOPRating, Region, RegionLevel, Sector, SizeClass, YearlyFigures
from ikm_registry.models.scoping import LEVEL_COLUMNS, region_level_q
from ikm_registry.public.filters import public_ovop_products, public_today
from sentra.models import Sentra, SentraMembership

CACHE_SECONDS = 600
# Sums of money are shown only over at least this many units, so that no single unit's values can be read.
MIN_UNITS_FOR_SUMS = 5


# The stamp itself is read at most once per this many seconds per process (and province): a page served from
# the cache then costs no database round trip at all, and a change shows after at most this delay.
STAMP_SECONDS = 2.0
_stamps: dict[str | None, tuple[float, str]] = {}
REGION_PARAMETERS = ("province", "regency", "district", "village", "region")


def data_stamp(province: str | None = None) -> str:
    """Changes whenever a unit is created, saved or imported: the latest updated_at of every unit, or of the
    units of one province (read from an index either way).

    Pages about one province are cached under that province's stamp, so that at national scale an edit in
    Aceh leaves the cached pages of Kalimantan Tengah alone; with one stamp for the whole country, the
    offices' steady stream of edits would empty every cached page every few seconds.
    """
    read_at, stamp = _stamps.get(province, (0.0, ""))
    if time.monotonic() - read_at >= STAMP_SECONDS:
        units = IKMUnit.objects.all() if province is None else IKMUnit.objects.filter(province_id=province)
        latest = units.aggregate(latest=Max("updated_at"))["latest"]
        # Of fixed width, so that a later stamp also sorts later (cached() relies on it); "0" before any unit.
        stamp = latest.isoformat(timespec="microseconds") if latest else "0"
        _stamps[province] = (time.monotonic(), stamp)
    return stamp


def province_of(params) -> str | None:
    """The province that every unit a query string selects lies in, from its region parameters (all of them
    within one province code), or None for several provinces or none."""
    provinces = {value[:2] for name in REGION_PARAMETERS for value in params.getlist(name) if value}
    if len(provinces) == 1:
        province = provinces.pop()
        if len(province) == 2 and province.isdigit():
            return province
    return None


_settled: dict[str | None, tuple[float, str]] = {}  # read at (monotonic), the shared settled stamp
# The number of public units of the country or a province is counted at most this often per process: it decides
# whether that scope's figures settle, and it changes slowly.
SIZE_SECONDS = 600.0
_sizes: dict[str | None, tuple[float, int]] = {}


def scope_units(province: str | None = None) -> int:
    """Public units of the country or of one province, as counted at most SIZE_SECONDS ago in this process."""
    counted_at, units = _sizes.get(province, (0.0, -1))
    if units < 0 or time.monotonic() - counted_at >= SIZE_SECONDS:
        public = IKMUnit.objects.public()
        units = (public if province is None else public.filter(province_id=province)).count()
        _sizes[province] = (time.monotonic(), units)
    return units


def settled_stamp(province: str | None = None, stamp: str | None = None) -> str:
    """The data stamp of the country or of one province, followed at most once per PUBLIC_SETTLED_SECONDS.

    Figures over a whole province or the country count hundreds of thousands of units (0.1 to 0.8 s each at a
    million units), and at that scale some office saves a unit every few seconds. Kept under the data stamp, the
    home page, the unfiltered directory and each province's counts were counted again after nearly every edit:
    under two edits a second, those pages fell to 34 a second with 2-second timeouts (bench_public.py, the front
    pages' run). Kept under this stamp they are counted once per interval, and a change reaches them within it.

    Only a scope of more than PUBLIC_SETTLED_ABOVE_UNITS public units settles: a city office's whole registry,
    or a small province, is counted in milliseconds and its figures follow every change.

    The settled stamp is kept in the cache with the time it was taken, so that workers sharing a cache (Redis)
    show the same figures: each on its own, one worker's home page could say 747,951 units and the next
    reload, served by the other, 747,949. Each process reads it at most every STAMP_SECONDS.
    """
    stamp = data_stamp(province) if stamp is None else stamp  # `stamp`: data_stamp(province), read already
    if scope_units(province) <= settings.PUBLIC_SETTLED_ABOVE_UNITS:
        return stamp
    read_at, settled = _settled.get(province, (0.0, ""))
    if settled and time.monotonic() - read_at < STAMP_SECONDS:
        return settled
    key = f"public:settled-stamp:{province or 'all'}"
    since, settled = cache.get(key) or (0.0, "")
    now = time.time()  # the wall clock: the workers' (and servers') common one
    if stamp != settled and (not settled or now - since >= settings.PUBLIC_SETTLED_SECONDS):
        since, settled = now, stamp
        cache.set(key, (since, settled), None)
    _settled[province] = (time.monotonic(), settled)
    return settled


def within_regency(params) -> bool:
    """Whether a query string selects one kab/kota or a place inside one (whose figures are counted in ms)."""
    return any(params.get(name) for name in ("regency", "district", "village")) or len(params.get("region") or "") > 2


def selection_stamps(params) -> tuple[str, str]:
    """The stamps of a query string's selection: its data stamp (its province's, or the whole country's), and the
    stamp its counts and figures are kept under: the same within a kab/kota, the settled stamp over anything
    broader."""
    province = province_of(params)
    stamp = data_stamp(province)
    return stamp, stamp if within_regency(params) else settled_stamp(province, stamp)


def figures_stamp(params) -> str:
    return selection_stamps(params)[1]


def forget_stamp() -> None:
    """Read the stamps again on the next request (tests; or after a bulk change in this process)."""
    _stamps.clear()
    _settled.clear()
    _sizes.clear()


def cache_key(name: str, stamp: str, *parts) -> str:
    return f"public:{name}:" + hashlib.sha1(repr((name, stamp, parts)).encode()).hexdigest()


# How long one process may take to count figures before another stops waiting for it and counts them itself.
COUNTING_SECONDS = 60.0
WAIT_STEP_SECONDS = 0.05


def cached(name: str, stamp: str, compute: Callable, *parts) -> object:
    """compute() once per data stamp and key parts, kept CACHE_SECONDS, and by one process at a time.

    Figures over a province or the whole country take seconds to count at national scale (4.4 million units:
    1 to 6 s for each front page) and are counted again whenever their settled stamp moves on. Each worker (and,
    with a shared cache, each server) used to count them at the same moment, all visitors waiting. Now the
    first process to miss takes a lock in the cache and counts; meanwhile the others serve the figures of the
    stamp before (a few seconds older than the settled interval already allows), or, with none kept yet, wait
    for the count instead of repeating it. A lock left by a process that died expires after COUNTING_SECONDS.
    Figures of a later stamp than asked for (another process read the stamp a moment later) are served too.
    """
    key = cache_key(name, "", *parts)
    kept = cache.get(key)  # (stamp, value)
    if kept is not None and kept[0] >= stamp:
        return kept[1]
    lock = key + ":counting"
    waited_until = time.monotonic() + COUNTING_SECONDS
    while not cache.add(lock, stamp, COUNTING_SECONDS):
        if kept is not None:
            return kept[1]
        if time.monotonic() >= waited_until:
            break
        time.sleep(WAIT_STEP_SECONDS)
        kept = cache.get(key)
        if kept is not None and kept[0] >= stamp:
            return kept[1]
    try:
        value = compute()
        cache.set(key, (stamp, value), CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return value


@dataclass
class Headline:
    units: int
    sentra: int
    ovop_products: int
    regencies: int
    districts: int
    last_update: object  # datetime or None


@dataclass
class Entry:
    code: str
    name: str
    count: int


def headline(stamp: str) -> Headline:
    def compute() -> Headline:
        public = IKMUnit.objects.public()
        return Headline(
            units=public.count(),
            sentra=Sentra.objects.count(),
            ovop_products=public_ovop_products().count(),
            regencies=public.values("regency_id").distinct().count(),
            districts=public.values("district_id").distinct().count(),
            last_update=public.aggregate(latest=Max("updated_at"))["latest"],
        )

    return cached("headline", stamp, compute)


def province_entries(stamp: str) -> list[Entry]:
    """Every province with its number of public units (the home page's entry by region)."""

    def compute() -> list[Entry]:
        counts = dict(
            IKMUnit.objects.public()
            .values_list("province_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("province_id", "n")
        )
        return [Entry(r.code, r.name, counts.get(r.code, 0)) for r in Region.objects.provinces().current()]

    return cached("provinces", stamp, compute)


@dataclass
class SectorEntry(Entry):
    """A sector with its count. Cached with the stored name, for every language: pages show display_name."""

    @property
    def display_name(self) -> str:
        return gettext(self.name)  # as Sector.display_name


def sector_entries(stamp: str) -> list[SectorEntry]:
    def compute() -> list[SectorEntry]:
        counts = dict(IKMUnit.objects.public().values_list("sector_id").annotate(n=Count("pk")).order_by())
        return [SectorEntry(s.code, s.name, counts.get(s.code, 0)) for s in Sector.objects.all()]

    return cached("sector-entries", stamp, compute)


@dataclass
class SectorFigures:
    code: str
    name: str  # stored (Indonesian): the figures are cached for every language
    units: int = 0
    workers: int | None = None
    production_value: int | None = None
    figures_units: int = 0  # units whose latest figures were summed

    @property
    def sums_shown(self) -> bool:
        return self.figures_units >= MIN_UNITS_FOR_SUMS

    @property
    def display_name(self) -> str:
        return gettext(self.name)  # as Sector.display_name


@dataclass
class RegionFigures:
    region: Region
    units: int
    by_sector: list[SectorFigures]
    by_size_class: list[tuple[str, str, int]]  # (value, label, count), in the rule's order
    children: list[Entry]
    sentra_count: int
    ovop_products: int
    totals: SectorFigures = field(default=None)


def region_figures(region: Region, stamp: str) -> RegionFigures:
    """A province, kab/kota or kecamatan: public units by sector (with workers and production value of
    their latest reported year, summed), by size class and by child region; its sentra and OVOP products."""

    def compute() -> RegionFigures:
        public = IKMUnit.objects.public().filter(region_level_q(region.code))
        by_sector = {s.code: SectorFigures(s.code, s.name) for s in Sector.objects.all()}
        for code, n in public.values_list("sector_id").annotate(n=Count("pk")).order_by():
            if code in by_sector:
                by_sector[code].units = n
        latest = (
            YearlyFigures.objects.filter(unit__in=public, year=F("unit__latest_figures_year"))
            .values_list("unit__sector_id")
            .annotate(
                n=Count("unit_id"),
                men=Sum("workers_male"),
                women=Sum("workers_female"),
                production=Sum("production_value"),
            )
            .order_by()
        )
        totals = SectorFigures("", "", workers=0, production_value=0)
        for code, n, men, women, production in latest:
            if code in by_sector:
                row = by_sector[code]
                row.figures_units, row.workers, row.production_value = n, (men or 0) + (women or 0), production or 0
                totals.figures_units += n
                totals.workers += row.workers
                totals.production_value += row.production_value
        totals.units = sum(r.units for r in by_sector.values())
        children: list[Entry] = []
        if region.level < RegionLevel.VILLAGE:
            column = LEVEL_COLUMNS[region.level + 1]
            counts = dict(public.values_list(column).annotate(n=Count("pk")).order_by())
            children = [
                Entry(child.code, child.name, counts.get(child.code, 0))
                for child in Region.objects.filter(parent=region).current().only("code", "name")
            ]
        return RegionFigures(
            region=region,
            units=totals.units,
            by_sector=list(by_sector.values()),
            by_size_class=size_rows(public),
            children=children,
            sentra_count=Sentra.objects.filter(region_level_q(region.code)).count(),
            ovop_products=public_ovop_products().filter(region_level_q(region.code, "unit__")).count(),
            totals=totals,
        )

    return cached("region", stamp, compute, region.code)


def size_rows(units) -> list[tuple[str, str, int]]:
    counts = dict(units.exclude(size_class="").values_list("size_class").annotate(n=Count("pk")).order_by())
    return [(value, label, counts[value]) for value, label in SizeClass.choices if counts.get(value)]


def public_member_counts(sentra_ids: list[int]) -> dict[int, int]:
    """Members today that are public units, per sentra, for a page of sentra: one grouped query."""
    if not sentra_ids:
        return {}
    return dict(
        SentraMembership.objects.current_on(public_today())
        .filter(sentra_id__in=sentra_ids, unit__verification_status="verified", unit__status="aktif")
        .values_list("sentra_id")
        .annotate(n=Count("unit_id", distinct=True))
        .order_by()
    )


def public_members(sentra: Sentra):
    """A sentra's members today that are public units, by name."""
    members = SentraMembership.objects.current_on(public_today()).filter(sentra=sentra).values("unit_id")
    return IKMUnit.objects.public().filter(pk__in=members)


def unit_ratings(unit: IKMUnit):
    """The unit's products' current OVOP ratings (latest assessment of each product), best first."""
    return (
        OVOPRating.objects.latest_per_product()
        .filter(unit=unit)
        .select_related("category")
        .order_by("-stars", "product_name")
    )
