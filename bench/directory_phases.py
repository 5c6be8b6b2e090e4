"""Where an uncached directory page spends its time, step by step (the Python beside the SQL).

    .venv/bin/python bench/directory_phases.py --database-url postgres://postgres@127.0.0.1:5432/ikm_bench

Requests /ikm/?province=..&regency=..&sector=.. for 60 kab/kota and sector pairs (as bench_public.py does)
with a dummy cache, three times each after a warm-up, and wraps each step of UnitListView in a timer that
also adds up the SQL run inside it. Prints a table: milliseconds per request in all, in SQL and in Python.
Steps nest (the counts include the filter form's validation; "build" holds every step but the shell).
"""

import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main(argv=None) -> None:
    import machine
    from bench_public import choose_selections, dummy_cache, print_table, production_environment, script_arguments

    args = script_arguments(__doc__, argv)

    env = production_environment(args.database_url, tempfile.mkdtemp(prefix="bench-phases-static-"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    os.environ["DATABASE_POOL"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import random

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from ikm_registry.public import facets, views

    elapsed: dict[str, float] = collections.defaultdict(float)
    in_sql: dict[str, float] = collections.defaultdict(float)
    running: list[str] = []

    def sql_timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            for step in running:
                in_sql[step] += time.perf_counter() - start

    def timed(owner, attribute: str, step: str) -> None:
        function = getattr(owner, attribute)

        def wrapper(*args, **kwargs):
            running.append(step)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed[step] += time.perf_counter() - start
                running.pop()

        setattr(owner, attribute, wrapper)

    for owner, attribute, step in [
        (views, "IKMUnitFilter", "filter set (form built)"),
        (facets, "compute_counts", "counts: build, compile, run"),
        (views, "paginate", "page query and its rows"),
        (views, "decorate", "rows: regions, KBLI, stars, sentra"),
        (views, "unit_cards", "result cards (markup)"),
        (views.UnitListView, "filters_html", "filter form: options and markup"),
        (views, "render_to_string", "templates rendered inside build"),
        (views.UnitListView, "build", "build (all of the above and more)"),
        (views, "render", "shell (base template)"),
    ]:
        timed(owner, attribute, step)

    urls = [f"/ikm/?province={c[:2]}&regency={c}&sector={s}" for c, s in choose_selections(random.Random(7), 60)]
    client = Client()
    with dummy_cache():
        for url in urls[:15]:
            client.get(url)
        elapsed.clear()
        in_sql.clear()
        requests = 0
        with connection.execute_wrapper(sql_timer):
            for _ in range(args.rounds):
                for url in urls:
                    running.append("whole request")
                    start = time.perf_counter()
                    response = client.get(url)
                    elapsed["whole request"] += time.perf_counter() - start
                    running.pop()
                    assert response.status_code == 200, (url, response.status_code)
                    requests += 1
    rows = [
        [
            step,
            f"{total / requests * 1000:.2f}",
            f"{in_sql[step] / requests * 1000:.2f}",
            f"{(total - in_sql[step]) / requests * 1000:.2f}",
        ]
        for step, total in elapsed.items()
    ]
    print(machine.describe(connection))
    print(f"{requests} uncached directory pages; ms per request")
    print_table(["step", "all", "SQL", "Python"], rows)


if __name__ == "__main__":
    main()
