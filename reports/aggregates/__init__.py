"""The figures of a district report: plain functions, a region and a year in, small dataclasses out.

Every figure is a database aggregate or GROUP BY (collect.py); Python only folds the grouped rows (sectors,
child regions, size classes), never the units themselves (fold.py). Every format and page renders these
dataclasses, so one set of definitions holds everywhere (docs/reports.md explains them to heads of office):

- An IKM unit counts in a year when it is verified, lies in the region and is active in that year: established
  by then (or year unknown) and not closed before it (IKMUnitQuerySet.active_in). A unit closed during the year
  still counts for that year and is listed among the closed units.
- Workers, money and the size class come from that year's YearlyFigures of those units.
- Exporters are units whose marketing reach is "ekspor"; their destination countries are the ones recorded.
- Sentra and kawasan count where they lie, when formed by the year. Their members count where the unit is:
  counted units of the region with a membership during the year, each once, in its last sentra that year.
- Pembinaan and bantuan are the office's own records of the fiscal year (tahun anggaran), whatever the
  verification state of the units involved.
- OVOP counts each product of a counted unit once, at its latest rating up to the year.

The whole country adds up its provinces' rows, kept fresh in reports.rollups.
"""

from ikm_registry.models import RegionLevel
from reports.aggregates.base import (
    MIN_YEAR,
    NATION,
    NO_FIGURES,
    NOT_CHECKED,
    RegionArg,
    ReportError,
    ReportRegion,
    active_q,
    check_year,
    consistent_reading,
    counted_q,
    counted_units,
    report_region,
    resolve_region,
)
from reports.aggregates.collect import (
    Rows,
    certificate_rows,
    collect,
    coverage_counts,
    exporter_rows,
    ovop_rows,
    sentra_rows,
    summary_rows,
)
from reports.aggregates.fold import (
    fold_certificates,
    fold_coverage,
    fold_data_quality,
    fold_exporters,
    fold_growth,
    fold_ovop,
    fold_sentra,
    fold_unit_counts,
    fold_year_figures,
)
from reports.aggregates.programmes import bantuan_figures, pembinaan_activities, pembinaan_figures
from reports.aggregates.types import (
    BantuanFigures,
    CertificateRow,
    ChildRegionRow,
    CountRow,
    Coverage,
    DataQuality,
    DistrictReport,
    Exporters,
    FundingRow,
    Growth,
    OVOPFigures,
    PembinaanFigures,
    SentraFigures,
    SentraKindRow,
    UnitCounts,
    Workers,
    YearFigures,
)


def _summary(region: RegionArg, year: int) -> tuple[ReportRegion, list[list]]:
    region = report_region(region)
    return region, summary_rows(region, year, region.child_level)


def unit_counts(region: RegionArg, year: int) -> UnitCounts:
    """Counted units: total, by sector, by child region, new (established in the year) and closed in it."""
    region, summary = _summary(region, year)
    return fold_unit_counts(region, summary)


def year_figures(region: RegionArg, year: int) -> YearFigures:
    """Counted units' figures of the year: workers, investment, production, raw material and export value,
    units per size class (and without figures), per child region."""
    region, summary = _summary(region, year)
    return fold_year_figures(region, summary)


def growth(region: RegionArg, year: int) -> Growth:
    """Counted units against those counted the year before."""
    return fold_growth(_summary(region, year)[1])


def data_quality(region: RegionArg, year: int) -> DataQuality:
    """Unverified units active in the year (by state), verified ones without the year's figures, and those
    whose figures fall in the case the size rule leaves open ("periksa")."""
    region, summary = _summary(region, year)
    return fold_data_quality(summary, fold_year_figures(region, summary))


def coverage(region: RegionArg, year: int) -> Coverage:
    """How many kab/kota, kecamatan, kelurahan and desa hold a counted unit, beside how many there are."""
    region = report_region(region)
    return fold_coverage(region, coverage_counts(region, year))


def exporters(region: RegionArg, year: int) -> Exporters:
    """Counted units that export and how many of them name each destination country."""
    return fold_exporters(exporter_rows(report_region(region), year))


def certificates(region: RegionArg, year: int) -> list[CertificateRow]:
    """Certificates held during the year by counted units, per type, with how many units hold one."""
    return fold_certificates(certificate_rows(report_region(region), year))


def sentra_figures(region: RegionArg, year: int) -> SentraFigures:
    """Sentra and kawasan formed by the year, by kind, with their members, workers and production value."""
    return fold_sentra(*sentra_rows(report_region(region), year))


def ovop_figures(region: RegionArg, year: int) -> OVOPFigures:
    """Rated products of counted units at their latest rating up to the year, by stars and category."""
    return fold_ovop(ovop_rows(report_region(region), year))


def report_from_rows(region: ReportRegion, year: int, rows: Rows) -> DistrictReport:
    """A report from collected rows (of the region itself, or added up from its parts) and live programmes."""
    from django.utils import timezone

    figures = fold_year_figures(region, rows.summary)
    return DistrictReport(
        region=region,
        year=year,
        generated_at=timezone.now(),
        units=fold_unit_counts(region, rows.summary),
        figures=figures,
        coverage=fold_coverage(region, rows.coverage),
        growth=fold_growth(rows.summary),
        exporters=fold_exporters(rows.exporters),
        certificates=fold_certificates(rows.certificates),
        sentra=fold_sentra(rows.sentra, rows.members),
        pembinaan=pembinaan_figures(region, year),
        bantuan=bantuan_figures(region, year),
        ovop=fold_ovop(rows.ovop),
        data_quality=fold_data_quality(rows.summary, figures),
    )


def district_report(region: RegionArg, year: int, *, use_rollups: bool = True) -> DistrictReport:
    """Every figure of the report for a region (a Region, a ReportRegion, or None for the whole country)
    and a year. Raises ReportError for a village or an impossible year.

    A province's rows, and the whole country's (its provinces' added up), come from reports.rollups, which
    recounts any province whose data changed since it was kept; `use_rollups=False` counts live."""
    from reports import rollups

    region = report_region(region)
    check_year(year)
    with consistent_reading():
        if use_rollups and region.is_national:
            rows = rollups.national_rows(year)
        elif use_rollups and region.level == RegionLevel.PROVINCE:
            rows = rollups.province_rows(region, year)
        else:
            rows = collect(region, year)
        return report_from_rows(region, year, rows)


__all__ = [
    "MIN_YEAR",
    "NATION",
    "NOT_CHECKED",
    "NO_FIGURES",
    "BantuanFigures",
    "CertificateRow",
    "ChildRegionRow",
    "CountRow",
    "Coverage",
    "DataQuality",
    "DistrictReport",
    "Exporters",
    "FundingRow",
    "Growth",
    "OVOPFigures",
    "PembinaanFigures",
    "RegionArg",
    "ReportError",
    "ReportRegion",
    "Rows",
    "SentraFigures",
    "SentraKindRow",
    "UnitCounts",
    "Workers",
    "YearFigures",
    "active_q",
    "bantuan_figures",
    "certificates",
    "check_year",
    "collect",
    "counted_q",
    "counted_units",
    "coverage",
    "data_quality",
    "district_report",
    "exporters",
    "growth",
    "ovop_figures",
    "pembinaan_activities",
    "pembinaan_figures",
    "report_from_rows",
    "report_region",
    "resolve_region",
    "sentra_figures",
    "unit_counts",
    "year_figures",
]
