"""The IKM unit admin: registering a unit through the real add form, the change list, NIK handling and the
verification actions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ikm_registry.models import (
    IKMUnit,
    NIKAccessLog,
    Role,
    SizeClass,
    VerificationStatus,
    YearlyFigures,
)
from ikm_registry.tests.admin_forms import action_data, rendered_form_data
from ikm_registry.tests.factories import (
    LANGKAI,
    PELAMBUAN,
    IKMUnitFactory,
    YearlyFiguresFactory,
    make_staff,
    sector,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:ikm_registry_ikmunit_changelist"
ADD = "admin:ikm_registry_ikmunit_add"
NIK = "6271014101900012"  # Pahandut, a woman born 1 January 1990


def change_url(unit):
    return reverse("admin:ikm_registry_ikmunit_change", args=[unit.pk])


def unit_with_nik(nik=NIK, **kwargs):
    unit = IKMUnitFactory(**kwargs)
    unit.set_owner_nik(nik)
    unit.save()
    return unit


def test_palangka_raya_operator_registers_a_unit_in_langkai_with_this_years_figures(client):
    operator = make_staff(Role.OPERATOR, "62.71", username="operator_palangkaraya")
    banjarmasin_unit = IKMUnitFactory(village_id=PELAMBUAN, business_name="Sasirangan Pelambuan")
    client.force_login(operator)

    page = client.get(reverse(ADD))
    assert page.status_code == 200
    data = rendered_form_data(page)
    year = timezone.localdate().year
    data.update(
        {
            "business_name": "Meubel Sinar Langkai",
            "brand": "Sinar",
            "owner_name": "Siti Aminah",
            "owner_gender": "P",
            "owner_nik_input": NIK,
            "owner_phone": "0812-3456-7890",
            "village": LANGKAI,
            "address": "Jl. Tjilik Riwut km 2",
            "sector": "KAYU",
            "main_products": "Meja, kursi, lemari",
            "status": "aktif",
            "marketing_reach": "lokal",
            "yearly_figures-TOTAL_FORMS": "1",
            "yearly_figures-0-year": str(year),
            "yearly_figures-0-workers_male": "6",
            "yearly_figures-0-workers_female": "2",
            "yearly_figures-0-investment_value": "Rp 150.000.000",
            "yearly_figures-0-land_building_investment": "0",
            "yearly_figures-0-production_value": "480.000.000",
            "yearly_figures-0-raw_material_value": "200000000",
            "yearly_figures-0-export_value": "0",
            "yearly_figures-0-fuel_cost": "0",
            "_save": "Simpan",
        }
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response

    unit = IKMUnit.objects.get(business_name="Meubel Sinar Langkai")
    assert (unit.village_id, unit.district_id, unit.regency_id) == (LANGKAI, "62.71.01", "62.71")
    assert unit.registry_code.startswith("IKM-6271-")
    assert unit.owner_phone == "+6281234567890"
    assert unit.owner_nik == NIK and NIK not in unit.owner_nik_encrypted
    figures = unit.yearly_figures.get()
    assert (figures.year, figures.workers_total, figures.investment_value) == (year, 8, 150_000_000)
    assert figures.size_class == SizeClass.KECIL
    assert unit.history.get().history_user == operator

    listing = client.get(reverse(CHANGELIST))
    assert "Meubel Sinar Langkai" in listing.text
    assert banjarmasin_unit.business_name not in listing.text
    assert client.get(change_url(banjarmasin_unit)).status_code == 302


def test_add_form_refuses_an_invalid_nik_and_warns_of_a_shared_one(client):
    operator = make_staff(Role.OPERATOR, "62.71")
    existing = unit_with_nik(business_name="Amplang Lama")
    client.force_login(operator)
    data = rendered_form_data(client.get(reverse(ADD)))
    data.update({"business_name": "Usaha Baru", "owner_name": "Budi", "village": LANGKAI, "_save": "1"})

    bad = client.post(reverse(ADD), {**data, "owner_nik_input": "6271013201900012"})
    assert bad.status_code == 200
    assert "tanggal lahir tidak valid" in bad.text

    assert IKMUnit.objects.count() == 1

    # One owner may run several businesses: saved, with a warning naming the other unit in the same region.
    shared = client.post(reverse(ADD), {**data, "owner_nik_input": NIK}, follow=True)
    assert shared.status_code == 200
    warnings = [str(m) for m in shared.context["messages"] if m.level_tag == "warning"]
    assert any(existing.registry_code in w and "Mungkin ganda" in w for w in warnings)
    assert IKMUnit.objects.with_nik(NIK).count() == 2


def test_shared_nik_of_another_region_is_flagged_without_naming_that_unit(client):
    unit_with_nik(village_id=PELAMBUAN, business_name="Sasirangan Rahasia")
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    data = rendered_form_data(client.get(reverse(ADD)))
    data.update({"business_name": "Usaha Baru", "owner_name": "Budi", "village": LANGKAI, "owner_nik_input": NIK})
    response = client.post(reverse(ADD), data, follow=True)
    assert "unit IKM lain di wilayah lain" in response.text
    assert "Sasirangan Rahasia" not in response.text
    assert IKMUnit.objects.filter(business_name="Usaha Baru").exists()


def test_operator_cannot_pick_a_village_outside_the_city(client):
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    data = rendered_form_data(client.get(reverse(ADD)))
    data.update({"business_name": "Usaha Nyasar", "owner_name": "Budi", "village": PELAMBUAN})
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert not IKMUnit.objects.filter(business_name="Usaha Nyasar").exists()


def test_change_list_masks_nik_and_finds_a_unit_by_exact_nik(client):
    unit = unit_with_nik(business_name="Kerupuk Basah Langkai")
    IKMUnitFactory(business_name="Tanpa NIK")
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    listing = client.get(reverse(CHANGELIST))
    assert "6271********0012" in listing.text
    assert NIK not in listing.text
    found = client.get(reverse(CHANGELIST), {"q": "6271 0141 0190 0012"})
    assert list(found.context["cl"].result_list) == [unit]


@pytest.mark.parametrize("term", ["kerupuk", "Sinar", "Siti", "amplang", "1234567890123"])
def test_search_covers_name_brand_owner_products_and_nib(client, term):
    unit = IKMUnitFactory(
        business_name="Kerupuk Basah",
        brand="Sinar Jaya",
        owner_name="Siti Aminah",
        main_products="Amplang",
        nib="1234567890123",
    )
    IKMUnitFactory(business_name="Lain", brand="X", owner_name="Y", main_products="Meja")
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    response = client.get(reverse(CHANGELIST), {"q": term})
    assert list(response.context["cl"].result_list) == [unit]


def test_a_search_of_several_words_needs_each_word_somewhere(client):
    unit = IKMUnitFactory(business_name="Kerupuk Basah", owner_name="Siti Aminah", main_products="Amplang ikan")
    IKMUnitFactory(business_name="Kerupuk Kering", owner_name="Budi Santoso", main_products="Meja")
    IKMUnitFactory(business_name="Diskon 50% Kerupuk", owner_name="Ani", main_products="Kerupuk")
    client.force_login(make_staff(Role.OPERATOR, None))

    def found(term):
        return [u.business_name for u in client.get(reverse(CHANGELIST), {"q": term}).context["cl"].result_list]

    assert found("kerupuk SITI") == ["Kerupuk Basah"]  # the name and the owner, any case
    assert found(f"amplang {unit.registry_code.lower()}") == ["Kerupuk Basah"]  # a word may be the IKM code
    assert found("kerupuk meja budi") == ["Kerupuk Kering"]
    assert found("50%") == ["Diskon 50% Kerupuk"]  # LIKE's wildcards are plain characters
    assert found("5_%") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the staff trigram index is PostgreSQL's")
def test_the_text_search_is_answered_by_the_staff_trigram_index(client):
    """Django's own search (one UPPER(column) LIKE per field, joined by OR) read every unit in scope: 0.8 s for a
    national account at a million units. Each word is one ILIKE on the expression of migration 0018's index."""
    from ikm_registry.search import staff_search_q

    IKMUnitFactory(business_name="Kerupuk Basah", owner_name="Siti Aminah")
    client.force_login(make_staff(Role.VERIFIKATOR, None))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(CHANGELIST), {"q": "kerupuk siti"})
    listing = [q["sql"] for q in queries if 'FROM "ikm_registry_ikmunit"' in q["sql"] and "ILIKE" in q["sql"]]
    assert listing and all(sql.count(" ILIKE ") == 2 and "UPPER(" not in sql for sql in listing)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of one unit: ask whether the index can serve
    plan = IKMUnit.objects.filter(staff_search_q("kerupuk siti")).order_by().explain()
    assert "ikm_staff_search_trgm" in plan


