"""Regions and years a report can be made for, and which units it counts."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ikm_registry.models import IKMUnit, Region, RegionLevel, UnitStatus, VerificationStatus
from ikm_registry.models.scoping import LEVEL_COLUMNS, region_level_q, region_prefix_q
from reports.models import NATIONAL_CODE

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


def active_q(year: int, prefix: str = "") -> Q:
    """IKMUnitQuerySet.active_in(year) as a Q, so that one GROUP BY can count several years at once and
    related models can filter through their unit: established by then (or unknown), not closed before it."""
    before = datetime.date(year, 1, 1)
    return (Q(**{f"{prefix}year_established__isnull": True}) | Q(**{f"{prefix}year_established__lte": year})) & ~Q(
        **{
            f"{prefix}status": UnitStatus.TUTUP,
            f"{prefix}status_date__isnull": False,
            f"{prefix}status_date__lt": before,
        }
    )


def counted_q(year: int, prefix: str = "") -> Q:
    """What every IKM figure counts: verified units active in the year."""
    return Q(**{f"{prefix}verification_status": VerificationStatus.VERIFIED}) & active_q(year, prefix)


def counted_units(region: RegionArg, year: int):
    """The units every IKM figure counts: verified, in the region, active in the year."""
    return IKMUnit.objects.filter(report_region(region).q()).verified().active_in(year)


@contextmanager
def consistent_reading():
    """Run all of one report's queries on one snapshot of the data (PostgreSQL: repeatable read, when not
    already inside a transaction), planned for data that sits in memory: index lookups priced as cheap as
    they are (random_page_cost 1.1, as for SSD) and no JIT compilation for queries that take milliseconds."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        settings = "SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1"
        if outermost:
            settings = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; " + settings
        with connection.cursor() as cursor:
            cursor.execute(settings)
        yield


def as_int(value: int | Decimal | None) -> int:
    # PostgreSQL sums bigint columns as numeric; SQLite as int. Empty sums are NULL.
    return int(value or 0)
