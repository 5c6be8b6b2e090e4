"""Demo data for sentra, pembinaan, bantuan peralatan and OVOP, in real places (DOMAIN.md).

`seed_programmes()` is called by `seed_demo` after the demo units exist. It is idempotent (every record is
found by a natural key before it is created) and deterministic (no randomness, fixed dates), and it uses the
demo units already in each sentra's kelurahan, creating named units only where there are too few:

- Kota Banjarmasin: sasirangan in Pelambuan, Sungai Jingah and Seberang Mesjid; fish processing in Kuin
  Utara; tanggui hats in Kuin Cerucuk; cakes in Surgi Mufti (four members: flagged below the minimum of
  five); wood processing in Alalak Tengah.
- Kota Palangka Raya: the 14 ha wood-processing kawasan with 40 units, among them a chopstick maker that
  exports to Japan.
- TPL-IKM officers, trainings with participants, follow-up mentoring visits, equipment with condition checks,
  and OVOP ratings in the 2021 and 2023 assessment rounds.
"""

import dataclasses
import datetime
from collections import Counter

from django.db import transaction
from django.db.models import Exists, OuterRef

from ikm_registry.demo import BANJARMASIN_SENTRA_VILLAGES, CHOPSTICK_MAKER, KAWASAN_VILLAGE
from ikm_registry.models import (
    ConditionCheck,
    EquipmentAssistance,
    FieldOfficer,
    IKMUnit,
    MentoringVisit,
    OVOPRating,
    Region,
    TrainingActivity,
    TrainingParticipant,
    UnitStatus,
    VerificationStatus,
    YearlyFigures,
)
from sentra.models import Sentra, SentraMembership

D = datetime.date


@dataclasses.dataclass(frozen=True)
class SentraPlan:
    code: str
    name: str
    kind: str
    village: str
    sectors: tuple[str, ...]  # the sentra's own sector first; demo units of these sectors may join
    commodity: str
    year_formed: int
    members: int
    unit_names: tuple[str, ...]  # used, in order, only when the kelurahan has too few demo units
    products: str
    formal_decree: tuple[str, datetime.date] | None = None
    area_hectares: str | None = None
    managing_body: str = ""
    shared_facilities: str = ""


