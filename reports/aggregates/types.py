"""The small dataclasses the aggregates return, and the report's JSON shape."""

import datetime
from dataclasses import asdict, dataclass

from reports.aggregates.base import ReportRegion


@dataclass
class CountRow:
    """One labelled count: a sector, a certificate type, a star rating, a funding source..."""

    code: str
    name: str
    count: int


@dataclass
class ChildRegionRow:
    """The units of one child region (kab/kota of a province, kecamatan of a kab/kota, village of a kecamatan)."""

    code: str
    name: str
    kind: str
    count: int
    workers: int = 0
    production_value: int = 0


@dataclass
class Workers:
    men: int = 0
    women: int = 0

    @property
    def total(self) -> int:
        return self.men + self.women


@dataclass
class UnitCounts:
    """Counted units: total, by sector and by child region, and the year's new and closed units."""

    total: int
    by_sector: list[CountRow]
    by_child_region: list[ChildRegionRow]
    new_units: int
    closed_units: int


@dataclass
class YearFigures:
    """Sums of the year's figures of counted units, by size class and by child region."""

    units_with_figures: int
    by_size_class: dict[str, int]
    workers: Workers
    investment: int
    production_value: int
    raw_material_value: int
    export_value: int
    by_child_region: dict[str, dict[str, int]]


@dataclass
class Coverage:
    """How many regions of each level have at least one counted unit, and how many there are."""

    kabupaten_kota: int
    kecamatan: int
    kelurahan: int
    desa: int
    totals: dict[str, int]


@dataclass
class Growth:
    previous_total: int
    change: int

    @property
    def percent(self) -> float | None:
        return round(self.change * 100 / self.previous_total, 1) if self.previous_total else None


@dataclass
class Exporters:
    count: int
    destinations: list[CountRow]


@dataclass
class CertificateRow:
    code: str
    name: str
    count: int
    units: int


@dataclass
class SentraKindRow:
    code: str
    name: str
    count: int
    members: int
    workers: int
    production_value: int


@dataclass
class SentraFigures:
    """Sentra and kawasan IKM formed by the year, their members during it and the members' figures."""

    count: int
    members: int
    workers: Workers
    production_value: int
    by_kind: list[SentraKindRow]


@dataclass
class FundingRow:
    code: str
    name: str
    count: int
    value: int


@dataclass
class PembinaanFigures:
    """Pembinaan of the fiscal year: activities, participants from the region's units, mentoring visits."""

    activities: int
    by_kind: list[CountRow]
    by_funding_source: list[FundingRow]
    participants: Workers
    units_reached: int
    mentoring_visits: int
    units_visited: int


@dataclass
class BantuanFigures:
    """Equipment handed over in the fiscal year, and the latest condition of items from earlier years."""

    records: int
    items: int
    value: int
    recipients: int
    recipient_units: int
    recipient_sentra: int
    by_funding_source: list[FundingRow]
    earlier_condition: list[CountRow]


@dataclass
class OVOPFigures:
    rated: int
    by_stars: dict[str, int]
    by_category: list[CountRow]


@dataclass
class DataQuality:
    """What staff should fix: unverified units, verified units without the year's figures, size-rule flags."""

    unverified: int
    unverified_by_status: list[CountRow]
    without_figures: int
    size_check: int


@dataclass
class DistrictReport:
    """Everything a district report states, for one region and year."""

    region: ReportRegion
    year: int
    generated_at: datetime.datetime
    units: UnitCounts
    figures: YearFigures
    coverage: Coverage
    growth: Growth
    exporters: Exporters
    certificates: list[CertificateRow]
    sentra: SentraFigures
    pembinaan: PembinaanFigures
    bantuan: BantuanFigures
    ovop: OVOPFigures
    data_quality: DataQuality

    def to_dict(self) -> dict:
        """The JSON contract of issue 6 (and more keys): counts as numbers, money as strings of whole Rupiah."""
        units, figures = self.units, self.figures
        child_figures = figures.by_child_region
        return {
            "region": self.region.as_dict(),
            "year": self.year,
            "generated_at": self.generated_at.isoformat(),
            "ikm": {
                "total": units.total,
                "by_sector": [asdict(row) for row in units.by_sector],
                "by_size_class": dict(figures.by_size_class),
                "by_child_region": [
                    {
                        "code": row.code,
                        "name": row.name,
                        "kind": row.kind,
                        "count": row.count,
                        "workers": child_figures.get(row.code, {}).get("workers", 0),
                        "production_value": str(child_figures.get(row.code, {}).get("production_value", 0)),
                    }
                    for row in units.by_child_region
                ],
                "workers": {"men": figures.workers.men, "women": figures.workers.women, "total": figures.workers.total},
                "investment": str(figures.investment),
                "production_value": str(figures.production_value),
                "raw_material_value": str(figures.raw_material_value),
                "export_value": str(figures.export_value),
                "exporters": self.exporters.count,
                "export_destinations": [{"country": r.name, "exporters": r.count} for r in self.exporters.destinations],
                "certificates": [asdict(row) for row in self.certificates],
                "new_units": units.new_units,
                "closed_units": units.closed_units,
                "previous_year_total": self.growth.previous_total,
                "growth": self.growth.change,
                "growth_percent": self.growth.percent,
                "units_with_figures": figures.units_with_figures,
            },
            "coverage": {
                "kabupaten_kota": self.coverage.kabupaten_kota,
                "kecamatan": self.coverage.kecamatan,
                "kelurahan": self.coverage.kelurahan,
                "desa": self.coverage.desa,
                "totals": dict(self.coverage.totals),
            },
            "sentra": {
                "count": self.sentra.count,
                "members": self.sentra.members,
                "workers": {
                    "men": self.sentra.workers.men,
                    "women": self.sentra.workers.women,
                    "total": self.sentra.workers.total,
                },
                "production_value": str(self.sentra.production_value),
                "by_kind": [
                    {**asdict(row), "production_value": str(row.production_value)} for row in self.sentra.by_kind
                ],
            },
            "pembinaan": {
                "activities": self.pembinaan.activities,
                "participants": self.pembinaan.participants.total,
                "participants_men": self.pembinaan.participants.men,
                "participants_women": self.pembinaan.participants.women,
                "units_reached": self.pembinaan.units_reached,
                "mentoring_visits": self.pembinaan.mentoring_visits,
                "units_visited": self.pembinaan.units_visited,
                "by_kind": [asdict(row) for row in self.pembinaan.by_kind],
                "by_funding_source": [
                    {"code": r.code, "name": r.name, "count": r.count, "budget": str(r.value)}
                    for r in self.pembinaan.by_funding_source
                ],
            },
            "bantuan": {
                "items": self.bantuan.items,
                "records": self.bantuan.records,
                "value": str(self.bantuan.value),
                "recipients": self.bantuan.recipients,
                "recipient_units": self.bantuan.recipient_units,
                "recipient_sentra": self.bantuan.recipient_sentra,
                "by_funding_source": [
                    {"code": r.code, "name": r.name, "items": r.count, "value": str(r.value)}
                    for r in self.bantuan.by_funding_source
                ],
                "earlier_items_condition": [asdict(row) for row in self.bantuan.earlier_condition],
            },
            "ovop": {
                "rated": self.ovop.rated,
                "by_stars": dict(self.ovop.by_stars),
                "by_category": [asdict(row) for row in self.ovop.by_category],
            },
            "data_quality": {
                "unverified": self.data_quality.unverified,
                "unverified_by_status": [asdict(row) for row in self.data_quality.unverified_by_status],
                "without_figures": self.data_quality.without_figures,
                "size_check": self.data_quality.size_check,
            },
        }
