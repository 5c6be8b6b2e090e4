"""Instructions the web process executes per public request, counted by valgrind (callgrind), not timed.

    .venv/bin/python bench/page_instructions.py --database-url postgres://postgres@127.0.0.1:5432/ikm_bench

Machines of the project's kind drift: the same code's timings swing by a quarter to a half between runs, so
a change worth five or ten percent cannot be seen with a clock. An instruction count is repeatable for the
same code and data, whatever else the machine does. Each scenario runs in its own process under
`valgrind --tool=callgrind`, warms up uncounted, then counts only its measured requests (the counting is
switched on and off from Python through callgrind's client requests, in a small C library built here with
gcc). PostgreSQL's own work is not counted: only the Django process (middleware, view, ORM, templates,
psycopg). Prints a table: instructions per request, in millions, and the requests' time under valgrind.

Scenarios (the same requests as bench_public.py's):
  further    further pages (other sorts, page 2 on) of 200 opened kab/kota + sector selections, counts cached
  directory  first page of a kab/kota + sector selection, no cache (what the first visitor pays)
  api        /api/v1/ikm-units/?region=<kab/kota>&sector=<sector>

Compare two commits by running the script from a checkout (a git worktree) of each, in turn: each checkout
measures its own code. Needs valgrind with its headers and gcc (both on machines of the project's kind).
About ten minutes for the three scenarios at the default 150 requests.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SCENARIOS = ("further", "directory", "api")

SWITCH_C = """
#include <valgrind/callgrind.h>
void count_on(void) { CALLGRIND_ZERO_STATS; CALLGRIND_TOGGLE_COLLECT; }
void count_off(void) { CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS_AT("measured"); }
"""


def parse_args(argv=None):
    from bench_public import DEFAULT_URL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=150, help="counted requests per scenario (default 150)")
    parser.add_argument("--scenario", choices=SCENARIOS, action="append", help="one scenario (repeatable)")
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "LIBRARY"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def build_switch(workdir: Path) -> Path:
    source, library = workdir / "switch.c", workdir / "libswitch.so"
    source.write_text(SWITCH_C)
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(library), str(source)], check=True)
    return library


def measured_total(out_prefix: Path) -> int:
    """The instruction total of the dump made by count_off()."""
    for dump in sorted(out_prefix.parent.glob(out_prefix.name + ".*")):
        for line in dump.read_text().splitlines():
            if line.startswith("totals:"):
                total = int(line.split()[1])
                if total:
                    return total
    raise RuntimeError(f"no counted instructions in {out_prefix}.*")


def scenario_urls(scenario: str, n: int) -> tuple[list[str], list[str]]:
    """(warm-up URLs, counted URLs) for a scenario."""
    from bench_public import all_selections, choose_selections, further_pages

    if scenario == "further":
        opened, further = further_pages(all_selections(random.Random(7))[-200:], random.Random(7))
        return opened + further[:200], further[200 : 200 + n]
    pairs = choose_selections(random.Random(7), 60)
    if scenario == "directory":
        urls = [f"/ikm/?province={c[:2]}&regency={c}&sector={s}" for c, s in pairs]
    else:
        urls = [f"/api/v1/ikm-units/?region={c}&sector={s}" for c, s in pairs]
    return urls[:15], [urls[i % len(urls)] for i in range(n)]


def child(args) -> None:
    """Runs under valgrind: warm up, then count `args.requests` requests."""
    import ctypes

    from bench_public import dummy_cache, production_environment

    scenario, library = args.child
    env = production_environment(args.database_url, os.environ["BENCH_STATIC_ROOT"])
    os.environ.update(env)
    os.environ["DATABASE_POOL"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import django

    django.setup()
    from contextlib import nullcontext

    from django.test import Client

    from ikm_registry.public import lookups, stats

    switch = ctypes.CDLL(library)
    warm, counted = scenario_urls(scenario, args.requests)
    client = Client()
    with dummy_cache() if scenario == "directory" else nullcontext():
        for url in warm:
            client.get(url)
        # Under valgrind a request takes fifty times as long: keep what a running site keeps between requests
        # (reference rows, the data stamp, cached counts) as long as the run, not the usual seconds.
        lookups.TTL_SECONDS = stats.STAMP_SECONDS = 3600
        stats.CACHE_SECONDS = 36000
        start = time.perf_counter()
        switch.count_on()
        for url in counted:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
        switch.count_off()
    print(f"seconds {time.perf_counter() - start:.3f}")


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.child:
        return child(args)
    import machine
    from bench_public import print_table, production_environment

    workdir = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    library = build_switch(workdir)
    env = production_environment(args.database_url, str(workdir / "static"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    env["BENCH_STATIC_ROOT"] = str(workdir / "static")
    rows = []
    for scenario in args.scenario or SCENARIOS:
        out = workdir / f"callgrind.{scenario}"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            "--database-url",
            args.database_url,
            "--requests",
            str(args.requests),
            "--child",
            scenario,
            str(library),
        ]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{scenario} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        seconds = float(result.stdout.split("seconds")[-1])
        total = measured_total(out)
        rows.append(
            [scenario, args.requests, f"{total / args.requests / 1e6:.2f}", f"{seconds / args.requests * 1000:.0f}"]
        )
    # The count depends on the code, Python and the libraries, hardly on the machine's speed.
    print(machine.describe())
    print(f"Code: {git_revision()} in {ROOT}")
    print("Instructions of the Django process per request (valgrind callgrind; PostgreSQL's work not counted)")
    print_table(["scenario", "requests", "M instructions / request", "ms / request under valgrind"], rows)


def git_revision() -> str:
    try:
        revision = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return revision.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
