"""A small registry in real places for the public pages, API and browser tests.

Kota Palangka Raya's wood-processing kawasan in Kalampangan with its chopstick maker, food units in Langkai,
a sasirangan unit in Banjarmasin, amplang in Pontianak, and units the public must never see (a draft,
a returned one, a closed one). One unit carries known personal strings that no public response may show.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ikm_registry.models import CertificateKind, MarketingReach, UnitStatus, VerificationStatus
from ikm_registry.tests.factories import (
    CertificateFactory,
    IKMUnitFactory,
    KBLIFactory,
    OVOPRatingFactory,
    YearlyFiguresFactory,
    sector,
)
from sentra.tests.factories import SentraFactory, SentraMembershipFactory

KALAMPANGAN = "62.71.04.1002"  # Kalampangan, Sabangau, Kota Palangka Raya
LANGKAI = "62.71.01.1003"  # Langkai, Pahandut, Kota Palangka Raya
PELAMBUAN = "63.71.03.1003"  # Pelambuan, Banjarmasin Barat, Kota Banjarmasin
PONTIANAK_VILLAGE = "61.71.01.1002"  # Benuamelayu Laut, Pontianak Selatan, Kota Pontianak
VILLAGES = (KALAMPANGAN, LANGKAI, PELAMBUAN, PONTIANAK_VILLAGE)
# Each region filter's codes that the registry's villages lie in ("62", "62.71", "62.71.04", "62.71.04.1002", ...),
# and under "region" all of them: right values for generated requests (test_api_fuzz, test_public_fuzz).
REGION_CODES = {
    name: sorted({village[:length] for village in VILLAGES})
    for name, length in {"province": 2, "regency": 5, "district": 8, "village": 13}.items()
}
REGION_CODES["region"] = sorted(code for codes in REGION_CODES.values() for code in codes)

# Personal data seeded on one unit that did not consent: none of these may appear in any public response.
SECRET_NIK = "3271014101900012"
SECRET_OWNER = "Sukarni Rahasiawati"
SECRET_PHONE = "+6281299887766"
SECRET_EMAIL = "rahasia.pemilik@example.id"
SECRET_ADDRESS = "Jl. Rahasia Pribadi No. 77"
SECRET_LATITUDE = "-2.212345"
SECRET_LONGITUDE = "113.912345"
SECRET_INVESTMENT = 987_654_321
SECRET_PRODUCTION = 123_456_789


@dataclass
class PublicRegistry:
    kawasan: object
    sentra_banjarmasin: object
    chopsticks: object
    furniture: list
    amplang: object
    private_unit: object
    sasirangan: object
    pontianak: object
    draft: object
    returned: object
    closed: object

    @property
    def public_units(self) -> list:
        return [self.chopsticks, *self.furniture, self.amplang, self.private_unit, self.sasirangan, self.pontianak]


def verified_unit(**fields):
    return IKMUnitFactory(verification_status=VerificationStatus.VERIFIED, **fields)


def build_public_registry() -> PublicRegistry:
    kayu = sector("KAYU")
    kbli_furniture = KBLIFactory(code="31001", title="Industri furnitur dari kayu", sector=kayu)
    kbli_food = KBLIFactory(code="10794", title="Industri makanan dari kacang-kacangan")
    kawasan = SentraFactory(
        name="Kawasan IKM Pengolahan Kayu Palangka Raya",
        kind="kawasan",
        village_id=KALAMPANGAN,
        main_commodity="Mebel dan kerajinan kayu",
        sector=kayu,
        area_hectares=Decimal("14.00"),
        year_formed=2012,
    )
    chopsticks = verified_unit(
        business_name="CV Sumpit Borneo Lestari",
        brand="Hashi Borneo",
        main_products="Sumpit kayu",
        village_id=KALAMPANGAN,
        sector=kayu,
        kbli=kbli_furniture,
        marketing_reach=MarketingReach.EKSPOR,
        export_destinations="Jepang",
        publish_contact=True,
        owner_phone="+6281355501234",
        owner_email="pemasaran@sumpitborneo.example.id",
        address="Jl. Mahir Mahar Km 12",
        latitude=Decimal("-2.289100"),
        longitude=Decimal("114.001200"),
    )
    furniture = [
        verified_unit(
            business_name=f"UD Mebel Kalampangan {name}",
            main_products=product,
            village_id=KALAMPANGAN,
            sector=kayu,
            kbli=kbli_furniture,
        )
        for name, product in [
            ("Jaya", "Meja kayu"),
            ("Abadi", "Kursi kayu"),
            ("Lestari", "Lemari"),
            ("Indah", "Kerajinan kayu"),
        ]
    ]
    for unit in [chopsticks, *furniture]:
        SentraMembershipFactory(sentra=kawasan, unit=unit, joined_on=datetime.date(2015, 3, 1))
    YearlyFiguresFactory(unit=chopsticks, year=2024, workers_male=12, workers_female=8, investment_value=1_200_000_000)
    CertificateFactory(unit=chopsticks, kind=CertificateKind.SNI, number="SNI-7654-2024")
    CertificateFactory(
        unit=chopsticks,
        kind=CertificateKind.TKDN_IK,
        number="TKDN-EXPIRED-01",
        issued_on=datetime.date(2019, 1, 1),
        expires_on=datetime.date(2022, 1, 1),
    )
    OVOPRatingFactory(unit=chopsticks, product_name="Sumpit kayu", category=kayu, assessment_year=2021, stars=3)
    OVOPRatingFactory(unit=chopsticks, product_name="Sumpit kayu", category=kayu, assessment_year=2023, stars=4)

    amplang = verified_unit(
        business_name="Amplang Langkai Berkah",
        brand="Amplang Bu Ida",
        main_products="Amplang ikan belida",
        village_id=LANGKAI,
        kbli=kbli_food,
    )
    YearlyFiguresFactory(unit=amplang, year=2024)
    CertificateFactory(unit=amplang, kind=CertificateKind.HALAL)
    OVOPRatingFactory(unit=amplang, product_name="Amplang ikan belida", assessment_year=2023, stars=2)

    private_unit = verified_unit(
        business_name="Keripik Kelakai Pahandut",
        main_products="Keripik kelakai",
        village_id=LANGKAI,
        owner_name=SECRET_OWNER,
        owner_phone=SECRET_PHONE,
        owner_email=SECRET_EMAIL,
        address=SECRET_ADDRESS,
        publish_contact=False,
        latitude=Decimal(SECRET_LATITUDE),
        longitude=Decimal(SECRET_LONGITUDE),
        nib="9120001234567",
    )
    private_unit.set_owner_nik(SECRET_NIK)
    private_unit.save()
    YearlyFiguresFactory(
        unit=private_unit,
        year=2024,
        investment_value=SECRET_INVESTMENT,
        production_value=SECRET_PRODUCTION,
        raw_material_value=55_555_555,
    )

    sentra_banjarmasin = SentraFactory(name="Sentra Sasirangan Pelambuan", village_id=PELAMBUAN)
    sasirangan = verified_unit(
        business_name="Sasirangan Ibu Ni'mah",
        main_products="Kain sasirangan",
        village_id=PELAMBUAN,
        sector=sector("SANDANG"),
    )
    SentraMembershipFactory(sentra=sentra_banjarmasin, unit=sasirangan)
    pontianak = verified_unit(
        business_name="Amplang Khatulistiwa",
        main_products="Amplang ikan tenggiri",
        village_id=PONTIANAK_VILLAGE,
    )

    draft = IKMUnitFactory(business_name="UD Kayu Belum Diverifikasi", village_id=KALAMPANGAN, sector=kayu)
    returned = IKMUnitFactory(
        business_name="UD Kayu Dikembalikan",
        village_id=KALAMPANGAN,
        sector=kayu,
        verification_status=VerificationStatus.RETURNED,
        return_reason="NIB salah",
    )
    closed = verified_unit(
        business_name="UD Kayu Sudah Tutup",
        village_id=KALAMPANGAN,
        sector=kayu,
        status=UnitStatus.TUTUP,
        status_date=datetime.date(2024, 6, 1),
    )
    OVOPRatingFactory(unit=closed, product_name="Kursi tutup", category=kayu, assessment_year=2023, stars=5)
    return PublicRegistry(
        kawasan=kawasan,
        sentra_banjarmasin=sentra_banjarmasin,
        chopsticks=chopsticks,
        furniture=furniture,
        amplang=amplang,
        private_unit=private_unit,
        sasirangan=sasirangan,
        pontianak=pontianak,
        draft=draft,
        returned=returned,
        closed=closed,
    )