@pytest.mark.parametrize("typed", ["{code}", " {code_lower} ", "{nib}", "12345 67890 123"])
def test_a_whole_ikm_code_or_nib_finds_its_unit_by_its_index_alone(client, typed):
    unit = IKMUnitFactory(nib="1234567890123")
    other = IKMUnitFactory(business_name=f"Mitra {unit.registry_code} 1234567890123")  # the codes as text
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    term = typed.format(code=unit.registry_code, code_lower=unit.registry_code.lower(), nib=unit.nib)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), {"q": term})

    assert list(response.context["cl"].result_list) == [unit]
    assert other.registry_code != unit.registry_code
    units_sql = [q["sql"] for q in queries.captured_queries if 'FROM "ikm_registry_ikmunit"' in q["sql"]]
    assert units_sql and all("LIKE" not in sql for sql in units_sql)  # no text search: one index lookup


def test_an_ikm_code_of_another_city_is_not_found_by_an_operator(client):
    outside = IKMUnitFactory(village_id=PELAMBUAN)
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    response = client.get(reverse(CHANGELIST), {"q": outside.registry_code})
    assert list(response.context["cl"].result_list) == []


def test_whole_nik_is_shown_only_on_the_logged_reveal_page(client):
    unit = unit_with_nik()
    verifier = make_staff(Role.VERIFIKATOR, "62.71")
    client.force_login(verifier)
    url = reverse("admin:ikm_registry_ikmunit_reveal_nik", args=[unit.pk])

    page = client.get(change_url(unit))
    assert url in page.text and NIK not in page.text
    ask = client.get(url)
    assert NIK not in ask.text and not NIKAccessLog.objects.exists()

    shown = client.post(url, {"purpose": "verifikasi data"})
    assert NIK in shown.text
    assert "no-store" in shown["Cache-Control"]
    log = NIKAccessLog.objects.get()
    assert (log.user, log.unit, log.purpose) == (verifier, unit, "verifikasi data")


