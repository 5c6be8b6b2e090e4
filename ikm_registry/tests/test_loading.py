"""Units and regions read from the database are built straight into __dict__ (models/loading.py), and are the
same instances Model.__init__ would have built."""

from unittest import mock

import pytest
from django.db.models import signals
from django.db.models.base import Model

from ikm_registry.models import IKMUnit, Region
from ikm_registry.models.loading import loads_directly
from ikm_registry.public.records import RECORD_FIELDS
from ikm_registry.tests.factories import IKMUnitFactory

pytestmark = pytest.mark.django_db


def built_by_init(model, instance):
    """The instance Django's own from_db() builds from the same row."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in instance.__dict__]
    return Model.from_db.__func__(model, instance._state.db, names, [instance.__dict__[n] for n in names])


def test_a_listing_unit_is_the_instance_init_builds():
    IKMUnitFactory(business_name="CV Sumpit Borneo Lestari", main_products="Sumpit kayu")
    with mock.patch.object(IKMUnit, "__init__", side_effect=AssertionError("built through __init__")):
        unit = IKMUnit.objects.only(*RECORD_FIELDS).get()
    expected = built_by_init(IKMUnit, unit)
    assert {k: v for k, v in unit.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    assert (unit._state.adding, unit._state.db) == (False, "default")
    assert unit.get_deferred_fields() == expected.get_deferred_fields() != set()


def test_a_directly_built_unit_loads_deferred_fields_and_saves():
    created = IKMUnitFactory(owner_name="Ibu Sari", main_products="Amplang")
    unit = IKMUnit.objects.only("id", "registry_code").get()
    assert "owner_name" not in unit.__dict__
    assert unit.owner_name == "Ibu Sari"  # read on access, as for any deferred field
    unit.main_products = "Amplang ikan tenggiri"
    unit.save(update_fields=["main_products"])
    created.refresh_from_db()
    assert created.main_products == "Amplang ikan tenggiri"


def test_whole_rows_and_regions_are_built_directly_too():
    IKMUnitFactory()
    unit = IKMUnit.objects.get()
    assert unit.__dict__.keys() - {"_state"} == {f.attname for f in IKMUnit._meta.concrete_fields}
    region = Region.objects.get(code="62.71")
    assert region.name == "Kota Palangkaraya" and region.parent_id == "62"
    assert loads_directly(IKMUnit) and loads_directly(Region)


def test_a_listener_to_post_init_gets_django_own_from_db():
    IKMUnitFactory()
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    signals.post_init.connect(listener, sender=IKMUnit)
    try:
        unit = IKMUnit.objects.only("id").get()
    finally:
        signals.post_init.disconnect(listener, sender=IKMUnit)
    assert seen == [unit.pk]
