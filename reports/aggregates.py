"""The figures of a district report: plain functions, a region and a year in, small dataclasses out.

Every figure is a database aggregate or GROUP BY; Python only folds the grouped rows (a few dozen sectors or
child regions), never the units themselves. Every format and page renders these dataclasses, so one set of
definitions holds everywhere (docs/reports.md explains them to heads of office):

- An IKM unit counts in a year when it is verified, lies in the region and is active in that year: established
  by then (or year unknown) and not closed before it (IKMUnitQuerySet.active_in). A unit closed during the year
  still counts for that year and is listed among the closed units.
- Workers, money and the size class come from that year's YearlyFigures of those units.
- Exporters are units whose marketing reach is "ekspor"; their destination countries are the ones recorded.
- Sentra and kawasan count when formed by the year; members are verified units with a membership during it.
- Pembinaan and bantuan are the office's own records of the fiscal year (tahun anggaran), whatever the
  verification state of the units involved.
- OVOP counts each product of a counted unit once, at its latest rating up to the year.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from ikm_registry.models import (
    ActivityKind,
    Certificate,
    CertificateKind,
    ConditionCheck,
    EquipmentAssistance,
    EquipmentCondition,
    FundingSource,
    IKMUnit,
    MarketingReach,
    MentoringVisit,
    OVOPRating,
    Region,
    RegionKind,
    RegionLevel,
    Sector,
    SizeClass,
    TrainingActivity,
    TrainingParticipant,
    UnitStatus,
    VerificationStatus,
    YearlyFigures,
)
from ikm_registry.models.scoping import LEVEL_COLUMNS, region_level_q, region_prefix_q
from reports.models import NATIONAL_CODE
from sentra.models import Sentra, SentraKind, SentraMembership

NATIONAL_LEVEL = 0
# The column of IKMUnit (and Sentra) that names a unit's region one level below the report's region.
CHILD_COLUMNS = {NATIONAL_LEVEL: "province_id", **{level: LEVEL_COLUMNS[level + 1] for level in (1, 2, 3)}}
NO_FIGURES = "tanpa_data"
NOT_CHECKED = "belum_diperiksa"
MIN_YEAR = 1990


class ReportError(ValueError):
    """A region or year no report can be made for; the message is for the user."""


@dataclass(frozen=True)
class ReportRegion:
    """The area a report covers: a province, kab/kota or kecamatan, or the whole country (level 0)."""

    code: str
    name: str
    level: int
    kind: str

    @property
    def is_national(self) -> bool:
        return self.level == NATIONAL_LEVEL

    @property
    def child_level(self) -> int:
        return self.level + 1

    def q(self, prefix: str = "") -> Q:
        """Rows of a model with province/regency/district/village columns (units, sentra) in this area."""
        return Q() if self.is_national else region_level_q(self.code, prefix)

    def prefix_q(self, relation: str) -> Q:
        """Rows whose Region foreign key `relation` lies in this area (no join: the code is the key)."""
        return Q() if self.is_national else region_prefix_q(f"{relation}__code", self.code)

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "level": self.level, "kind": self.kind}


NATION = ReportRegion(code=NATIONAL_CODE, name="Indonesia", level=NATIONAL_LEVEL, kind="nasional")

RegionArg = Region | ReportRegion | None


def report_region(region: RegionArg) -> ReportRegion:
    """The ReportRegion of a Region (None is the whole country). Villages are too small for a report."""
    if region is None:
        return NATION
    if isinstance(region, ReportRegion):
        return region
    if region.level == RegionLevel.VILLAGE:
        raise ReportError(_("Laporan dibuat untuk provinsi, kabupaten/kota atau kecamatan, bukan kelurahan/desa."))
    return ReportRegion(code=region.code, name=region.name, level=region.level, kind=region.kind)


def resolve_region(code: str) -> ReportRegion:
    """The report region for a Kemendagri code, or for "ID" (the whole country).

    Raises ReportError with a message for the user when the code is unknown or names a village.
    """
    code = (code or "").strip()
    if code.upper() in (NATIONAL_CODE, "NASIONAL"):
        return NATION
    region = Region.objects.filter(code=code).only("code", "name", "level", "kind").first()
    if region is None:
        raise ReportError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": code})
    return report_region(region)


def check_year(year: int) -> int:
    """The year itself when a report can be made for it (1990 up to this year), else ReportError."""
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not MIN_YEAR <= year <= this_year:
        raise ReportError(
            _("Tahun %(year)s tidak valid: pilih tahun %(min)s sampai %(max)s.")
            % {"year": year, "min": MIN_YEAR, "max": this_year}
        )
    return year


def counted_units(region: RegionArg, year: int):
    """The units every IKM figure counts: verified, in the region, active in the year."""
    return IKMUnit.objects.filter(report_region(region).q()).verified().active_in(year)


def _int(value: int | Decimal | None) -> int:
    # PostgreSQL sums bigint columns as numeric; SQLite as int. Empty sums are NULL.
    return int(value or 0)


# --- dataclasses -------------------------------------------------------------------------------------------------


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


# --- IKM units ---------------------------------------------------------------------------------------------------


def _child_regions(region: ReportRegion, found_codes: set[str]) -> dict[str, tuple[str, str]]:
    """code -> (name, kind) of the region's current children and of any retired code units still point at."""
    if region.is_national:
        children = Q(level=RegionLevel.PROVINCE, is_active=True)
    else:
        children = Q(parent_id=region.code, is_active=True)
    rows = Region.objects.filter(children | Q(code__in=found_codes)).values_list("code", "name", "kind")
    return {code: (name, kind) for code, name, kind in rows}