def test_operator_and_pimpinan_may_not_reveal_a_nik(client):
    unit = unit_with_nik()
    url = reverse("admin:ikm_registry_ikmunit_reveal_nik", args=[unit.pk])
    for role in (Role.OPERATOR, Role.PIMPINAN):
        client.force_login(make_staff(role, "62.71"))
        assert url not in client.get(change_url(unit)).text
        assert client.post(url, {"purpose": "ingin tahu"}).status_code == 403
    assert not NIKAccessLog.objects.exists()


def test_reveal_page_of_another_regions_unit_is_not_found(client):
    unit = unit_with_nik(village_id=PELAMBUAN)
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    response = client.post(reverse("admin:ikm_registry_ikmunit_reveal_nik", args=[unit.pk]), {"purpose": "x"})
    assert response.status_code == 404
    assert not NIKAccessLog.objects.exists()


def test_operator_sees_owner_contact_masked_and_an_empty_input_keeps_it(client):
    unit = IKMUnitFactory(owner_phone="+6281234567890", owner_email="siti@contoh.id")
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    page = client.get(change_url(unit))
    assert "+6281234567890" not in page.text and "siti@contoh.id" not in page.text
    assert "+6281*****7890" in page.text and "s***@contoh.id" in page.text

    data = rendered_form_data(page)
    data["brand"] = "Merek Baru"
    assert client.post(change_url(unit), data).status_code == 302
    unit.refresh_from_db()
    assert (unit.brand, unit.owner_phone, unit.owner_email) == ("Merek Baru", "+6281234567890", "siti@contoh.id")


def test_pimpinan_reads_the_unit_with_masked_contact(client):
    unit = IKMUnitFactory(owner_phone="+6281234567890", owner_email="siti@contoh.id")
    client.force_login(make_staff(Role.PIMPINAN, "62.71"))
    page = client.get(change_url(unit))
    assert page.status_code == 200
    assert "+6281234567890" not in page.text and "+6281*****7890" in page.text
    assert 'name="owner_nik_input"' not in page.text


def test_verifier_sees_owner_contact_whole(client):
    unit = IKMUnitFactory(owner_phone="+6281234567890")
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    assert "+6281234567890" in client.get(change_url(unit)).text


def test_yearly_figures_inline_shows_rupiah_and_the_derived_size_class(client):
    figures = YearlyFiguresFactory(
        unit__village_id=LANGKAI, investment_value=1_500_000, workers_male=25, workers_female=0
    )
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    page = client.get(change_url(figures.unit))
    assert 'value="1.500.000"' in page.text
    assert "Rp1.500.000" in page.text
    assert "Industri menengah" in page.text


# Session, user, staff profile, savepoints, regions for the kecamatan filter, sectors, count, page.
CHANGE_LIST_QUERIES = {Role.OPERATOR: 9, Role.ADMIN: 10}