BANJARMASIN_SENTRA = [
    SentraPlan(
        "6371-SASIRANGAN-PELAMBUAN",
        "Sentra Sasirangan Pelambuan",
        "sentra",
        BANJARMASIN_SENTRA_VILLAGES["sasirangan"][0],
        ("SANDANG",),
        "Kain sasirangan",
        2012,
        8,
        (
            "Sasirangan Ida",
            "Sasirangan Kampung Biru",
            "Galeri Sasirangan Pelambuan",
            "Sasirangan Ummi Salmah",
            "Sasirangan Antasari",
            "Sasirangan Bunga Tanjung",
            "Sasirangan Hayati",
            "Sasirangan Barito",
        ),
        "Kain sasirangan tulis dan cap",
        formal_decree=("188.45/211/KUM/2019", D(2019, 3, 15)),
        managing_body="Kelompok Usaha Bersama Sasirangan Pelambuan",
        shared_facilities="Rumah produksi bersama (pewarnaan dan pengeringan)",
    ),
    SentraPlan(
        "6371-SASIRANGAN-SEI-JINGAH",
        "Sentra Sasirangan Sungai Jingah",
        "sentra",
        BANJARMASIN_SENTRA_VILLAGES["sasirangan"][1],
        ("SANDANG",),
        "Kain sasirangan",
        2015,
        6,
        (
            "Sasirangan Jingah Indah",
            "Sasirangan Martapura Lama",
            "Sasirangan Nur Aini",
            "Sasirangan Irma",
            "Sasirangan Banua",
            "Sasirangan Rahmah",
        ),
        "Kain dan busana sasirangan",
    ),
    SentraPlan(
        "6371-SASIRANGAN-SEB-MESJID",
        "Sentra Sasirangan Kampung Sasirangan",
        "sentra",
        BANJARMASIN_SENTRA_VILLAGES["sasirangan"][2],
        ("SANDANG",),
        "Kain sasirangan",
        2010,
        5,
        (
            "Sasirangan Kampung Sasirangan",
            "Sasirangan Seberang Mesjid",
            "Sasirangan Fatimah",
            "Sasirangan Zahra",
            "Sasirangan Galuh",
        ),
        "Kain sasirangan dan suvenir",
        formal_decree=("188.45/097/KUM/2016", D(2016, 8, 1)),
        managing_body="Koperasi Kampung Sasirangan",
        shared_facilities="Galeri dan toko bersama",
    ),
    SentraPlan(
        "6371-OLAHAN-IKAN-KUIN",
        "Sentra Pengolahan Ikan Kuin",
        "sentra",
        "63.71.04.1009",  # Kuin Utara
        ("PANGAN",),
        "Olahan ikan (ikan asin, amplang, kerupuk)",
        2014,
        7,
        (
            "Amplang Haruan Kuin",
            "Ikan Asin Kuin Utara",
            "Kerupuk Ikan Pipih Acil Imah",
            "Olahan Ikan Saluang Kuin",
            "Abon Ikan Patin Banua",
            "Ikan Kering Sungai Kuin",
            "Pindang Ikan Kuin",
        ),
        "Ikan asin, amplang, kerupuk ikan",
    ),
    SentraPlan(
        "6371-TANGGUI-KUIN-CERUCUK",
        "Sentra Tanggui Kuin Cerucuk",
        "sentra",
        BANJARMASIN_SENTRA_VILLAGES["tanggui"][0],
        ("KERAJINAN",),
        "Topi tanggui dari daun nipah",
        2008,
        5,
        ("Tanggui Acil Jamilah", "Tanggui Kuin Cerucuk", "Tanggui Nipah Barito", "Tanggui Siti", "Tanggui Bahalap"),
        "Tanggui (topi daun nipah)",
    ),
    SentraPlan(
        "6371-KUE-SURGI-MUFTI",
        "Sentra Kue Tradisional Surgi Mufti",
        "sentra",
        BANJARMASIN_SENTRA_VILLAGES["kue"][0],
        ("PANGAN",),
        "Kue tradisional Banjar",
        2017,
        4,  # below the legal minimum: the admin flags it
        ("Wadai Bingka Surgi Mufti", "Kue Lapis Acil Nor", "Wadai Amparan Tatak", "Kue Cincin Banjar"),
        "Bingka, amparan tatak, kue lapis",
    ),
    SentraPlan(
        "6371-KAYU-ALALAK-TENGAH",
        "Sentra Pengolahan Kayu Alalak Tengah",
        "sentra",
        BANJARMASIN_SENTRA_VILLAGES["kayu"][0],
        ("KAYU", "LMEA"),  # sawmills, furniture and boat builders
        "Olahan kayu (kusen, perahu, mebel)",
        2005,
        6,
        (
            "Kusen Alalak Jaya",
            "Perahu Kayu Alalak",
            "Mebel Sungai Alalak",
            "Panglong Alalak Tengah",
            "Ukiran Kayu Banjar",
            "Mebel Berkah Alalak",
        ),
        "Kusen, jukung, mebel",
    ),
]

KAWASAN_UNIT_NAMES = tuple(
    f"{kind} {name}"
    for kind, name in [
        *[
            (kind, name)
            for name in [
                "Betang Jaya",
                "Isen Mulang",
                "Sinar Kahayan",
                "Tambun Bungai",
                "Bukit Raya",
                "Sabangau Indah",
                "Kereng Bangkirai",
                "Rungan Sari",
                "Habaring Hurung",
                "Huma Betang",
                "Batang Garing",
                "Palangka Jaya",
                "Danum Sari",
                "Mandau Talawang",
                "Bereng Bengkel",
                "Tingang Menteng",
                "Pahandut Baru",
                "Katingan Lestari",
                "Rakumpit Makmur",
                "Barito Raya",
            ]
            for kind in ["Mebel", "Kerajinan Kayu"]
        ],
    ]
)

