"""Build a large IKM registry on PostgreSQL for the benchmarks: N units (default 1,000,000) over real villages.

    .venv/bin/python bench/generate_registry.py --database-url postgres://postgres@127.0.0.1:5432/ikm_bench

It creates the database if needed, migrates it, loads every Kemendagri region (load_regions), then writes
units, yearly figures, certificates, products, sentra and kawasan with their members, and OVOP ratings
with PostgreSQL COPY, foreign-key triggers off and secondary indexes dropped during the load and rebuilt
after (a plain bulk_create of a million units with their history would take the better part of an hour).
No history rows are written for generated data. The data is deterministic for a given --seed.

It always contains Kota Palangka Raya's 14 ha wood-processing kawasan with 40 member units, one of them
the chopstick maker that exports to Japan, and a realistic mix of verification states and unit statuses.
An existing registry is refused unless --reset is given (which empties the registry tables, not regions).
"""

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ikm_bench"
FIGURE_YEARS = (2023, 2024, 2025)

# Products by sector: what units are called and make, so that search has something real to find.
PRODUCTS = {
    "PANGAN": [
        "Amplang ikan",
        "Keripik pisang",
        "Kerupuk ikan",
        "Lempok durian",
        "Dodol",
        "Roti dan kue",
        "Tahu",
        "Tempe",
        "Kopi bubuk",
        "Sambal",
        "Abon ikan",
        "Madu kelulut",
        "Kue bingka",
        "Snack lidah buaya",
        "Minuman jahe",
        "Ikan asin",
        "Kue kering",
        "Rengginang",
        "Keripik singkong",
        "Bakso ikan",
    ],
    "SANDANG": [
        "Kain sasirangan",
        "Batik benang bintik",
        "Tenun ikat",
        "Pakaian jadi",
        "Konveksi seragam",
        "Bordir",
        "Tas kain",
        "Sepatu kulit",
        "Mukena",
        "Songket",
    ],
    "KAYU": [
        "Meja kayu",
        "Kursi kayu",
        "Lemari",
        "Mebel ulin",
        "Pintu dan kusen",
        "Ukiran kayu",
        "Perahu kayu",
        "Rak kayu",
        "Tempat tidur kayu",
        "Kerajinan kayu",
    ],
    "KERAJINAN": [
        "Anyaman rotan",
        "Tanggui",
        "Manik-manik",
        "Keramik hias",
        "Anyaman purun",
        "Souvenir",
        "Perhiasan perak",
        "Lampit rotan",
        "Anyaman bambu",
        "Gerabah",
    ],
    "LMEA": [
        "Pandai besi",
        "Parang dan mandau",
        "Teralis besi",
        "Bengkel las",
        "Alat pertanian",
        "Kapal fiber",
        "Perbaikan mesin",
        "Rangka baja ringan",
    ],
    "KIMIA": ["Batako", "Bata merah", "Sabun", "Minyak atsiri", "Genteng", "Paving blok", "Pupuk organik"],
    "ANEKA": ["Percetakan", "Sablon", "Kemasan kertas", "Mainan edukatif", "Alat musik tradisional", "Sapu ijuk"],
}
SECTOR_WEIGHTS = {"PANGAN": 40, "SANDANG": 12, "KAYU": 14, "KERAJINAN": 14, "LMEA": 8, "KIMIA": 7, "ANEKA": 5}
# KBLI 2020 divisions per sector, used only when the database holds no KBLI codes of that sector yet.
FALLBACK_KBLI = {
    "PANGAN": [("10792", "Industri makanan dan masakan olahan"), ("10750", "Industri makanan lainnya")],
    "SANDANG": [("14111", "Industri pakaian jadi"), ("13134", "Industri batik")],
    "KAYU": [("31001", "Industri furnitur dari kayu"), ("16291", "Industri barang dari kayu")],
    "KERAJINAN": [("32909", "Industri pengolahan lainnya"), ("32112", "Industri barang perhiasan")],
    "LMEA": [("25931", "Industri alat potong dan perkakas tangan"), ("25112", "Industri barang dari logam")],
    "KIMIA": [("23921", "Industri batu bata dari tanah liat"), ("20231", "Industri sabun")],
    "ANEKA": [("18111", "Industri percetakan umum"), ("17022", "Industri kemasan dari kertas")],
}
NAME_PREFIX = ["UD", "CV", "", "", "Usaha", "Rumah Produksi", "Industri", "PT", "Koperasi", "Kelompok"]
NAME_WORD_A = [
    "Sumber",
    "Maju",
    "Berkah",
    "Karya",
    "Cahaya",
    "Mitra",
    "Sinar",
    "Jaya",
    "Mandiri",
    "Lestari",
    "Harapan",
    "Barokah",
    "Bintang",
    "Mutiara",
    "Putra",
    "Putri",
    "Citra",
    "Tunas",
    "Anugerah",
    "Mekar",
]
NAME_WORD_B = [
    "Rejeki",
    "Abadi",
    "Bersama",
    "Makmur",
    "Sejahtera",
    "Utama",
    "Borneo",
    "Nusantara",
    "Sentosa",
    "Jaya",
    "Kalimantan",
    "Indah",
    "Baru",
    "Sakti",
    "Family",
    "Mulia",
    "Raya",
    "Agung",
    "Permai",
    "Manunggal",
]
FIRST_NAMES_M = ["Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Joko", "Rahmat", "Slamet", "Yusuf", "Agus", "Iwan"]
FIRST_NAMES_F = ["Siti", "Dewi", "Rina", "Sri", "Nur", "Wati", "Yuni", "Lestari", "Fitri", "Ani", "Rahma", "Maria"]
LAST_NAMES = ["Saputra", "Hidayat", "Wijaya", "Santoso", "Pratama", "Nugroho", "Rahman", "Siregar", "Lubis", "Hasibuan"]
EXPORT_COUNTRIES = ["Jepang", "Malaysia", "Singapura", "Tiongkok", "Korea Selatan", "Amerika Serikat", "Australia"]
CERT_KINDS = ["pirt", "bpom_md", "halal", "sni", "haki", "tkdn_ik", "ekatalog"]
# Rough centres of provinces, for a coordinate on one unit in five (a map pin, not a survey).
PROVINCE_CENTRES = {
    "11": (4.7, 96.7),
    "12": (2.1, 99.5),
    "13": (-0.7, 100.8),
    "14": (0.5, 101.4),
    "15": (-1.6, 103.6),
    "16": (-3.3, 104.0),
    "17": (-3.8, 102.3),
    "18": (-4.6, 105.2),
    "19": (-2.7, 106.4),
    "21": (3.9, 108.1),
    "31": (-6.2, 106.8),
    "32": (-6.9, 107.6),
    "33": (-7.2, 110.4),
    "34": (-7.8, 110.4),
    "35": (-7.5, 112.2),
    "36": (-6.4, 106.1),
    "51": (-8.4, 115.2),
    "52": (-8.6, 117.4),
    "53": (-8.7, 121.1),
    "61": (0.0, 110.4),
    "62": (-1.7, 113.4),
    "63": (-3.1, 115.3),
    "64": (0.5, 116.4),
    "65": (3.1, 116.0),
    "71": (0.6, 124.0),
    "72": (-1.4, 121.4),
    "73": (-3.7, 120.0),
    "74": (-4.1, 122.2),
    "75": (0.7, 122.4),
    "76": (-2.8, 119.2),
    "81": (-3.2, 129.5),
    "82": (1.6, 127.8),
    "91": (-4.3, 138.1),
    "92": (-1.3, 133.2),
    "93": (-4.1, 138.1),
    "94": (-4.0, 137.9),
    "95": (-6.1, 140.3),
    "96": (-1.0, 131.5),
}
PALANGKA_RAYA = "62.71"
KAWASAN_VILLAGE = "62.71.04.1002"  # Kalampangan, Sabangau
KAWASAN_NAME = "Kawasan IKM Pengolahan Kayu Palangka Raya"
CHOPSTICK_MAKER = "CV Sumpit Borneo Lestari"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL database (default {DEFAULT_URL})")
    parser.add_argument("-n", "--units", type=int, default=1_000_000, help="number of IKM units (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--reset", action="store_true", help="empty the registry tables first (regions are kept)")
    return parser.parse_args(argv)


