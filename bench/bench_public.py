"""Benchmark of the public directory and API on the million-unit registry (PostgreSQL).

    .venv/bin/python bench/bench_public.py --database-url postgres://postgres@127.0.0.1:5432/ikm_bench

Build the registry first with bench/generate_registry.py. Server-side, warm, in process (Django's test client
through every middleware, with DEBUG off as in production): for each scenario the p50 and p95 of the whole
request and, beside them, the time spent in SQL (measured with connection.execute_wrapper) and the rest
(Python: routing, forms, templates, serialisation). Then a load test: gunicorn with 2 workers and wrk with
8 connections on 127.0.0.1 for --duration seconds over filtered directory pages; pages per second, errors,
and the CPU the gunicorn workers and PostgreSQL spent per page (from /proc), which under load share the cores.

The directory's counts are cached per data stamp (stats.py); scenarios marked "no cache" run with a dummy
cache so that every request counts again, which is what a first visitor to a selection pays.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import machine  # noqa: E402  (bench/machine.py, beside this script)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ikm_bench"
SECTORS = ["PANGAN", "SANDANG", "KAYU", "KERAJINAN", "LMEA", "KIMIA", "ANEKA"]
SEARCH_WORDS = ["kayu", "amplang", "keripik", "rotan", "sasirangan", "batik", "sabun", "meja", "kue", "besi"]
# Pages over the whole country or a whole province, as visitors arrive at them (bench_public's last load run).
FRONT_PAGES = [
    "/",
    "/ikm/",
    "/ikm/?sector=KAYU",
    "/ikm/?sector=PANGAN",
    "/ikm/?province=32",
    "/wilayah/",
    "/wilayah/32/",
    "/ovop/",
    "/sentra/",
    "/api/v1/ikm-units/counts/",
]
TARGETS = {
    "directory: kab/kota + sector, page 1 (no cache)": 50,
    "directory: + text search (no cache)": 100,
    "filter counts: kab/kota + sector (no cache)": 150,
    "API list: region + sector": 30,
}


def script_arguments(doc: str, argv=None) -> argparse.Namespace:
    """--database-url and --rounds, for the smaller benchmark scripts beside this one."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


def production_environment(url: str, static_root: str) -> dict:
    """Environment of a production process: DEBUG off, no HTTPS redirect on loopback, collected static."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-public-" + "x" * 50,
        "NIK_ENCRYPTION_KEY": "bench-public-nik-key-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "ERROR",
        "API_ANON_RATE": "1000000/minute",
        "PYTHONPATH": str(ROOT),
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per scenario (default 60)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load test (default 20)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-load", action="store_true", help="only the in-process scenarios")
    parser.add_argument("--only-load", action="store_true", help="only the load test")
    parser.add_argument(
        "--edits-per-second", type=float, default=2.0, help="staff edits across the country during the third load run"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


class SQLTimer:
    """connection.execute_wrapper that adds up the time spent in the database."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Result:
    def __init__(self, name: str):
        self.name, self.total, self.sql, self.queries, self.cpu = name, [], [], [], []

    def row(self) -> list:
        p95 = percentile(self.total, 95)
        sql_mean = statistics.mean(self.sql)
        rest_mean = statistics.mean(t - s for t, s in zip(self.total, self.sql, strict=True))
        target = TARGETS.get(self.name)
        verdict = "" if target is None else ("ok" if p95 < target else "MISS")
        return [
            self.name,
            len(self.total),
            f"{percentile(self.total, 50):.1f}",
            f"{p95:.1f}",
            f"{sql_mean:.1f}",
            f"{rest_mean:.1f}",
            f"{statistics.mean(self.cpu):.1f}",
            f"{statistics.mean(self.queries):.0f}",
            f"< {target}" if target else "",
            verdict,
        ]