KAWASAN = SentraPlan(
    "6271-KAWASAN-KAYU",
    "Kawasan IKM Pengolahan Kayu Palangka Raya",
    "kawasan",
    KAWASAN_VILLAGE,
    ("KAYU", "KERAJINAN"),  # furniture, frames and carvings
    "Olahan kayu (meja, kursi, lemari, kerajinan, sumpit)",
    2016,
    40,
    KAWASAN_UNIT_NAMES,
    "Meja, kursi, lemari dan kerajinan kayu",
    formal_decree=("188.45/312/2016", D(2016, 11, 7)),
    area_hectares="14.00",
    managing_body="UPT Kawasan IKM Pengolahan Kayu, Dinas Perdagangan dan Perindustrian Kota Palangka Raya",
    shared_facilities="UPT dengan mesin pengering kayu (oven) dan rumah produksi bersama",
)

OWNER_NAMES = [
    ("Ida Rahmawati", "P"),
    ("Muhammad Ramli", "L"),
    ("Siti Aisyah", "P"),
    ("Ahmad Syarkawi", "L"),
    ("Nor Hasanah", "P"),
    ("Rusdiansyah", "L"),
    ("Fitriani", "P"),
    ("Yohanes Ngabut", "L"),
    ("Marlina Tingang", "P"),
    ("Abdul Gafur", "L"),
    ("Rahmah Hayati", "P"),
    ("Darmawan Silam", "L"),
]

OFFICERS = [
    # name, office, area, contract year
    ("Rahmat Hidayat", "63.71", "63.71.03", 2024),
    ("Nurul Hikmah", "63.71", "63.71.04", 2024),
    ("Fahrurrazi", "63.71", "63.71.05", 2025),
    ("Yunita Sari Dewi", "62.71", "62.71.04", 2024),
    ("Heri Kurniawan", "62.71", "62.71.01", 2025),
    ("Agustinus Lambung", "62.71", "62.71.02", 2025),
]


def seed_programmes() -> dict[str, int]:
    """Create the demo programme data that is missing; return how many records of each kind were created."""
    if not Region.objects.filter(code__in=["63.71.03.1003", "62.71.04.1003"]).count() == 2:
        # Regions of Kalimantan Selatan and Tengah are loaded by `load_regions` first.
        return {}
    created = Counter()
    with transaction.atomic():
        officers = {name: _officer(created, name, office, area, year) for name, office, area, year in OFFICERS}
        sentra = {plan.code: _sentra(created, plan) for plan in BANJARMASIN_SENTRA}
        sentra[KAWASAN.code] = _sentra(created, KAWASAN, first=[_chopstick_maker(created, KAWASAN)])
        _former_member(created, sentra["6371-SASIRANGAN-PELAMBUAN"])
        _banjarmasin_programmes(created, sentra, officers)
        _palangka_raya_programmes(created, sentra[KAWASAN.code], officers)
    return dict(created)


# --- building blocks ----------------------------------------------------------------------------------------


