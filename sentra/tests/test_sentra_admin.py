"""The sentra admin: list with the minimum flag, members and support on the change page, real form posts,
and region scope (a Palangka Raya operator never sees, opens, changes or picks Banjarmasin's records)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ikm_registry.models import Role
from ikm_registry.tests.admin_forms import rendered_form_data
from ikm_registry.tests.factories import (
    LANGKAI,
    PELAMBUAN,
    EquipmentAssistanceFactory,
    IKMUnitFactory,
    YearlyFiguresFactory,
    make_staff,
)
from sentra.models import Sentra, SentraMembership
from sentra.tests.factories import SentraFactory, SentraMembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CHANGELIST = reverse("admin:sentra_sentra_changelist")
ADD = reverse("admin:sentra_sentra_add")
AUTOCOMPLETE = reverse("admin:autocomplete")


def change_url(sentra):
    return reverse("admin:sentra_sentra_change", args=[sentra.pk])


@pytest.fixture
def banjarmasin_operator(client):
    client.force_login(make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin"))
    return client


@pytest.fixture
def palangka_raya_operator(client):
    client.force_login(make_staff(Role.OPERATOR, "62.71", username="operator_palangkaraya"))
    return client


def full_sentra(members: int, **kwargs) -> Sentra:
    sentra = SentraFactory(**kwargs)
    SentraMembershipFactory.create_batch(members, sentra=sentra)
    return sentra


def test_changelist_flags_sentra_below_five_active_members(banjarmasin_operator):
    small = full_sentra(3, name="Sentra Tanggui Kuin Cerucuk", village_id="63.71.03.1008")
    full_sentra(5, name="Sentra Sasirangan Pelambuan")
    page = banjarmasin_operator.get(CHANGELIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="sentra-below-minimum"' in html
    assert html.count("sentra-below-minimum") == 1
    rows = {s.name: s.member_count for s in page.context["cl"].result_list}
    assert rows == {small.name: 3, "Sentra Sasirangan Pelambuan": 5}

    below = banjarmasin_operator.get(CHANGELIST, {"anggota": "kurang"})
    assert [s.name for s in below.context["cl"].result_list] == [small.name]


def test_changelist_runs_the_same_number_of_queries_whatever_the_number_of_sentra(banjarmasin_operator):
    full_sentra(2)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert banjarmasin_operator.get(CHANGELIST).status_code == 200
        return len(ctx)

    few = count_queries()
    for _ in range(8):
        full_sentra(2)
    assert count_queries() == few


def test_changelist_query_count_is_pinned(banjarmasin_operator, django_assert_num_queries):
    for _ in range(4):
        full_sentra(2)
    # session, user, user and group permissions, staff profile, sector and kecamatan filter choices,
    # paginator count, rows (member counts annotated in the same query)
    with django_assert_num_queries(9):
        banjarmasin_operator.get(CHANGELIST)


def test_region_filter_cascades_to_kecamatan_for_a_city_office(banjarmasin_operator):
    in_barat = full_sentra(1, name="Sentra Tanggui", village_id="63.71.03.1008")
    full_sentra(1, name="Sentra Kue Surgi Mufti", village_id="63.71.04.1006")
    page = banjarmasin_operator.get(CHANGELIST, {"kecamatan": "63.71.03"})
    assert [s.name for s in page.context["cl"].result_list] == [in_barat.name]
    kecamatan = [f for f in page.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "kecamatan"][0]
    assert len(kecamatan.lookup_choices) == 5  # Banjarmasin's five kecamatan, never thousands of villages


def test_change_page_warns_below_minimum_and_is_silent_from_five(banjarmasin_operator):
    small = full_sentra(4)
    page = banjarmasin_operator.get(change_url(small))
    assert 'id="sentra-minimum-warning"' in page.content.decode()
    assert "hanya memiliki 4 anggota aktif, kurang dari batas minimal 5" in page.content.decode()

    SentraMembershipFactory(sentra=small)
    page = banjarmasin_operator.get(change_url(small))
    assert 'id="sentra-minimum-warning"' not in page.content.decode()


def test_change_page_shows_members_with_workers_and_production_value_for_the_chosen_year(banjarmasin_operator):
    sentra = SentraFactory(name="Sentra Sasirangan Pelambuan")
    member = SentraMembershipFactory(sentra=sentra, joined_on=D(2019, 1, 1), unit__business_name="Sasirangan Ida")
    former = SentraMembershipFactory(
        sentra=sentra, joined_on=D(2019, 1, 1), left_on=D(2022, 6, 1), unit__business_name="Sasirangan Lama"
    )
    YearlyFiguresFactory(unit=member.unit, year=2021, workers_male=1, workers_female=6, production_value=75_000_000)
    YearlyFiguresFactory(unit=former.unit, year=2021, workers_male=2, workers_female=2, production_value=25_000_000)
    YearlyFiguresFactory(unit=member.unit, year=2024, workers_male=3, workers_female=8, production_value=150_000_000)
    EquipmentAssistanceFactory(unit=None, sentra=sentra, name="Mesin obras", value=12_500_000)

    page = banjarmasin_operator.get(change_url(sentra), {"tahun": "2021"})
    html = page.content.decode()
    assert page.context["sentra_year"] == 2021
    assert [row.unit.business_name for row in page.context["sentra_members"]] == ["Sasirangan Ida", "Sasirangan Lama"]
    assert page.context["sentra_totals"] == {
        "men": 3,
        "women": 8,
        "workers": 11,
        "production_value": 100_000_000,
        "reported": 2,
    }
    assert "Rp100.000.000" in html
    assert '<a href="?tahun=2024">2024</a>' in html
    assert "Mesin obras" in html and "Rp12.500.000" in html

    latest = banjarmasin_operator.get(change_url(sentra))
    assert latest.context["sentra_year"] == 2024  # default: the latest year with figures
    assert [row.unit.business_name for row in latest.context["sentra_members"]] == ["Sasirangan Ida"]
    assert "Rp150.000.000" in latest.content.decode()


def test_operator_records_a_sentra_with_its_members_through_the_add_form(banjarmasin_operator):
    units = [IKMUnitFactory(village_id=PELAMBUAN) for _ in range(5)]
    page = banjarmasin_operator.get(ADD)
    data = rendered_form_data(page)
    data.update(
        {
            "name": "Sentra Sasirangan Kampung Pelambuan",
            "kind": "sentra",
            "status": "non_formal",
            "village": PELAMBUAN,
            "main_commodity": "Kain sasirangan",
            "sector": "SANDANG",
            "year_formed": "2010",
            "memberships-TOTAL_FORMS": "5",
        }
    )
    for i, unit in enumerate(units):
        data[f"memberships-{i}-unit"] = str(unit.pk)
        data[f"memberships-{i}-joined_on"] = "01/03/2020"
    response = banjarmasin_operator.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    sentra = Sentra.objects.get(name="Sentra Sasirangan Kampung Pelambuan")
    assert sentra.regency_id == "63.71"
    assert sentra.memberships.count() == 5
    assert sentra.history.count() == 1
    assert SentraMembership.history.filter(sentra_id=sentra.pk).count() == 5


def test_add_form_refuses_a_unit_that_is_still_in_another_sentra_and_names_it(banjarmasin_operator):
    existing = SentraMembershipFactory(sentra__name="Sentra Sasirangan Sungai Jingah")
    data = rendered_form_data(banjarmasin_operator.get(ADD))
    data.update(
        {
            "name": "Sentra Baru",
            "kind": "sentra",
            "status": "non_formal",
            "village": PELAMBUAN,
            "main_commodity": "Sasirangan",
            "sector": "SANDANG",
            "memberships-0-unit": str(existing.unit.pk),
            "memberships-0-joined_on": "01/01/2024",
        }
    )
    response = banjarmasin_operator.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].non_field_errors()
    assert errors == [
        f"{existing.unit} sudah menjadi anggota Sentra Sasirangan Sungai Jingah pada periode itu "
        "(01-01-2020 – sekarang)."
    ]
    assert not Sentra.objects.filter(name="Sentra Baru").exists()


def test_add_form_refuses_the_same_unit_twice_with_overlapping_periods(banjarmasin_operator):
    unit = IKMUnitFactory(village_id=PELAMBUAN)
    data = rendered_form_data(banjarmasin_operator.get(ADD))
    data.update(
        {
            "name": "Sentra Ganda",
            "kind": "sentra",
            "status": "non_formal",
            "village": PELAMBUAN,
            "main_commodity": "Sasirangan",
            "sector": "SANDANG",
            "memberships-TOTAL_FORMS": "2",
            "memberships-0-unit": str(unit.pk),
            "memberships-0-joined_on": "01/01/2020",
            "memberships-1-unit": str(unit.pk),
            "memberships-1-joined_on": "01/01/2022",
        }
    )
    response = banjarmasin_operator.post(ADD, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [f"{unit} tercatat dua kali dengan periode yang tumpang tindih."]
    assert not Sentra.objects.filter(name="Sentra Ganda").exists()


def test_formal_sentra_without_decree_is_refused_with_indonesian_messages(banjarmasin_operator):
    data = rendered_form_data(banjarmasin_operator.get(ADD))
    data.update(
        {
            "name": "Sentra Formal",
            "kind": "sentra",
            "status": "formal",
            "village": PELAMBUAN,
            "main_commodity": "Sasirangan",
            "sector": "SANDANG",
        }
    )
    response = banjarmasin_operator.post(ADD, data)
    errors = response.context["adminform"].form.errors
    assert errors["decree_number"] == ["Sentra formal harus memiliki nomor SK."]
    assert errors["decree_date"] == ["Sentra formal harus memiliki tanggal SK."]


# --- region scope ---------------------------------------------------------------------------------------------


def test_palangka_raya_operator_cannot_list_open_change_or_read_history_of_banjarmasin_sentra(
    palangka_raya_operator,
):
    banjarmasin = full_sentra(5, name="Sentra Sasirangan Pelambuan")
    own = full_sentra(5, name="Kawasan Industri Kayu Palangka Raya", village_id=LANGKAI)

    listing = palangka_raya_operator.get(CHANGELIST)
    assert [s.name for s in listing.context["cl"].result_list] == [own.name]

    opened = palangka_raya_operator.get(change_url(banjarmasin))
    assert opened.status_code == 302 and opened.url == reverse("admin:index")

    changed = palangka_raya_operator.post(change_url(banjarmasin), {"name": "Diubah"})
    assert changed.status_code == 302
    banjarmasin.refresh_from_db()
    assert banjarmasin.name == "Sentra Sasirangan Pelambuan"

    history = palangka_raya_operator.get(reverse("admin:sentra_sentra_history", args=[banjarmasin.pk]))
    assert history.status_code == 404
    version = banjarmasin.history.first()
    old = palangka_raya_operator.get(
        reverse("admin:sentra_sentra_simple_history", args=[banjarmasin.pk, version.history_id])
    )
    assert old.status_code == 404


def test_history_of_a_deleted_sentra_follows_its_last_village():
    sentra = SentraFactory()
    pk = sentra.pk
    sentra.delete()
    from django.test import Client

    own, other = Client(), Client()
    own.force_login(make_staff(Role.OPERATOR, "63.71", username="op_bjm"))
    other.force_login(make_staff(Role.OPERATOR, "62.71", username="op_plk"))
    url = reverse("admin:sentra_sentra_history", args=[pk])
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 404


def test_palangka_raya_operator_cannot_pick_banjarmasin_units_as_members(palangka_raya_operator):
    banjarmasin_unit = IKMUnitFactory(village_id=PELAMBUAN, business_name="Sasirangan Banjar")
    own_unit = IKMUnitFactory(village_id=LANGKAI, business_name="Sasirangan Langkai")
    found = palangka_raya_operator.get(
        AUTOCOMPLETE,
        {"app_label": "sentra", "model_name": "sentramembership", "field_name": "unit", "term": "Sasirangan"},
    )
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(own_unit.pk)]

    data = rendered_form_data(palangka_raya_operator.get(ADD))
    data.update(
        {
            "name": "Sentra Curang",
            "kind": "sentra",
            "status": "non_formal",
            "village": LANGKAI,
            "main_commodity": "Kayu",
            "sector": "KAYU",
            "memberships-0-unit": str(banjarmasin_unit.pk),
            "memberships-0-joined_on": "01/01/2024",
        }
    )
    response = palangka_raya_operator.post(ADD, data)
    assert response.status_code == 200
    assert "unit" in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert not Sentra.objects.filter(name="Sentra Curang").exists()


def test_palangka_raya_operator_cannot_place_a_sentra_in_a_banjarmasin_village(palangka_raya_operator):
    data = rendered_form_data(palangka_raya_operator.get(ADD))
    data.update(
        {
            "name": "Sentra Salah Tempat",
            "kind": "sentra",
            "status": "non_formal",
            "village": PELAMBUAN,
            "main_commodity": "Kayu",
            "sector": "KAYU",
        }
    )
    response = palangka_raya_operator.post(ADD, data)
    assert "village" in response.context["adminform"].form.errors
    found = palangka_raya_operator.get(
        AUTOCOMPLETE,
        {"app_label": "sentra", "model_name": "sentra", "field_name": "village", "term": "Pelambuan"},
    )
    assert found.json()["results"] == []


def test_sentra_autocomplete_for_equipment_offers_only_sentra_in_scope(palangka_raya_operator):
    SentraFactory(name="Sentra Sasirangan Pelambuan")
    own = SentraFactory(name="Sentra Rotan Langkai", village_id=LANGKAI)
    found = palangka_raya_operator.get(
        AUTOCOMPLETE,
        {"app_label": "ikm_registry", "model_name": "equipmentassistance", "field_name": "sentra", "term": "Sentra"},
    )
    assert [r["id"] for r in found.json()["results"]] == [str(own.pk)]