@pytest.mark.parametrize(("role", "region_code"), [(Role.OPERATOR, "62.71"), (Role.ADMIN, "62")])
def test_change_list_runs_the_same_number_of_queries_for_10_and_50_units(
    client, django_assert_num_queries, role, region_code
):
    client.force_login(make_staff(role, region_code))
    for batch in (10, 40):
        for _ in range(batch):
            unit_with_nik(nik=f"627101410190{IKMUnit.objects.count() + 1:04d}", sector=sector("KAYU"))
        with django_assert_num_queries(CHANGE_LIST_QUERIES[role]):
            response = client.get(reverse(CHANGELIST), {"kabkota": "62.71"} if region_code == "62" else {})
        assert len(response.context["cl"].result_list) == IKMUnit.objects.count()


def test_operator_submits_and_cannot_verify(client):
    draft, returned = IKMUnitFactory(), IKMUnitFactory(verification_status=VerificationStatus.RETURNED)
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    listing = client.get(reverse(CHANGELIST))
    actions = dict(listing.context["action_form"].fields["action"].choices)
    assert "submit_units" in actions and "verify_units" not in actions and "return_units" not in actions

    client.post(reverse(CHANGELIST), action_data("submit_units", [draft, returned]))
    for unit in (draft, returned):
        unit.refresh_from_db()
        assert unit.verification_status == VerificationStatus.SUBMITTED
        assert unit.return_reason == ""


def test_verifier_verifies_only_submitted_units(client):
    submitted = IKMUnitFactory(verification_status=VerificationStatus.SUBMITTED)
    draft = IKMUnitFactory()
    verifier = make_staff(Role.VERIFIKATOR, "62.71")
    client.force_login(verifier)
    response = client.post(reverse(CHANGELIST), action_data("verify_units", [submitted, draft]), follow=True)
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.verification_status, submitted.verified_by) == (VerificationStatus.VERIFIED, verifier)
    assert draft.verification_status == VerificationStatus.DRAFT
    assert "1 unit dilewati" in response.text
    assert submitted.history.latest("history_date").history_user == verifier


def test_return_asks_for_a_reason_on_an_intermediate_page(client):
    unit = IKMUnitFactory(verification_status=VerificationStatus.SUBMITTED)
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    ask = client.post(reverse(CHANGELIST), action_data("return_units", [unit]))
    assert ask.status_code == 200
    assert "Alasan pengembalian" in ask.text
    unit.refresh_from_db()
    assert unit.verification_status == VerificationStatus.SUBMITTED

    confirm = {k: v for k, v in action_data("return_units", [unit]).items() if k != "index"}
    empty = client.post(reverse(CHANGELIST), {**confirm, "apply": "1", "reason": "  "})
    assert empty.status_code == 200
    unit.refresh_from_db()
    assert unit.verification_status == VerificationStatus.SUBMITTED

    done = client.post(reverse(CHANGELIST), {**confirm, "apply": "1", "reason": "NIB belum diisi"})
    assert done.status_code == 302
    unit.refresh_from_db()
    assert (unit.verification_status, unit.return_reason) == (VerificationStatus.RETURNED, "NIB belum diisi")
    assert unit.history.latest("history_date").history_change_reason == "Dikembalikan: NIB belum diisi"


def test_operator_edit_of_a_verified_unit_sends_it_back_to_the_verifier(client):
    unit = IKMUnitFactory(verification_status=VerificationStatus.VERIFIED)
    figures = YearlyFiguresFactory(unit=unit, year=2024)
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    page = client.get(change_url(unit))
    data = rendered_form_data(page)
    data["yearly_figures-0-workers_male"] = "9"
    assert client.post(change_url(unit), data).status_code == 302
    unit.refresh_from_db()
    figures.refresh_from_db()
    assert figures.workers_male == 9
    assert unit.verification_status == VerificationStatus.SUBMITTED


def test_verifier_edit_keeps_a_unit_verified(client):
    unit = IKMUnitFactory(verification_status=VerificationStatus.VERIFIED)
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    data = rendered_form_data(client.get(change_url(unit)))
    data["brand"] = "Merek Terverifikasi"
    assert client.post(change_url(unit), data).status_code == 302
    unit.refresh_from_db()
    assert unit.verification_status == VerificationStatus.VERIFIED


def test_operator_closes_a_unit_with_a_date_instead_of_deleting_it(client):
    unit = IKMUnitFactory()
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    page = client.get(change_url(unit))
    assert reverse("admin:ikm_registry_ikmunit_delete", args=[unit.pk]) not in page.text
    data = rendered_form_data(page)
    data["status"] = "tutup"
    missing_date = client.post(change_url(unit), data)
    assert missing_date.status_code == 200 and "Isi tanggal ketika status berubah" in missing_date.text
    data["status_date"] = "2026-01-31"
    assert client.post(change_url(unit), data).status_code == 302
    unit.refresh_from_db()
    assert (unit.status, unit.status_date) == ("tutup", datetime.date(2026, 1, 31))