def unit_counts(region: RegionArg, year: int) -> UnitCounts:
    """Counted units: the total, by sector (every sector listed), by child region (every child listed),
    and how many were established in the year or closed during it. One GROUP BY over the units."""
    region = report_region(region)
    child_column = CHILD_COLUMNS[region.level]
    rows = (
        counted_units(region, year)
        .values(child_column, "sector_id")
        .annotate(
            n=Count("id"),
            new=Count("id", filter=Q(year_established=year)),
            closed=Count("id", filter=Q(status=UnitStatus.TUTUP, status_date__year=year)),
        )
        .order_by()
    )
    by_sector: dict[str | None, int] = {}
    by_child: dict[str, int] = {}
    total = new = closed = 0
    for row in rows:
        by_sector[row["sector_id"]] = by_sector.get(row["sector_id"], 0) + row["n"]
        by_child[row[child_column]] = by_child.get(row[child_column], 0) + row["n"]
        total += row["n"]
        new += row["new"]
        closed += row["closed"]

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
    return UnitCounts(total, sector_rows, child_rows, new, closed)


def year_figures(region: RegionArg, year: int) -> YearFigures:
    """The year's figures of counted units, summed: workers, investment, production, raw material and export
    value, units per size class (units without the year's figures under "tanpa_data"), and per child region."""
    region = report_region(region)
    child_column = CHILD_COLUMNS[region.level]
    units = counted_units(region, year)
    # Filtering on the relation before annotating makes Django use one join for both (the year's row).
    rows = (
        units.filter(yearly_figures__year=year)
        .values(child_column, "yearly_figures__size_class")
        .annotate(
            n=Count("id"),
            men=Sum("yearly_figures__workers_male"),
            women=Sum("yearly_figures__workers_female"),
            investment=Sum("yearly_figures__investment_value"),
            production=Sum("yearly_figures__production_value"),
            raw=Sum("yearly_figures__raw_material_value"),
            export=Sum("yearly_figures__export_value"),
        )
        .order_by()
    )
    by_size = {choice.value: 0 for choice in SizeClass}
    by_child: dict[str, dict[str, int]] = {}
    workers = Workers()
    investment = production = raw = export = with_figures = 0
    for row in rows:
        men, women = _int(row["men"]), _int(row["women"])
        size = row["yearly_figures__size_class"] or SizeClass.PERIKSA.value
        by_size[size] = by_size.get(size, 0) + row["n"]
        child = by_child.setdefault(row[child_column], {"units": 0, "workers": 0, "production_value": 0})
        child["units"] += row["n"]
        child["workers"] += men + women
        child["production_value"] += _int(row["production"])
        with_figures += row["n"]
        workers.men += men
        workers.women += women
        investment += _int(row["investment"])
        production += _int(row["production"])
        raw += _int(row["raw"])
        export += _int(row["export"])
    by_size[NO_FIGURES] = units.count() - with_figures
    return YearFigures(with_figures, by_size, workers, investment, production, raw, export, by_child)


