"""Benchmark of district reports on the large PostgreSQL registry (issue 6).

    .venv/bin/python bench/bench_reports.py [--database-url postgres://postgres@127.0.0.1:5432/ikm_bench]
                                            [--year 2024] [--repeat 5]

Build the registry first with bench/generate_registry.py. This script applies the reports migrations if they
are missing (the rollup tables and change triggers), then recounts every province rollup of the year once:
the generator loads with triggers off, so no change was noted (the time is printed: it is what a background
refresh costs after an import of the whole country).

For each case it prints the median time of the whole report (figures and rendering) beside the "SQL floor":
the same SQL statements, captured from the report and replayed through a bare cursor, with no ORM, no
folding and no rendering. Targets (issue 6): kab/kota JSON < 300 ms, province < 1 s, nation < 3 s, PDF of a
kab/kota < 2 s, and the report at most 3 times its floor.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import machine  # noqa: E402  (bench/machine.py, beside this script)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ikm_bench"


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def captured_sql(func) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        func()
    return [query["sql"] for query in context.captured_queries]


def replay_ms(statements: list[str], repeat: int) -> float:
    """The SQL floor: the report's statements through a bare cursor, rows fetched and dropped."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    return median_ms(run, repeat)


def largest(level_column: str, where: str = "") -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {level_column} FROM ikm_registry_ikmunit {where} GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
        )
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-refresh", action="store_true", help="keep the rollups as they are")
    args = parser.parse_args()
    setup(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from ikm_registry.models import IKMUnit
    from reports import rollups
    from reports.aggregates import district_report, resolve_region
    from reports.exporters import render

    if "reports_reportrollup" not in connection.introspection.table_names():
        call_command("migrate", "reports", verbosity=0)
    year, repeat = args.year, args.repeat
    units = IKMUnit.objects.count()

    refresh_s = None
    if not args.skip_refresh:
        start = time.perf_counter()
        provinces = rollups.refresh(years=[year], everything=True)
        refresh_s = time.perf_counter() - start

    kabkota = largest("regency_id")
    province = largest("province_id")
    cases = [
        ("kab/kota JSON", "62.71", "json", True, 300),
        ("kab/kota JSON (largest)", kabkota, "json", True, 300),
        ("kab/kota PDF", "62.71", "pdf", True, 2000),
        ("kab/kota PDF (largest)", kabkota, "pdf", True, 2000),
        ("province JSON (rollup)", "62", "json", True, 1000),
        ("province JSON (rollup, largest)", province, "json", True, 1000),
        ("province JSON (live count)", province, "json", False, None),
        ("nation JSON (rollups)", "ID", "json", True, 3000),
        ("nation PDF (rollups)", "ID", "pdf", True, None),
        ("nation JSON (live count)", "ID", "json", False, None),
    ]
    print(machine.describe(connection))
    print(f"IKM registry: {units:,} units; report year {year}; median of {repeat} runs; {connection.vendor}")
    if refresh_s is not None:
        print(
            f"Rollups recounted for all {provinces} provinces in {refresh_s:.1f} s ({refresh_s / provinces:.2f} s each)"
        )
    header = f"{'case':34} {'region':8} {'units':>9} {'report ms':>10} {'SQL floor ms':>13} {'ratio':>6} {'target':>8}"
    print(header)
    print("-" * len(header))
    for label, code, fmt, use_rollups, target in cases:
        region = resolve_region(code)

        def build(region=region, fmt=fmt, use_rollups=use_rollups):
            return render(district_report(region, year, use_rollups=use_rollups), fmt)

        build()  # warm caches (and the rollups)
        runs = repeat if use_rollups or region.level > 1 else max(1, repeat // 2)
        report_ms = median_ms(build, runs)
        floor_ms = replay_ms(captured_sql(build), runs)
        counted = district_report(region, year).units.total
        status = "" if target is None else ("ok" if report_ms < target else "MISSED")
        target_text = f"<{target}" if target else "-"
        print(
            f"{label:34} {code:8} {counted:>9,} {report_ms:>10.0f} {floor_ms:>13.0f} "
            f"{report_ms / floor_ms:>6.1f} {target_text:>8} {status}"
        )

    # Freshness: after a change in one province (as an admin save would make), the next national report
    # recounts that province before answering. One run each: the second would find the rollup fresh again.
    from django.test.utils import CaptureQueriesContext

    for code in ("62", province):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ikm_registry_ikmunit SET updated_at = updated_at "
                "WHERE id = (SELECT id FROM ikm_registry_ikmunit WHERE province_id = %s LIMIT 1)",
                [code],
            )
        region = resolve_region("ID")
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            render(district_report(region, year), "json")
            report_ms = (time.perf_counter() - start) * 1000
        floor_ms = replay_ms([q["sql"] for q in context.captured_queries], 1)
        label = f"nation JSON after an edit in {code}"
        print(f"{label:34} {'ID':8} {'':>9} {report_ms:>10.0f} {floor_ms:>13.0f} {report_ms / floor_ms:>6.1f} {'-':>8}")


if __name__ == "__main__":
    main()
