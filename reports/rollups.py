"""Kept rows per province and year, so that a national or provincial report need not count every unit.

The national report adds up its provinces' rows (reports.aggregates.collect.Rows), and a province's report
uses its own. Freshness never depends on anyone remembering to refresh:

- PostgreSQL triggers (migration 0004) note every write to units, yearly figures, certificates, OVOP ratings,
  sentra, memberships and regions in RollupChange, with the province it touches and the writing transaction.
- A rollup remembers the snapshot it was counted in and the last change noted by then. It is stale as soon
  as a change to its province (or to all provinces) exists that the snapshot did not see, or that came later.
- Stale or missing rollups are recounted before use, so a report never serves figures older than the data.
  After an import, a background task recounts the stale ones (reports.tasks) so that the next report is quick;
  `python manage.py refresh_report_rollups` does the same by hand, e.g. after loading data with triggers off.

Other databases (SQLite in development) keep nothing: every report counts live.
"""

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from ikm_registry.models import Region, RegionLevel
from reports.aggregates.base import ReportRegion, consistent_reading
from reports.aggregates.collect import Rows, collect
from reports.models import ReportRollup, RollupChange

STALE_SQL = """
SELECT r.province FROM reports_reportrollup r
WHERE r.year = %s AND EXISTS (
    SELECT 1 FROM reports_rollupchange c
    WHERE (c.province = r.province OR c.province IS NULL)
      AND (c.id > r.last_change_id
           OR (c.xid >= pg_snapshot_xmin(r.snapshot::pg_snapshot)::text::bigint
               AND NOT pg_visible_in_snapshot(c.xid::text::xid8, r.snapshot::pg_snapshot)
               AND c.xid IS DISTINCT FROM r.xid))
)
"""


def supported() -> bool:
    """Rollups need the change triggers, which only PostgreSQL has here."""
    return connection.vendor == "postgresql"


def province_codes() -> list[str]:
    return list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").values_list("code", flat=True))


def stale_provinces(year: int) -> set[str]:
    """Provinces whose rollup of `year` misses a change to their data."""
    with connection.cursor() as cursor:
        cursor.execute(STALE_SQL, [year])
        return {row[0] for row in cursor.fetchall()}


def _count(code: str, year: int) -> Rows:
    """Count one province's rows and keep them, with the snapshot they were counted in."""
    region = Region.objects.only("code", "name", "level", "kind").get(code=code)
    report_region = ReportRegion(code=region.code, name=region.name, level=region.level, kind=region.kind)
    # All of one province's queries see one moment. Inside a read-committed transaction begun elsewhere the
    # rows may see later changes than the snapshot says: the staleness check then errs on the safe side.
    with consistent_reading(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()::text::bigint")
            snapshot, own_xid = cursor.fetchone()
        last_change = RollupChange.objects.aggregate(last=Max("id"))["last"] or 0
        rows = collect(report_region, year, group_level=RegionLevel.REGENCY)
        try:
            with transaction.atomic():
                ReportRollup.objects.update_or_create(
                    province=code,
                    year=year,
                    defaults={
                        "rows": rows.as_dict(),
                        "computed_at": timezone.now(),
                        "snapshot": snapshot,
                        "last_change_id": last_change,
                        "xid": own_xid,
                    },
                )
        except (IntegrityError, OperationalError):
            # Another report kept this province at the same moment (a unique or serialization conflict):
            # its rows are as fresh as ours, which serve this report alone.
            pass
    return rows


def fresh_rows(codes: list[str], year: int) -> dict[str, Rows]:
    """Rows of each province in `codes` for `year`, recounting those missing or stale."""
    kept = {r.province: r for r in ReportRollup.objects.filter(year=year, province__in=codes)}
    stale = stale_provinces(year) if kept else set()
    return {
        code: _count(code, year) if code not in kept or code in stale else Rows.from_dict(kept[code].rows)
        for code in codes
    }


def province_rows(region: ReportRegion, year: int) -> Rows:
    """A province's rows, from its rollup when fresh; counted live where rollups are not supported."""
    if not supported():
        return collect(region, year)
    return fresh_rows([region.code], year)[region.code]


def national_rows(year: int) -> Rows:
    """The whole country's rows: its provinces' rows added up."""
    from reports.aggregates.base import NATION

    if not supported():
        return collect(NATION, year)
    total = Rows()
    for rows in fresh_rows(province_codes(), year).values():
        total = total + rows
    return total


def refresh(years: list[int] | None = None, everything: bool = False) -> int:
    """Recount stale rollups (every rollup with `everything`) of `years` (default: every year kept) and
    prune changes no rollup needs any more. Returns how many provinces were recounted."""
    if not supported():
        return 0
    years = years or sorted(set(ReportRollup.objects.values_list("year", flat=True)))
    counted = 0
    for year in years:
        codes = province_codes()
        if everything:
            todo = codes
        else:
            kept = set(ReportRollup.objects.filter(year=year).values_list("province", flat=True))
            todo = sorted(stale_provinces(year) | (set(codes) - kept))
        for code in todo:
            _count(code, year)
            counted += 1
    prune()
    return counted


def prune() -> int:
    """Forget changes that every kept rollup has already seen."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM reports_rollupchange c
            WHERE c.id <= COALESCE((SELECT MIN(last_change_id) FROM reports_reportrollup), c.id)
              AND c.xid < COALESCE(
                  (SELECT MIN(pg_snapshot_xmin(snapshot::pg_snapshot)::text::bigint) FROM reports_reportrollup),
                  pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
            """
        )
        return cursor.rowcount
