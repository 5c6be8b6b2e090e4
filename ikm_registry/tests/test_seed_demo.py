"""`seed_demo` and `demo_logins`: demo data in real places, accounts per role, and a second run that changes
nothing. The registry is seeded once for the module (inside a transaction rolled back at the end)."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from ikm_registry import demo, personal_data
from ikm_registry.models import (
    Certificate,
    IKMUnit,
    Product,
    Role,
    SizeClass,
    StaffProfile,
    VerificationStatus,
    YearlyFigures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


# Runs before the module's seeded fixture exists (tests run in file order).
def test_demo_logins_before_seeding_says_how_to_seed():
    out = StringIO()
    call_command("demo_logins", "--url", "http://localhost:8000/", stdout=out)
    assert "http://localhost:8000/admin/" in out.getvalue()
    assert "seed_demo" in out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (IKMUnit, YearlyFigures, Product, Certificate, User, StaffProfile)
    } | {"history": IKMUnit.history.count()}


def test_a_second_run_changes_nothing(seeded):
    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "0 unit IKM baru" in out.getvalue()


def test_a_few_hundred_units_in_the_three_provinces_mostly_verified(seeded):
    units = IKMUnit.objects.filter(business_name__in={s.business_name for s in _plan()})
    assert 250 <= units.count() <= 400
    by_province = dict(units.values_list("province_id").annotate(n=Count("id")))
    assert set(by_province) == {"61", "62", "63"}
    verified = units.filter(verification_status=VerificationStatus.VERIFIED).count()
    assert verified / units.count() > 0.7
    assert units.filter(verification_status=VerificationStatus.RETURNED).exclude(return_reason="").exists()
    assert set(units.values_list("verification_status", flat=True)) == set(VerificationStatus.values)


def test_the_chopstick_exporter_lies_in_the_kawasan_of_palangka_raya(seeded):
    unit = IKMUnit.objects.get(business_name=demo.CHOPSTICK_MAKER)
    assert unit.village_id == demo.KAWASAN_VILLAGE
    assert unit.district.name in ("Jekan Raya", "Bukit Batu")
    assert (unit.verification_status, unit.marketing_reach) == (VerificationStatus.VERIFIED, "ekspor")
    assert "Jepang" in unit.export_destinations
    assert unit.yearly_figures.filter(export_value__gt=0).exists()
    assert IKMUnit.objects.filter(village_id=demo.KAWASAN_VILLAGE).count() >= 40


def test_banjarmasin_sentra_kelurahan_hold_their_products(seeded):
    expected = {
        "63.71.03.1003": "Sasirangan",  # Pelambuan
        "63.71.04.1004": "Sasirangan",  # Sungai Jingah
        "63.71.05.1007": "Sasirangan",  # Seberang Mesjid
        "63.71.03.1008": "Tanggui",  # Kuin Cerucuk
        "63.71.04.1006": "Wadai|Kue|Bingka",  # Surgi Mufti
        "63.71.04.1001": "Kayu",  # Alalak Tengah
    }
    for village, word in expected.items():
        products = " ".join(IKMUnit.objects.filter(village_id=village).values_list("main_products", flat=True))
        names = " ".join(IKMUnit.objects.filter(village_id=village).values_list("business_name", flat=True))
        assert IKMUnit.objects.filter(village_id=village).count() >= 8, village
        assert any(w.lower() in (products + names).lower() for w in word.split("|")), village
    assert IKMUnit.objects.filter(village_id__in=demo.BANJARMASIN_SENTRA_VILLAGES["ikan"]).count() >= 10


def test_kalimantan_barat_spread_covers_its_kabupaten_and_products(seeded):
    kalbar = IKMUnit.objects.filter(province_id="61")
    assert kalbar.values("regency").distinct().count() >= 12
    products = " ".join(kalbar.values_list("main_products", flat=True)).lower()
    for product in ("lempok durian", "amplang", "lidah buaya", "keramik"):
        assert product in products


def test_yearly_figures_for_the_last_two_years_with_a_size_class(seeded):
    from django.utils import timezone

    year = timezone.localdate().year
    years = set(YearlyFigures.objects.values_list("year", flat=True))
    assert {year - 1, year} <= years
    classes = set(IKMUnit.objects.values_list("size_class", flat=True))
    assert {SizeClass.KECIL, SizeClass.MENENGAH, SizeClass.PERIKSA} <= classes


def test_every_owner_nik_is_a_valid_structure_and_never_stored_plain(seeded):
    for unit in IKMUnit.objects.exclude(owner_nik_encrypted="")[:400]:
        nik = unit.owner_nik
        assert personal_data.validate_nik(nik) == nik
        assert nik not in unit.owner_nik_encrypted


@pytest.mark.parametrize(
    ("username", "role", "region"),
    [
        ("operator_palangkaraya", Role.OPERATOR, "62.71"),
        ("verifikator_palangkaraya", Role.VERIFIKATOR, "62.71"),
        ("pimpinan_palangkaraya", Role.PIMPINAN, "62.71"),
        ("operator_banjarmasin", Role.OPERATOR, "63.71"),
        ("verifikator_banjarmasin", Role.VERIFIKATOR, "63.71"),
        ("admin_kalteng", Role.ADMIN, "62"),
    ],
)
def test_one_staff_account_per_role_with_its_region_logs_in(seeded, client, username, role, region):
    user = User.objects.get(username=username)
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert user.staff_profile.home_region_id == region
    assert client.login(username=username, password=demo.DEMO_PASSWORD)
    listing = client.get(reverse("admin:ikm_registry_ikmunit_changelist"))
    assert listing.status_code == 200
    assert all(unit.regency_id.startswith(region) for unit in listing.context["cl"].result_list)


def test_superuser_admin_sees_everything(seeded, client):
    assert client.login(username="admin", password=demo.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser


def test_demo_logins_prints_the_admin_url_and_the_accounts(seeded):
    out = StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8000", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/admin/" in text
    assert demo.DEMO_PASSWORD in text and "hanya untuk demo" in text
    assert "operator_palangkaraya" in text and "Operator" in text and "Kota Palangkaraya" in text
    assert "admin_kalteng" in text and "Kalimantan Tengah" in text


def _plan():
    villages, districts = demo._region_maps(demo.DEMO_PROVINCES)
    return demo.plan_units(demo.DemoPlanner(villages, districts))