def test_city_operator_filters_by_kecamatan_of_the_city_only(client):
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    response = client.get(reverse(CHANGELIST))
    specs = {
        spec.parameter_name: spec for spec in response.context["cl"].filter_specs if hasattr(spec, "parameter_name")
    }
    assert "provinsi" not in specs and "kabkota" not in specs
    assert {name for _, name in specs["kecamatan"].lookup_choices} == {
        "Pahandut",
        "Bukit Batu",
        "Jekan Raya",
        "Sabangau",
        "Rakumpit",
    }


def test_province_filters_cascade_from_kabkota_to_kecamatan(client):
    pahandut = IKMUnitFactory(village_id=LANGKAI)
    bukit_batu = IKMUnitFactory(village_id="62.71.02.1001")
    client.force_login(make_staff(Role.ADMIN, "62"))

    first = client.get(reverse(CHANGELIST))
    specs = {s.parameter_name: s for s in first.context["cl"].filter_specs if hasattr(s, "parameter_name")}
    assert len(specs["kabkota"].lookup_choices) == 14  # the kab/kota of Kalimantan Tengah
    assert "kecamatan" not in specs and "provinsi" not in specs

    narrowed = client.get(reverse(CHANGELIST), {"kabkota": "62.71", "kecamatan": "62.71.01"})
    assert list(narrowed.context["cl"].result_list) == [pahandut]
    specs = {s.parameter_name: s for s in narrowed.context["cl"].filter_specs if hasattr(s, "parameter_name")}
    assert len(specs["kecamatan"].lookup_choices) == 5
    # Choosing another kab/kota drops the kecamatan from the link.
    link = next(
        c for c in specs["kabkota"].choices(narrowed.context["cl"]) if c["display"] == "Kabupaten Kotawaringin Timur"
    )
    assert "kecamatan" not in link["query_string"]
    assert bukit_batu not in narrowed.context["cl"].result_list


def test_national_change_list_uses_the_estimated_count_only_when_unfiltered(client, monkeypatch, admin_user):
    from ikm_registry.admin import filters

    IKMUnitFactory.create_batch(3)
    monkeypatch.setattr(filters, "estimated_row_count", lambda model, using="default": 2_000_000)
    client.force_login(admin_user)
    unfiltered = client.get(reverse(CHANGELIST))
    assert unfiltered.context["cl"].result_count == 2_000_000
    assert unfiltered.context["cl"].show_full_result_count is False
    filtered = client.get(reverse(CHANGELIST), {"kabkota": "62.71"})
    assert filtered.context["cl"].result_count == 3
    specs = {s.parameter_name: s for s in filtered.context["cl"].filter_specs if hasattr(s, "parameter_name")}
    # A national user starts from the 38 provinces; the kab/kota list shows the chosen one's siblings only.
    assert len(specs["kabkota"].lookup_choices) == 14
    assert len(specs["provinsi"].lookup_choices) == 4  # the provinces loaded for tests


def test_estimated_row_count_reads_the_planner_statistics_on_postgresql():
    from django.db import connection

    from ikm_registry.admin.filters import estimated_row_count

    IKMUnitFactory.create_batch(3)
    if connection.vendor != "postgresql":
        assert estimated_row_count(IKMUnit) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ikm_registry_ikmunit")
    assert estimated_row_count(IKMUnit) == 3


def test_rupiah_field_reads_numbers_as_staff_type_them():
    from django.core.exceptions import ValidationError

    from ikm_registry.admin.widgets import RupiahField

    field = RupiahField(required=False)
    for typed in ("1500000", "1.500.000", "Rp 1.500.000,00", "Rp1.500.000", "1,500,000"):
        assert field.clean(typed) == 1_500_000
    assert field.clean("") is None
    with pytest.raises(ValidationError, match="bulat"):
        field.clean("1.500.000,50")
    with pytest.raises(ValidationError, match="angka"):
        field.clean("satu juta")


def test_figures_are_not_lost_when_one_rupiah_value_is_wrong(client):
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    data = rendered_form_data(client.get(reverse(ADD)))
    data.update(
        {
            "business_name": "Usaha Salah Ketik",
            "owner_name": "Budi",
            "village": LANGKAI,
            "yearly_figures-TOTAL_FORMS": "1",
            "yearly_figures-0-year": "2025",
            "yearly_figures-0-investment_value": "sejuta",
        }
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "Isi nilai Rupiah dengan angka" in response.text
    assert not IKMUnit.objects.exists() and not YearlyFigures.objects.exists()
