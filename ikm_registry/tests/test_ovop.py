"""OVOP ratings: stars 1 to 5, one rating per product and year, fostering level derived, the latest current."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ikm_registry.models import FosteringLevel, OVOPRating, Role, fostering_level_for
from ikm_registry.tests.admin_forms import rendered_form_data
from ikm_registry.tests.factories import PELAMBUAN, IKMUnitFactory, OVOPRatingFactory, make_staff

pytestmark = pytest.mark.django_db

ADD = reverse("admin:ikm_registry_ovoprating_add")
STARS_MESSAGE = "Bintang OVOP antara 1 sampai 5."
DUPLICATE_MESSAGE = (
    "Produk ini sudah memiliki penilaian OVOP pada tahun penilaian tersebut. Satu produk hanya dinilai sekali "
    "per tahun: ubah penilaian yang sudah ada."
)


@pytest.mark.parametrize(
    ("stars", "level"),
    [
        (1, FosteringLevel.KABKOTA),
        (2, FosteringLevel.KABKOTA),
        (3, FosteringLevel.PROVINSI),
        (4, FosteringLevel.KEMENTERIAN),
        (5, FosteringLevel.KEMENTERIAN),
    ],
)
def test_fostering_level_is_derived_from_the_stars(stars, level):
    assert fostering_level_for(stars) == level
    rating = OVOPRatingFactory(stars=stars)
    assert OVOPRating.objects.get(pk=rating.pk).fostering_level == level


def test_fostering_level_follows_a_change_of_stars():
    rating = OVOPRatingFactory(stars=2)
    rating.stars = 4
    rating.save()
    rating.refresh_from_db()
    assert rating.fostering_level == FosteringLevel.KEMENTERIAN


@pytest.mark.parametrize("stars", [0, 6, 9])
def test_stars_outside_one_to_five_are_refused_with_a_clear_message(stars):
    rating = OVOPRatingFactory.build(unit=IKMUnitFactory(), stars=stars)
    with pytest.raises(ValidationError) as excinfo:
        rating.full_clean()
    assert excinfo.value.message_dict["stars"] == [STARS_MESSAGE]


def test_database_refuses_stars_outside_one_to_five():
    with pytest.raises(IntegrityError), transaction.atomic():
        OVOPRatingFactory(stars=6)


def test_second_rating_of_the_same_product_in_the_same_year_is_refused_whatever_the_case():
    first = OVOPRatingFactory(product_name="Amplang Ikan Belida", assessment_year=2023)
    again = OVOPRatingFactory.build(unit=first.unit, product_name=" amplang  ikan belida", assessment_year=2023)
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert excinfo.value.messages == [DUPLICATE_MESSAGE]
    with pytest.raises(IntegrityError), transaction.atomic():
        OVOPRatingFactory(unit=first.unit, product_name="AMPLANG IKAN BELIDA", assessment_year=2023)


def test_the_same_product_may_be_rated_again_in_another_year_and_by_another_unit():
    first = OVOPRatingFactory(product_name="Amplang", assessment_year=2021)
    OVOPRatingFactory.build(unit=first.unit, product_name="Amplang", assessment_year=2023).full_clean()
    OVOPRatingFactory.build(unit=IKMUnitFactory(), product_name="Amplang", assessment_year=2021).full_clean()


def test_current_rating_of_a_product_is_its_latest_and_history_is_kept():
    unit = IKMUnitFactory()
    r2019 = OVOPRatingFactory(unit=unit, product_name="Lempok durian", assessment_year=2019, stars=2)
    r2021 = OVOPRatingFactory(unit=unit, product_name="Lempok Durian", assessment_year=2021, stars=3)
    r2023 = OVOPRatingFactory(unit=unit, product_name="lempok durian", assessment_year=2023, stars=4)
    other = OVOPRatingFactory(unit=unit, product_name="Amplang", assessment_year=2019, stars=1)

    assert set(OVOPRating.objects.latest_per_product()) == {r2023, other}
    assert set(OVOPRating.objects.latest_per_product(up_to_year=2022)) == {r2021, other}
    assert set(OVOPRating.objects.latest_per_product(up_to_year=2019)) == {r2019, other}
    current = dict(OVOPRating.objects.with_is_current().values_list("pk", "is_current"))
    assert current == {r2019.pk: False, r2021.pk: False, r2023.pk: True, other.pk: True}
    assert OVOPRating.objects.filter(unit=unit).count() == 4


# --- through the admin form -----------------------------------------------------------------------------------


@pytest.fixture
def banjarmasin_operator(client):
    client.force_login(make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin"))
    return client


def post_rating(client, unit, **values):
    data = rendered_form_data(client.get(ADD))
    data.update(
        {
            "unit": str(unit.pk),
            "product_name": "Kain sasirangan motif gigi haruan",
            "category": "SANDANG",
            "assessment_year": "2023",
            "stars": "2",
            "assessing_body": "Kementerian Perindustrian",
            **values,
        }
    )
    return client.post(ADD, data)


@pytest.mark.parametrize("stars", ["0", "6", "-1"])
def test_admin_refuses_stars_outside_one_to_five_with_the_message(banjarmasin_operator, stars):
    unit = IKMUnitFactory(village_id=PELAMBUAN)
    response = post_rating(banjarmasin_operator, unit, stars=stars)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["stars"] == [STARS_MESSAGE]
    assert not OVOPRating.objects.exists()


def test_admin_refuses_a_second_rating_of_a_product_in_a_year_with_the_message(banjarmasin_operator):
    unit = IKMUnitFactory(village_id=PELAMBUAN)
    assert post_rating(banjarmasin_operator, unit).status_code == 302
    response = post_rating(banjarmasin_operator, unit, product_name="kain sasirangan motif gigi haruan", stars="3")
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [DUPLICATE_MESSAGE]
    assert DUPLICATE_MESSAGE in response.content.decode()
    assert OVOPRating.objects.get().stars == 2


def test_admin_records_a_rating_with_its_derived_fostering_level_and_history(banjarmasin_operator):
    unit = IKMUnitFactory(village_id=PELAMBUAN)
    assert post_rating(banjarmasin_operator, unit, stars="3").status_code == 302
    rating = OVOPRating.objects.get()
    assert rating.fostering_level == FosteringLevel.PROVINSI
    assert rating.history.get().history_user.username == "operator_banjarmasin"


def test_changelist_marks_the_current_rating_and_filters_to_it(banjarmasin_operator):
    unit = IKMUnitFactory(village_id=PELAMBUAN)
    old = OVOPRatingFactory(unit=unit, product_name="Sasirangan", assessment_year=2021, stars=1)
    new = OVOPRatingFactory(unit=unit, product_name="Sasirangan", assessment_year=2023, stars=2)
    url = reverse("admin:ikm_registry_ovoprating_changelist")
    page = banjarmasin_operator.get(url)
    assert {r.pk: r.is_current for r in page.context["cl"].result_list} == {old.pk: False, new.pk: True}
    assert "★★☆☆☆" in page.content.decode()
    current = banjarmasin_operator.get(url, {"terkini": "ya"})
    assert [r.pk for r in current.context["cl"].result_list] == [new.pk]
