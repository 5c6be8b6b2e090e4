"""Demo data in real places (DOMAIN.md): Palangka Raya's wood-processing kawasan and city, Banjarmasin's sentra
kelurahan, and a spread over Kalimantan Barat; one staff account per role with its region.

Deterministic (a seeded random generator, and the year taken from today's date) and idempotent: every unit is
found again by its name and village, so running `seed_demo` twice changes nothing. The accounts share the
password DEMO_PASSWORD, for demonstrations only.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from ikm_registry.demo_data import BRAND_WORDS, CITY_CENTRES, FEMALE_NAMES, LINES, MALE_NAMES, RETURN_REASONS, Line
from ikm_registry.models import (
    KBLI,
    Certificate,
    CertificateKind,
    IKMUnit,
    Product,
    Region,
    RegionLevel,
    Role,
    StaffProfile,
    UnitStatus,
    VerificationStatus,
    YearlyFigures,
)

DEMO_PASSWORD = "demo12345"
SEED = 20261123

# The Palangka Raya wood-processing kawasan (14 ha, 40 production units) lies along Jalan Tjilik Riwut in
# Kelurahan Bukit Tunggal, Kecamatan Jekan Raya. Other demo modules (sentra) import these constants.
KAWASAN_VILLAGE = "62.71.03.1003"
CHOPSTICK_MAKER = "CV Sumpit Borneo Lestari"
BANJARMASIN_SENTRA_VILLAGES = {
    "sasirangan": ["63.71.03.1003", "63.71.04.1004", "63.71.05.1007"],  # Pelambuan, Sungai Jingah, Seberang Mesjid
    "ikan": ["63.71.03.1007", "63.71.04.1009"],  # Kuin Selatan, Kuin Utara
    "tanggui": ["63.71.03.1008"],  # Kuin Cerucuk
    "kue": ["63.71.04.1006"],  # Surgi Mufti
    "kayu": ["63.71.04.1001"],  # Alalak Tengah
}
DEMO_PROVINCES = ["61", "62", "63"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # a Role value, or "" for the superuser
    region: str | None  # home region code; None for national
    office: str
    first_name: str
    last_name: str


ACCOUNTS = [
    DemoAccount("admin", "", None, "Kementerian Perindustrian (demo)", "Admin", "Nasional"),
    DemoAccount("operator_palangkaraya", Role.OPERATOR, "62.71", "DPKUKMP Kota Palangka Raya", "Dewi", "Lestari"),
    DemoAccount(
        "verifikator_palangkaraya", Role.VERIFIKATOR, "62.71", "DPKUKMP Kota Palangka Raya", "Yohanes", "Tingang"
    ),
    DemoAccount("pimpinan_palangkaraya", Role.PIMPINAN, "62.71", "DPKUKMP Kota Palangka Raya", "Hendra", "Saputra"),
    DemoAccount("admin_palangkaraya", Role.ADMIN, "62.71", "DPKUKMP Kota Palangka Raya", "Rina", "Marlina"),
    DemoAccount("operator_banjarmasin", Role.OPERATOR, "63.71", "Disperindag Kota Banjarmasin", "Noorjannah", "Fitri"),
    DemoAccount("verifikator_banjarmasin", Role.VERIFIKATOR, "63.71", "Disperindag Kota Banjarmasin", "Ahmad", "Rusdi"),
    DemoAccount("pimpinan_banjarmasin", Role.PIMPINAN, "63.71", "Disperindag Kota Banjarmasin", "Gusti", "Hairani"),
    DemoAccount("admin_kalteng", Role.ADMIN, "62", "Disperindag Provinsi Kalimantan Tengah", "Antonius", "Ngabe"),
    DemoAccount("pimpinan_kalteng", Role.PIMPINAN, "62", "Disperindag Provinsi Kalimantan Tengah", "Maria", "Ulfah"),
    DemoAccount("operator_kalbar", Role.OPERATOR, "61", "Disperindag Provinsi Kalimantan Barat", "Fajar", "Ramadhan"),
    DemoAccount(
        "verifikator_kalbar", Role.VERIFIKATOR, "61", "Disperindag Provinsi Kalimantan Barat", "Lina", "Susanti"
    ),
    DemoAccount("admin_kalbar", Role.ADMIN, "61", "Disperindag Provinsi Kalimantan Barat", "Rizal", "Effendi"),
]


@dataclass
class UnitSpec:
    """One demo unit, fully decided before anything touches the database."""

    village: str
    line: str
    business_name: str
    brand: str
    owner_name: str
    owner_gender: str
    birth: datetime.date
    year_established: int
    nib: str | None
    phone: str
    publish_contact: bool
    coordinates: tuple[float, float] | None
    reach: str
    export_destinations: str
    status: str
    status_date: datetime.date | None
    verification: str
    return_reason: str
    figures: list[dict] = field(default_factory=list)
    products: list[dict] = field(default_factory=list)
    certificates: list[dict] = field(default_factory=list)
    sector: str = ""
    kbli: str = ""  # defaults to the line's KBLI
    legal_form: str = ""  # defaults to UD with a NIB, perorangan without


@dataclass
class SeedResult:
    accounts_created: int = 0
    units_created: int = 0
    units_existing: int = 0
    programmes: str = ""


class DemoPlanner:
    """Builds the list of UnitSpecs from the seeded generator and the real village lists."""

    def __init__(self, villages_by_district: dict[str, list[str]], districts_by_regency: dict[str, list[str]]):
        self.rng = random.Random(SEED)
        self.this_year = timezone.localdate().year
        self.villages_by_district = villages_by_district
        self.districts_by_regency = districts_by_regency
        self.names_used: set[tuple[str, str]] = set()
        self.nib_counter = 0
        self.specs: list[UnitSpec] = []

    def villages_in(self, region_code: str) -> list[str]:
        if region_code.count(".") == 3:
            return [region_code]
        if region_code.count(".") == 2:
            return self.villages_by_district.get(region_code, [])
        return [v for d in self.districts_by_regency.get(region_code, []) for v in self.villages_by_district[d]]

    def add(self, region_code: str, count: int, lines: list[str], **overrides) -> list[UnitSpec]:
        villages = self.villages_in(region_code)
        if not villages:
            return []
        added = []
        for _ in range(count):
            village = self.rng.choice(villages)
            line = self.rng.choice(lines)
            added.append(self.spec(village, line, **overrides))
        return added

    def spec(self, village: str, line_key: str, **overrides) -> UnitSpec:
        rng, line = self.rng, LINES[line_key]
        gender = "P" if rng.random() < line.female_share + 0.1 else "L"
        owner = rng.choice(FEMALE_NAMES if gender == "P" else MALE_NAMES)
        brand = rng.choice(BRAND_WORDS)
        name = overrides.pop("business_name", None) or f"{rng.choice(line.prefixes)} {brand}"
        base, n = name, 2
        while (name, village) in self.names_used:
            name = f"{base} {n}"
            n += 1
        self.names_used.add((name, village))

        regency = ".".join(village.split(".")[:2])
        centre = CITY_CENTRES.get(regency)
        coordinates = None
        if centre and rng.random() < 0.8:
            coordinates = (
                round(centre[0] + rng.uniform(-0.03, 0.03), 6),
                round(centre[1] + rng.uniform(-0.03, 0.03), 6),
            )
        nib = None
        if rng.random() < 0.65:
            self.nib_counter += 1
            nib = f"9120{SEED % 1000:03d}{self.nib_counter:06d}"
        roll = rng.random()
        verification = (
            VerificationStatus.VERIFIED
            if roll < 0.8
            else VerificationStatus.SUBMITTED
            if roll < 0.88
            else VerificationStatus.DRAFT
            if roll < 0.95
            else VerificationStatus.RETURNED
        )
        status_roll = rng.random()
        status, status_date = UnitStatus.AKTIF, None
        if status_roll > 0.97:
            status, status_date = (
                UnitStatus.TUTUP,
                datetime.date(self.this_year - 1, rng.randint(1, 12), rng.randint(1, 28)),
            )
        elif status_roll > 0.94:
            status, status_date = UnitStatus.TIDAK_AKTIF, datetime.date(self.this_year - 1, rng.randint(1, 12), 1)
        reach = rng.choice(line.reach)
        spec = UnitSpec(
            village=village,
            line=line_key,
            business_name=name,
            brand=brand,
            owner_name=owner,
            owner_gender=gender,
            birth=datetime.date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28)),
            year_established=rng.randint(1995, self.this_year - 1),
            nib=nib,
            phone=f"+628{rng.choice(['11', '12', '13', '21', '52', '53', '57'])}{rng.randint(10_000_000, 99_999_999)}",
            publish_contact=rng.random() < 0.5,
            coordinates=coordinates,
            reach=reach,
            export_destinations="",
            status=status,
            status_date=status_date,
            verification=verification,
            return_reason=rng.choice(RETURN_REASONS) if verification == VerificationStatus.RETURNED else "",
            sector=line.sector,
        )
        for key, value in overrides.items():
            setattr(spec, key, value)
        self.add_figures(spec, line)
        self.add_products_and_certificates(spec, line)
        self.specs.append(spec)
        return spec

    def add_figures(self, spec: UnitSpec, line: Line, scale: float = 1.0) -> None:
        rng = self.rng
        workers = rng.randint(*line.workers)
        investment = round(rng.randint(*line.investment) * scale, -5)
        # A few units have grown past the small-industry limits (naik kelas): by investment or by workers.
        growth_roll = rng.random()
        if growth_roll < 0.05:
            investment = round(rng.randint(1_100_000_000, 4_000_000_000), -5)
        elif growth_roll < 0.08:
            workers = rng.randint(20, 45)
        female = round(workers * min(max(line.female_share + rng.uniform(-0.2, 0.2), 0), 1))
        production = round(rng.randint(*line.production) * scale, -5)
        for year in (self.this_year - 1, self.this_year):
            if year < spec.year_established:
                continue
            growth = 1.0 if year == self.this_year - 1 else rng.uniform(0.95, 1.15)
            spec.figures.append(
                {
                    "year": year,
                    "workers_male": workers - female,
                    "workers_female": female + (1 if growth > 1.1 else 0),
                    "investment_value": round(investment * growth, -5),
                    "land_building_investment": round(investment * rng.uniform(0.2, 1.0), -5),
                    "production_value": round(production * growth, -5),
                    "raw_material_value": round(production * growth * rng.uniform(0.35, 0.55), -5),
                    "export_value": 0,
                    "fuel_cost": round(production * 0.02, -3),
                    "electricity_kwh": rng.randint(1_200, 24_000),
                    "capacity_unit": line.products[0][1],
                    "production_capacity": rng.randint(1_000, 20_000),
                }
            )

    def add_products_and_certificates(self, spec: UnitSpec, line: Line) -> None:
        rng = self.rng
        for name, unit in rng.sample(line.products, k=min(len(line.products), rng.randint(1, 2))):
            spec.products.append(
                {
                    "name": name,
                    "capacity": rng.randint(100, 10_000),
                    "capacity_unit": unit,
                    "value": round(rng.randint(5_000_000, 300_000_000), -5),
                }
            )
        year = self.this_year
        province = spec.village[:2]
        if line.food:
            spec.certificates.append(
                {
                    "kind": CertificateKind.PIRT,
                    "number": f"{rng.randint(1, 9)}{spec.village.replace('.', '')[:4]}"
                    f"{rng.randint(10_000_000, 99_999_999)}-{(year + 3) % 100:02d}",
                    "issued_on": datetime.date(year - rng.randint(1, 4), rng.randint(1, 12), 1),
                    "years": 5,
                }
            )
            if rng.random() < 0.7:
                spec.certificates.append(
                    {
                        "kind": CertificateKind.HALAL,
                        "number": f"ID{province}110000{rng.randint(1_000_000, 9_999_999)}",
                        "issued_on": datetime.date(year - rng.randint(0, 3), rng.randint(1, 12), 1),
                        "years": None,
                    }
                )
        if rng.random() < 0.25:
            spec.certificates.append(
                {
                    "kind": CertificateKind.HAKI,
                    "number": f"IDM000{rng.randint(100_000, 999_999)}",
                    "issued_on": datetime.date(year - rng.randint(1, 6), rng.randint(1, 12), 1),
                    "years": 10,
                }
            )
        if line.sector == "KAYU" and rng.random() < 0.2:
            spec.certificates.append(
                {
                    "kind": CertificateKind.TKDN_IK,
                    "number": f"TKDN-IK/{rng.randint(1000, 9999)}/{year - 1}",
                    "issued_on": datetime.date(year - 1, rng.randint(1, 12), 1),
                    "years": 3,
                }
            )


def plan_units(planner: DemoPlanner) -> list[UnitSpec]:
    """The demo registry: ~300 units in the places DOMAIN.md names."""
    p = planner
    # Palangka Raya: the wood-processing kawasan (40 units, one of them the chopstick exporter) ...
    p.spec(
        KAWASAN_VILLAGE,
        "mebel",
        business_name=CHOPSTICK_MAKER,
        brand="Hashi Borneo",
        reach="ekspor",
        export_destinations="Jepang",
        verification=VerificationStatus.VERIFIED,
        return_reason="",
        status=UnitStatus.AKTIF,
        status_date=None,
        nib="9120261100001",
        legal_form="cv",
        kbli="16294",
    )
    chopsticks = p.specs[-1]
    chopsticks.products = [
        {"name": "Sumpit kayu sekali pakai", "capacity": 1_200_000, "capacity_unit": "pasang", "value": 900_000_000},
        {"name": "Sumpit kayu premium", "capacity": 150_000, "capacity_unit": "pasang", "value": 450_000_000},
    ]
    for row in chopsticks.figures:
        row.update(
            workers_male=12,
            workers_female=12,
            investment_value=1_600_000_000,
            export_value=1_100_000_000,
            production_value=1_450_000_000,
            capacity_unit="pasang",
        )
    p.add(KAWASAN_VILLAGE, 39, ["mebel", "mebel", "kusen", "ukiran"])
    # ... and the rest of the city.
    p.add(
        "62.71",
        60,
        [
            "kerupuk_ikan",
            "ikan_salai",
            "kue",
            "roti",
            "batik_bintik",
            "rotan",
            "manik",
            "bengkel_las",
            "pakaian",
            "sabun",
            "kopi",
            "percetakan",
        ],
    )
    # Banjarmasin's sentra kelurahan.
    for village in BANJARMASIN_SENTRA_VILLAGES["sasirangan"]:
        p.add(village, 11, ["sasirangan_kain", "sasirangan_kain", "sasirangan_busana"])
    for village in BANJARMASIN_SENTRA_VILLAGES["ikan"]:
        p.add(village, 8, ["ikan_asin", "kerupuk_ikan", "amplang"])
    p.add(BANJARMASIN_SENTRA_VILLAGES["tanggui"][0], 10, ["tanggui"])
    p.add(BANJARMASIN_SENTRA_VILLAGES["kue"][0], 12, ["kue"])
    p.add(BANJARMASIN_SENTRA_VILLAGES["kayu"][0], 11, ["penggergajian", "mebel", "perahu"])
    # A sawmill the size rule cannot place (at most 19 workers, investment above Rp15 miliar): flagged, not guessed.
    sawmill = p.spec(BANJARMASIN_SENTRA_VILLAGES["kayu"][0], "penggergajian", business_name="Kilang Kayu Barito Raya")
    for row in sawmill.figures:
        row.update(workers_male=16, workers_female=2, investment_value=16_500_000_000)
    p.add("63.71", 20, ["roti", "pakaian", "bengkel_las", "percetakan", "sabun", "kopi"])
    # Kalimantan Barat: Pontianak's lempok, amplang and aloe vera; Singkawang's ceramics; Sambas; the rest spread.
    p.add("61.71.04.1001", 8, ["lidah_buaya"])  # Siantan Hulu, Pontianak Utara
    p.add("61.71", 16, ["lempok", "amplang", "kerupuk_ikan", "kopi", "lidah_buaya", "pakaian"])
    p.add("61.72.05.1001", 8, ["keramik"])  # Sedau, Singkawang Selatan
    exporter = p.spec(
        "61.72.05.1001",
        "keramik",
        business_name="Keramik Naga Sakkok",
        reach="ekspor",
        export_destinations="Malaysia, Taiwan",
        verification=VerificationStatus.VERIFIED,
        status=UnitStatus.AKTIF,
        status_date=None,
    )
    for row in exporter.figures:
        row.update(export_value=row["production_value"] // 3)
    p.add("61.72", 6, ["kue", "amplang", "kopi"])
    p.add("61.01", 12, ["lempok", "tenun", "amplang"])
    for regency in ["61.02", "61.03", "61.04", "61.05", "61.06", "61.07", "61.08", "61.09", "61.10", "61.11", "61.12"]:
        p.add(regency, 4, ["amplang", "kerupuk_ikan", "ikan_asin", "rotan", "tenun", "kue", "kopi", "lempok"])
    return p.specs


def _region_maps(provinces: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    villages: dict[str, list[str]] = {}
    districts: dict[str, list[str]] = {}
    for code, parent in (
        Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.VILLAGE], is_active=True)
        .filter(code__regex=r"^(" + "|".join(provinces) + r")\.")
        .order_by("code")
        .values_list("code", "parent_id")
    ):
        if code.count(".") == 3:
            villages.setdefault(parent, []).append(code)
        else:
            districts.setdefault(parent, []).append(code)
    return villages, districts


def ensure_accounts() -> tuple[dict[str, User], int]:
    """The demo staff accounts, in their groups and home regions. Passwords are set when an account is made."""
    users, created = {}, 0
    for account in ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@demo.ikm.go.id",
                "is_staff": True,
                "is_superuser": account.role == "",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        if account.role:
            user.groups.add(Group.objects.get(name=account.role))
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "home_region_id": account.region,
                "is_national": account.region is None,
                "office_name": account.office,
            },
        )
        users[account.username] = user
    return users, created


def _owner_nik(spec: UnitSpec, serial: int) -> str:
    district = spec.village[:8].replace(".", "")
    day = spec.birth.day + (40 if spec.owner_gender == "P" else 0)
    return f"{district}{day:02d}{spec.birth.month:02d}{spec.birth.year % 100:02d}{serial:04d}"


def _staff_for(village: str, users: dict[str, User], role: str) -> User:
    prefix = {"62.71": "palangkaraya", "63.71": "banjarmasin"}.get(village[:5], "kalbar" if village[:2] == "61" else "")
    return users.get(f"{role.lower()}_{prefix}") or users["admin"]


def create_unit(spec: UnitSpec, serial: int, users: dict[str, User], kbli: dict[str, KBLI]) -> IKMUnit:
    operator = _staff_for(spec.village, users, Role.OPERATOR)
    unit = IKMUnit(
        business_name=spec.business_name,
        brand=spec.brand,
        legal_form=spec.legal_form or ("perorangan" if spec.nib is None else "ud"),
        # A database seeded by an older version of this module may hold the NIB already: leave it empty then.
        nib=spec.nib if spec.nib and not IKMUnit.objects.filter(nib=spec.nib).exists() else None,
        year_established=spec.year_established,
        owner_name=spec.owner_name,
        owner_gender=spec.owner_gender,
        owner_phone=spec.phone,
        owner_email="",
        publish_contact=spec.publish_contact,
        address=f"Jl. {spec.brand} No. {serial % 97 + 1}",
        village_id=spec.village,
        latitude=spec.coordinates[0] if spec.coordinates else None,
        longitude=spec.coordinates[1] if spec.coordinates else None,
        kbli=kbli.get(spec.kbli or LINES[spec.line].kbli),
        sector_id=spec.sector,
        main_products=", ".join(p["name"] for p in spec.products),
        marketing_reach=spec.reach,
        export_destinations=spec.export_destinations,
        status=spec.status,
        status_date=spec.status_date,
    )
    nik = _owner_nik(spec, serial)
    while IKMUnit.objects.with_nik(nik).exists():
        serial += 1000
        nik = _owner_nik(spec, serial % 10_000 or 1)
    unit.set_owner_nik(nik)
    unit._history_user = operator
    unit.save()
    for row in spec.figures:
        figures = YearlyFigures(unit=unit, **row)
        figures._history_user = operator
        figures.save()
    for product in spec.products:
        Product.objects.create(unit=unit, **product)
    for cert in spec.certificates:
        years = cert["years"]
        issued = cert["issued_on"]
        Certificate.objects.create(
            unit=unit,
            kind=cert["kind"],
            number=cert["number"],
            issued_on=issued,
            expires_on=issued.replace(year=issued.year + years) if years else None,
        )
    # The workflow as staff would walk it: submitted by the operator, then verified or returned.
    if spec.verification != VerificationStatus.DRAFT:
        unit.submit()
        unit._history_user = operator
        unit.save()
    if spec.verification in (VerificationStatus.VERIFIED, VerificationStatus.RETURNED):
        verifier = _staff_for(spec.village, users, Role.VERIFIKATOR)
        if spec.verification == VerificationStatus.VERIFIED:
            unit.verify(verifier)
        else:
            unit.return_for_correction(spec.return_reason)
        unit._history_user = verifier
        unit.save()
    return unit


def missing_provinces() -> list[str]:
    present = set(Region.objects.filter(code__in=DEMO_PROVINCES).values_list("code", flat=True))
    return [code for code in DEMO_PROVINCES if code not in present]


def seed_demo() -> SeedResult:
    """Create what is missing of the demo registry; returns what was done."""
    result = SeedResult()
    with transaction.atomic():
        users, result.accounts_created = ensure_accounts()
        villages, districts = _region_maps(DEMO_PROVINCES)
        specs = plan_units(DemoPlanner(villages, districts))
        existing = set(
            IKMUnit.objects.filter(business_name__in={s.business_name for s in specs}).values_list(
                "business_name", "village_id"
            )
        )
        codes = {line.kbli for line in LINES.values()} | {s.kbli for s in specs if s.kbli}
        kbli = {k.code: k for k in KBLI.objects.filter(edition="2020", code__in=codes)}
        for serial, spec in enumerate(specs, start=1):
            if (spec.business_name, spec.village) in existing:
                result.units_existing += 1
                continue
            create_unit(spec, serial, users, kbli)
            result.units_created += 1
    return result
