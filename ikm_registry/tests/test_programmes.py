"""Rules of pembinaan and bantuan peralatan: officers, activities, follow-up visits, one recipient per item,
written justification for duplicate aid, and the latest condition check."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ikm_registry.models import ConditionCheck, EquipmentAssistance, EquipmentCondition, FieldOfficer
from ikm_registry.tests.factories import (
    PELAMBUAN,
    EquipmentAssistanceFactory,
    FieldOfficerFactory,
    IKMUnitFactory,
    MentoringVisitFactory,
    TrainingActivityFactory,
    TrainingParticipantFactory,
)
from sentra.tests.factories import SentraFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_equipment_needs_exactly_one_recipient():
    neither = EquipmentAssistanceFactory.build(unit=None, sentra=None)
    with pytest.raises(ValidationError) as excinfo:
        neither.full_clean()
    assert excinfo.value.message_dict["unit"] == ["Pilih penerima bantuan: satu unit IKM atau satu sentra."]

    both = EquipmentAssistanceFactory.build(unit=IKMUnitFactory(village_id=PELAMBUAN), sentra=SentraFactory())
    with pytest.raises(ValidationError) as excinfo:
        both.full_clean()
    assert excinfo.value.message_dict["sentra"] == [
        "Penerima harus tepat satu: isi unit IKM atau sentra, tidak keduanya."
    ]


def test_database_refuses_equipment_without_a_recipient():
    with pytest.raises(IntegrityError), transaction.atomic():
        EquipmentAssistanceFactory(unit=None, sentra=None)


def test_equipment_to_a_sentra_is_valid_on_its_own():
    item = EquipmentAssistanceFactory.build(unit=None, sentra=SentraFactory())
    item.full_clean()
    item.save()
    assert item.recipient == item.sentra


def test_same_kind_of_item_to_same_recipient_in_same_year_needs_a_written_justification():
    first = EquipmentAssistanceFactory(name="Mesin jahit", bast_number="BAST/001/2024")
    second = EquipmentAssistanceFactory.build(unit=first.unit, name="  mesin   JAHIT ", bast_number="BAST/002/2024")
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert excinfo.value.message_dict["duplicate_justification"] == [
        f"{first.unit} sudah menerima Mesin jahit pada tahun anggaran 2024 (BAST BAST/001/2024). "
        "Bantuan sejenis kedua dalam tahun yang sama wajib disertai alasan tertulis."
    ]

    second.duplicate_justification = "Mesin pertama untuk kain, kedua untuk bordir pesanan Dekranasda."
    second.full_clean()
    second.save()
    assert second.name == "mesin JAHIT"  # spaces tidied, the text otherwise as typed


def test_same_item_in_another_year_or_to_another_recipient_needs_no_justification():
    first = EquipmentAssistanceFactory(name="Mesin jahit")
    EquipmentAssistanceFactory.build(
        unit=first.unit, name="Mesin jahit", fiscal_year=2025, handover_date=D(2025, 3, 1)
    ).full_clean()
    EquipmentAssistanceFactory.build(unit=IKMUnitFactory(), name="Mesin jahit").full_clean()
    EquipmentAssistanceFactory.build(unit=first.unit, name="Mesin obras").full_clean()


def test_editing_an_item_does_not_count_itself_as_a_duplicate():
    item = EquipmentAssistanceFactory(name="Mesin jahit")
    item.value = 5_000_000
    item.full_clean()


def test_latest_condition_check_is_the_items_condition():
    item = EquipmentAssistanceFactory(handover_date=D(2022, 8, 1), fiscal_year=2022)
    assert item.latest_check is None
    ConditionCheck.objects.create(equipment=item, checked_on=D(2023, 1, 10), condition=EquipmentCondition.BAIK)
    ConditionCheck.objects.create(equipment=item, checked_on=D(2024, 6, 5), condition=EquipmentCondition.RUSAK_RINGAN)
    # Entered later but older: order is by the date of the check, not by entry.
    ConditionCheck.objects.create(equipment=item, checked_on=D(2023, 7, 1), condition=EquipmentCondition.HILANG)

    assert item.latest_check.condition == EquipmentCondition.RUSAK_RINGAN
    annotated = EquipmentAssistance.objects.with_latest_condition().get(pk=item.pk)
    assert annotated.latest_condition == EquipmentCondition.RUSAK_RINGAN
    assert annotated.latest_checked_on == D(2024, 6, 5)
    assert annotated.latest_condition_label == "Rusak ringan"


def test_condition_check_before_handover_is_refused():
    item = EquipmentAssistanceFactory(handover_date=D(2024, 8, 1))
    check = ConditionCheck(equipment=item, checked_on=D(2024, 7, 1), condition=EquipmentCondition.BAIK)
    with pytest.raises(ValidationError) as excinfo:
        check.full_clean()
    assert excinfo.value.message_dict["checked_on"] == ["Pemeriksaan tidak boleh sebelum serah terima (01-08-2024)."]


def test_handover_before_the_fiscal_year_is_refused():
    item = EquipmentAssistanceFactory.build(unit=IKMUnitFactory(), fiscal_year=2024, handover_date=D(2023, 12, 1))
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "handover_date" in excinfo.value.message_dict


def test_tpl_ikm_officer_needs_a_contract_year_and_an_area_inside_the_office_region():
    officer = FieldOfficerFactory.build(contract_year=None, assigned_region_id="63.71.03", owner_region_id="62.71")
    with pytest.raises(ValidationError) as excinfo:
        officer.full_clean()
    assert excinfo.value.message_dict["contract_year"] == ["Isi tahun kontrak petugas TPL-IKM."]
    assert excinfo.value.message_dict["assigned_region"] == ["Wilayah tugas harus berada di wilayah kantor pencatat."]

    FieldOfficerFactory.build(assigned_region_id="62.71.01", owner_region_id="62.71").full_clean()
    FieldOfficerFactory.build(is_tpl_ikm=False, contract_year=None).full_clean()


def test_officers_are_scoped_by_the_office_that_holds_them(palangka_raya, banjarmasin):
    own = FieldOfficerFactory(owner_region_id="62.71")
    FieldOfficerFactory(owner_region_id="63.71", assigned_region_id="63.71")
    assert list(FieldOfficer.objects.in_region(palangka_raya)) == [own]
    assert list(FieldOfficer.objects.in_region("62")) == [own]


def test_activity_cannot_end_before_it_starts():
    activity = TrainingActivityFactory.build(start_date=D(2024, 6, 10), end_date=D(2024, 6, 9))
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert excinfo.value.message_dict["end_date"] == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]


def test_follow_up_visit_must_be_to_a_participant_after_the_activity():
    participant = TrainingParticipantFactory(activity__start_date=D(2024, 6, 10))
    activity = participant.activity
    visit = MentoringVisitFactory.build(
        unit=participant.unit, activity=activity, visit_date=D(2024, 6, 1), officer=FieldOfficerFactory()
    )
    with pytest.raises(ValidationError) as excinfo:
        visit.full_clean()
    assert excinfo.value.message_dict["visit_date"] == [
        "Kunjungan lanjutan tidak boleh sebelum kegiatan dimulai (10-06-2024)."
    ]

    stranger = MentoringVisitFactory.build(
        unit=IKMUnitFactory(), activity=activity, visit_date=D(2024, 7, 1), officer=visit.officer
    )
    with pytest.raises(ValidationError) as excinfo:
        stranger.full_clean()
    assert excinfo.value.message_dict["activity"] == [f"Unit ini bukan peserta kegiatan {activity}."]

    visit.visit_date = D(2024, 7, 1)
    visit.full_clean()


def test_same_person_of_a_unit_is_recorded_once_per_activity():
    participant = TrainingParticipantFactory(attendee_name="Siti Aminah")
    again = TrainingParticipantFactory.build(
        activity=participant.activity, unit=participant.unit, attendee_name="Siti Aminah"
    )
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert excinfo.value.messages == ["Peserta ini sudah tercatat pada kegiatan ini untuk unit yang sama."]


def test_visit_in_the_future_is_refused():
    visit = MentoringVisitFactory.build(unit=IKMUnitFactory(), officer=FieldOfficerFactory(), visit_date=D(2999, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        visit.full_clean()
    assert "visit_date" in excinfo.value.message_dict
