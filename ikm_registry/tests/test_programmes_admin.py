"""Admin screens of pembinaan, bantuan and OVOP: real form posts, constant query counts on the change lists,
and region scope for every model (list, open, change, history, autocompletes)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ikm_registry.models import (
    ConditionCheck,
    EquipmentAssistance,
    EquipmentCondition,
    FieldOfficer,
    MentoringVisit,
    Role,
    TrainingActivity,
)
from ikm_registry.tests.admin_forms import rendered_form_data
from ikm_registry.tests.factories import (
    LANGKAI,
    PELAMBUAN,
    EquipmentAssistanceFactory,
    FieldOfficerFactory,
    IKMUnitFactory,
    MentoringVisitFactory,
    OVOPRatingFactory,
    TrainingActivityFactory,
    TrainingParticipantFactory,
    make_staff,
)
from sentra.tests.factories import SentraFactory

pytestmark = pytest.mark.django_db

D = datetime.date
VILLAGE = {"63.71": PELAMBUAN, "62.71": LANGKAI}
AUTOCOMPLETE = reverse("admin:autocomplete")


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:ikm_registry_{model}_{view}", args=args)


@pytest.fixture
def banjarmasin_operator(client):
    client.force_login(make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin"))
    return client


@pytest.fixture
def palangka_raya_operator(client):
    client.force_login(make_staff(Role.OPERATOR, "62.71", username="operator_palangkaraya"))
    return client


def unit_in(city: str, **kwargs):
    return IKMUnitFactory(village_id=VILLAGE[city], **kwargs)


def officer_in(city: str, **kwargs):
    return FieldOfficerFactory(owner_region_id=city, assigned_region_id=city, **kwargs)


def activity_in(city: str, participants: int = 2):
    activity = TrainingActivityFactory(owner_region_id=city)
    activity.facilitators.add(officer_in(city))
    for _ in range(participants):
        TrainingParticipantFactory(activity=activity, unit=unit_in(city))
    return activity


def visit_in(city: str):
    return MentoringVisitFactory(unit=unit_in(city), officer=officer_in(city))


def equipment_in(city: str):
    item = EquipmentAssistanceFactory(unit=unit_in(city), handover_date=D(2024, 8, 1))
    ConditionCheck.objects.create(equipment=item, checked_on=D(2024, 12, 1), condition=EquipmentCondition.BAIK)
    return item


def sentra_equipment_in(city: str):
    return EquipmentAssistanceFactory(unit=None, sentra=SentraFactory(village_id=VILLAGE[city]))


def rating_in(city: str):
    return OVOPRatingFactory(unit=unit_in(city))


BUILDERS = {
    "fieldofficer": officer_in,
    "trainingactivity": activity_in,
    "mentoringvisit": visit_in,
    "equipmentassistance": equipment_in,
    "ovoprating": rating_in,
}


# --- region scope ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "build"), [*BUILDERS.items(), ("equipmentassistance", sentra_equipment_in)], ids=lambda v: str(v)[:30]
)
def test_palangka_raya_operator_cannot_list_open_change_or_read_history_of_banjarmasin_records(
    palangka_raya_operator, model, build
):
    theirs = build("63.71")
    own = build("62.71")

    listing = palangka_raya_operator.get(url(model, "changelist"))
    assert listing.status_code == 200
    assert [obj.pk for obj in listing.context["cl"].result_list] == [own.pk]

    opened = palangka_raya_operator.get(url(model, "change", theirs.pk))
    assert opened.status_code == 302 and opened.url == reverse("admin:index")
    assert palangka_raya_operator.get(url(model, "change", own.pk)).status_code == 200

    before = type(theirs).objects.filter(pk=theirs.pk).values().get()
    changed = palangka_raya_operator.post(url(model, "change", theirs.pk), {"name": "x", "title": "x", "stars": "5"})
    assert changed.status_code == 302
    assert type(theirs).objects.filter(pk=theirs.pk).values().get() == before

    assert palangka_raya_operator.get(url(model, "history", theirs.pk)).status_code == 404
    version = theirs.history.first()
    assert palangka_raya_operator.get(url(model, "simple_history", theirs.pk, version.history_id)).status_code == 404
    assert palangka_raya_operator.get(url(model, "history", own.pk)).status_code == 200


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("trainingparticipant", "unit"),
        ("mentoringvisit", "unit"),
        ("equipmentassistance", "unit"),
        ("ovoprating", "unit"),
    ],
)
def test_palangka_raya_operator_cannot_pick_banjarmasin_units(palangka_raya_operator, model, field):
    unit_in("63.71", business_name="Amplang Banjar")
    own = unit_in("62.71", business_name="Amplang Kahayan")
    found = palangka_raya_operator.get(
        AUTOCOMPLETE, {"app_label": "ikm_registry", "model_name": model, "field_name": field, "term": "Amplang"}
    )
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(own.pk)]


@pytest.mark.parametrize(
    ("model", "field"),
    [("mentoringvisit", "officer"), ("trainingactivity", "facilitators"), ("conditioncheck", "officer")],
)
def test_palangka_raya_operator_cannot_pick_banjarmasin_officers(palangka_raya_operator, model, field):
    officer_in("63.71", name="Rahmat Banjar")
    own = officer_in("62.71", name="Rahmat Kahayan")
    found = palangka_raya_operator.get(
        AUTOCOMPLETE, {"app_label": "ikm_registry", "model_name": model, "field_name": field, "term": "Rahmat"}
    )
    assert [r["id"] for r in found.json()["results"]] == [str(own.pk)]


def test_posting_a_banjarmasin_unit_id_is_refused(palangka_raya_operator):
    theirs = unit_in("63.71")
    data = rendered_form_data(palangka_raya_operator.get(url("equipmentassistance", "add")))
    data.update(
        {
            "name": "Mesin jahit",
            "quantity": "1",
            "quantity_unit": "unit",
            "value": "4.500.000",
            "funding_source": "apbd_kabkota",
            "fiscal_year": "2024",
            "handover_date": "01/08/2024",
            "bast_number": "BAST/1/2024",
            "unit": str(theirs.pk),
        }
    )
    response = palangka_raya_operator.post(url("equipmentassistance", "add"), data)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not EquipmentAssistance.objects.exists()


def test_city_operator_does_not_see_province_office_activities_but_province_staff_see_the_citys():
    from django.test import Client

    city_activity = activity_in("62.71")
    province_activity = TrainingActivityFactory(owner_region_id="62", title="Bimtek provinsi")
    city, province = Client(), Client()
    city.force_login(make_staff(Role.OPERATOR, "62.71", username="op_kota"))
    province.force_login(make_staff(Role.OPERATOR, "62", username="op_prov"))
    listed = city.get(url("trainingactivity", "changelist")).context["cl"].result_list
    assert [a.pk for a in listed] == [city_activity.pk]
    listed = province.get(url("trainingactivity", "changelist")).context["cl"].result_list
    assert {a.pk for a in listed} == {city_activity.pk, province_activity.pk}


# --- change lists: constant query counts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "queries"),
    [
        ("fieldofficer", 8),
        ("trainingactivity", 8),
        ("mentoringvisit", 9),
        ("equipmentassistance", 9),
        ("ovoprating", 11),
    ],
)
def test_changelists_run_a_constant_number_of_queries(banjarmasin_operator, django_assert_num_queries, model, queries):
    build = BUILDERS[model]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert banjarmasin_operator.get(url(model, "changelist")).status_code == 200
        return len(ctx)

    build("63.71")
    few = count()
    for _ in range(6):
        build("63.71")
    assert count() == few
    with django_assert_num_queries(queries):
        banjarmasin_operator.get(url(model, "changelist"))


def test_equipment_list_shows_latest_condition_and_filters_by_it(banjarmasin_operator):
    good = equipment_in("63.71")
    broken = equipment_in("63.71")
    ConditionCheck.objects.create(equipment=broken, checked_on=D(2025, 2, 1), condition=EquipmentCondition.RUSAK_BERAT)
    unchecked = EquipmentAssistanceFactory(unit=unit_in("63.71"), name="Oven")
    page = banjarmasin_operator.get(url("equipmentassistance", "changelist"))
    html = page.content.decode()
    assert "Rusak berat" in html and "Belum diperiksa" in html and "Rp4.500.000" in html
    filtered = banjarmasin_operator.get(url("equipmentassistance", "changelist"), {"kondisi": "rusak_berat"})
    assert [e.pk for e in filtered.context["cl"].result_list] == [broken.pk]
    filtered = banjarmasin_operator.get(url("equipmentassistance", "changelist"), {"kondisi": "baik"})
    assert [e.pk for e in filtered.context["cl"].result_list] == [good.pk]
    filtered = banjarmasin_operator.get(url("equipmentassistance", "changelist"), {"kondisi": "belum"})
    assert [e.pk for e in filtered.context["cl"].result_list] == [unchecked.pk]


def test_lists_filter_by_year_kind_and_funding_source(banjarmasin_operator):
    bimtek = TrainingActivityFactory(owner_region_id="63.71", kind="pelatihan", fiscal_year=2024)
    pameran = TrainingActivityFactory(
        owner_region_id="63.71",
        kind="promosi",
        fiscal_year=2023,
        funding_source="dak",
        start_date=D(2023, 9, 1),
        end_date=D(2023, 9, 3),
    )
    changelist = url("trainingactivity", "changelist")

    def listed(**params):
        return [a.pk for a in banjarmasin_operator.get(changelist, params).context["cl"].result_list]

    assert listed(kind__exact="promosi") == [pameran.pk]
    assert listed(tahun="2024") == [bimtek.pk]
    assert listed(funding_source__exact="dak") == [pameran.pk]
    years = [f for f in banjarmasin_operator.get(changelist).context["cl"].filter_specs if f.title == "tahun anggaran"]
    assert [code for code, _ in years[0].lookup_choices] == ["2024", "2023"]


# --- real forms -------------------------------------------------------------------------------------------------


def test_operator_records_an_officer_for_their_own_office(banjarmasin_operator):
    page = banjarmasin_operator.get(url("fieldofficer", "add"))
    assert "owner_region" not in page.context["adminform"].form.fields
    data = rendered_form_data(page)
    data.update({"name": "Rahmat Hidayat", "is_tpl_ikm": "on", "contract_year": "2024", "assigned_region": "63.71.03"})
    response = banjarmasin_operator.post(url("fieldofficer", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer = FieldOfficer.objects.get()
    assert officer.owner_region_id == "63.71"
    assert str(officer) == "Rahmat Hidayat (TPL-IKM 2024)"


def test_officer_area_outside_the_office_is_refused_on_the_field(banjarmasin_operator):
    data = rendered_form_data(banjarmasin_operator.get(url("fieldofficer", "add")))
    data.update({"name": "Rahmat", "is_tpl_ikm": "on", "contract_year": "2024", "assigned_region": "62.71"})
    response = banjarmasin_operator.post(url("fieldofficer", "add"), data)
    assert "assigned_region" in response.context["adminform"].form.errors


def test_operator_records_a_training_with_participants_and_facilitators(banjarmasin_operator):
    units = [unit_in("63.71") for _ in range(3)]
    officer = officer_in("63.71")
    data = rendered_form_data(banjarmasin_operator.get(url("trainingactivity", "add")))
    data.update(
        {
            "title": "Bimtek pewarnaan alami sasirangan",
            "kind": "pelatihan",
            "organiser_level": "kabkota",
            "funding_source": "apbd_kabkota",
            "fiscal_year": "2024",
            "budget": "Rp 25.000.000",
            "start_date": "10/06/2024",
            "end_date": "12/06/2024",
            "venue_village": PELAMBUAN,
            "venue": "Balai Kelurahan Pelambuan",
            "facilitators": [str(officer.pk)],
            "participants-TOTAL_FORMS": "3",
        }
    )
    for i, unit in enumerate(units):
        data.update(
            {
                f"participants-{i}-unit": str(unit.pk),
                f"participants-{i}-attendee_name": f"Peserta {i}",
                f"participants-{i}-attendee_gender": "P",
                f"participants-{i}-attended": "on",
                f"participants-{i}-outcome": "sertifikat",
            }
        )
    response = banjarmasin_operator.post(url("trainingactivity", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = TrainingActivity.objects.get()
    assert activity.budget == 25_000_000
    assert activity.owner_region_id == "63.71"
    assert list(activity.facilitators.all()) == [officer]
    assert activity.participants.count() == 3
    assert activity.history.first().history_user.username == "operator_banjarmasin"


def test_operator_logs_a_mentoring_visit_after_a_training(banjarmasin_operator):
    participant = TrainingParticipantFactory(activity__owner_region_id="63.71", unit=unit_in("63.71"))
    officer = officer_in("63.71")
    data = rendered_form_data(banjarmasin_operator.get(url("mentoringvisit", "add")))
    data.update(
        {
            "unit": str(participant.unit.pk),
            "visit_date": "01/07/2024",
            "officer": str(officer.pk),
            "activity": str(participant.activity.pk),
            "problem_found": "Warna luntur setelah dicuci",
            "advice_given": "Gunakan fiksasi tawas",
        }
    )
    response = banjarmasin_operator.post(url("mentoringvisit", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MentoringVisit.objects.get().activity == participant.activity


def equipment_form(client, unit, **values):
    data = rendered_form_data(client.get(url("equipmentassistance", "add")))
    data.update(
        {
            "name": "Mesin jahit",
            "brand": "Butterfly",
            "quantity": "1",
            "quantity_unit": "unit",
            "value": "Rp 4.500.000",
            "funding_source": "apbd_kabkota",
            "fiscal_year": "2024",
            "handover_date": "01/08/2024",
            "bast_number": "BAST/027/DPKUKMP/2024",
            "unit": str(unit.pk) if unit else "",
            **values,
        }
    )
    return data


def test_operator_hands_over_equipment_with_a_condition_check(banjarmasin_operator):
    unit = unit_in("63.71")
    officer = officer_in("63.71")
    data = equipment_form(banjarmasin_operator, unit)
    data.update(
        {
            "condition_checks-0-checked_on": "01/12/2024",
            "condition_checks-0-condition": "baik",
            "condition_checks-0-officer": str(officer.pk),
        }
    )
    response = banjarmasin_operator.post(url("equipmentassistance", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = EquipmentAssistance.objects.get()
    assert (item.value, item.unit, item.latest_check.condition) == (4_500_000, unit, "baik")


def test_admin_requires_justification_for_duplicate_aid_with_a_clear_message(banjarmasin_operator):
    unit = unit_in("63.71")
    EquipmentAssistanceFactory(unit=unit, name="Mesin jahit", bast_number="BAST/001/2024")
    response = banjarmasin_operator.post(url("equipmentassistance", "add"), equipment_form(banjarmasin_operator, unit))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["duplicate_justification"] == [
        f"{unit} sudah menerima Mesin jahit pada tahun anggaran 2024 (BAST BAST/001/2024). "
        "Bantuan sejenis kedua dalam tahun yang sama wajib disertai alasan tertulis."
    ]
    justified = equipment_form(banjarmasin_operator, unit, duplicate_justification="Unit menambah tenaga penjahit.")
    assert banjarmasin_operator.post(url("equipmentassistance", "add"), justified).status_code == 302
    assert EquipmentAssistance.objects.count() == 2


def test_admin_refuses_equipment_without_recipient_or_with_two(banjarmasin_operator):
    response = banjarmasin_operator.post(url("equipmentassistance", "add"), equipment_form(banjarmasin_operator, None))
    assert response.context["adminform"].form.errors["unit"] == [
        "Pilih penerima bantuan: satu unit IKM atau satu sentra."
    ]
    sentra = SentraFactory()
    both = equipment_form(banjarmasin_operator, unit_in("63.71"), sentra=str(sentra.pk))
    response = banjarmasin_operator.post(url("equipmentassistance", "add"), both)
    assert response.context["adminform"].form.errors["sentra"] == [
        "Penerima harus tepat satu: isi unit IKM atau sentra, tidak keduanya."
    ]
    assert not EquipmentAssistance.objects.exists()


def test_national_staff_choose_the_office_and_filter_by_province_then_kabkota(client):
    client.force_login(make_staff(Role.ADMIN, None, username="admin_nasional"))
    page = client.get(url("trainingactivity", "add"))
    assert "owner_region" in page.context["adminform"].form.fields
    data = rendered_form_data(page)
    data.update(
        {
            "title": "Bimtek kemasan",
            "kind": "pelatihan",
            "organiser_level": "kementerian",
            "funding_source": "apbn",
            "fiscal_year": "2024",
            "start_date": "01/07/2024",
            "end_date": "02/07/2024",
            "owner_region": "62.71",
        }
    )
    response = client.post(url("trainingactivity", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TrainingActivity.objects.get().owner_region_id == "62.71"

    activity_in("63.71")
    changelist = url("trainingactivity", "changelist")
    filters = {getattr(f, "parameter_name", ""): f for f in client.get(changelist).context["cl"].filter_specs}
    assert ("62", "KALIMANTAN TENGAH") in [(c, n.upper()) for c, n in filters["provinsi"].lookup_choices]
    assert "kabkota" not in filters  # offered once a province is chosen
    filters = {
        getattr(f, "parameter_name", ""): f
        for f in client.get(changelist, {"provinsi": "62"}).context["cl"].filter_specs
    }
    assert "62.71" in [code for code, _ in filters["kabkota"].lookup_choices]
    narrowed = client.get(changelist, {"provinsi": "62", "kabkota": "62.71"}).context["cl"].result_list
    assert [a.title for a in narrowed] == ["Bimtek kemasan"]