def _get_or_create(created: Counter, model, lookup: dict, defaults: dict | None = None):
    """Find by natural key, else build, validate with the model's own rules, and save."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is not None:
        return obj
    obj = model(**lookup, **(defaults or {}))
    if hasattr(obj, "assign_regions"):  # derived region columns are required by full_clean
        obj.assign_regions()
    obj.full_clean()
    obj.save()
    created[model._meta.model_name] += 1
    return obj


def _officer(created, name, office, area, year) -> FieldOfficer:
    return _get_or_create(
        created,
        FieldOfficer,
        {"name": name, "owner_region_id": office},
        {"assigned_region_id": area, "contract_year": year, "is_tpl_ikm": True, "institution": "TPL-IKM"},
    )


def _figure_seed(name: str) -> int:
    # Deterministic across runs and machines (unlike hash()).
    return sum((i + 1) * ord(c) for i, c in enumerate(name))


def _new_unit(created, plan: SentraPlan, name: str, index: int) -> IKMUnit:
    owner, gender = OWNER_NAMES[index % len(OWNER_NAMES)]
    exporter = name == CHOPSTICK_MAKER
    unit = _get_or_create(
        created,
        IKMUnit,
        {"business_name": name, "village_id": plan.village},
        {
            "brand": name.split(" ", 1)[-1],
            "owner_name": owner,
            "owner_gender": gender,
            "sector_id": plan.sectors[0],
            "main_products": "Sumpit kayu" if exporter else plan.products,
            "year_established": plan.year_formed - (index % 5),
            "marketing_reach": "ekspor" if exporter else ["lokal", "regional", "nasional"][index % 3],
            "export_destinations": "Jepang" if exporter else "",
            "status": UnitStatus.AKTIF,
            "verification_status": VerificationStatus.VERIFIED,
        },
    )
    seed = _figure_seed(name)
    for year in (2023, 2024):
        men, women = 1 + seed % 4, 2 + (seed // 7) % 6
        if not YearlyFigures.objects.filter(unit=unit, year=year).exists():
            YearlyFigures.objects.create(
                unit=unit,
                year=year,
                workers_male=men + (year - 2023),
                workers_female=women,
                investment_value=(60 + seed % 140) * 1_000_000,
                production_value=(150 + seed % 350 + (year - 2023) * 25) * 1_000_000,
                raw_material_value=(70 + seed % 120) * 1_000_000,
                export_value=(400 + seed % 100) * 1_000_000 if exporter else 0,
            )
            created["yearlyfigures"] += 1
    return unit


def _chopstick_maker(created, plan: SentraPlan) -> IKMUnit:
    """The demo registry's chopstick exporter (seed_demo makes it), or one of our own when it is missing."""
    in_city = IKMUnit.objects.filter(regency_id="62.71").order_by("id")
    existing = in_city.filter(business_name=CHOPSTICK_MAKER).first()
    existing = existing or in_city.filter(main_products__icontains="sumpit").first()
    return existing or _new_unit(created, plan, CHOPSTICK_MAKER, 0)


def _sentra(created, plan: SentraPlan, first: list[IKMUnit] = ()) -> Sentra:
    defaults = {
        "name": plan.name,
        "kind": plan.kind,
        "status": "formal" if plan.formal_decree else "non_formal",
        "decree_number": plan.formal_decree[0] if plan.formal_decree else "",
        "decree_date": plan.formal_decree[1] if plan.formal_decree else None,
        "village_id": plan.village,
        "main_commodity": plan.commodity,
        "sector_id": plan.sectors[0],
        "year_formed": plan.year_formed,
        "area_hectares": plan.area_hectares,
        "managing_body": plan.managing_body,
        "shared_facilities": plan.shared_facilities,
    }
    sentra = _get_or_create(created, Sentra, {"code": plan.code}, defaults)
    missing = plan.members - sentra.memberships.filter(left_on__isnull=True).count()
    if missing <= 0:
        return sentra
    # Units that must belong first, then demo units already in the kelurahan and sector, then named ones.
    free = ~Exists(SentraMembership.objects.filter(unit=OuterRef("pk"), left_on__isnull=True))
    candidates = [u for u in first if not u.sentra_memberships.filter(left_on__isnull=True).exists()]
    candidates += list(
        IKMUnit.objects.filter(free, village_id=plan.village, sector_id__in=plan.sectors, status=UnitStatus.AKTIF)
        .exclude(business_name__in=plan.unit_names)
        .exclude(pk__in=[u.pk for u in candidates])
        .order_by("id")[: max(missing - len(candidates), 0)]
    )
    for index, name in enumerate(plan.unit_names):
        if len(candidates) >= missing:
            break
        unit = _new_unit(created, plan, name, index)
        if not SentraMembership.objects.filter(unit=unit, left_on__isnull=True).exists():
            candidates.append(unit)
    for offset, unit in enumerate(candidates[:missing]):
        year = max(plan.year_formed, 2015, unit.year_established or 0)
        joined = D(min(year, 2022), 1 + offset % 12, 1 + (offset * 3) % 27)
        _get_or_create(created, SentraMembership, {"sentra": sentra, "unit": unit, "joined_on": joined})
    return sentra


