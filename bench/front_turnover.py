"""The front pages while their figures are counted again: the settled stamp turning over under load.

    .venv/bin/python bench/front_turnover.py --database-url postgres://postgres@127.0.0.1:5432/ikm_national

bench_public.py's front-pages run lasts 20 s, and the settled stamp of a large registry moves on once per
PUBLIC_SETTLED_SECONDS (300): whether a run sees a recount is luck. Here gunicorn (2 workers) runs with
PUBLIC_SETTLED_SECONDS=--settled (20) and a shared cache (--cache-url, Redis; emptied first), every front
page is requested twice in turn to count its figures, then wrk (8 connections, --duration s) requests the
front pages while a thread saves --edits-per-second units across the country, so that the broad figures
are counted again every --settled seconds during the run. Prints one table row: pages a second, timeouts,
latency, and the CPU per page in the workers and in PostgreSQL. Needs wrk, curl and a Redis server.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_public  # noqa: E402  (beside this script)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ikm_national")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--settled", type=int, default=20, help="PUBLIC_SETTLED_SECONDS of the server (default 20)")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--edits-per-second", type=float, default=2.0)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    static_root = tempfile.mkdtemp(prefix="bench-turnover-static-")
    env = bench_public.production_environment(args.database_url, static_root)
    env.update({"CACHE_URL": args.cache_url, "PUBLIC_SETTLED_SECONDS": str(args.settled)})
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(["redis-cli", "-u", args.cache_url, "flushdb"], check=True, stdout=subprocess.DEVNULL)
    port = bench_public.free_port(args.port)
    workdir = Path(tempfile.mkdtemp(prefix="bench-turnover-"))
    with open(workdir / "gunicorn.log", "w") as log:
        gunicorn = subprocess.Popen(
            # A first count of the country's figures can take seconds at national scale.
            bench_public.gunicorn_command(port, "--timeout", "120"),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            bench_public.wait_for_port(port)
            started = time.perf_counter()
            for url in bench_public.FRONT_PAGES * 2:
                subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "120", f"http://127.0.0.1:{port}{url}"])
            warm = time.perf_counter() - started
            script = bench_public.lua_script(workdir / "front.lua", bench_public.FRONT_PAGES)
            with bench_public.staff_editing(args.database_url, args.edits_per_second):
                run = bench_public.wrk_with_cpu(script, port, 8, args.duration, gunicorn.pid)
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=15)
    print(f"Warm-up (every front page twice, in turn): {warm:.0f} s")
    header = ["settled s", "pages/s", "requests", "errors", "p50", "p90", "p99", "web CPU ms", "PostgreSQL CPU ms"]
    row = [
        str(args.settled),
        f"{run['pages_per_second']:.1f}",
        str(run["requests"]),
        run["socket_errors"],
        run["latency"]["50"],
        run["latency"]["90"],
        run["latency"]["99"],
        f"{run['web_cpu_ms']:.1f}",
        f"{run['db_cpu_ms']:.1f}",
    ]
    bench_public.print_table(header, [row])


if __name__ == "__main__":
    main()