def coverage(region: RegionArg, year: int) -> Coverage:
    """How many kab/kota, kecamatan, kelurahan and desa have at least one counted unit, beside how many
    current regions of each level the area has. Desa adat count as desa."""
    region = report_region(region)
    villages = Region.objects.filter(code__in=counted_units(region, year).values("village_id"))
    covered = villages.aggregate(
        kelurahan=Count("code", filter=Q(kind=RegionKind.KELURAHAN)),
        desa=Count("code", filter=~Q(kind=RegionKind.KELURAHAN)),
        kecamatan=Count("parent_id", distinct=True),
        # A village code starts with its kab/kota code: "62.71".
        kabupaten_kota=Count(Substr("code", 1, 5), distinct=True),
    )
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
    # A kecamatan's or kab/kota's own report covers itself (one region) once it has a unit.
    for level, key in ((RegionLevel.REGENCY, "kabupaten_kota"), (RegionLevel.DISTRICT, "kecamatan")):
        if region.level >= level:
            totals[key] = 1
    return Coverage(
        kabupaten_kota=covered["kabupaten_kota"],
        kecamatan=covered["kecamatan"],
        kelurahan=covered["kelurahan"],
        desa=covered["desa"],
        totals=totals,
    )


def growth(region: RegionArg, year: int, total: int | None = None) -> Growth:
    """Change in counted units against the previous year (pass `total` when already counted)."""
    if total is None:
        total = counted_units(region, year).count()
    previous = counted_units(region, year - 1).count()
    return Growth(previous_total=previous, change=total - previous)


def exporters(region: RegionArg, year: int) -> Exporters:
    """Counted units that export (marketing reach "ekspor") and how many of them name each destination.

    Destinations are grouped by the distinct text stored on units, then split: a loop over distinct
    strings, not over units. Country names are matched without regard to case or spacing.
    """
    rows = (
        counted_units(region, year)
        .filter(marketing_reach=MarketingReach.EKSPOR)
        .values_list("export_destinations")
        .annotate(n=Count("id"))
        .order_by()
    )
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


