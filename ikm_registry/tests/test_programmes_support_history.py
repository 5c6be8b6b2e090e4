"""A unit's support history: every training, visit, item, rating and sentra membership, in date order, shown
read-only on the unit's admin page."""

import datetime

import pytest
from django.urls import reverse

from ikm_registry.models import ConditionCheck, EquipmentCondition, Role
from ikm_registry.support_history import EventKind, support_history
from ikm_registry.tests.factories import (
    PELAMBUAN,
    EquipmentAssistanceFactory,
    FieldOfficerFactory,
    IKMUnitFactory,
    MentoringVisitFactory,
    OVOPRatingFactory,
    TrainingParticipantFactory,
    make_staff,
)
from sentra.tests.factories import SentraFactory, SentraMembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def unit_with_history():
    unit = IKMUnitFactory(village_id=PELAMBUAN, business_name="Sasirangan Ida")
    officer = FieldOfficerFactory(owner_region_id="63.71", assigned_region_id="63.71", name="Rahmat")
    old_sentra = SentraFactory(name="Sentra Sasirangan Lama")
    new_sentra = SentraFactory(name="Sentra Sasirangan Pelambuan")
    SentraMembershipFactory(unit=unit, sentra=old_sentra, joined_on=D(2018, 2, 1), left_on=D(2021, 1, 15))
    SentraMembershipFactory(unit=unit, sentra=new_sentra, joined_on=D(2021, 1, 15))
    participant = TrainingParticipantFactory(
        unit=unit,
        activity__title="Bimtek pewarnaan alami",
        activity__owner_region_id="63.71",
        activity__start_date=D(2022, 6, 10),
        activity__end_date=D(2022, 6, 12),
        activity__fiscal_year=2022,
        attendee_name="Ida Rahmawati",
        outcome="sertifikat",
    )
    MentoringVisitFactory(
        unit=unit,
        officer=officer,
        activity=participant.activity,
        visit_date=D(2022, 7, 4),
        problem_found="Warna luntur",
    )
    item = EquipmentAssistanceFactory(unit=unit, name="Mesin jahit", handover_date=D(2022, 8, 1), fiscal_year=2022)
    ConditionCheck.objects.create(equipment=item, checked_on=D(2023, 8, 1), condition=EquipmentCondition.BAIK)
    ConditionCheck.objects.create(equipment=item, checked_on=D(2024, 8, 1), condition=EquipmentCondition.RUSAK_RINGAN)
    OVOPRatingFactory(unit=unit, product_name="Sasirangan", category_id="SANDANG", assessment_year=2021, stars=1)
    OVOPRatingFactory(unit=unit, product_name="Sasirangan", category_id="SANDANG", assessment_year=2023, stars=2)
    return unit


def test_support_history_lists_every_kind_of_support_in_date_order(unit_with_history):
    events = support_history(unit_with_history)
    assert [(e.date, e.kind) for e in events] == [
        (D(2018, 2, 1), EventKind.SENTRA_JOINED),
        (D(2021, 1, 15), EventKind.SENTRA_LEFT),  # same day: leaving the old one reads before joining the new
        (D(2021, 1, 15), EventKind.SENTRA_JOINED),
        (D(2021, 12, 31), EventKind.OVOP),
        (D(2022, 6, 10), EventKind.TRAINING),
        (D(2022, 7, 4), EventKind.MENTORING),
        (D(2022, 8, 1), EventKind.EQUIPMENT),
        (D(2023, 12, 31), EventKind.OVOP),
    ]
    equipment = events[6]
    assert equipment.title == "Mesin jahit"
    assert "Kondisi terakhir: Rusak ringan" in equipment.details
    assert "Rp4.500.000" in equipment.details[0]
    assert events[7].title == "Sasirangan ★★☆☆☆" and "Penilaian terkini" in events[7].details
    assert "Penilaian terkini" not in events[3].details
    assert "Hasil: Memperoleh sertifikat" in events[4].details


def test_support_history_costs_five_queries_whatever_its_length(unit_with_history, django_assert_num_queries):
    with django_assert_num_queries(5):
        support_history(unit_with_history)


def test_unit_without_support_has_an_empty_history():
    assert support_history(IKMUnitFactory()) == []


def test_unit_admin_page_shows_the_support_history_read_only(client, unit_with_history):
    client.force_login(make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin"))
    page = client.get(reverse("admin:ikm_registry_ikmunit_change", args=[unit_with_history.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('id="support-history"') :]
    order = [
        "Bergabung dengan Sentra Sasirangan Lama",
        "Keluar dari Sentra Sasirangan Lama",
        "Bimtek pewarnaan alami",
        "Kunjungan pendampingan",
        "Mesin jahit",
        "Sasirangan ★★☆☆☆",
    ]
    positions = [section.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Riwayat pembinaan dan bantuan" in html
    assert "10 Juni 2022" in section and "Rusak ringan" in section


def test_add_page_has_no_support_history_yet(client):
    client.force_login(make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin"))
    page = client.get(reverse("admin:ikm_registry_ikmunit_add"))
    assert page.status_code == 200
    assert 'id="support-history"' not in page.content.decode()
