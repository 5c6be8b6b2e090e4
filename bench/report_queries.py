"""Each query of a live (kab/kota or kecamatan) report, timed on its own: where a report's SQL floor goes.

    .venv/bin/python bench/report_queries.py --database-url postgres://postgres@127.0.0.1:5432/ikm_bench \\
        [--year 2024] [--repeat 15] [--members-by-hash] [REGION ...]

For each region (default: the largest kab/kota, 11.08, and Kota Palangka Raya, 62.71) it captures the SQL
that `reports.aggregates.collect.collect()` runs, then replays each statement `--repeat` times through a bare
cursor inside `consistent_reading()` (the report's own transaction and settings), and prints the median and
the least time of each. The names are those of the functions in collect.py.

`--members-by-hash` also times the sentra members query in the form it had before 2026-12-07 (the region's
memberships found by joining all of the country's memberships to its units, which PostgreSQL hashes), in
turn with the present form (`AmongIds`: the region's units as an array, probed id by id), so that the two
can be compared on the same machine at the same moment.
"""

import argparse
import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# How each of collect.py's queries begins (its first 200 characters), in the order they are tried.
QUERY_NAMES = [
    ("sentra_members", 'AS "sentra__kind"'),
    ("sentra_kinds", '"sentra_sentra"."kind" AS "kind"'),
    ("coverage", 'COUNT("ikm_registry_region"'),
    ("exporters", '"export_destinations"'),
    ("certificates", 'SELECT "ikm_registry_certificate"'),
    ("ovop", 'SELECT "ikm_registry_ovoprating"'),
    ("summary", 'SELECT "ikm_registry_ikmunit"'),
]


def query_name(sql: str) -> str:
    return next((name for name, start in QUERY_NAMES if start in sql[:200]), sql[:40])


def main(argv=None) -> None:
    import machine
    from bench_public import DEFAULT_URL, print_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--members-by-hash", action="store_true")
    parser.add_argument("regions", nargs="*", default=["11.08", "62.71"])
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DATABASE_POOL"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext

    from reports.aggregates.base import consistent_reading, resolve_region

    collect = importlib.import_module("reports.aggregates.collect")

    def captured(region, members_by_hash: bool = False) -> list[tuple[str, str, list]]:
        among = collect.AmongIds
        if members_by_hash:
            collect.AmongIds = lambda *args: Q()
        try:
            with CaptureQueriesContext(connection) as queries:
                collect.collect(region, args.year)
        finally:
            collect.AmongIds = among
        statements = []
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith("SELECT"):
                statements.append((query_name(sql), sql))
        return statements

    print(machine.describe(connection))
    rows = []
    for code in args.regions:
        region = resolve_region(code)
        statements = captured(region)
        if args.members_by_hash:
            statements += [
                (f"{name} (before 2026-12-07: hashed)", sql)
                for name, sql in captured(region, members_by_hash=True)
                if name == "sentra_members"
            ]
        times: dict[str, list[float]] = {name: [] for name, _ in statements}
        # The SQL was captured with its parameters inlined, as the database received it.
        with consistent_reading(), connection.cursor() as cursor:
            for _name, sql in statements:  # warm-up
                cursor.execute(sql)
                cursor.fetchall()
            for _ in range(args.repeat):
                for name, sql in statements:
                    start = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    times[name].append((time.perf_counter() - start) * 1000)
        for name, values in times.items():
            rows.append([code, name, f"{statistics.median(values):.1f}", f"{min(values):.1f}"])
        floor = sum(statistics.median(v) for n, v in times.items() if "before" not in n)
        rows.append([code, "all of the report's statements", f"{floor:.1f}", ""])
    print(f"Live report queries, year {args.year}; ms, median and least of {args.repeat}, in the report's transaction")
    print_table(["region", "query", "median", "least"], rows)


if __name__ == "__main__":
    main()
