"""Grouped rows folded into the report's dataclasses, with names from the reference tables.

Loops here run over grouped rows (sectors, child regions, size classes, countries), never over units."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ikm_registry.models import CertificateKind, Region, RegionKind, RegionLevel, Sector, SizeClass
from reports.aggregates.base import NO_FIGURES, ReportRegion
from reports.aggregates.collect import SUMMARY_FIELDS
from reports.aggregates.types import (
    CertificateRow,
    ChildRegionRow,
    CountRow,
    Coverage,
    DataQuality,
    Exporters,
    Growth,
    OVOPFigures,
    SentraFigures,
    SentraKindRow,
    UnitCounts,
    Workers,
    YearFigures,
)
from sentra.models import SentraKind

FIELD = {name: index + 3 for index, name in enumerate(SUMMARY_FIELDS)}


def child_code(code: str, region: ReportRegion) -> str:
    """The code of the child region (of the report's region) that `code` lies in."""
    return ".".join(code.split(".")[: region.child_level])


def _child_regions(region: ReportRegion, found_codes: set[str]) -> dict[str, tuple[str, str]]:
    """code -> (name, kind) of the region's current children and of any retired code units still point at."""
    if region.is_national:
        children = Q(level=RegionLevel.PROVINCE, is_active=True)
    else:
        children = Q(parent_id=region.code, is_active=True)
    rows = Region.objects.filter(children | Q(code__in=found_codes)).values_list("code", "name", "kind")
    return {code: (name, kind) for code, name, kind in rows}


def _total(summary: list[list], name: str) -> int:
    index = FIELD[name]
    return sum(row[index] for row in summary)


def fold_unit_counts(region: ReportRegion, summary: list[list]) -> UnitCounts:
    """Counted units: total, per sector (every sector listed), per child region (every child listed)."""
    units = FIELD["units"]
    by_sector: dict[str | None, int] = {}
    by_child: dict[str, int] = {}
    for row in summary:
        if row[units]:
            by_sector[row[1]] = by_sector.get(row[1], 0) + row[units]
            child = child_code(row[0], region)
            by_child[child] = by_child.get(child, 0) + row[units]
    sector_rows = [
        CountRow(code, name, by_sector.get(code, 0)) for code, name in Sector.objects.values_list("code", "name")
    ]
    if by_sector.get(None):
        sector_rows.append(CountRow("", _("Belum ada sektor"), by_sector[None]))
    names = _child_regions(region, set(by_child))
    child_rows = [
        ChildRegionRow(code=code, name=name, kind=kind, count=by_child.get(code, 0))
        for code, (name, kind) in sorted(names.items())
    ]
    return UnitCounts(
        total=_total(summary, "units"),
        by_sector=sector_rows,
        by_child_region=child_rows,
        new_units=_total(summary, "new"),
        closed_units=_total(summary, "closed"),
    )


def fold_year_figures(region: ReportRegion, summary: list[list]) -> YearFigures:
    """The year's figures of counted units: sums, units per size class (without figures: "tanpa_data"),
    and per child region."""
    f = FIELD
    by_size = {choice.value: 0 for choice in SizeClass}
    by_size[NO_FIGURES] = 0
    by_child: dict[str, dict[str, int]] = {}
    for row in summary:
        size = row[2]
        # A figures row always has a derived class; an empty one cannot be placed and needs checking.
        key = NO_FIGURES if size is None else (size or SizeClass.PERIKSA.value)
        by_size[key] = by_size.get(key, 0) + row[f["units"]]
        child = by_child.setdefault(child_code(row[0], region), {"units": 0, "workers": 0, "production_value": 0})
        child["units"] += row[f["units"]]
        child["workers"] += row[f["men"]] + row[f["women"]]
        child["production_value"] += row[f["production"]]
    return YearFigures(
        units_with_figures=sum(n for size, n in by_size.items() if size != NO_FIGURES),
        by_size_class=by_size,
        workers=Workers(_total(summary, "men"), _total(summary, "women")),
        investment=_total(summary, "investment"),
        production_value=_total(summary, "production"),
        raw_material_value=_total(summary, "raw_material"),
        export_value=_total(summary, "export"),
        by_child_region={code: v for code, v in by_child.items() if v["units"]},
    )


def fold_growth(summary: list[list]) -> Growth:
    previous = _total(summary, "previous")
    return Growth(previous_total=previous, change=_total(summary, "units") - previous)


def fold_data_quality(summary: list[list], figures: YearFigures) -> DataQuality:
    from ikm_registry.models import VerificationStatus

    by_status = [
        CountRow(status.value, str(status.label), _total(summary, status.value))
        for status in VerificationStatus
        if status != VerificationStatus.VERIFIED
    ]
    return DataQuality(
        unverified=sum(row.count for row in by_status),
        unverified_by_status=by_status,
        without_figures=figures.by_size_class[NO_FIGURES],
        size_check=figures.by_size_class[SizeClass.PERIKSA.value],
    )


def fold_coverage(region: ReportRegion, counts: dict[str, int]) -> Coverage:
    """Covered regions beside how many current regions of each level the area has."""
    in_area = Region.objects.current().filter(level__gt=max(region.level, RegionLevel.PROVINCE))
    if not region.is_national:
        in_area = in_area.filter(code__startswith=region.code + ".")
    totals = {"kabupaten_kota": 0, "kecamatan": 0, "kelurahan": 0, "desa": 0}
    for level, kind, n in in_area.values_list("level", "kind").annotate(n=Count("code")).order_by():
        if level == RegionLevel.REGENCY:
            totals["kabupaten_kota"] += n
        elif level == RegionLevel.DISTRICT:
            totals["kecamatan"] += n
        else:
            totals["kelurahan" if kind == RegionKind.KELURAHAN else "desa"] += n
    # A kab/kota's or kecamatan's own report: the area is that one region.
    for level, key in ((RegionLevel.REGENCY, "kabupaten_kota"), (RegionLevel.DISTRICT, "kecamatan")):
        if region.level >= level:
            totals[key] = 1
    return Coverage(**{key: counts.get(key) or 0 for key in totals}, totals=totals)


def fold_exporters(rows: list[list]) -> Exporters:
    """Exporters and, per destination country, how many of them name it. Country names are matched without
    regard to case or spacing; a loop over the distinct texts stored, not over units."""
    total = 0
    countries: dict[str, list] = {}
    for text, n in rows:
        total += n
        seen = set()
        for name in (text or "").split(","):
            name = " ".join(name.split())
            key = name.casefold()
            if not name or key in seen:
                continue
            seen.add(key)
            countries.setdefault(key, [name, 0])[1] += n
    destinations = [CountRow(code=key, name=name, count=n) for key, (name, n) in countries.items()]
    destinations.sort(key=lambda row: (-row.count, row.name))
    return Exporters(total, destinations)


def fold_certificates(rows: list[list]) -> list[CertificateRow]:
    found: dict[str, list[int]] = {}
    for kind, n, units in rows:
        entry = found.setdefault(kind, [0, 0])
        entry[0] += n
        entry[1] += units
    return [CertificateRow(kind.value, str(kind.label), *found.get(kind.value, (0, 0))) for kind in CertificateKind]


def fold_sentra(sentra: list[list], members: list[list]) -> SentraFigures:
    counts: dict[str, int] = {}
    for kind, n in sentra:
        counts[kind] = counts.get(kind, 0) + n
    per_kind: dict[str, list[int]] = {}
    for kind, n, men, women, production in members:
        entry = per_kind.setdefault(kind, [0, 0, 0, 0])
        for index, value in enumerate((n, men, women, production)):
            entry[index] += value
    by_kind = [
        SentraKindRow(
            code=kind.value,
            name=str(kind.label),
            count=counts.get(kind.value, 0),
            members=per_kind.get(kind.value, [0] * 4)[0],
            workers=sum(per_kind.get(kind.value, [0] * 4)[1:3]),
            production_value=per_kind.get(kind.value, [0] * 4)[3],
        )
        for kind in SentraKind
    ]
    return SentraFigures(
        count=sum(counts.values()),
        members=sum(entry[0] for entry in per_kind.values()),
        workers=Workers(sum(e[1] for e in per_kind.values()), sum(e[2] for e in per_kind.values())),
        production_value=sum(entry[3] for entry in per_kind.values()),
        by_kind=by_kind,
    )


def fold_ovop(rows: list[list]) -> OVOPFigures:
    stars = {str(s): 0 for s in range(1, 6)}
    categories: dict[str, int] = {}
    for star, category, n in rows:
        stars[str(star)] += n
        categories[category] = categories.get(category, 0) + n
    by_category = [
        CountRow(code, name, categories.get(code, 0)) for code, name in Sector.objects.values_list("code", "name")
    ]
    return OVOPFigures(rated=sum(stars.values()), by_stars=stars, by_category=by_category)
