"""A small hand-made registry across Kalimantan Barat (and one Palangka Raya unit that must never count in it).

Report year 2024. What a hand count of Kalimantan Barat gives for 2024 (asserted in test_done_when.py):
verified units active in 2024: u1, u2, u3 (closed mid-2024), u6 (year unknown), u9, u13 (tidak aktif) = 6;
coverage: 2 kab/kota (Pontianak, Ketapang), 4 kecamatan, 3 kelurahan, 2 desa;
OVOP at the latest rating up to 2024: 1 product with 3 stars, 1 with 2, 1 with 1.
"""

import datetime
from types import SimpleNamespace

import pytest

from ikm_registry.models import (
    ActivityKind,
    CertificateKind,
    ConditionCheck,
    FundingSource,
    MarketingReach,
    UnitStatus,
    VerificationStatus,
)
from ikm_registry.tests.factories import (
    CertificateFactory,
    EquipmentAssistanceFactory,
    FieldOfficerFactory,
    IKMUnitFactory,
    MentoringVisitFactory,
    OVOPRatingFactory,
    TrainingActivityFactory,
    TrainingParticipantFactory,
    YearlyFiguresFactory,
    sector,
)
from sentra.tests.factories import SentraFactory, SentraMembershipFactory

# Kota Pontianak (61.71): two kelurahan in Pontianak Selatan (61.71.01), one in Pontianak Timur (61.71.02).
KEL_A, KEL_B, KEL_F = "61.71.01.1002", "61.71.01.1003", "61.71.02.1001"
# Kabupaten Ketapang (61.04): a desa in Matan Hilir Utara (61.04.01) and one in Marau (61.04.02).
DESA_C, DESA_D = "61.04.01.2011", "61.04.02.2001"
LANGKAI = "62.71.01.1003"
D = datetime.date


def unit(village: str, sector_code: str = "PANGAN", verified: bool = True, **fields):
    status = VerificationStatus.VERIFIED if verified else fields.pop("verification_status", VerificationStatus.DRAFT)
    return IKMUnitFactory(village_id=village, sector=sector(sector_code), verification_status=status, **fields)