def ensure_database(url: str) -> None:
    import psycopg

    dbname = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
            print(f"created database {dbname}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DATABASE_POOL"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
    import django

    django.setup()


class Timer:
    def __init__(self):
        self.start = time.perf_counter()
        self.last = self.start

    def step(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<48} {now - self.last:7.1f} s")
        self.last = now


class Copier:
    """COPY rows of one model into its table, filling fields the generator does not set with their default.

    Each table gets a connection of its own: PostgreSQL runs one COPY at a time per connection, and the
    generator writes a unit, its figures and its ratings together."""

    def __init__(self, url: str, model):
        self.url, self.model = url, model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for field in self.fields:
            if field.has_default():
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
            elif field.get_internal_type() in ("CharField", "TextField", "FileField", "EmailField"):
                self.defaults[field.attname] = ""
        self.count = 0

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(self.url)
        # No FK triggers: the generator builds consistent data, and checking a million rows costs minutes.
        self.conn.execute("SET session_replication_role = replica")
        columns = ", ".join(f'"{c}"' for c in self.columns)
        self._copy_cm = self.conn.cursor().copy(f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN')
        self.copy = self._copy_cm.__enter__()
        return self

    def write(self, values: dict) -> None:
        row = []
        for field in self.fields:
            name = field.attname
            row.append(values[name] if name in values else self.defaults[name])
        self.copy.write_row(row)
        self.count += 1

    def __exit__(self, *exc):
        try:
            self._copy_cm.__exit__(*exc)
            if exc[0] is None:
                self.conn.commit()
        finally:
            self.conn.close()


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("generate_registry needs PostgreSQL (COPY): pass --database-url postgres://...")
    ensure_database(args.database_url)
    setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from ikm_registry.models import KBLI, IKMUnit, Region, RegionLevel, Sector
    from ikm_registry.reference_data import load_reference_data
    from ikm_registry.regions_loader import load_regions

    timer = Timer()
    print(f"Generating {args.units:,} units into {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    timer.step("migrate")
    if Region.objects.filter(level=RegionLevel.VILLAGE).count() < 80_000:
        load_regions()
        timer.step("load_regions (all of Indonesia)")
    load_reference_data()
    ensure_kbli(KBLI, Sector)

    if IKMUnit.objects.exists():
        if not args.reset:
            raise SystemExit(f"{IKMUnit.objects.count():,} units already exist; pass --reset to rebuild.")
        reset_registry(connection)
        timer.step("reset registry tables")

    generator = RegistryGenerator(args.units, args.seed)
    with connection.cursor() as cursor:
        dropped = drop_secondary_indexes(cursor)
        timer.step(f"drop {len(dropped)} secondary indexes")
        generator.write_all(args.database_url, timer)
        write_code_sequences(cursor, generator.registry_counters)
        fix_sequences(cursor)
        for sql in dropped:
            cursor.execute(sql)
        timer.step(f"rebuild {len(dropped)} indexes")
    # VACUUM sets the visibility map, so that counts and facets read indexes only.
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timer.step("vacuum analyze")
    print(
        f"Done in {time.perf_counter() - timer.start:.0f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in generator.counts.items())
    )


def ensure_kbli(KBLI, Sector) -> None:
    """Every sector needs KBLI codes; the shipped list is used when present, a small fallback otherwise."""
    for code, pairs in FALLBACK_KBLI.items():
        if not KBLI.objects.filter(sector_id=code).exists():
            for kbli_code, title in pairs:
                KBLI.objects.get_or_create(code=kbli_code, edition="2020", defaults={"title": title, "sector_id": code})


REGISTRY_TABLES = [
    "ikm_registry_ikmunit",
    "sentra_sentra",
    "ikm_registry_registrycodesequence",
]


def reset_registry(connection) -> None:
    with connection.cursor() as cursor:
        # CASCADE empties everything that points at units or sentra (figures, ratings, memberships, ...).
        cursor.execute(f"TRUNCATE {', '.join(REGISTRY_TABLES)} CASCADE")
        history = [
            t
            for t in connection.introspection.table_names(cursor)
            if t.startswith(("ikm_registry_historical", "sentra_historical"))
        ]
        if history:
            cursor.execute(f"TRUNCATE {', '.join(history)}")


LOADED_TABLES = [
    "ikm_registry_ikmunit",
    "ikm_registry_yearlyfigures",
    "ikm_registry_certificate",
    "ikm_registry_product",
    "ikm_registry_ovoprating",
    "sentra_sentra",
    "sentra_sentramembership",
]


def drop_secondary_indexes(cursor) -> list[str]:
    """Drop the loaded tables' indexes that back no constraint; return the statements that rebuild them."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [LOADED_TABLES],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def write_code_sequences(cursor, counters: dict[str, int]) -> None:
    """Registry codes handed out here must not be handed out again by the admin."""
    for regency, last in counters.items():
        cursor.execute(
            "INSERT INTO ikm_registry_registrycodesequence (regency_id, last_value) VALUES (%s, %s) "
            "ON CONFLICT (regency_id) DO UPDATE SET last_value = GREATEST(EXCLUDED.last_value, "
            "ikm_registry_registrycodesequence.last_value)",
            [regency, last],
        )


def fix_sequences(cursor) -> None:
    for table in LOADED_TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


class RegistryGenerator:
    def __init__(self, units: int, seed: int):
        from ikm_registry.models import KBLI, Region, RegionKind, RegionLevel

        self.n = units
        self.rng = random.Random(seed)
        self.counts: dict[str, int] = {}
        self.today = datetime.date(2026, 11, 23)
        villages = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, is_active=True).values_list("code", "kind", "name")
        )
        self.village_names = {code: name for code, _, name in villages}
        # Kelurahan (towns) hold more industry than desa; Palangka Raya gets its ~3,800 units (DOMAIN.md).
        weights = [3.0 if kind == RegionKind.KELURAHAN else 1.0 for _, kind, _ in villages]
        total = sum(weights)
        pr = [i for i, (code, _, _) in enumerate(villages) if code.startswith(PALANGKA_RAYA + ".")]
        pr_weight = sum(weights[i] for i in pr)
        target = min(3_800 / units, 0.5) * total
        for i in pr:
            weights[i] *= target / pr_weight
        self.village_codes = [code for code, _, _ in villages]
        # Cumulative weights once: random.choices would otherwise add up 83,762 weights on every call.
        self.village_cum_weights = list(itertools.accumulate(weights))
        self.kbli_by_sector: dict[str, list[int]] = {}
        for pk, sector in KBLI.objects.exclude(sector__isnull=True).values_list("pk", "sector_id"):
            self.kbli_by_sector.setdefault(sector, []).append(pk)
        self.sectors = list(SECTOR_WEIGHTS)
        self.sector_weights = list(SECTOR_WEIGHTS.values())
        self.registry_counters: dict[str, int] = {}
        self.nik_serial: dict[str, int] = {}
        self.next_id = {"unit": 1, "figures": 1, "cert": 1, "product": 1, "rating": 1, "sentra": 1, "member": 1}

    # --- helpers ------------------------------------------------------------------------------------------
    def new_id(self, kind: str) -> int:
        value = self.next_id[kind]
        self.next_id[kind] = value + 1
        return value

    def registry_code(self, village: str) -> str:
        regency = village[:5]
        value = self.registry_counters.get(regency, 0) + 1
        self.registry_counters[regency] = value
        return f"IKM-{regency.replace('.', '')}-{value:06d}"

    def business_name(self, product: str, village: str) -> str:
        rng = self.rng
        prefix = rng.choice(NAME_PREFIX)
        style = rng.random()
        if style < 0.4:
            core = f"{rng.choice(NAME_WORD_A)} {rng.choice(NAME_WORD_B)}"
        elif style < 0.75:
            core = f"{product.split()[0]} {rng.choice(NAME_WORD_A)}"
        else:
            core = f"{product} {self.village_names[village]}"
        return f"{prefix} {core}".strip()

    def owner(self) -> tuple[str, str]:
        rng = self.rng
        gender = "P" if rng.random() < 0.45 else "L"
        first = rng.choice(FIRST_NAMES_F if gender == "P" else FIRST_NAMES_M)
        return f"{first} {rng.choice(LAST_NAMES)}", gender

    def nik(self, village: str, gender: str) -> str:
        district = village[:8].replace(".", "")
        serial = self.nik_serial.get(district, 0) + 1
        self.nik_serial[district] = serial
        day = self.rng.randint(1, 28) + (40 if gender == "P" else 0)
        return f"{district}{day:02d}{self.rng.randint(1, 12):02d}{self.rng.randint(60, 99):02d}{serial:04d}"

    def moment(self, start_year: int) -> datetime.datetime:
        start = datetime.datetime(start_year, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
        return start + (end - start) * self.rng.random()

    # --- plan ---------------------------------------------------------------------------------------------
    def plan_sentra(self) -> list[dict]:
        """Sentra and kawasan first: their members are generated in their village with their sector."""
        from ikm_registry.models import Region

        rng = self.rng
        plans = [
            {
                "name": KAWASAN_NAME,
                "kind": "kawasan",
                "village": KAWASAN_VILLAGE,
                "sector": "KAYU",
                "commodity": "Mebel dan kerajinan kayu",
                "members": 40,
                "area": Decimal("14.00"),
                "year_formed": 2012,
                "products": ["Meja kayu", "Kursi kayu", "Lemari", "Kerajinan kayu"],
            }
        ]
        count = max(self.n // 120, 1)
        kinds = ["sentra"] * 16 + ["kawasan", "lik", "pik", "suik"]
        for i in range(count):
            sector = rng.choices(self.sectors, self.sector_weights)[0]
            product = rng.choice(PRODUCTS[sector])
            village = rng.choices(self.village_codes, cum_weights=self.village_cum_weights)[0]
            kind = rng.choice(kinds)
            # One in ten below the legal minimum of five members: flagged, not refused.
            members = rng.randint(2, 4) if rng.random() < 0.1 else rng.randint(5, 45)
            label = {"sentra": "Sentra", "kawasan": "Kawasan IKM", "lik": "LIK", "pik": "PIK", "suik": "SUIK"}[kind]
            plans.append(
                {
                    "name": f"{label} {product} {self.village_names[village]}"
                    + (f" {i}" if rng.random() < 0.05 else ""),
                    "kind": kind,
                    "village": village,
                    "sector": sector,
                    "commodity": product,
                    "members": members,
                    "area": Decimal(rng.randint(50, 3000)) / 100 if kind != "sentra" else None,
                    "year_formed": rng.randint(1995, 2024),
                    "products": [product],
                }
            )
        assert Region.objects.filter(code=KAWASAN_VILLAGE).exists(), "load_regions first"
        return plans

    # --- writing --------------------------------------------------------------------------------------------
    def write_all(self, url: str, timer: Timer) -> None:
        from ikm_registry.models import (
            Certificate,
            IKMUnit,
            OVOPRating,
            Product,
            YearlyFigures,
        )
        from sentra.models import Sentra, SentraMembership

        sentra_plans = self.plan_sentra()
        member_total = sum(p["members"] for p in sentra_plans)
        with (
            Copier(url, IKMUnit) as units,
            Copier(url, YearlyFigures) as figures,
            Copier(url, Certificate) as certificates,
            Copier(url, Product) as products,
            Copier(url, OVOPRating) as ratings,
            Copier(url, Sentra) as sentra,
            Copier(url, SentraMembership) as memberships,
        ):
            writers = {
                "units": units,
                "figures": figures,
                "certificates": certificates,
                "products": products,
                "ratings": ratings,
            }
            for plan in sentra_plans:
                sentra_id = self.write_sentra(sentra, plan)
                for k in range(plan["members"]):
                    unit_id = self.write_unit(
                        writers,
                        village=plan["village"],
                        sector=plan["sector"],
                        product=plan["products"][k % len(plan["products"])],
                        kawasan=plan["name"] == KAWASAN_NAME,
                        chopsticks=plan["name"] == KAWASAN_NAME and k == 7,
                    )
                    self.write_membership(memberships, sentra_id, unit_id, plan["year_formed"])
            for i in range(max(self.n - member_total, 0)):
                village = self.rng.choices(self.village_codes, cum_weights=self.village_cum_weights)[0]
                sector = self.rng.choices(self.sectors, self.sector_weights)[0]
                self.write_unit(writers, village=village, sector=sector, product=self.rng.choice(PRODUCTS[sector]))
                if i and i % 200_000 == 0:
                    timer.step(f"  ... {units.count:,} units")
            self.counts = {
                "units": units.count,
                "yearly figures": figures.count,
                "certificates": certificates.count,
                "products": products.count,
                "OVOP ratings": ratings.count,
                "sentra": sentra.count,
                "memberships": memberships.count,
            }
        timer.step("COPY " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))

    def write_sentra(self, copier: Copier, plan: dict) -> int:
        village = plan["village"]
        parts = village.split(".")
        sentra_id = self.new_id("sentra")
        formal = plan["name"] == KAWASAN_NAME or self.rng.random() < 0.4
        copier.write(
            {
                "id": sentra_id,
                "code": f"S-{parts[0]}{parts[1]}-{sentra_id:05d}",
                "name": plan["name"],
                "kind": plan["kind"],
                "status": "formal" if formal else "non_formal",
                "decree_number": f"188.45/{sentra_id}/{plan['year_formed']}" if formal else "",
                "decree_date": datetime.date(plan["year_formed"], 6, 1) if formal else None,
                "village_id": village,
                "district_id": ".".join(parts[:3]),
                "regency_id": ".".join(parts[:2]),
                "province_id": parts[0],
                "main_commodity": plan["commodity"],
                "sector_id": plan["sector"],
                "year_formed": plan["year_formed"],
                "area_hectares": plan["area"],
                "managing_body": "UPT Pengelola Kawasan" if plan["kind"] != "sentra" else "Kelompok usaha bersama",
                "shared_facilities": "Rumah produksi bersama, gudang bahan baku" if plan["kind"] != "sentra" else "",
                "description": f"{plan['commodity']} di {self.village_names[village]}.",
            }
        )
        return sentra_id

    def write_membership(self, copier: Copier, sentra_id: int, unit_id: int, year_formed: int) -> None:
        joined = datetime.date(self.rng.randint(max(year_formed, 2000), 2024), self.rng.randint(1, 12), 1)
        # A few members have left: reports for earlier years still count them.
        left = joined + datetime.timedelta(days=self.rng.randint(200, 700)) if self.rng.random() < 0.05 else None
        if left and left > self.today:
            left = None
        copier.write(
            {
                "id": self.new_id("member"),
                "sentra_id": sentra_id,
                "unit_id": unit_id,
                "joined_on": joined,
                "left_on": left,
            }
        )

    def write_unit(self, w: dict, *, village: str, sector: str, product: str, kawasan=False, chopsticks=False) -> int:
        from ikm_registry import personal_data
        from ikm_registry.models import classify_size

        rng = self.rng
        unit_id = self.new_id("unit")
        parts = village.split(".")
        owner_name, gender = self.owner()
        r = rng.random()
        reach = "lokal" if r < 0.6 else "regional" if r < 0.85 else "nasional" if r < 0.97 else "ekspor"
        destinations = ", ".join(rng.sample(EXPORT_COUNTRIES, rng.randint(1, 2))) if reach == "ekspor" else ""
        name = self.business_name(product, village)
        brand = f"{rng.choice(NAME_WORD_A)} {product.split()[0]}" if rng.random() < 0.6 else ""
        main_products = product if rng.random() < 0.6 else f"{product}, {rng.choice(PRODUCTS[sector])}"
        # The mix the public pages must filter: most verified and active, the rest in every other state.
        v = rng.random()
        verification = "verified" if v < 0.85 else "submitted" if v < 0.90 else "draft" if v < 0.96 else "returned"
        s = rng.random()
        status = "aktif" if s < 0.88 else "tidak_aktif" if s < 0.95 else "tutup"
        if chopsticks:
            name, brand, main_products = CHOPSTICK_MAKER, "Hashi Borneo", "Sumpit kayu (ekspor ke Jepang)"
            reach, destinations = "ekspor", "Jepang"
        if kawasan:
            verification, status = "verified", "aktif"
        created = self.moment(2019)
        updated = created + datetime.timedelta(days=rng.randint(0, 400))
        updated = min(updated, datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC))
        has_nik = rng.random() < 0.35
        nik = self.nik(village, gender) if has_nik else ""
        coords = PROVINCE_CENTRES.get(parts[0]) if rng.random() < 0.2 or kawasan else None
        if kawasan:
            coords = (-2.289, 114.0)  # Kalampangan
        values = {
            "id": unit_id,
            "registry_code": self.registry_code(village),
            "nib": f"{rng.randint(1, 9)}{unit_id:012d}" if rng.random() < 0.45 else None,
            "business_name": name,
            "brand": brand,
            "legal_form": "cv" if name.startswith("CV") else "pt" if name.startswith("PT") else "perorangan",
            "year_established": rng.randint(1985, 2024),
            "owner_name": owner_name,
            "owner_gender": gender,
            "owner_nik_encrypted": personal_data.encrypt_nik(nik) if nik else "",
            "owner_nik_hash": personal_data.nik_lookup_hash(nik) if nik else None,
            "owner_phone": f"+628{rng.randint(11, 59)}{rng.randint(1000000, 99999999)}" if rng.random() < 0.8 else "",
            "owner_email": f"{owner_name.split()[0].lower()}{unit_id}@example.id" if rng.random() < 0.3 else "",
            "publish_contact": rng.random() < 0.3,
            "address": f"Jl. {rng.choice(NAME_WORD_A)} {rng.choice(NAME_WORD_B)} No. {rng.randint(1, 200)}",
            "village_id": village,
            "district_id": ".".join(parts[:3]),
            "regency_id": ".".join(parts[:2]),
            "province_id": parts[0],
            "latitude": Decimal(f"{coords[0] + rng.uniform(-0.3, 0.3):.6f}") if coords else None,
            "longitude": Decimal(f"{coords[1] + rng.uniform(-0.3, 0.3):.6f}") if coords else None,
            "kbli_id": rng.choice(self.kbli_by_sector[sector]) if sector in self.kbli_by_sector else None,
            "sector_id": sector,
            "main_products": main_products,
            "marketing_reach": reach,
            "export_destinations": destinations,
            "status": status,
            "status_date": (created + datetime.timedelta(days=rng.randint(30, 600))).date()
            if status != "aktif"
            else None,
            "verification_status": verification,
            "return_reason": "Data tenaga kerja belum lengkap." if verification == "returned" else "",
            "verified_at": updated if verification == "verified" else None,
            "created_at": created,
            "updated_at": updated,
        }
        # Yearly figures: most units report the last two or three years; one in ten has none yet.
        years = [] if rng.random() < 0.1 else FIGURE_YEARS[rng.randint(0, 2) :]
        size_class, latest_year = "", None
        workers = rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 19, 25, 40]) + (10 if kawasan else 0)
        investment = rng.choice([5, 20, 50, 150, 400, 900, 1500, 5000, 16000]) * 1_000_000
        for year in years:
            workers = max(1, workers + rng.randint(-1, 2))
            male = rng.randint(0, workers)
            production = investment * rng.randint(2, 6) // 2
            size_class = classify_size(workers, investment)
            latest_year = year
            w["figures"].write(
                {
                    "id": self.new_id("figures"),
                    "unit_id": unit_id,
                    "year": year,
                    "workers_male": male,
                    "workers_female": workers - male,
                    "investment_value": investment,
                    "land_building_investment": investment // 2,
                    "production_capacity": Decimal(rng.randint(100, 10000)),
                    "capacity_unit": "unit/tahun",
                    "production_value": production,
                    "raw_material_value": production * 45 // 100,
                    "export_value": production // 3 if reach == "ekspor" else 0,
                    "fuel_cost": production // 50,
                    "size_class": size_class,
                }
            )
        values["size_class"], values["latest_figures_year"] = size_class, latest_year
        w["units"].write(values)
        if rng.random() < 0.4:
            for kind in rng.sample(CERT_KINDS, rng.randint(1, 2)):
                issued = datetime.date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
                w["certificates"].write(
                    {
                        "id": self.new_id("cert"),
                        "unit_id": unit_id,
                        "kind": kind,
                        "number": f"{kind.upper()}-{unit_id:08d}",
                        "issued_on": issued,
                        "expires_on": issued.replace(year=issued.year + 3) if kind in ("tkdn_ik", "bpom_md") else None,
                    }
                )
        if rng.random() < 0.3:
            w["products"].write(
                {
                    "id": self.new_id("product"),
                    "unit_id": unit_id,
                    "name": main_products.split(",")[0],
                    "capacity": Decimal(rng.randint(100, 5000)),
                    "capacity_unit": "unit/bulan",
                    "value": rng.randint(5, 500) * 1_000_000,
                }
            )
        if chopsticks or rng.random() < 0.015:
            self.write_ratings(w["ratings"], unit_id, main_products.split(",")[0], sector, chopsticks)
        return unit_id

    def write_ratings(self, copier: Copier, unit_id: int, product: str, sector: str, chopsticks: bool) -> None:
        from ikm_registry.models import fostering_level_for

        # Stars in the proportions of the 2013 national round; two rounds, the later one current.
        stars = 4 if chopsticks else self.rng.choices([1, 2, 3, 4, 5], [3, 11, 13, 9, 2])[0]
        rounds = [2024] if self.rng.random() < 0.6 else [2022, 2024]
        for year in rounds:
            given = stars if year == rounds[-1] else max(1, stars - 1)
            copier.write(
                {
                    "id": self.new_id("rating"),
                    "unit_id": unit_id,
                    "product_name": product,
                    "category_id": sector,
                    "assessment_year": year,
                    "stars": given,
                    "fostering_level": fostering_level_for(given),
                    "certificate_number": f"OVOP/{year}/{unit_id}",
                    "assessing_body": "Kementerian Perindustrian",
                }
            )


if __name__ == "__main__":
    main()
