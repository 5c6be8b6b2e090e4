"""Factories for the registry's object graph. Regions are real (loaded once per test database)."""

import datetime

import factory
from django.contrib.auth.models import Group, User

from ikm_registry.models import (
    KBLI,
    Certificate,
    CertificateKind,
    EquipmentAssistance,
    FieldOfficer,
    FundingSource,
    IKMUnit,
    MentoringVisit,
    OVOPRating,
    Region,
    Role,
    Sector,
    StaffProfile,
    TrainingActivity,
    TrainingParticipant,
    VerificationStatus,
    YearlyFigures,
)

LANGKAI = "62.71.01.1003"  # Kelurahan Langkai, Kecamatan Pahandut, Kota Palangka Raya
PELAMBUAN = "63.71.03.1003"  # Kelurahan Pelambuan, Banjarmasin Barat, Kota Banjarmasin


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def sector(code: str = "PANGAN") -> Sector:
    return Sector.objects.get(code=code)


def make_staff(role: str = Role.OPERATOR, region_code: str | None = "62.71", username: str | None = None, **extra):
    """A staff account in a role's group with a home region (None with is_national=True for ministry staff)."""
    user = UserFactory(username=username or f"{role.lower()}_{(region_code or 'nasional').replace('.', '')}", **extra)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, home_region_id=region_code, is_national=region_code is None)
    return user


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staf{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@dinas.go.id")
    is_staff = True
    password = factory.django.Password("rahasia-demo-123")


class KBLIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KBLI
        django_get_or_create = ("code", "edition")

    code = "10794"
    edition = "2020"
    title = "Industri makanan dari kacang-kacangan"
    sector = factory.LazyFunction(lambda: sector("PANGAN"))


class IKMUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IKMUnit

    business_name = factory.Sequence(lambda n: f"Usaha Contoh {n}")
    brand = factory.Sequence(lambda n: f"Merek {n}")
    owner_name = factory.Faker("name", locale="id_ID")
    owner_gender = "P"
    village_id = LANGKAI
    sector = factory.LazyFunction(lambda: sector("PANGAN"))
    main_products = "Amplang ikan"
    year_established = 2015
    verification_status = VerificationStatus.DRAFT

    class Params:
        verified = factory.Trait(verification_status=VerificationStatus.VERIFIED)


class YearlyFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyFigures

    unit = factory.SubFactory(IKMUnitFactory)
    year = 2024
    workers_male = 3
    workers_female = 4
    investment_value = 150_000_000
    production_value = 400_000_000
    raw_material_value = 180_000_000


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    unit = factory.SubFactory(IKMUnitFactory)
    kind = CertificateKind.HALAL
    number = factory.Sequence(lambda n: f"ID62110000{n:06d}")
    issued_on = datetime.date(2023, 5, 1)


class FieldOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfficer

    name = factory.Faker("name", locale="id_ID")
    assigned_region_id = "62.71"
    owner_region_id = "62.71"
    contract_year = 2024


class TrainingActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingActivity

    title = "Bimtek keamanan pangan"
    kind = "pelatihan"
    funding_source = FundingSource.APBD_KABKOTA
    fiscal_year = 2024
    start_date = datetime.date(2024, 6, 10)
    end_date = datetime.date(2024, 6, 12)
    owner_region_id = "62.71"


class TrainingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingParticipant

    activity = factory.SubFactory(TrainingActivityFactory)
    unit = factory.SubFactory(IKMUnitFactory)
    attendee_name = factory.Faker("name", locale="id_ID")
    attendee_gender = "P"


class MentoringVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringVisit

    unit = factory.SubFactory(IKMUnitFactory)
    visit_date = datetime.date(2024, 7, 1)
    officer = factory.SubFactory(FieldOfficerFactory)
    problem_found = "Kemasan belum berlabel"
    advice_given = "Daftarkan PIRT dan buat label"


class EquipmentAssistanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentAssistance

    name = "Mesin jahit"
    quantity = 1
    value = 4_500_000
    funding_source = FundingSource.APBD_KABKOTA
    fiscal_year = 2024
    handover_date = datetime.date(2024, 8, 1)
    bast_number = factory.Sequence(lambda n: f"BAST/{n:03d}/2024")
    unit = factory.SubFactory(IKMUnitFactory)


class OVOPRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OVOPRating

    unit = factory.SubFactory(IKMUnitFactory)
    product_name = "Amplang ikan belida"
    category = factory.LazyFunction(lambda: sector("PANGAN"))
    assessment_year = 2023
    stars = 3
