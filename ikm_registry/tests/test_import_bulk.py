"""An import's bulk writes (imports/bulk.py): COPY on PostgreSQL, bulk_create_with_history elsewhere, with the
same rows and the same history rows either way."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.engine import unique_conflict
from ikm_registry.models import IKMUnit, YearlyFigures
from ikm_registry.tests.factories import IKMUnitFactory, YearlyFiguresFactory, make_staff
from ikm_registry.tests.public_registry import KALAMPANGAN, LANGKAI

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
# Columns that differ between two inserts of the same data: keys, codes, names and the NIK's ciphertext (each
# encryption draws a fresh nonce; the NIK read back is checked instead).
KEYS = {"id", "registry_code", "history_id", "unit_id", "history_relation_id", "nib", "business_name"}
KEYS |= {"owner_nik_encrypted", "created_at", "updated_at"}  # the clock at the insert (auto_now), as in Django


def new_units(prefix: str, count: int = 3) -> list[IKMUnit]:
    units = []
    for i in range(count):
        unit = IKMUnitFactory.build(
            business_name=f"{prefix} Amplang {i}",
            brand=f"Merek {i}",
            owner_name=f"Pemilik {i}",
            village_id=[LANGKAI, KALAMPANGAN][i % 2],
            nib=f"91203{prefix == 'B':d}{i:07d}",
            owner_email="pemilik@example.id",
            publish_contact=bool(i % 2),
        )
        unit.assign_defaults()
        unit.registry_code = f"IKM-TEST-{prefix}{i}"
        unit.set_owner_nik(f"617102450785{i:04d}")
        unit.created_at = unit.updated_at = WHEN
        units.append(unit)
    return units


def stored(model, objs) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in KEYS}
        for row in model.objects.filter(pk__in=[o.pk for o in objs]).order_by("pk").values()
    ]


def history_of(model, objs) -> list[dict]:
    rows = model.history.filter(id__in=[o.pk for o in objs]).order_by("id").values()
    return [{k: v for k, v in row.items() if k not in KEYS} for row in rows]


def test_rows_and_history_rows_are_those_bulk_create_with_history_writes():
    staff = make_staff()
    history = {"default_user": staff, "default_change_reason": "ikm_kalbar.xlsx", "default_date": WHEN}
    ours, theirs = new_units("A"), new_units("B")
    with transaction.atomic():
        create_with_history(ours, IKMUnit, **history)
        bulk_create_with_history(theirs, IKMUnit, batch_size=500, **history)
    assert all(u.pk and not u._state.adding for u in ours)
    assert len({u.pk for u in ours}) == 3
    assert IKMUnit.objects.get(pk=ours[1].pk).owner_nik == "6171024507850001"  # stored encrypted, read back
    nibs = {u.nib for u in ours}
    assert set(IKMUnit.objects.filter(pk__in=[u.pk for u in ours]).values_list("nib", flat=True)) == nibs
    assert stored(IKMUnit, ours) == stored(IKMUnit, theirs)
    mine_history = history_of(IKMUnit, ours)
    assert mine_history == history_of(IKMUnit, theirs)
    assert [(h["history_type"], h["history_user_id"], h["history_change_reason"]) for h in mine_history] == [
        ("+", staff.pk, "ikm_kalbar.xlsx")
    ] * 3
    assert all(h["history_date"] == WHEN for h in mine_history)


def test_figures_keep_their_decimals_and_the_units_they_belong_to():
    units = new_units("A", 2)
    create_with_history(units, IKMUnit, default_date=WHEN)
    figures = [
        YearlyFiguresFactory.build(unit=unit, year=2024, investment_value=150_000_000, production_value=412_500_000)
        for unit in units
    ]
    for figure in figures:
        figure.size_class = figure.derive_size_class()
    create_with_history(figures, YearlyFigures, default_date=WHEN)
    saved = YearlyFigures.objects.get(pk=figures[1].pk)
    assert saved.unit_id == units[1].pk and saved.production_value == 412_500_000
    assert YearlyFigures.history.get(id=figures[1].pk).history_type == "+"


def test_a_duplicate_key_is_an_integrity_error_that_names_the_column():
    IKMUnitFactory(nib="9120301234567", verified=True)
    units = new_units("A", 2)
    units[1].nib = "9120301234567"
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        create_with_history(units, IKMUnit, default_date=WHEN)
    column, value = unique_conflict(raised.value)
    assert column == "nib"
    assert value == ("9120301234567" if connection.vendor == "postgresql" else None)
    assert IKMUnit.objects.count() == 1  # nothing of the batch is kept
