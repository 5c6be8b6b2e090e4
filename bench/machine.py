"""One line that says how fast the machine under a benchmark is, printed by each benchmark in bench/.

Machines of the project's kind differ: the same commit served an uncached directory page in 17 ms (p95) on
one and in 36 ms on the next. Each script's figures are only comparable with figures taken on a machine of
the same speed, so each prints this yardstick beside them:

    Machine: AMD EPYC, 2 cores; Python 3.11.7: 10 M additions in 383 ms; PostgreSQL 15.20: SELECT 1 in 0.217 ms

The Python figure is a fixed loop (best of three), the database figure a mean round trip over the benchmark's
own connection: what the pure interpreter and a database call cost here, apart from any code of ours. They
do not tell everything: on the slower of those two machines the loop took an unremarkable 383 ms, while
Django's own work (a directory page served from the cache, bench_public.py's first row) took two to four
times as long as on the faster one. Read both.
"""

import os
import platform
import time

LOOP = 10_000_000


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def python_loop_ms() -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(LOOP):
            total += number
        best = min(best, time.perf_counter() - start)
    return best * 1000


def round_trip_ms(connection, times: int = 200) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        start = time.perf_counter()
        for _ in range(times):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return (time.perf_counter() - start) / times * 1000


def database_name(connection) -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150020
        return f"PostgreSQL {version // 10000}.{version % 100}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def describe(connection=None) -> str:
    """The yardstick line; with a Django connection, its database's round trip too."""
    parts = [
        f"Machine: {cpu_model()}, {os.cpu_count()} cores",
        f"Python {platform.python_version()}: {LOOP // 1_000_000} M additions in {python_loop_ms():.0f} ms",
    ]
    if connection is not None:
        parts.append(f"{database_name(connection)}: SELECT 1 in {round_trip_ms(connection):.3f} ms")
    return "; ".join(parts)
