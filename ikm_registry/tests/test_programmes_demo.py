"""The programme demo data: real places, the rules obeyed, idempotent and deterministic."""

from io import StringIO

import pytest
from django.core.management import call_command

from ikm_registry.demo import CHOPSTICK_MAKER, KAWASAN_VILLAGE
from ikm_registry.demo_programmes import seed_programmes
from ikm_registry.models import (
    ConditionCheck,
    EquipmentAssistance,
    FieldOfficer,
    IKMUnit,
    MentoringVisit,
    OVOPRating,
    TrainingActivity,
    TrainingParticipant,
)
from ikm_registry.tests.factories import IKMUnitFactory
from sentra.models import Sentra, SentraMembership

pytestmark = pytest.mark.django_db

MODELS = [
    Sentra,
    SentraMembership,
    IKMUnit,
    FieldOfficer,
    TrainingActivity,
    TrainingParticipant,
    MentoringVisit,
    EquipmentAssistance,
    ConditionCheck,
    OVOPRating,
]


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_places_the_banjarmasin_sentra_in_their_real_kelurahan():
    seed_programmes()
    places = dict(Sentra.objects.filter(regency_id="63.71").values_list("village__name", "main_commodity"))
    assert places["Pelambuan"] == places["Sungai Jingah"] == places["Seberang Mesjid"] == "Kain sasirangan"
    assert "ikan" in places["Kuin Utara"].lower()
    assert "tanggui" in places["Kuin Cerucuk"].lower()
    assert "kue" in places["Surgi Mufti"].lower()
    assert "kayu" in places["Alalak Tengah"].lower()
    flagged = {s.name for s in Sentra.objects.below_minimum()}
    assert flagged == {"Sentra Kue Tradisional Surgi Mufti"}


def test_seed_builds_the_palangka_raya_wood_kawasan_of_forty_units_with_the_chopstick_exporter():
    seed_programmes()
    kawasan = Sentra.objects.get(kind="kawasan")
    assert kawasan.regency_id == "62.71" and kawasan.village.is_kelurahan
    assert kawasan.area_hectares == 14
    assert kawasan.active_member_count() == 40
    chopsticks = kawasan.members_on(kawasan.memberships.first().joined_on.replace(year=2025)).get(
        main_products__icontains="sumpit"
    )
    assert chopsticks.export_destinations == "Jepang"
    ratings = OVOPRating.objects.filter(unit=chopsticks).order_by("assessment_year")
    assert [(r.assessment_year, r.stars) for r in ratings] == [(2021, 3), (2023, 4)]


def test_seed_covers_every_programme_record_in_two_ovop_rounds():
    created = seed_programmes()
    assert created["fieldofficer"] == 6
    assert set(OVOPRating.objects.values_list("assessment_year", flat=True)) == {2021, 2023}
    assert TrainingParticipant.objects.count() > 40
    assert MentoringVisit.objects.filter(activity__isnull=False).exists()
    assert EquipmentAssistance.objects.filter(sentra__isnull=False).exists()
    assert EquipmentAssistance.objects.exclude(duplicate_justification="").count() == 1
    conditions = set(EquipmentAssistance.objects.with_latest_condition().values_list("latest_condition", flat=True))
    assert {"baik", "rusak_ringan", "rusak_berat", "hilang", "tidak_dimanfaatkan"} <= conditions
    former = SentraMembership.objects.get(left_on__isnull=False)
    assert former.unit in former.sentra.members_in_year(2020)
    assert former.unit not in former.sentra.members_in_year(2023)


def test_seed_is_idempotent_and_deterministic():
    seed_programmes()
    first = snapshot()
    units = list(IKMUnit.objects.order_by("business_name").values_list("business_name", "village_id"))
    assert seed_programmes() == {}
    assert snapshot() == first
    assert list(IKMUnit.objects.order_by("business_name").values_list("business_name", "village_id")) == units


def test_seed_uses_the_demo_units_already_in_each_kelurahan():
    existing = [IKMUnitFactory(village_id="63.71.03.1003", sector_id="SANDANG") for _ in range(3)]
    elsewhere = IKMUnitFactory(village_id="63.71.03.1003", sector_id="PANGAN")
    wood = [IKMUnitFactory(village_id=KAWASAN_VILLAGE, sector_id="KAYU") for _ in range(12)]
    seed_programmes()
    pelambuan = Sentra.objects.get(code="6371-SASIRANGAN-PELAMBUAN")
    members = set(pelambuan.members_in_year(2025))
    assert set(existing) <= members
    assert elsewhere not in members
    kawasan = Sentra.objects.get(kind="kawasan")
    assert kawasan.village_id == KAWASAN_VILLAGE
    assert set(wood) <= set(kawasan.members_in_year(2025))
    assert kawasan.active_member_count() == 40


def test_seed_demo_then_programmes_fills_the_kawasan_with_the_demo_units_and_stays_idempotent():
    call_command("seed_demo", stdout=StringIO())
    kawasan = Sentra.objects.get(kind="kawasan")
    members = list(kawasan.members_in_year(2025))
    assert len(members) == 40
    assert any(u.business_name == CHOPSTICK_MAKER for u in members)
    assert all(u.village_id == KAWASAN_VILLAGE for u in members)
    first = snapshot()
    assert seed_programmes() == {}
    assert snapshot() == first
