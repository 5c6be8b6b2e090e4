"""PostgreSQL's own time for the directory's counts, with the selection as a kept WITH query or inlined.

    .venv/bin/python bench/counts_plans.py --database-url postgres://postgres@127.0.0.1:5432/ikm_bench

For 60 kab/kota + sector selections (as bench_public.py picks them), with and without a text search, then for
20 province + sector selections, 10 provinces and three sectors over the whole country, builds the counts query
of a directory page both ways (facets.Selections: `materialize` on, as within a kab/kota, and off, as
`NOT MATERIALIZED`) and runs EXPLAIN ANALYZE on each, interleaved, three rounds after a warm-up. Prints the mean
planning and execution time per query: server times, so neither Python nor the machine's other work is in them.
"""

import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main(argv=None) -> None:
    import machine
    from bench_public import choose_selections, print_table, production_environment, script_arguments

    args = script_arguments(__doc__, argv)

    os.environ.update(production_environment(args.database_url, tempfile.mkdtemp(prefix="bench-plans-static-")))
    os.environ["DATABASE_POOL"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from ikm_registry.public import facets
    from ikm_registry.public.filters import IKMUnitFilter

    def counts_sql(query: str, materialize: bool) -> str:
        request = RequestFactory().get("/ikm/?" + query)
        filterset = IKMUnitFilter(request.GET, request=request)
        assert filterset.is_valid(), filterset.errors
        build = facets.Selections.__init__

        def forced(self, *a, **kw):
            build(self, *a, **kw)
            self.materialize = materialize

        facets.Selections.__init__ = forced
        try:
            with CaptureQueriesContext(connection) as queries:
                facets.compute_counts(filterset)
        finally:
            facets.Selections.__init__ = build
        return queries.captured_queries[-1]["sql"]

    def server_times(sql: str) -> tuple[float, float]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0][0]
        return plan["Planning Time"], plan["Execution Time"]

    pairs = choose_selections(random.Random(5), 60)
    groups = {
        "kab/kota + sector": [f"province={c[:2]}&regency={c}&sector={s}" for c, s in pairs],
        "kab/kota + sector + text search": [f"province={c[:2]}&regency={c}&sector={s}&q=kayu" for c, s in pairs],
        "province + sector": sorted({f"province={c[:2]}&sector={s}" for c, s in pairs})[:20],
        "province": sorted({f"province={c[:2]}" for c, s in pairs})[:10],
        "one sector, whole country": [f"sector={s}" for s in ("PANGAN", "KAYU", "KIMIA")],
    }
    rows = []
    for name, queries in groups.items():
        times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for round_number in range(args.rounds + 1):
            for query in queries:
                for materialize in (True, False):
                    measured = server_times(counts_sql(query, materialize))
                    if round_number:  # the first round warms the caches
                        times[materialize].append(measured)
        for materialize in (True, False):
            plan = statistics.mean(t[0] for t in times[materialize])
            run = statistics.mean(t[1] for t in times[materialize])
            label = "WITH query kept (materialized)" if materialize else "WITH query inlined (NOT MATERIALIZED)"
            rows.append([name, label, len(times[materialize]), f"{plan:.2f}", f"{run:.2f}", f"{plan + run:.2f}"])
    print(machine.describe(connection))
    print("PostgreSQL's planning and execution time of a directory page's counts query, ms (EXPLAIN ANALYZE means)")
    print_table(["selections", "counts query", "n", "planning", "execution", "total"], rows)


if __name__ == "__main__":
    main()
