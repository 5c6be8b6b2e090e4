"""What a large import leaves behind on a million units, and what tidying after it (maintenance.py) gives back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikm_bench .venv/bin/python bench/after_import.py [--rows 20000]

Two files of `--rows` new units for the largest kab/kota, through the real importer as its operator:
  rolled back  the last row has an unknown village: every row written before it is a dead row afterwards;
  committed    all rows valid: new rows on pages PostgreSQL has not marked all-visible, statistics from before.
After each, the directory's counts for that kab/kota (one per sector, uncached, as a fresh page pays them)
are measured as the import left the table, then after maintenance.tidy(), which the worker and the import
command run after a large import. Prints a table: counts median and p95 in ms, the units' dead rows, the
heap fetches of the listing's index-only scan, and the seconds tidying took. The database is left as it was:
the committed units, their history and figures are deleted at the end, and the table vacuumed.
PostgreSQL's autovacuum may tidy on its own while this runs (it waits for 10 % of the table by default);
where it is on, the "as left" figures may come out better than an import without this would see.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")

import django  # noqa: E402

django.setup()

import machine  # noqa: E402  (bench/machine.py, beside this script)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from ikm_registry import maintenance  # noqa: E402
from ikm_registry.imports.engine import ImportReport  # noqa: E402
from ikm_registry.imports.kinds import KINDS  # noqa: E402
from ikm_registry.imports.runner import run_import  # noqa: E402
from ikm_registry.imports.testing import generated_ikm_rows, write_csv  # noqa: E402
from ikm_registry.models import IKMUnit, Region, Role, Sector  # noqa: E402
from ikm_registry.public.facets import compute_counts  # noqa: E402
from ikm_registry.public.filters import IKMUnitFilter  # noqa: E402

USERNAME = "bench_after_import"
CODE_PREFIX = "BENCHAI"  # NIBs of the generated rows start with 99, which the generator never gives


def operator_of(regency: str):
    from django.contrib.auth.models import Group, User

    from ikm_registry.models import StaffProfile

    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=Role.OPERATOR), Group.objects.get(name=Role.VERIFIKATOR))
    StaffProfile.objects.update_or_create(user=user, defaults={"home_region_id": regency, "is_national": False})
    return user


def import_rows(user, rows) -> ImportReport:
    buffer = io.BytesIO()
    write_csv(buffer, rows)
    buffer.seek(0)
    return run_import(KINDS["ikm"], buffer, "bench_after_import.csv", user, commit=True, verify=True)


def counts_ms(regency: str, sectors: list[str], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for sector in sectors:
            filterset = IKMUnitFilter({"province": regency[:2], "regency": regency, "sector": sector})
            assert filterset.is_valid(), filterset.errors
            started = time.perf_counter()
            compute_counts(filterset)
            times.append((time.perf_counter() - started) * 1000)
    return times


def heap_fetches(regency: str) -> int:
    plan = IKMUnit.objects.filter(regency_id=regency).values("sector_id").explain(analyze=True)
    return sum(int(line.split("Heap Fetches:")[1]) for line in plan.splitlines() if "Heap Fetches:" in line)


def dead_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = %s", [IKMUnit._meta.db_table])
        return cursor.fetchone()[0]


def row(label: str, regency: str, sectors: list[str], rounds: int, tidy_seconds: str = "") -> list[str]:
    counts_ms(regency, sectors, 1)  # warm
    times = counts_ms(regency, sectors, rounds)
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    return [
        label,
        f"{statistics.median(times):.1f}",
        f"{p95:.1f}",
        f"{dead_rows():,}",
        f"{heap_fetches(regency):,}",
        tidy_seconds,
    ]


def tidied(written: dict) -> str:
    started = time.perf_counter()
    tables = maintenance.tidy(written)
    return f"{time.perf_counter() - started:.1f} ({len(tables)} tables)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5, help="times each sector's counts are measured")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on the million-unit registry in PostgreSQL (DATABASE_URL).")
    print(machine.describe(connection))
    (regency, units), *_ = IKMUnit.objects.public().values_list("regency_id").annotate(n=Count("id")).order_by("-n")[:1]
    name = Region.objects.get(code=regency).name
    sectors = list(Sector.objects.order_by("code").values_list("code", flat=True))
    print(f"{IKMUnit.objects.count():,} units; {name} ({regency}): {units:,} public units; files of {args.rows:,} rows")
    villages = list(Region.objects.filter(code__startswith=regency + ".", level=4).values_list("code", flat=True))
    rows = list(generated_ikm_rows(args.rows, villages, seed=11))
    for row_values in rows:
        row_values["nib"] = "99" + row_values["nib"][2:]
    user = operator_of(regency)
    threshold, settings.IMPORT_VACUUM_ROWS = settings.IMPORT_VACUUM_ROWS, 0  # tidied below, by hand, timed
    table = [row("before", regency, sectors, args.rounds)]
    try:
        failing = [*rows[:-1], {**rows[-1], "kode_wilayah": regency + ".99.9999"}]
        started = time.perf_counter()
        report = import_rows(user, failing)
        assert not report.committed and report.error_count == 1, report.errors[:3]
        print(
            f"rolled back after writing {report.written.get(IKMUnit._meta.db_table, 0):,} units: "
            f"{time.perf_counter() - started:.1f} s"
        )
        table.append(row("rolled back, as left", regency, sectors, args.rounds))
        settings.IMPORT_VACUUM_ROWS = threshold
        spent = tidied(report.written)
        table.append(row("rolled back, tidied", regency, sectors, args.rounds, spent))
        settings.IMPORT_VACUUM_ROWS = 0
        started = time.perf_counter()
        report = import_rows(user, rows)
        assert report.committed, report.errors[:3]
        print(f"committed {args.rows:,} units: {time.perf_counter() - started:.1f} s")
        table.append(row("committed, as left", regency, sectors, args.rounds))
        settings.IMPORT_VACUUM_ROWS = threshold
        spent = tidied(report.written)
        table.append(row("committed, tidied", regency, sectors, args.rounds, spent))
    finally:
        settings.IMPORT_VACUUM_ROWS = threshold
        cleanup()
    widths = ["after", "counts p50 ms", "counts p95 ms", "dead unit rows", "heap fetches", "tidy s"]
    print("| " + " | ".join(widths) + " |")
    print("|" + "|".join("---" for _ in widths) + "|")
    for line in table:
        print("| " + " | ".join(line) + " |")


def cleanup() -> None:
    from django.contrib.auth.models import User

    ids = list(IKMUnit.objects.filter(nib__startswith="99").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            batch = ids[start : start + 5000]
            cursor.execute("DELETE FROM ikm_registry_yearlyfigures WHERE unit_id = ANY(%s)", [batch])
            cursor.execute("DELETE FROM ikm_registry_historicalyearlyfigures WHERE unit_id = ANY(%s)", [batch])
            cursor.execute("DELETE FROM ikm_registry_historicalikmunit WHERE id = ANY(%s)", [batch])
            cursor.execute("DELETE FROM ikm_registry_ikmunit WHERE id = ANY(%s)", [batch])
    User.objects.filter(username=USERNAME).delete()
    with connection.cursor() as cursor:
        for table in ("ikm_registry_ikmunit", "ikm_registry_yearlyfigures"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"removed {len(ids):,} imported units again and vacuumed")


if __name__ == "__main__":
    main()
