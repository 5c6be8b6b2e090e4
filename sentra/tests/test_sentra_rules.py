"""Sentra membership rules: one sentra at a time, periods kept for earlier years, the five-member minimum."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ikm_registry.models import UnitStatus
from ikm_registry.tests.factories import (
    PELAMBUAN,
    EquipmentAssistanceFactory,
    IKMUnitFactory,
    MentoringVisitFactory,
    TrainingActivityFactory,
    TrainingParticipantFactory,
    YearlyFiguresFactory,
)
from sentra.models import SENTRA_MINIMUM_MEMBERS, Sentra, SentraMembership, SentraStatus
from sentra.tests.factories import SentraFactory, SentraMembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def membership(**kwargs) -> SentraMembership:
    return SentraMembership(**kwargs)


def test_unit_cannot_join_a_second_sentra_while_still_a_member_of_the_first():
    first = SentraMembershipFactory(sentra__name="Sentra Sasirangan Pelambuan")
    second = SentraFactory(name="Sentra Sasirangan Sungai Jingah", village_id="63.71.04.1004")
    candidate = membership(sentra=second, unit=first.unit, joined_on=D(2023, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()
    messages = excinfo.value.messages
    assert messages == [
        f"{first.unit} sudah menjadi anggota Sentra Sasirangan Pelambuan pada periode itu (01-01-2020 – sekarang)."
    ]


def test_database_refuses_a_second_open_membership_even_without_clean():
    first = SentraMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SentraMembership.objects.create(sentra=SentraFactory(), unit=first.unit, joined_on=D(2024, 1, 1))


def test_closed_periods_of_one_unit_may_not_overlap():
    old = SentraMembershipFactory(joined_on=D(2018, 1, 1), left_on=D(2021, 6, 30))
    overlapping = membership(sentra=SentraFactory(), unit=old.unit, joined_on=D(2021, 1, 1), left_on=D(2022, 1, 1))
    with pytest.raises(ValidationError, match="pada periode itu"):
        overlapping.full_clean()


def test_unit_may_join_another_sentra_on_the_day_it_left_the_first():
    old = SentraMembershipFactory(joined_on=D(2018, 1, 1), left_on=D(2021, 6, 30))
    moved = membership(sentra=SentraFactory(), unit=old.unit, joined_on=D(2021, 6, 30))
    moved.full_clean()
    moved.save()
    assert old.unit.sentra_memberships.count() == 2


def test_left_date_before_joined_date_is_refused_on_the_field():
    candidate = membership(
        sentra=SentraFactory(), unit=IKMUnitFactory(), joined_on=D(2022, 5, 1), left_on=D(2022, 4, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()
    assert excinfo.value.message_dict["left_on"] == ["Tanggal keluar tidak boleh sebelum tanggal bergabung."]


def test_members_are_counted_for_an_earlier_year_as_they_were_then():
    sentra = SentraFactory()
    left_2022 = SentraMembershipFactory(sentra=sentra, joined_on=D(2019, 1, 1), left_on=D(2022, 3, 1))
    joined_2023 = SentraMembershipFactory(sentra=sentra, joined_on=D(2023, 2, 1))
    always = SentraMembershipFactory(sentra=sentra, joined_on=D(2015, 1, 1))

    assert set(sentra.members_in_year(2021)) == {left_2022.unit, always.unit}
    assert set(sentra.members_in_year(2022)) == {left_2022.unit, always.unit}
    assert set(sentra.members_in_year(2023)) == {joined_2023.unit, always.unit}
    assert set(sentra.members_on(D(2021, 12, 31))) == {left_2022.unit, always.unit}
    assert Sentra.objects.with_member_count(D(2021, 12, 31)).get().member_count == 2
    assert Sentra.objects.with_member_count(D(2024, 1, 1)).get().member_count == 2


def test_sentra_with_fewer_than_five_active_members_is_flagged_not_refused():
    sentra = SentraFactory()
    SentraMembershipFactory.create_batch(SENTRA_MINIMUM_MEMBERS - 1, sentra=sentra)
    sentra.full_clean()  # recorded all the same
    assert sentra.below_minimum()
    assert list(Sentra.objects.below_minimum()) == [sentra]

    SentraMembershipFactory(sentra=sentra)
    assert not sentra.below_minimum()
    assert not Sentra.objects.below_minimum().exists()


def test_closed_units_and_former_members_do_not_count_towards_the_minimum():
    sentra = SentraFactory()
    SentraMembershipFactory.create_batch(4, sentra=sentra)
    SentraMembershipFactory(sentra=sentra, joined_on=D(2019, 1, 1), left_on=D(2020, 1, 1))
    SentraMembershipFactory(sentra=sentra, unit__status=UnitStatus.TUTUP, unit__status_date=D(2023, 1, 1))
    assert sentra.active_member_count() == 4
    assert Sentra.objects.with_member_count().get().member_count == 4
    assert sentra.below_minimum()


def test_formal_sentra_needs_decree_number_and_date():
    sentra = SentraFactory.build(status=SentraStatus.FORMAL, decree_number="", decree_date=None)
    with pytest.raises(ValidationError) as excinfo:
        sentra.full_clean()
    assert excinfo.value.message_dict["decree_number"] == ["Sentra formal harus memiliki nomor SK."]
    assert excinfo.value.message_dict["decree_date"] == ["Sentra formal harus memiliki tanggal SK."]


def test_sentra_village_fixes_kecamatan_and_kabkota():
    sentra = SentraFactory(village_id="63.71.04.1004")
    assert (sentra.district_id, sentra.regency_id, sentra.province_id) == ("63.71.04", "63.71", "63")
    assert list(Sentra.objects.in_region("63.71.04")) == [sentra]
    assert not Sentra.objects.in_region("63.71.03").exists()


def test_member_figures_show_workers_and_production_value_of_the_chosen_year():
    sentra = SentraFactory()
    reporting = SentraMembershipFactory(sentra=sentra, unit__business_name="A Sasirangan")
    silent = SentraMembershipFactory(sentra=sentra, unit__business_name="B Sasirangan")
    YearlyFiguresFactory(unit=reporting.unit, year=2023, workers_male=2, workers_female=5, production_value=90_000_000)
    YearlyFiguresFactory(unit=reporting.unit, year=2024, workers_male=9, workers_female=9)

    rows = sentra.member_figures(2023)
    assert [row.unit for row in rows] == [reporting.unit, silent.unit]
    assert (rows[0].workers_male, rows[0].workers_female, rows[0].workers_total) == (2, 5, 7)
    assert rows[0].production_value == 90_000_000
    assert rows[1].figures is None


def test_support_received_counts_aid_and_training_of_members_only_while_they_were_members():
    sentra = SentraFactory()
    member = SentraMembershipFactory(sentra=sentra, joined_on=D(2022, 1, 1)).unit
    EquipmentAssistanceFactory(unit=None, sentra=sentra, name="Mesin obras", value=12_000_000)
    EquipmentAssistanceFactory(unit=member, name="Mesin jahit", handover_date=D(2024, 8, 1))
    EquipmentAssistanceFactory(unit=member, name="Kompor", fiscal_year=2021, handover_date=D(2021, 5, 1))  # before
    outsider = IKMUnitFactory(village_id=PELAMBUAN)
    EquipmentAssistanceFactory(unit=outsider, name="Mesin jahit")
    training = TrainingActivityFactory(owner_region_id="63.71", title="Bimtek pewarnaan alami")
    TrainingParticipantFactory(activity=training, unit=member)
    TrainingParticipantFactory(activity=training, unit=outsider)
    MentoringVisitFactory(unit=member, visit_date=D(2024, 9, 1))
    MentoringVisitFactory(unit=outsider, visit_date=D(2024, 9, 1))

    support = sentra.support_received()
    assert [e.name for e in support.equipment_to_sentra] == ["Mesin obras"]
    assert [e.name for e in support.equipment_to_members] == ["Mesin jahit"]
    assert support.activities == [(training, 1)]
    assert support.mentoring_visits == 1
    assert support.equipment_value == 12_000_000 + 4_500_000
