"""The database side of a report: grouped rows, the same for any region, ready to be folded into figures.

Each function runs one GROUP BY (or aggregate) and returns plain lists of numbers keyed by codes, so that
the rows of several regions can be added together: the nation's report adds up its provinces' rows, which
reports.rollups keeps for it (see there). reports.aggregates.fold turns rows into the report's dataclasses.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.db.models import BooleanField, Count, Exists, F, FilteredRelation, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from ikm_registry.models import (
    Certificate,
    IKMUnit,
    MarketingReach,
    OVOPRating,
    Region,
    RegionKind,
    RegionLevel,
    UnitStatus,
    VerificationStatus,
)
from reports.aggregates.base import LEVEL_COLUMNS, ReportRegion, active_q, as_int, counted_q
from sentra.models import Sentra, SentraMembership

# The order of the numbers in a summary row, after its three keys (region code, sector, size class).
SUMMARY_FIELDS = (
    "units",
    "new",
    "closed",
    "previous",
    "draft",
    "submitted",
    "returned",
    "men",
    "women",
    "investment",
    "production",
    "raw_material",
    "export",
)


@dataclass
class Rows:
    """Grouped rows of one region and year. Adding two Rows gives the rows of both regions together."""

    summary: list[list] = field(default_factory=list)
    coverage: dict[str, int] = field(default_factory=dict)
    exporters: list[list] = field(default_factory=list)
    certificates: list[list] = field(default_factory=list)
    sentra: list[list] = field(default_factory=list)
    members: list[list] = field(default_factory=list)
    ovop: list[list] = field(default_factory=list)

    def __add__(self, other: "Rows") -> "Rows":
        coverage = {key: self.coverage.get(key, 0) + other.coverage.get(key, 0) for key in COVERAGE_KEYS}
        return Rows(
            summary=self.summary + other.summary,
            coverage=coverage,
            exporters=self.exporters + other.exporters,
            certificates=self.certificates + other.certificates,
            sentra=self.sentra + other.sentra,
            members=self.members + other.members,
            ovop=self.ovop + other.ovop,
        )

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Rows":
        return cls(**{key: data[key] for key in cls.__dataclass_fields__})


COVERAGE_KEYS = ("kabupaten_kota", "kecamatan", "kelurahan", "desa")


def summary_rows(region: ReportRegion, year: int, group_level: int) -> list[list]:
    """One GROUP BY over the region's units, left-joined to their figures of the year, by (region code at
    `group_level`, sector, size class): counted units, new and closed ones, those counted the year before,
    unverified ones active in the year by state, and the counted units' workers and values."""
    counted = counted_q(year)
    unverified_active = ~Q(verification_status=VerificationStatus.VERIFIED) & active_q(year)
    column = LEVEL_COLUMNS[group_level]
    rows = (
        IKMUnit.objects.filter(region.q())
        .annotate(fig=FilteredRelation("yearly_figures", condition=Q(yearly_figures__year=year)))
        .values_list(column, "sector_id", "fig__size_class")
        .annotate(
            units=Count("id", filter=counted),
            new=Count("id", filter=counted & Q(year_established=year)),
            closed=Count("id", filter=counted & Q(status=UnitStatus.TUTUP, status_date__year=year)),
            previous=Count("id", filter=counted_q(year - 1)),
            draft=Count("id", filter=unverified_active & Q(verification_status=VerificationStatus.DRAFT)),
            submitted=Count("id", filter=unverified_active & Q(verification_status=VerificationStatus.SUBMITTED)),
            returned=Count("id", filter=unverified_active & Q(verification_status=VerificationStatus.RETURNED)),
            men=Sum("fig__workers_male", filter=counted),
            women=Sum("fig__workers_female", filter=counted),
            investment=Sum("fig__investment_value", filter=counted),
            production=Sum("fig__production_value", filter=counted),
            raw_material=Sum("fig__raw_material_value", filter=counted),
            export=Sum("fig__export_value", filter=counted),
        )
        .order_by()
    )
    return [[code, sector, size, *(as_int(v) for v in numbers)] for code, sector, size, *numbers in rows]


def coverage_counts(region: ReportRegion, year: int) -> dict[str, int]:
    """How many kab/kota, kecamatan, kelurahan and desa (desa adat counted as desa) hold a counted unit."""
    villages = Region.objects.filter(code__in=IKMUnit.objects.filter(region.q(), counted_q(year)).values("village_id"))
    return villages.aggregate(
        kelurahan=Count("code", filter=Q(kind=RegionKind.KELURAHAN)),
        desa=Count("code", filter=~Q(kind=RegionKind.KELURAHAN)),
        kecamatan=Count("parent_id", distinct=True),
        # A village code starts with its kab/kota code: "62.71".
        kabupaten_kota=Count(Substr("code", 1, 5), distinct=True),
    )


