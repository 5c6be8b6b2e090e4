"""What writing units costs on a large registry: new units, units marked changed, units saved one by one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikm_bench .venv/bin/python bench/unit_writes.py [--rounds 3]

Every save of a unit writes `updated_at`, which is indexed, so PostgreSQL cannot update the row in place
(a HOT update) and writes an entry in every index of the table: the number of indexes on units is a cost of
every save, import row and `IKMUnitQuerySet.touch()`. Three scenarios, each in a transaction rolled back at
the end, so that the database is left as it was (the work is done all the same):

  insert   bulk_create of new units, as an import commits them (copies of existing units, new codes);
  touch    IKMUnitQuerySet.touch() of existing units, as an OVOP or sentra import marks its units changed;
  save     Model.save() of single units, as staff save them in the admin (signals and history included).

Prints the index count and size of the units table, then seconds and microseconds per unit for each round.
To compare with the indexes before migrations 0014-0015, copy the database and migrate the copy back:

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ikm_bench_before TEMPLATE ikm_bench"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikm_bench_before
    .venv/bin/python manage.py migrate ikm_registry 0013 && .venv/bin/python bench/unit_writes.py

Rolled-back inserts leave dead index entries behind until autovacuum clears them: run the two databases in
turn, more than once.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")

import django  # noqa: E402

django.setup()

import machine  # noqa: E402  (bench/machine.py, beside this script)
from django.db import connection, transaction  # noqa: E402

from ikm_registry.models import IKMUnit  # noqa: E402

SIZES = {"insert": 10_000, "touch": 20_000, "save": 300}


def index_summary() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(sum(pg_relation_size(indexrelid))) FROM pg_stat_user_indexes "
            "WHERE relname = 'ikm_registry_ikmunit'"
        )
        count, size = cursor.fetchone()
    return f"{count} indexes on units, {size}"


def timed(function) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        function()
        transaction.set_rollback(True)
    return time.perf_counter() - started


def insert(template_ids: list[int], round_number: int):
    def run():
        units = []
        for n, unit in enumerate(IKMUnit.objects.filter(pk__in=template_ids)):
            unit.pk = None
            unit.registry_code = f"BENCH-{round_number}-{n:06d}"
            unit.nib = None
            units.append(unit)
        IKMUnit.objects.bulk_create(units, batch_size=1000)

    return run


def touch(ids: list[int]):
    return lambda: IKMUnit.objects.touch(ids)


def save(ids: list[int]):
    def run():
        for unit in IKMUnit.objects.filter(pk__in=ids):
            unit.save()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on the million-unit registry in PostgreSQL (DATABASE_URL).")
    print(machine.describe(connection))
    print(f"{IKMUnit.objects.count():,} units; {index_summary()}")
    (top,) = IKMUnit.objects.order_by("-pk").values_list("pk")[:1].get()
    print(f"{'scenario':<8} {'units':>7} {'seconds (each round)':>28} {'µs per unit (median)':>22}")
    for name, size in SIZES.items():
        seconds = []
        for round_number in range(args.rounds):
            # A different stretch of the table each round, far apart, so that no round reads another's pages.
            start = 1 + (round_number * 97_001 + list(SIZES).index(name) * 31_337) % max(1, top - size)
            ids = list(IKMUnit.objects.filter(pk__gte=start).order_by("pk").values_list("pk", flat=True)[:size])
            work = {"insert": insert(ids, round_number), "touch": touch(ids), "save": save(ids)}[name]
            seconds.append(timed(work))
        per_unit = statistics.median(seconds) / size * 1_000_000
        rounds = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"{name:<8} {size:>7,} {rounds:>28} {per_unit:>22,.0f}")


if __name__ == "__main__":
    main()