def print_table(header: list, rows: list[list]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def measure(name: str, calls: list, warm_all: bool = False) -> Result:
    """Warm up (a quarter of the calls, or all of them), then run each call once, measured."""
    from django.db import connection

    for call in calls if warm_all else calls[: max(1, len(calls) // 4)]:
        call()
    result = Result(name)
    for call in calls:
        timer = SQLTimer()
        with connection.execute_wrapper(timer):
            cpu = time.process_time()
            start = time.perf_counter()
            call()
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
        result.total.append(elapsed * 1000)
        result.cpu.append(cpu * 1000)
        result.sql.append(timer.seconds * 1000)
        result.queries.append(timer.queries)
    return result


def get(client, url: str, status: int = 200):
    def call():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != status:
            raise RuntimeError(f"{url}: {response.status_code} {body[:300]!r}")
        return body

    call.url = url
    return call


@contextmanager
def dummy_cache():
    """Every request counts again (Django resets its cache handlers when CACHES changes)."""
    from django.test import override_settings

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        yield


def choose_selections(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Kab/kota and sector pairs weighted like the data: the kab/kota with the most units come up more."""
    from django.db.models import Count

    from ikm_registry.models import IKMUnit

    regencies = list(IKMUnit.objects.public().values_list("regency_id").annotate(n=Count("pk")).order_by("-n")[:200])
    pairs = [(code, rng.choice(SECTORS[:4])) for code, _ in rng.sample(regencies, min(n, len(regencies)))]
    return pairs[:n]


def in_process_scenarios(args) -> list[Result]:
    from django.db import transaction
    from django.db.models import Max
    from django.test import Client
    from django.utils import timezone

    from ikm_registry.models import IKMUnit
    from ikm_registry.public.facets import compute_counts
    from ikm_registry.public.filters import IKMUnitFilter
    from ikm_registry.public.pagination import NEXT, encode_cursor

    rng = random.Random(args.seed)
    client = Client()
    n = args.requests
    pairs = choose_selections(rng, n)
    provinces = sorted({code.split(".")[0] for code, _ in pairs})
    results = []

    directory = [get(client, f"/ikm/?province={c[:2]}&regency={c}&sector={s}") for c, s in pairs]
    # A page seen before: served from the cache (keyed by the data stamp), only the shell is rendered.
    results.append(measure("directory: kab/kota + sector, page 1 (seen before: cached)", directory, warm_all=True))
    with dummy_cache():
        results.append(measure("directory: kab/kota + sector, page 1 (no cache)", directory))
        search = [get(client, f"/ikm/?regency={c}&sector={s}&q={rng.choice(SEARCH_WORDS)}") for c, s in pairs]
        results.append(measure("directory: + text search (no cache)", search))
        national_search = [get(client, f"/ikm/?q={w}+{rng.choice(SEARCH_WORDS)}") for w in SEARCH_WORDS * (n // 10)]
        results.append(measure("directory: text search, whole country (no cache)", national_search))

        def counts_call(params):
            def call():
                filterset = IKMUnitFilter(params)
                assert filterset.is_valid(), filterset.errors
                return compute_counts(filterset)

            return call

        results.append(
            measure(
                "filter counts: kab/kota + sector (no cache)",
                [counts_call({"regency": c, "sector": s}) for c, s in pairs],
            )
        )
        results.append(
            measure(
                "filter counts: province + sector (no cache)",
                [counts_call({"province": p, "sector": s}) for p in provinces for s in SECTORS[:3]][:n],
            )
        )
        results.append(
            measure(
                "filter counts: one sector, whole country (no cache)",
                [counts_call({"sector": s}) for s in SECTORS] * 2,
            )
        )
    api = [get(client, f"/api/v1/ikm-units/?region={c}&sector={s}") for c, s in pairs]
    results.append(measure("API list: region + sector", api))
    results.append(measure("API list: whole country", [get(client, "/api/v1/ikm-units/")] * n))
    # A copy kept in step: what changed in the last day, week or month of the data, in the order of change.
    latest = IKMUnit.objects.aggregate(latest=Max("updated_at"))["latest"]
    since = [quote((latest - datetime.timedelta(days=days)).isoformat()) for days in (1, 7, 30)]
    changed = [get(client, f"/api/v1/ikm-units/?updated_since={s}&region={p}") for p in provinces for s in since]
    results.append(measure("API list: changed since a day/week/month, province", (changed * n)[:n]))
    # The same in name order, with 60 edits since the last copy: PostgreSQL's statistics end before them and
    # cannot know how few they are, and it walked the name index for them (filters.FEW_CHANGES). Rolled back.
    with transaction.atomic():
        now = timezone.now()
        top = IKMUnit.objects.aggregate(top=Max("pk"))["top"]
        for minutes, pk in enumerate(rng.sample(range(1, top + 1), 60)):
            IKMUnit.objects.filter(pk=pk).update(updated_at=now - datetime.timedelta(minutes=minutes))
        last_copy = quote((latest + datetime.timedelta(seconds=1)).isoformat())
        recent = [get(client, f"/api/v1/ikm-units/?updated_since={last_copy}&sort={s}") for s in ("name", "newest")]
        results.append(measure("API list: 60 changes since the last copy, by name or newest", (recent * n)[:n]))
        transaction.set_rollback(True)
    # A copy looking for units no longer public: every code of the country, 10,000 to a page, by id.
    pages, url = [], "/api/v1/ikm-units/codes/"
    while url:
        pages.append(get(client, url))
        url = json.loads(pages[-1]())["next"]
    results.append(measure(f"API codes: whole country, all {len(pages)} pages of 10,000", pages))
    regency_codes = [get(client, f"/api/v1/ikm-units/codes/?region={c}") for c, _ in pairs]
    results.append(measure("API codes: a kab/kota, all of them", regency_codes))

    # Deep pages: the row 90 % into the whole list by name, reached by cursor, against the first page.
    total = IKMUnit.objects.public().count()
    keys = [
        IKMUnit.objects.public().order_by("business_name", "id").values_list("business_name", "id")[int(total * f)]
        for f in [rng.uniform(0.85, 0.95) for _ in range(10)]
    ]
    cursors = [encode_cursor("name", NEXT, list(k)) for k in keys]
    with dummy_cache():
        # Whole-country counts come from the cache on a running site; here only the page itself is compared.
        from ikm_registry.public import views

        counted = views.directory_counts
        national_filter = IKMUnitFilter({})
        national_filter.is_valid()
        national = compute_counts(national_filter)
        views.directory_counts = lambda filterset, stamp, use_cache=True: national
        try:
            results.append(measure("directory: first page, whole country (no cache)", [get(client, "/ikm/")] * n))
            deep = [get(client, f"/ikm/?page=45000&cursor={c}") for c in cursors] * (n // 10)
            results.append(measure("directory: page ~45,000 by cursor, whole country (no cache)", deep))
        finally:
            views.directory_counts = counted
    deep_api = [get(client, f"/api/v1/ikm-units/?cursor={c}") for c in cursors] * (n // 10)
    results.append(measure("API list: page ~45,000 by cursor", deep_api))
    return results


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def free_port(port: int) -> int:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) != 0:
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_command(port: int, *options: str) -> list[str]:
    """The project's gunicorn with 2 workers on 127.0.0.1:port, as the README runs it, plus `options`."""
    return [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "ikm_registry.wsgi",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--log-level",
        "warning",
        *options,
    ]


def wait_for_port(port: int, seconds: float = 20.0) -> None:
    """Until something listens on 127.0.0.1:port (gunicorn starting), at most `seconds`."""
    for _ in range(int(seconds / 0.2)):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)


def all_selections(rng: random.Random) -> list[tuple[str, str]]:
    """Every kab/kota with public units, with every sector, shuffled."""
    from ikm_registry.models import IKMUnit

    regencies = list(IKMUnit.objects.public().values_list("regency_id", flat=True).distinct().order_by())
    pairs = [(code, sector) for code in regencies for sector in SECTORS]
    rng.shuffle(pairs)
    return pairs


def wrk(script: Path, port: int, connections: int, seconds: int) -> dict:
    run = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    output = run.stdout
    socket_errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "pages_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
        "latency": dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", output)),
    }


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each process still running (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def processes(parent: int | None = None, name: str | None = None) -> list[int]:
    """Pids of the children of `parent`, or of the processes called `name` (e.g. PostgreSQL's backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = (entry / "stat").read_text().rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError):
            continue
        if (parent is not None and int(rest.split()[1]) == parent) or (name and comm.split("(", 1)[1] == name):
            found.append(int(entry.name))
    return found


def wrk_with_cpu(script: Path, port: int, connections: int, seconds: int, server_pid: int) -> dict:
    """wrk's figures, with the CPU that the gunicorn workers and the PostgreSQL processes spent per page: under
    load the two share the machine's cores, so these say where the time goes."""
    workers = processes(parent=server_pid)
    database = processes(name="postgres")
    before = cpu_seconds(workers + database)
    run = wrk(script, port, connections, seconds)
    after = cpu_seconds(workers + processes(name="postgres"))
    spent = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    pages = max(run["requests"], 1)
    run["web_cpu_ms"] = 1000 * sum(spent.get(pid, 0.0) for pid in workers) / pages
    run["db_cpu_ms"] = 1000 * sum(v for pid, v in spent.items() if pid not in workers) / pages
    return run


def further_pages(pairs: list[tuple[str, str]], rng: random.Random) -> tuple[list[str], list[str]]:
    """First pages of these kab/kota + sector selections, and every other page of them in every sort (up to
    the numbered pages' limit), shuffled: what visitors browsing those selections ask for next."""
    from ikm_registry.models import IKMUnit

    opened, further = [], []
    for code, sector in pairs:
        base = f"/ikm/?province={code[:2]}&regency={code}&sector={sector}"
        opened.append(base)
        total = IKMUnit.objects.public().filter(regency_id=code, sector_id=sector).count()
        pages = min(100, -(-total // 20))
        for sort in ("name", "-name", "newest"):
            further.extend(
                f"{base}&sort={sort}&page={page}" for page in range(1, pages + 1) if (sort, page) != ("name", 1)
            )
    rng.shuffle(further)
    return opened, further


@contextmanager
def staff_editing(url: str, per_second: float):
    """Save random units (any province, weighted as the units are) at a steady rate, as offices across the
    country do during the day: each save changes the data stamp of its province and of the country."""
    import threading

    import psycopg

    stop = threading.Event()

    def edit():
        with psycopg.connect(url, autocommit=True) as connection:
            (top,) = connection.execute("SELECT max(id) FROM ikm_registry_ikmunit").fetchone()
            rng = random.Random(11)
            while not stop.wait(1 / per_second):
                connection.execute(
                    "UPDATE ikm_registry_ikmunit SET updated_at = now() WHERE id = %s", [rng.randint(1, top)]
                )

    thread = threading.Thread(target=edit, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def lua_script(path: Path, urls: list[str]) -> Path:
    path.write_text(
        "paths = {" + ",".join(f'"{u}"' for u in urls) + "}\n"
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\n"
        "end\n"
    )
    return path


def load_test(args, env: dict) -> list[tuple[str, dict]]:
    """gunicorn (2 workers) and wrk (8 connections) on loopback over filtered directory pages: first the
    popular pages of a running site (40 selections, each seen before), then pages nobody asked for yet, then
    further pages (other sorts, page 2 on) of selections visitors have opened, whose counts are cached but
    whose pages are not, then the popular pages again while staff save units across the country."""
    rng = random.Random(args.seed + 1)
    pairs = all_selections(rng)
    popular = [f"/ikm/?province={c[:2]}&regency={c}&sector={s}" for c, s in pairs[:40]]
    fresh = [f"/ikm/?province={c[:2]}&regency={c}&sector={s}&sort=-name" for c, s in pairs[40:]]
    opened, further = further_pages(pairs[-200:], rng)
    port = free_port(args.port)
    workdir = Path(tempfile.mkdtemp(prefix="bench-public-"))
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    gunicorn = subprocess.Popen(
        gunicorn_command(port, "--threads", str(args.threads)),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    results = []
    try:
        wait_for_port(port)
        popular_script = lua_script(workdir / "popular.lua", popular)
        # Warm up: every popular page reaches both workers' caches, as on a site that has been up a while.
        wrk(popular_script, port, 2, 8)
        results.append(
            (
                "popular filtered pages (40 kab/kota + sector, seen before)",
                wrk_with_cpu(popular_script, port, args.connections, args.duration, gunicorn.pid),
            )
        )
        results.append(
            (
                "filtered pages nobody asked for yet (kab/kota + sector)",
                wrk_with_cpu(
                    lua_script(workdir / "fresh.lua", fresh), port, args.connections, args.duration, gunicorn.pid
                ),
            )
        )
        wrk(lua_script(workdir / "opened.lua", opened), port, 2, 8)  # each selection's first page: counts cached
        results.append(
            (
                "further pages of 200 opened selections (counts cached)",
                wrk_with_cpu(
                    lua_script(workdir / "further.lua", further), port, args.connections, args.duration, gunicorn.pid
                ),
            )
        )
        wrk(popular_script, port, 2, 8)  # warm again: the other runs may have pushed some out
        with staff_editing(args.database_url, args.edits_per_second):
            results.append(
                (
                    f"popular pages while staff edit {args.edits_per_second:g} units/s across the country",
                    wrk_with_cpu(popular_script, port, args.connections, args.duration, gunicorn.pid),
                )
            )
        # The pages most visitors start from, each over the whole country or a large province: their figures
        # count hundreds of thousands of units, and every edit anywhere changes the country's data stamp.
        front_script = lua_script(workdir / "front.lua", FRONT_PAGES)
        wrk(front_script, port, 2, 8)
        with staff_editing(args.database_url, args.edits_per_second):
            results.append(
                (
                    f"front pages (home, directory, regions, OVOP, a province) while staff edit "
                    f"{args.edits_per_second:g} units/s",
                    wrk_with_cpu(front_script, port, args.connections, args.duration, gunicorn.pid),
                )
            )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def vacuum_if_dead(connection, share: float = 0.05) -> str:
    """VACUUM ANALYZE the units when more than `share` of their rows are dead, and say so.

    Rolled-back writes leave dead rows until autovacuum gets to them: bench/unit_writes.py's rounds, or the
    staff edits of the last load run. Half a million of them (after three unit_writes runs) slowed every
    index scan: fresh pages 195 -> 146/s, the front pages while staff edit 272 -> 155/s with timeouts.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'ikm_registry_ikmunit'")
        live, dead = cursor.fetchone() or (0, 0)
        if not live or dead <= share * live:
            return ""
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE ikm_registry_ikmunit")
    return f"Vacuumed the units first: {dead:,} dead rows beside {live:,} ({time.perf_counter() - started:.0f} s)."


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.skip_load and shutil.which("wrk") is None:
        sys.exit("The load test needs wrk: apt-get install wrk (or run with --skip-load for the in-process table).")
    static_root = tempfile.mkdtemp(prefix="bench-public-static-")
    env = production_environment(args.database_url, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    os.environ["DATABASE_POOL"] = "1"  # as in production: no new connection per request
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import django

    django.setup()
    from django.db import connection

    from ikm_registry.models import IKMUnit

    vacuumed = vacuum_if_dead(connection)
    units = IKMUnit.objects.count()
    print(machine.describe(connection))
    if vacuumed:
        print(vacuumed)
    print(
        f"Registry: {units:,} units ({IKMUnit.objects.public().count():,} public) in {connection.settings_dict['NAME']}"
    )
    print(
        f"Server-side, warm, {args.requests} requests per scenario; times in ms. Load average before: {load_average()}"
    )
    print("SQL = wall time in the database driver; rest = the remainder; Python CPU = this process's CPU time per")
    print("request (Django, DRF, templates, psycopg), which other work on the machine does not inflate.\n")
    if not args.only_load:
        results = in_process_scenarios(args)
        print_table(
            ["scenario", "n", "p50", "p95", "SQL mean", "rest mean", "Python CPU", "queries", "target p95", ""],
            [r.row() for r in results],
        )
    if not args.skip_load:
        runs = load_test(args, env)
        print(
            f"\nLoad: gunicorn 2 workers, wrk 2 threads {args.connections} connections {args.duration} s on 127.0.0.1; "
            f"load average after: {load_average()}"
        )
        print("web CPU and PostgreSQL CPU: milliseconds of CPU per page in the gunicorn workers and in PostgreSQL.")
        print_table(
            [
                "pages",
                "pages/s",
                "requests",
                "non-2xx",
                "socket errors",
                "p50",
                "p90",
                "p99",
                "web CPU",
                "PostgreSQL CPU",
                "target",
            ],
            [
                [
                    name,
                    f"{run['pages_per_second']:.0f}",
                    run["requests"],
                    run["non_2xx"],
                    run["socket_errors"],
                    run["latency"].get("50", "?"),
                    run["latency"].get("90", "?"),
                    run["latency"].get("99", "?"),
                    f"{run['web_cpu_ms']:.1f}",
                    f"{run['db_cpu_ms']:.1f}",
                    ">= 250/s, 0 errors",
                ]
                for name, run in runs
            ],
        )
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