def _former_member(created, sentra: Sentra) -> None:
    """A unit that left the Pelambuan sentra in 2021: counted for 2020, not for 2023."""
    plan = dataclasses.replace(BANJARMASIN_SENTRA[0], products="Kain sasirangan dan jilbab")
    unit = _new_unit(created, plan, "Sasirangan Kembang Kacang", 11)
    if not SentraMembership.objects.filter(unit=unit).exists():
        _get_or_create(
            created,
            SentraMembership,
            {"sentra": sentra, "unit": unit, "joined_on": D(2015, 5, 1)},
            {"left_on": D(2021, 6, 30)},
        )


def _members(sentra: Sentra, count: int | None = None) -> list[IKMUnit]:
    units = [m.unit for m in sentra.memberships.filter(left_on__isnull=True).select_related("unit").order_by("id")]
    return units[:count] if count else units


def _activity(created, owner: str, title: str, **fields) -> TrainingActivity:
    facilitators = fields.pop("facilitators", [])
    activity = _get_or_create(
        created,
        TrainingActivity,
        {"title": title, "owner_region_id": owner, "fiscal_year": fields.pop("fiscal_year")},
        fields,
    )
    if facilitators and not activity.facilitators.exists():
        activity.facilitators.set(facilitators)
    return activity


def _participants(created, activity: TrainingActivity, units: list[IKMUnit], outcome: str = "") -> None:
    for i, unit in enumerate(units):
        _get_or_create(
            created,
            TrainingParticipant,
            {"activity": activity, "unit": unit, "attendee_name": unit.owner_name},
            {
                "attendee_gender": unit.owner_gender or "P",
                "attended": i % 9 != 8,  # about one in nine registered but did not come
                "outcome": outcome if i % 9 != 8 else "",
            },
        )


def _visit(created, unit, officer, date, problem, advice, activity=None) -> None:
    _get_or_create(
        created,
        MentoringVisit,
        {"unit": unit, "visit_date": date, "officer": officer},
        {"activity": activity, "problem_found": problem, "advice_given": advice},
    )


def _equipment(created, bast: str, checks=(), **fields) -> EquipmentAssistance:
    item = _get_or_create(created, EquipmentAssistance, {"bast_number": bast}, fields)
    for checked_on, condition, officer, note in checks:
        _get_or_create(
            created,
            ConditionCheck,
            {"equipment": item, "checked_on": checked_on},
            {"condition": condition, "officer": officer, "note": note},
        )
    return item


def _rating(created, unit, product, year, stars, category, number="") -> None:
    _get_or_create(
        created,
        OVOPRating,
        {"unit": unit, "product_name": product, "assessment_year": year},
        {
            "stars": stars,
            "category_id": category,
            "certificate_number": number,
            "assessing_body": "Kementerian Perindustrian (Direktorat Jenderal IKMA)",
        },
    )


# --- the programmes -----------------------------------------------------------------------------------------