def exporter_rows(region: ReportRegion, year: int) -> list[list]:
    """Counted units whose marketing reach is "ekspor", by the destination text stored on them."""
    rows = (
        IKMUnit.objects.filter(region.q(), counted_q(year), marketing_reach=MarketingReach.EKSPOR)
        .values_list("export_destinations")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [[text or "", n] for text, n in rows]


def certificate_rows(region: ReportRegion, year: int) -> list[list]:
    """Certificates of counted units held during the year (issued by its end, not expired before it began),
    by type: how many, and how many units hold one."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        Certificate.objects.filter(region.q("unit__"), counted_q(year, "unit__"))
        .filter(Q(issued_on__isnull=True) | Q(issued_on__lte=end))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=start))
        .values_list("kind")
        .annotate(n=Count("id"), units=Count("unit_id", distinct=True))
        .order_by()
    )
    return [list(row) for row in rows]


class AmongIds(Func):
    """`column = ANY(ARRAY(SELECT id ...))`: rows whose `column` is one of the ids the queryset selects,
    looked up one by one through the column's index (PostgreSQL; an IN subquery elsewhere).

    An IN subquery or a join leaves PostgreSQL free to read the whole related table and hash it, which it
    prefers for a kab/kota's few thousand units: the cost then grows with the country's table, not with the
    region. The array can only be probed id by id."""

    output_field = BooleanField()

    def __init__(self, column: str, queryset):
        super().__init__(F(column), Subquery(queryset.order_by().values("id")))

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])  # "(SELECT ...)"
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)
        return f"{column} IN {subquery}", (*column_params, *subquery_params)


def sentra_rows(region: ReportRegion, year: int) -> tuple[list[list], list[list]]:
    """Sentra and kawasan of the region formed by the year, by kind; and the region's sentra members by kind:
    counted units of the region with a membership during the year in a sentra formed by then (wherever it
    lies), each once, in the sentra it belonged to last that year, with their workers and production value
    from the year's figures. Counting members where the unit is keeps provinces adding up to the nation."""
    formed = Q(year_formed__isnull=True) | Q(year_formed__lte=year)
    kinds = Sentra.objects.filter(region.q(), formed).values_list("kind").annotate(n=Count("id")).order_by()
    in_scope = SentraMembership.objects.during_year(year).filter(
        Q(sentra__year_formed__isnull=True) | Q(sentra__year_formed__lte=year)
    )
    # A unit that moved during the year counts once, with its last membership of the year.
    later = in_scope.filter(unit_id=OuterRef("unit_id")).filter(
        Q(joined_on__gt=OuterRef("joined_on")) | Q(joined_on=OuterRef("joined_on"), id__gt=OuterRef("id"))
    )
    members = in_scope.filter(region.q("unit__"), counted_q(year, "unit__"))
    if region.level >= RegionLevel.REGENCY:
        # Reach a kab/kota's memberships through its own units, not by hashing all of the country's: for the
        # largest kab/kota of a million units 25 against 45 ms, and it grows with the kab/kota, not the country
        # (bench/report_queries.py --members-by-hash).
        members = members.filter(AmongIds("unit_id", IKMUnit.objects.filter(region.q(), counted_q(year))))
    members = (
        members.filter(~Exists(later))
        .annotate(fig=FilteredRelation("unit__yearly_figures", condition=Q(unit__yearly_figures__year=year)))
        .values_list("sentra__kind")
        .annotate(
            n=Count("id"),
            men=Sum("fig__workers_male"),
            women=Sum("fig__workers_female"),
            production=Sum("fig__production_value"),
        )
        .order_by()
    )
    return [list(row) for row in kinds], [[kind, *(as_int(v) for v in numbers)] for kind, *numbers in members]


def ovop_rows(region: ReportRegion, year: int) -> list[list]:
    """Products of counted units at their latest rating up to the year, by stars and category."""
    rows = (
        OVOPRating.objects.latest_per_product(year)
        .filter(region.q("unit__"), counted_q(year, "unit__"))
        .values_list("stars", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [list(row) for row in rows]


def collect(region: ReportRegion, year: int, group_level: int | None = None) -> Rows:
    """Every unit-based row of a region's report: seven queries. `group_level` (the level whose codes key
    the summary rows) defaults to the region's children."""
    group_level = group_level or region.child_level
    sentra, members = sentra_rows(region, year)
    return Rows(
        summary=summary_rows(region, year, group_level),
        coverage=coverage_counts(region, year),
        exporters=exporter_rows(region, year),
        certificates=certificate_rows(region, year),
        sentra=sentra,
        members=members,
        ovop=ovop_rows(region, year),
    )