@pytest.fixture
def registry(db):
    u1 = unit(KEL_A, "PANGAN", year_established=2010)
    u2 = unit(
        KEL_A,
        "SANDANG",
        year_established=2024,
        marketing_reach=MarketingReach.EKSPOR,
        export_destinations="Jepang, Malaysia",
    )
    u3 = unit(KEL_B, "KAYU", year_established=2015, status=UnitStatus.TUTUP, status_date=D(2024, 6, 30))
    u4 = unit(KEL_B, "KAYU", year_established=2015, status=UnitStatus.TUTUP, status_date=D(2023, 3, 1))
    u5 = unit(DESA_C, "PANGAN", year_established=2025)
    u6 = unit(
        DESA_C,
        "KERAJINAN",
        year_established=None,
        marketing_reach=MarketingReach.EKSPOR,
        export_destinations="malaysia ,  Singapura",
    )
    u7 = unit(DESA_D, "PANGAN", verified=False, year_established=2012)
    u8 = unit(DESA_D, "PANGAN", verified=False, verification_status=VerificationStatus.SUBMITTED, year_established=2012)
    u9 = unit(DESA_D, "LMEA", year_established=2020)
    u10 = unit(LANGKAI, "PANGAN", year_established=2010)
    u11 = unit(
        DESA_D,
        "SANDANG",
        verified=False,
        verification_status=VerificationStatus.RETURNED,
        return_reason="NIB salah",
        year_established=2018,
    )
    u13 = unit(KEL_F, "PANGAN", year_established=2000, status=UnitStatus.TIDAK_AKTIF, status_date=D(2022, 1, 1))

    # Yearly figures: u6 has none for 2024; u9's fall in the case the size rule leaves open.
    YearlyFiguresFactory(unit=u1, year=2023, workers_male=2, workers_female=3, investment_value=100_000_000)
    YearlyFiguresFactory(
        unit=u1, year=2024, workers_male=3, workers_female=4, investment_value=150_000_000, production_value=400_000_000
    )
    YearlyFiguresFactory(
        unit=u2,
        year=2024,
        workers_male=10,
        workers_female=12,
        investment_value=2_000_000_000,
        production_value=3_000_000_000,
        raw_material_value=1_200_000_000,
        export_value=50_000_000,
    )
    YearlyFiguresFactory(unit=u3, year=2024, workers_male=1, workers_female=0, investment_value=50_000_000)
    YearlyFiguresFactory(unit=u4, year=2024, workers_male=9, workers_female=9)
    YearlyFiguresFactory(unit=u7, year=2024, workers_male=5, workers_female=5)
    YearlyFiguresFactory(
        unit=u9, year=2024, workers_male=4, workers_female=1, investment_value=16_000_000_000, export_value=0
    )
    YearlyFiguresFactory(unit=u10, year=2024, workers_male=50, workers_female=50)
    YearlyFiguresFactory(unit=u13, year=2024, workers_male=0, workers_female=2, investment_value=5_000_000)

    # Certificates held in 2024: u1 halal; u9 SNI. Not held: u1's PIRT expired in 2023, u2's halal from 2025.
    CertificateFactory(unit=u1, kind=CertificateKind.HALAL, issued_on=D(2023, 5, 1))
    CertificateFactory(unit=u1, kind=CertificateKind.PIRT, issued_on=D(2019, 1, 1), expires_on=D(2023, 12, 31))
    CertificateFactory(unit=u2, kind=CertificateKind.HALAL, issued_on=D(2025, 1, 10))
    CertificateFactory(unit=u9, kind=CertificateKind.SNI, issued_on=D(2024, 2, 1), expires_on=D(2027, 2, 1))
    CertificateFactory(unit=u9, kind=CertificateKind.HALAL, issued_on=None)
    CertificateFactory(unit=u7, kind=CertificateKind.HALAL)

    # OVOP: lempok durian 2 stars then 3; amplang 1; tenun 2 (its 2025 rating of 4 is after the year).
    OVOPRatingFactory(unit=u1, product_name="Lempok durian", assessment_year=2021, stars=2)
    OVOPRatingFactory(unit=u1, product_name="Lempok durian", assessment_year=2023, stars=3)
    OVOPRatingFactory(unit=u1, product_name="Amplang", assessment_year=2024, stars=1)
    OVOPRatingFactory(unit=u2, product_name="Kain tenun", category=sector("SANDANG"), assessment_year=2022, stars=2)
    OVOPRatingFactory(unit=u2, product_name="Kain tenun", category=sector("SANDANG"), assessment_year=2025, stars=4)
    OVOPRatingFactory(unit=u7, product_name="Kerupuk", assessment_year=2023, stars=5)
    OVOPRatingFactory(unit=u10, product_name="Amplang belida", assessment_year=2023, stars=3)
    OVOPRatingFactory(unit=u4, product_name="Meja", category=sector("KAYU"), assessment_year=2020, stars=3)

    # Sentra: s1 (sentra, Pontianak), s2 (kawasan formed 2025), s3 (LIK in Ketapang, year unknown).
    s1 = SentraFactory(village_id=KEL_A, kind="sentra", year_formed=2019, sector=sector("PANGAN"))
    s2 = SentraFactory(village_id=DESA_D, kind="kawasan", year_formed=2025)
    s3 = SentraFactory(village_id=DESA_C, kind="lik", year_formed=None)
    SentraMembershipFactory(sentra=s1, unit=u1, joined_on=D(2020, 1, 1))
    SentraMembershipFactory(sentra=s1, unit=u2, joined_on=D(2024, 3, 1))
    SentraMembershipFactory(sentra=s1, unit=u3, joined_on=D(2019, 1, 1), left_on=D(2023, 12, 31))
    SentraMembershipFactory(sentra=s3, unit=u9, joined_on=D(2024, 1, 1))
    SentraMembershipFactory(sentra=s3, unit=u7, joined_on=D(2021, 1, 1))
    SentraMembershipFactory(sentra=s2, unit=u13, joined_on=D(2024, 1, 1))
    # u6 (a Ketapang desa) moved in 2024 from the Ketapang LIK to the Pontianak sentra.
    SentraMembershipFactory(sentra=s3, unit=u6, joined_on=D(2022, 1, 1), left_on=D(2024, 4, 30))
    SentraMembershipFactory(sentra=s1, unit=u6, joined_on=D(2024, 5, 1))

    # Pembinaan.
    t1 = TrainingActivityFactory(
        owner_region_id="61.71",
        kind=ActivityKind.PELATIHAN,
        funding_source=FundingSource.APBD_KABKOTA,
        budget=10_000_000,
        fiscal_year=2024,
    )
    t2 = TrainingActivityFactory(
        owner_region_id="61",
        kind=ActivityKind.SOSIALISASI,
        funding_source=FundingSource.APBD_PROVINSI,
        budget=5_000_000,
        fiscal_year=2024,
    )
    t3 = TrainingActivityFactory(
        owner_region_id="61.71", fiscal_year=2023, start_date=D(2023, 5, 1), end_date=D(2023, 5, 2)
    )
    t4 = TrainingActivityFactory(owner_region_id="62.71", fiscal_year=2024, funding_source=FundingSource.DAK)
    t5 = TrainingActivityFactory(
        owner_region_id="62",
        kind=ActivityKind.PROMOSI,
        funding_source=FundingSource.APBN,
        fiscal_year=2024,
        venue_village_id=DESA_C,
    )
    TrainingParticipantFactory(activity=t1, unit=u1, attendee_gender="P")
    TrainingParticipantFactory(activity=t1, unit=u2, attendee_gender="L")
    TrainingParticipantFactory(activity=t1, unit=u9, attendee_gender="L", attended=False)
    TrainingParticipantFactory(activity=t1, unit=u10, attendee_gender="P")
    TrainingParticipantFactory(activity=t3, unit=u1, attendee_gender="P")
    TrainingParticipantFactory(activity=t4, unit=u10, attendee_gender="L")
    TrainingParticipantFactory(activity=t4, unit=u13, attendee_gender="L")
    officer = FieldOfficerFactory(owner_region_id="61.71", assigned_region_id="61.71")
    MentoringVisitFactory(unit=u3, officer=officer, visit_date=D(2024, 7, 1))
    MentoringVisitFactory(unit=u3, officer=officer, visit_date=D(2024, 8, 1))
    MentoringVisitFactory(unit=u6, officer=officer, visit_date=D(2023, 5, 1))
    MentoringVisitFactory(unit=u10, visit_date=D(2024, 5, 1))

    # Bantuan peralatan.
    e1 = EquipmentAssistanceFactory(unit=u1, quantity=2, value=9_000_000, fiscal_year=2024)
    e2 = EquipmentAssistanceFactory(
        unit=None, sentra=s1, quantity=1, value=20_000_000, funding_source=FundingSource.DAK
    )
    e3 = EquipmentAssistanceFactory(unit=u2, fiscal_year=2022, handover_date=D(2022, 9, 1), value=7_000_000)
    e4 = EquipmentAssistanceFactory(unit=u9, quantity=3, fiscal_year=2023, handover_date=D(2023, 9, 1))
    e5 = EquipmentAssistanceFactory(unit=u10, fiscal_year=2024)
    e6 = EquipmentAssistanceFactory(unit=u7, fiscal_year=2022, handover_date=D(2022, 2, 1))
    for item, day, condition in (
        (e3, D(2023, 1, 5), "baik"),
        (e3, D(2024, 6, 1), "rusak_ringan"),
        (e3, D(2025, 6, 1), "rusak_berat"),
        (e6, D(2022, 3, 1), "baik"),
    ):
        ConditionCheck.objects.create(equipment=item, checked_on=day, condition=condition)

    return SimpleNamespace(
        units={
            "u1": u1,
            "u2": u2,
            "u3": u3,
            "u4": u4,
            "u5": u5,
            "u6": u6,
            "u7": u7,
            "u8": u8,
            "u9": u9,
            "u10": u10,
            "u11": u11,
            "u13": u13,
        },
        sentra=[s1, s2, s3],
        activities=[t1, t2, t3, t4, t5],
        equipment=[e1, e2, e3, e4, e5, e6],
    )