def _banjarmasin_programmes(created, sentra: dict[str, Sentra], officers: dict[str, FieldOfficer]) -> None:
    rahmat, nurul, fahrur = officers["Rahmat Hidayat"], officers["Nurul Hikmah"], officers["Fahrurrazi"]
    pelambuan = _members(sentra["6371-SASIRANGAN-PELAMBUAN"])
    jingah = _members(sentra["6371-SASIRANGAN-SEI-JINGAH"])
    seberang = _members(sentra["6371-SASIRANGAN-SEB-MESJID"])
    kuin = _members(sentra["6371-OLAHAN-IKAN-KUIN"])
    tanggui = _members(sentra["6371-TANGGUI-KUIN-CERUCUK"])
    kue = _members(sentra["6371-KUE-SURGI-MUFTI"])

    motif = _activity(
        created,
        "63.71",
        "Pelatihan desain motif dan pewarnaan alami sasirangan",
        kind="pelatihan",
        topic="Desain motif, pewarnaan alami, penguncian warna",
        organiser_level="kabkota",
        funding_source="apbd_kabkota",
        fiscal_year=2024,
        start_date=D(2024, 6, 3),
        end_date=D(2024, 6, 5),
        venue_village_id="63.71.03.1003",
        venue="Rumah produksi bersama Sentra Sasirangan Pelambuan",
        budget=45_000_000,
        facilitators=[rahmat],
    )
    _participants(created, motif, pelambuan + jingah[:3] + seberang[:2], outcome="sertifikat")
    for unit, date in zip(pelambuan[:3], [D(2024, 7, 8), D(2024, 7, 15), D(2024, 8, 5)], strict=False):
        _visit(
            created,
            unit,
            rahmat,
            date,
            "Warna kain luntur setelah dicuci; motif baru belum dipatenkan",
            "Fiksasi dengan tawas dan kapur; daftarkan motif ke DJKI (HAKI)",
            activity=motif,
        )

    pangan = _activity(
        created,
        "63.71",
        "Bimtek keamanan pangan olahan ikan",
        kind="pelatihan",
        topic="CPPOB, kemasan dan label, persiapan SPP-IRT",
        organiser_level="kabkota",
        funding_source="dak",
        fiscal_year=2023,
        start_date=D(2023, 9, 12),
        end_date=D(2023, 9, 13),
        venue_village_id="63.71.04.1009",
        venue="Aula Kelurahan Kuin Utara",
        budget=28_500_000,
        facilitators=[nurul],
    )
    _participants(created, pangan, kuin, outcome="tindak_lanjut")
    for unit, date in zip(kuin[:2], [D(2023, 10, 4), D(2023, 11, 1)], strict=False):
        _visit(
            created,
            unit,
            nurul,
            date,
            "Ruang produksi menyatu dengan dapur rumah; kemasan tanpa label komposisi",
            "Pisahkan ruang produksi; cantumkan komposisi dan tanggal kedaluwarsa; ajukan SPP-IRT",
            activity=pangan,
        )

    halal = _activity(
        created,
        "63",
        "Fasilitasi sertifikasi halal self-declare",
        kind="fasilitasi",
        topic="Pendampingan proses produk halal (PPH) untuk IKM pangan",
        organiser_level="provinsi",
        organiser_name="Dinas Perindustrian Provinsi Kalimantan Selatan",
        funding_source="apbd_provinsi",
        fiscal_year=2024,
        start_date=D(2024, 4, 22),
        end_date=D(2024, 4, 23),
        venue="Hotel di Banjarmasin",
        budget=60_000_000,
    )
    _participants(created, halal, kue + kuin[:3], outcome="sertifikat")

    pameran = _activity(
        created,
        "63.71",
        "Pameran produk IKM Banua (Kriya dan Wastra)",
        kind="promosi",
        topic="Stan bersama sasirangan dan tanggui",
        organiser_level="kabkota",
        funding_source="apbd_kabkota",
        fiscal_year=2025,
        start_date=D(2025, 8, 14),
        end_date=D(2025, 8, 17),
        venue_village_id="63.71.05.1007",
        venue="Menara Pandang",
        budget=35_000_000,
    )
    _participants(created, pameran, seberang[:3] + tanggui[:3])
    _visit(
        created,
        tanggui[0],
        fahrur,
        D(2025, 2, 10),
        "Bahan daun nipah makin sulit; harga jual rendah",
        "Bentuk kelompok pembelian bahan; kembangkan tanggui hias untuk suvenir",
    )

    for i, unit in enumerate(pelambuan[:4]):
        _equipment(
            created,
            f"BAST/031.{i + 1}/DPKUKMP/VIII/2024",
            name="Mesin jahit",
            brand="Butterfly JA2-2",
            specification="Mesin jahit manual dengan dinamo 250 W",
            quantity=1,
            value=4_750_000,
            funding_source="apbd_kabkota",
            fiscal_year=2024,
            handover_date=D(2024, 8, 20),
            unit=unit,
            checks=[(D(2025, 3, 4), "baik" if i != 2 else "rusak_ringan", rahmat, "")],
        )
    # A second sewing machine to the same member in the same year: allowed with a written reason.
    _equipment(
        created,
        "BAST/044/DPKUKMP/XI/2024",
        name="Mesin jahit",
        brand="Typical GC6150",
        specification="Mesin jahit high speed untuk busana sasirangan",
        quantity=1,
        value=6_200_000,
        funding_source="apbd_kabkota",
        fiscal_year=2024,
        handover_date=D(2024, 11, 12),
        unit=pelambuan[0],
        duplicate_justification="Pesanan seragam Pemko 2025: mesin kedua untuk busana, yang pertama untuk kain.",
    )
    _equipment(
        created,
        "BAST/012/DPKUKMP/V/2023",
        name="Mesin obras",
        brand="Siruba",
        quantity=2,
        value=9_800_000,
        funding_source="dak",
        fiscal_year=2023,
        handover_date=D(2023, 5, 22),
        sentra=sentra["6371-SASIRANGAN-PELAMBUAN"],
        checks=[
            (D(2023, 12, 5), "baik", rahmat, ""),
            (D(2025, 1, 20), "rusak_ringan", rahmat, "Satu unit perlu ganti pisau"),
        ],
    )
    _equipment(
        created,
        "BAST/019/DPKUKMP/X/2023",
        name="Freezer",
        brand="Aqua AQF-300",
        specification="Freezer box 300 liter",
        quantity=1,
        value=5_300_000,
        funding_source="dak",
        fiscal_year=2023,
        handover_date=D(2023, 10, 18),
        unit=kuin[0],
        checks=[(D(2024, 10, 2), "baik", nurul, "")],
    )
    _equipment(
        created,
        "BAST/020/DPKUKMP/X/2023",
        name="Mesin pengering ikan",
        brand="Rakitan lokal",
        specification="Pengering tenaga surya dengan rak aluminium",
        quantity=1,
        value=18_000_000,
        funding_source="dak",
        fiscal_year=2023,
        handover_date=D(2023, 10, 18),
        sentra=sentra["6371-OLAHAN-IKAN-KUIN"],
        checks=[(D(2024, 10, 2), "tidak_dimanfaatkan", nurul, "Belum dipakai: pengelola menunggu pelatihan")],
    )

    _rating(created, pelambuan[0], "Kain sasirangan motif kambang kacang", 2021, 1, "SANDANG")
    _rating(created, pelambuan[0], "Kain sasirangan motif kambang kacang", 2023, 2, "SANDANG", "OVOP/2023/0417")
    _rating(created, seberang[0], "Busana sasirangan", 2023, 3, "SANDANG", "OVOP/2023/0418")
    _rating(created, kuin[0], "Amplang ikan haruan", 2021, 2, "PANGAN", "OVOP/2021/0233")
    _rating(created, kuin[0], "Amplang ikan haruan", 2023, 3, "PANGAN", "OVOP/2023/0420")
    _rating(created, tanggui[0], "Tanggui hias", 2023, 2, "KERAJINAN", "OVOP/2023/0421")


