import pytest
from django.core.exceptions import ValidationError

from ikm_registry import personal_data
from ikm_registry.models import IKMUnit, SizeClass, classify_size
from ikm_registry.tests.factories import IKMUnitFactory, YearlyFiguresFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("workers", "investment", "expected"),
    [
        (19, 999_999_999, SizeClass.KECIL),
        (19, 1_000_000_000, SizeClass.MENENGAH),
        (19, 15_000_000_000, SizeClass.MENENGAH),
        (19, 15_000_000_001, SizeClass.PERIKSA),
        (20, 0, SizeClass.MENENGAH),
        (20, 15_000_000_000, SizeClass.MENENGAH),
        (20, 15_000_000_001, SizeClass.BESAR),
        (0, 0, SizeClass.KECIL),
    ],
)
def test_size_class_follows_permenperin_64_2016_at_each_edge(workers, investment, expected):
    assert classify_size(workers, investment) == expected


def test_village_fixes_kecamatan_kabkota_and_province():
    unit = IKMUnitFactory(village_id="62.71.01.1003")
    assert (unit.district_id, unit.regency_id, unit.province_id) == ("62.71.01", "62.71", "62")
    assert list(IKMUnit.objects.in_region("62.71.01")) == [unit]
    assert not IKMUnit.objects.in_region("63.71").exists()


def test_registry_codes_are_numbered_per_kabkota():
    first, second = IKMUnitFactory(), IKMUnitFactory()
    assert first.registry_code == "IKM-6271-000001"
    assert second.registry_code == "IKM-6271-000002"


def test_yearly_figures_derive_size_class_and_copy_it_to_the_unit():
    figures = YearlyFiguresFactory(workers_male=10, workers_female=12, investment_value=2_000_000_000)
    assert figures.size_class == SizeClass.MENENGAH
    figures.unit.refresh_from_db()
    assert figures.unit.size_class == SizeClass.MENENGAH


def test_nik_is_encrypted_at_rest_and_found_by_keyed_hash():
    unit = IKMUnitFactory()
    unit.set_owner_nik("3271014101900012")
    unit.save()
    stored = IKMUnit.objects.values_list("owner_nik_encrypted", flat=True).get(pk=unit.pk)
    assert "3271014101900012" not in stored
    assert IKMUnit.objects.with_nik("3271014101900012").get() == unit
    assert unit.owner_nik_masked == "3271********0012"


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("327101410190001", "nik_format"),
        ("9999014101900012", "nik_region"),
        ("3271013201900012", "nik_birthdate"),
        ("3271014101900000", "nik_serial"),
    ],
)
def test_invalid_nik_is_refused_with_its_reason(nik, code):
    with pytest.raises(ValidationError) as excinfo:
        personal_data.validate_nik(nik)
    assert excinfo.value.code == code


def test_nik_of_a_woman_has_forty_added_to_the_day():
    assert personal_data.validate_nik("3271014101900012") == "3271014101900012"


def test_phone_is_normalised_to_plus_62():
    unit = IKMUnitFactory.build(owner_phone="0812-3456-7890", village_id="62.71.01.1003")
    unit.clean()
    assert unit.owner_phone == "+6281234567890"


def test_coordinates_outside_indonesia_are_refused():
    unit = IKMUnitFactory.build(latitude=48.85, longitude=2.35, village_id="62.71.01.1003")
    with pytest.raises(ValidationError) as excinfo:
        unit.clean()
    assert "latitude" in excinfo.value.message_dict


@pytest.mark.django_db
def test_public_units_are_verified_and_active_with_the_constants_written_into_the_sql():
    shown = IKMUnitFactory(verified=True)
    IKMUnitFactory()  # a draft
    IKMUnitFactory(verified=True, status="tutup")

    sql, params = IKMUnit.objects.public().query.sql_with_params()

    assert list(IKMUnit.objects.public()) == [shown]
    # Written in, so that a prepared statement's generic plan can use the partial indexes of public units.
    assert "'verified'" in sql and "'aktif'" in sql
    assert "verified" not in params and "aktif" not in params


@pytest.mark.django_db
def test_public_units_of_a_related_manager_stay_narrowed_to_its_owner():
    from ikm_registry.tests.factories import sector

    food = IKMUnitFactory(verified=True, sector=sector("PANGAN"))
    wood = IKMUnitFactory(verified=True, sector=sector("KAYU"))

    assert list(sector("KAYU").ikmunit_set.public()) == [wood]
    assert list(sector("PANGAN").ikmunit_set.public()) == [food]
    assert set(IKMUnit.objects.public()) == {food, wood}
    assert IKMUnit.objects.public() is not IKMUnit.objects.public()  # each call a queryset of its own
