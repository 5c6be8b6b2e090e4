"""Benchmark of the spreadsheet import, end to end, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_import.py --rows 10000 100000
    .venv/bin/python bench/bench_import.py --rows 5000 --database-url sqlite:////tmp/bench_import.sqlite3 \
        --database-url postgres://postgres@127.0.0.1:5432/ikm_bench_import --format xlsx csv

For each database it migrates (creating the PostgreSQL database if missing), loads the real villages of
Kalimantan Barat (61) and Kalimantan Tengah (62), and writes IKM template files of the requested sizes over
those villages (one unit per row, with a year's figures, NIK, phone, NIB). Then, each in a fresh process
so that the peak memory is that step's own:

  validate  the admin's "preview": every row parsed and checked, nothing written (dry run);
  commit    the confirmation (and `import_records` without --dry-run): validate again and write units,
            figures and their history rows in one transaction, under a staff user, change reason = file name;
  bare      a bare bulk_create of the same units and figures, already built in memory (no parsing, no
            checks, no history): the floor the ratio is measured against.

The table shows seconds, rows per second over validate + commit, the peak resident memory of the commit
process (ru_maxrss, Django and the region index included) and ratio = (validate + commit) / bare.
Targets (2 cores): 10,000 rows < 15 s and 100,000 rows < 150 s on both databases, peak < 400 MB, ratio <= 5.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import machine  # noqa: E402  (bench/machine.py, beside this script)

DEFAULT_URLS = [
    f"sqlite:///{ROOT / 'bench' / '.bench_import.sqlite3'}",
    "postgres://postgres@127.0.0.1:5432/ikm_bench_import",
]
PROVINCES = ["61", "62"]
BENCH_USER = "bench_import"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", action="append", dest="urls", help="repeat for several databases")
    parser.add_argument("--format", nargs="+", default=["xlsx"], choices=["xlsx", "csv"])
    parser.add_argument("--workdir", default=str(ROOT / "bench" / ".import_files"))
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one step in this process
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="write a cProfile of each commit next to the file")
    return parser.parse_args(argv)


# --- steps, each run in its own process ---------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DATABASE_POOL"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    # Production settings: DEBUG off (no query log), real keys.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-import-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("NIK_ENCRYPTION_KEY", "bench-import-nik-key-0123456789abcdefghij")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import django

    django.setup()


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def step_prepare(args, url: str) -> dict:
    """Migrate, load regions, create the importing user, and write the files (not timed)."""
    ensure_database(url)
    setup_django(url)
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from ikm_registry.imports.testing import generated_ikm_rows, write_csv, write_xlsx
    from ikm_registry.models import Region, StaffProfile
    from ikm_registry.regions_loader import load_regions

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code__startswith="62.", level=4).exists():
        load_regions(PROVINCES)
    user, _ = User.objects.get_or_create(username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True})
    StaffProfile.objects.get_or_create(user=user, defaults={"is_national": True})
    villages = list(
        Region.objects.filter(level=4, code__startswith="61.").order_by("code").values_list("code", flat=True)
    )
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for rows in args.rows:
        for fmt in args.format:
            path = workdir / f"ikm_{rows}.{fmt}"
            if not path.exists():
                writer = write_xlsx if fmt == "xlsx" else write_csv
                writer(str(path), generated_ikm_rows(rows, villages, seed=rows))
            files[f"{rows}:{fmt}"] = str(path)
    return {"villages": len(villages), "files": files}


def reset_registry() -> None:
    from django.db import connection

    from ikm_registry.models import IKMUnit, RegistryCodeSequence, YearlyFigures

    tables = [
        YearlyFigures.history.model._meta.db_table,
        YearlyFigures._meta.db_table,
        IKMUnit.history.model._meta.db_table,
        "sentra_historicalsentramembership",
        "sentra_sentramembership",
        IKMUnit._meta.db_table,
        RegistryCodeSequence._meta.db_table,
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def step_import(args, url: str) -> dict:
    setup_django(url)
    from django.contrib.auth.models import User

    from ikm_registry.imports.kinds import KINDS
    from ikm_registry.imports.runner import run_import
    from ikm_registry.models import IKMUnit, YearlyFigures

    reset_registry()
    user = User.objects.get(username=BENCH_USER)
    path = args.file
    timings = {}
    with open(path, "rb") as handle:
        start = time.perf_counter()
        report = run_import(KINDS["ikm"], handle, path, user, commit=False)
        timings["validate"] = time.perf_counter() - start
    assert not report.has_errors, report.errors[:5]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with open(path, "rb") as handle:
        start = time.perf_counter()
        report = run_import(KINDS["ikm"], handle, path, user, commit=True)
        timings["commit"] = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(path + f".{url.split(':')[0]}.prof")
    assert report.committed and not report.has_errors, report.errors[:5]
    assert IKMUnit.objects.count() == report.counts["new"] == report.total_rows
    assert IKMUnit.history.count() == report.total_rows
    assert YearlyFigures.history.count() == YearlyFigures.objects.count() == report.total_rows
    timings["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings["rows"] = report.total_rows
    return timings


def step_bare(args, url: str) -> dict:
    """The same rows as model instances, built before the clock starts, then bulk_create and nothing else."""
    setup_django(url)
    from django.db import transaction

    from ikm_registry import personal_data
    from ikm_registry.imports.parsing import parse_decimal, parse_money
    from ikm_registry.imports.reader import open_table
    from ikm_registry.models import IKMUnit, YearlyFigures, classify_size

    reset_registry()
    with open(args.file, "rb") as handle:
        table = open_table(handle, args.file)
        index = {h: i for i, h in enumerate(table.headers)}
        units, figures = [], []
        for number, values in table.rows:

            def cell(h, values=values):
                v = values[index[h]] if index[h] < len(values) else None
                return "" if v is None else str(v)

            village = cell("kode_wilayah")
            parts = village.split(".")
            nik = cell("nik_pemilik")
            unit = IKMUnit(
                registry_code=f"IKM-{parts[0]}{parts[1]}-{number:06d}",
                nib=cell("nib"),
                business_name=cell("nama_usaha"),
                brand=cell("merek"),
                owner_name=cell("nama_pemilik"),
                owner_gender=cell("jenis_kelamin_pemilik"),
                owner_nik_encrypted=personal_data.encrypt_nik(nik),
                owner_nik_hash=personal_data.nik_lookup_hash(nik),
                owner_phone=personal_data.normalize_phone(cell("telepon")),
                owner_email=cell("email"),
                address=cell("alamat"),
                village_id=village,
                district_id=".".join(parts[:3]),
                regency_id=".".join(parts[:2]),
                province_id=parts[0],
                sector_id=cell("sektor"),
                main_products=cell("produk_utama"),
                year_established=int(cell("tahun_berdiri")),
                publish_contact=cell("publikasi_kontak") == "ya",
            )
            fig = YearlyFigures(
                year=int(cell("tahun_data")),
                workers_male=int(cell("tenaga_kerja_laki_laki")),
                workers_female=int(cell("tenaga_kerja_perempuan")),
                investment_value=parse_money(cell("nilai_investasi")),
                production_capacity=parse_decimal(cell("kapasitas_produksi")),
                capacity_unit=cell("satuan_kapasitas"),
                production_value=parse_money(cell("nilai_produksi")),
                raw_material_value=parse_money(cell("nilai_bahan_baku")),
                export_value=parse_money(cell("nilai_ekspor")),
            )
            fig.size_class = classify_size(fig.workers_total, fig.investment_value)
            unit.size_class, unit.latest_figures_year = fig.size_class, fig.year
            units.append(unit)
            figures.append(fig)
    start = time.perf_counter()
    with transaction.atomic():
        IKMUnit.objects.bulk_create(units, batch_size=500)
        for unit, fig in zip(units, figures, strict=True):
            fig.unit_id = unit.pk
        YearlyFigures.objects.bulk_create(figures, batch_size=500)
    elapsed = time.perf_counter() - start
    reset_registry()
    return {"bare": elapsed}


# --- driver ---------------------------------------------------------------------------------------------------


def child(step: str, url: str, args, file: str | None = None) -> dict:
    command = [sys.executable, __file__, "--step", step, "--database-url", url, "--workdir", args.workdir, "--rows"]
    command += [str(r) for r in args.rows] + ["--format", *args.format]
    if file:
        command += ["--file", file]
    if args.profile:
        command.append("--profile")
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"step {step} failed on {url}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def main(argv=None) -> None:
    args = parse_args(argv)
    urls = args.urls or DEFAULT_URLS
    if args.step:
        steps = {"prepare": step_prepare, "import": step_import, "bare": step_bare}
        print(json.dumps(steps[args.step](args, urls[0])))
        return
    print(machine.describe())
    header = (
        f"{'rows':>8} {'database':<11} {'file':<5} {'validate s':>10} {'commit s':>9} {'total s':>8} "
        f"{'rows/s':>7} {'peak MB':>8} {'bare s':>7} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for url in urls:
        prepared = child("prepare", url, args)
        for rows in args.rows:
            for fmt in args.format:
                path = prepared["files"][f"{rows}:{fmt}"]
                measured = child("import", url, args, path)
                bare = child("bare", url, args, path)["bare"]
                total = measured["validate"] + measured["commit"]
                print(
                    f"{rows:>8} {label(url):<11} {fmt:<5} {measured['validate']:>10.1f} {measured['commit']:>9.1f} "
                    f"{total:>8.1f} {rows / total:>7.0f} {measured['peak_mb']:>8.0f} {bare:>7.1f} {total / bare:>6.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