def _palangka_raya_programmes(created, kawasan: Sentra, officers: dict[str, FieldOfficer]) -> None:
    yunita, heri = officers["Yunita Sari Dewi"], officers["Heri Kurniawan"]
    members = _members(kawasan)
    chopsticks = next((u for u in members if u.business_name == CHOPSTICK_MAKER), None)
    chopsticks = chopsticks or next((u for u in members if "sumpit" in u.main_products.lower()), members[0])

    finishing = _activity(
        created,
        "62.71",
        "Bimtek finishing dan desain mebel kayu",
        kind="pelatihan",
        topic="Pengeringan kayu, finishing ramah lingkungan, desain sesuai pasar",
        organiser_level="kabkota",
        funding_source="apbn",
        fiscal_year=2024,
        start_date=D(2024, 5, 20),
        end_date=D(2024, 5, 23),
        venue_village_id=kawasan.village_id,
        venue="UPT Kawasan IKM Pengolahan Kayu",
        budget=85_000_000,
        facilitators=[yunita, heri],
    )
    _participants(created, finishing, members[:20], outcome="sertifikat")
    for i, unit in enumerate(members[:5]):
        _visit(
            created,
            unit,
            yunita,
            D(2024, 6, 10 + i * 3),
            "Kadar air kayu masih tinggi sehingga produk retak",
            "Gunakan oven pengering UPT sebelum perakitan; catat kadar air per batch",
            activity=finishing,
        )

    haki = _activity(
        created,
        "62.71",
        "Sosialisasi HAKI dan merek untuk IKM kayu",
        kind="sosialisasi",
        topic="Pendaftaran merek di DJKI",
        organiser_level="kabkota",
        funding_source="apbd_kabkota",
        fiscal_year=2023,
        start_date=D(2023, 3, 14),
        end_date=D(2023, 3, 14),
        venue_village_id="62.71.01.1003",
        venue="Aula Dinas",
        budget=12_000_000,
        facilitators=[heri],
    )
    _participants(created, haki, members[20:32])

    _equipment(
        created,
        "BAST/07/DPP-PLK/IX/2022",
        name="Mesin pengering kayu (oven)",
        brand="Rakitan lokal",
        specification="Kiln dry kapasitas 10 m³",
        quantity=1,
        value=275_000_000,
        funding_source="dak",
        fiscal_year=2022,
        handover_date=D(2022, 9, 27),
        sentra=kawasan,
        checks=[
            (D(2023, 9, 1), "baik", yunita, ""),
            (D(2025, 9, 3), "rusak_ringan", yunita, "Kipas sirkulasi perlu diganti"),
        ],
    )
    _equipment(
        created,
        "BAST/11/DPP-PLK/VII/2024",
        name="Mesin planer kayu",
        brand="Makita 2012NB",
        quantity=1,
        value=9_400_000,
        funding_source="apbd_kabkota",
        fiscal_year=2024,
        handover_date=D(2024, 7, 16),
        unit=chopsticks,
        checks=[(D(2025, 7, 1), "baik", yunita, "")],
    )
    for i, unit in enumerate(members[1:4]):
        _equipment(
            created,
            f"BAST/12.{i + 1}/DPP-PLK/VII/2024",
            name="Mesin bubut kayu",
            brand="Krisbow",
            quantity=1,
            value=7_850_000,
            funding_source="apbd_kabkota",
            fiscal_year=2024,
            handover_date=D(2024, 7, 16),
            unit=unit,
            checks=[(D(2025, 7, 1), ["baik", "rusak_berat", "hilang"][i], heri, "")],
        )

    _rating(created, chopsticks, "Sumpit kayu premium", 2021, 3, "KAYU", "OVOP/2021/0188")
    _rating(created, chopsticks, "Sumpit kayu premium", 2023, 4, "KAYU", "OVOP/2023/0391")
    _rating(created, members[1], "Meja kayu ulin", 2023, 2, "KAYU", "OVOP/2023/0392")
    _rating(created, members[2], "Miniatur rumah betang", 2021, 1, "KERAJINAN")
    _rating(created, members[2], "Miniatur rumah betang", 2023, 2, "KERAJINAN", "OVOP/2023/0393")