def certificates(region: RegionArg, year: int) -> list[CertificateRow]:
    """Certificates and licences of counted units held during the year (issued by its end, not expired
    before it began), per type: how many certificates and how many units hold one."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        Certificate.objects.filter(unit__in=counted_units(region, year))
        .filter(Q(issued_on__isnull=True) | Q(issued_on__lte=end))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=start))
        .values_list("kind")
        .annotate(n=Count("id"), units=Count("unit_id", distinct=True))
        .order_by()
    )
    found = {kind: (n, units) for kind, n, units in rows}
    return [CertificateRow(kind.value, str(kind.label), *found.get(kind.value, (0, 0))) for kind in CertificateKind]


# --- sentra and kawasan --------------------------------------------------------------------------------------


def sentra_figures(region: RegionArg, year: int) -> SentraFigures:
    """Sentra and kawasan IKM formed by the year, by kind; their members during the year (verified units
    counted in the year) and those members' workers and production value from the year's figures."""
    region = report_region(region)
    sentra = Sentra.objects.filter(region.q()).filter(Q(year_formed__isnull=True) | Q(year_formed__lte=year))
    per_kind = dict(sentra.values_list("kind").annotate(n=Count("id")).order_by())
    memberships = SentraMembership.objects.during_year(year).filter(
        sentra__in=sentra, unit__in=counted_units(region, year)
    )
    members_per_kind = dict(
        memberships.values_list("sentra__kind").annotate(n=Count("unit_id", distinct=True)).order_by()
    )
    members = memberships.aggregate(n=Count("unit_id", distinct=True))["n"]

    # A unit that moved between sentra of two kinds in one year counts in both kinds, once in the total.
    def member_of(kind: str | None = None) -> Q:
        of_kind = memberships.filter(unit_id=OuterRef("unit_id"))
        return Q(Exists(of_kind.filter(sentra__kind=kind) if kind else of_kind))

    sums = {}
    for kind in [None, *SentraKind.values]:
        key = kind or "all"
        sums[f"{key}_men"] = Sum("workers_male", filter=member_of(kind))
        sums[f"{key}_women"] = Sum("workers_female", filter=member_of(kind))
        sums[f"{key}_production"] = Sum("production_value", filter=member_of(kind))
    figures = YearlyFigures.objects.filter(year=year, unit_id__in=memberships.values("unit_id")).aggregate(**sums)
    by_kind = [
        SentraKindRow(
            code=kind.value,
            name=str(kind.label),
            count=per_kind.get(kind.value, 0),
            members=members_per_kind.get(kind.value, 0),
            workers=_int(figures[f"{kind.value}_men"]) + _int(figures[f"{kind.value}_women"]),
            production_value=_int(figures[f"{kind.value}_production"]),
        )
        for kind in SentraKind
    ]
    return SentraFigures(
        count=sum(per_kind.values()),
        members=members,
        workers=Workers(_int(figures["all_men"]), _int(figures["all_women"])),
        production_value=_int(figures["all_production"]),
        by_kind=by_kind,
    )


# --- pembinaan ---------------------------------------------------------------------------------------------------


def pembinaan_activities(region: RegionArg, year: int):
    """Activities of the fiscal year that concern the region: recorded by an office in it, held in it, or
    attended by one of its units."""
    region = report_region(region)
    activities = TrainingActivity.objects.filter(fiscal_year=year)
    if region.is_national:
        return activities
    attended = TrainingParticipant.objects.filter(region.q("unit__"), activity_id=OuterRef("pk"))
    return activities.filter(region.prefix_q("owner_region") | region.prefix_q("venue_village") | Q(Exists(attended)))


def pembinaan_figures(region: RegionArg, year: int) -> PembinaanFigures:
    """Pembinaan of the fiscal year: activities by kind and funding source (with budget), participants from
    the region's units who attended (men, women), units reached by an activity or a mentoring visit in the
    year, and mentoring visits made in the year."""
    region = report_region(region)
    rows = (
        pembinaan_activities(region, year)
        .values_list("kind", "funding_source")
        .annotate(n=Count("id"), budget=Sum("budget"))
        .order_by()
    )
    kinds: dict[str, int] = {}
    funding: dict[str, list[int]] = {}
    for kind, source, n, budget in rows:
        kinds[kind] = kinds.get(kind, 0) + n
        entry = funding.setdefault(source, [0, 0])
        entry[0] += n
        entry[1] += _int(budget)

    participants = TrainingParticipant.objects.filter(region.q("unit__"), activity__fiscal_year=year, attended=True)
    people = participants.aggregate(
        men=Count("id", filter=Q(attendee_gender="L")), women=Count("id", filter=Q(attendee_gender="P"))
    )
    visits = MentoringVisit.objects.filter(region.q("unit__"), visit_date__year=year)
    visit_counts = visits.aggregate(n=Count("id"), units=Count("unit_id", distinct=True))
    reached = participants.values("unit_id").order_by().union(visits.values("unit_id").order_by()).count()
    return PembinaanFigures(
        activities=sum(kinds.values()),
        by_kind=[CountRow(k.value, str(k.label), kinds.get(k.value, 0)) for k in ActivityKind],
        by_funding_source=[FundingRow(s.value, str(s.label), *funding.get(s.value, (0, 0))) for s in FundingSource],
        participants=Workers(people["men"], people["women"]),
        units_reached=reached,
        mentoring_visits=visit_counts["n"],
        units_visited=visit_counts["units"],
    )


# --- bantuan peralatan -------------------------------------------------------------------------------------------


def _equipment_in(region: ReportRegion):
    equipment = EquipmentAssistance.objects.all()
    return equipment if region.is_national else equipment.filter(region.q("unit__") | region.q("sentra__"))


def bantuan_figures(region: RegionArg, year: int) -> BantuanFigures:
    """Equipment handed over to units or sentra of the region in the fiscal year: items (sum of quantities),
    records (BAST lines), total value, distinct recipients; and for items of earlier fiscal years, how many
    are in each condition by their latest check up to the end of the year."""
    region = report_region(region)
    this_year = _equipment_in(region).filter(fiscal_year=year)
    rows = this_year.values_list("funding_source").annotate(n=Sum("quantity"), value=Sum("value")).order_by()
    funding = {source: (_int(n), _int(value)) for source, n, value in rows}
    totals = this_year.aggregate(
        records=Count("id"),
        units=Count("unit_id", distinct=True),
        sentra=Count("sentra_id", distinct=True),
    )
    latest = (
        ConditionCheck.objects.filter(equipment_id=OuterRef("pk"), checked_on__lte=datetime.date(year, 12, 31))
        .order_by("-checked_on", "-id")
        .values("condition")[:1]
    )
    earlier = dict(
        _equipment_in(region)
        .filter(fiscal_year__lt=year)
        .annotate(latest=Subquery(latest))
        .values_list("latest")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    conditions = [CountRow(c.value, str(c.label), _int(earlier.get(c.value))) for c in EquipmentCondition]
    conditions.append(CountRow(NOT_CHECKED, _("Belum diperiksa"), _int(earlier.get(None))))
    return BantuanFigures(
        records=totals["records"],
        items=sum(n for n, _value in funding.values()),
        value=sum(value for _n, value in funding.values()),
        recipients=totals["units"] + totals["sentra"],
        recipient_units=totals["units"],
        recipient_sentra=totals["sentra"],
        by_funding_source=[FundingRow(s.value, str(s.label), *funding.get(s.value, (0, 0))) for s in FundingSource],
        earlier_condition=conditions,
    )


# --- OVOP --------------------------------------------------------------------------------------------------------


def ovop_figures(region: RegionArg, year: int) -> OVOPFigures:
    """Rated products of counted units at their latest rating up to the year: by stars and by category."""
    rows = (
        OVOPRating.objects.latest_per_product(year)
        .filter(unit__in=counted_units(region, year))
        .values_list("stars", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    stars = {str(s): 0 for s in range(1, 6)}
    categories: dict[str, int] = {}
    for star, category, n in rows:
        stars[str(star)] += n
        categories[category] = categories.get(category, 0) + n
    by_category = [
        CountRow(code, name, categories.get(code, 0)) for code, name in Sector.objects.values_list("code", "name")
    ]
    return OVOPFigures(rated=sum(stars.values()), by_stars=stars, by_category=by_category)


# --- data quality ------------------------------------------------------------------------------------------------


def data_quality(region: RegionArg, year: int, figures: YearFigures | None = None) -> DataQuality:
    """Units in the region active in the year that are not yet verified (by state); verified ones without
    figures for the year; and verified ones whose figures fall in the case the size rule leaves open."""
    region = report_region(region)
    figures = figures or year_figures(region, year)
    rows = dict(
        IKMUnit.objects.filter(region.q())
        .active_in(year)
        .exclude(verification_status=VerificationStatus.VERIFIED)
        .values_list("verification_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status = [
        CountRow(s.value, str(s.label), rows.get(s.value, 0))
        for s in VerificationStatus
        if s != VerificationStatus.VERIFIED
    ]
    return DataQuality(
        unverified=sum(rows.values()),
        unverified_by_status=by_status,
        without_figures=figures.by_size_class[NO_FIGURES],
        size_check=figures.by_size_class[SizeClass.PERIKSA.value],
    )


# --- the whole report --------------------------------------------------------------------------------------------


def district_report(region: RegionArg, year: int) -> DistrictReport:
    """Every figure of the report for a region (a Region, a ReportRegion, or None for the whole country)
    and a year. Raises ReportError for a village or an impossible year."""
    region = report_region(region)
    check_year(year)
    units = unit_counts(region, year)
    figures = year_figures(region, year)
    return DistrictReport(
        region=region,
        year=year,
        generated_at=timezone.now(),
        units=units,
        figures=figures,
        coverage=coverage(region, year),
        growth=growth(region, year, total=units.total),
        exporters=exporters(region, year),
        certificates=certificates(region, year),
        sentra=sentra_figures(region, year),
        pembinaan=pembinaan_figures(region, year),
        bantuan=bantuan_figures(region, year),
        ovop=ovop_figures(region, year),
        data_quality=data_quality(region, year, figures),
    )
