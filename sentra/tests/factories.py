import datetime

import factory

from ikm_registry.tests.factories import IKMUnitFactory, sector
from sentra.models import Sentra, SentraMembership


class SentraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sentra

    name = factory.Sequence(lambda n: f"Sentra Contoh {n}")
    village_id = "63.71.03.1003"  # Pelambuan, Banjarmasin Barat
    main_commodity = "Kain sasirangan"
    sector = factory.LazyFunction(lambda: sector("SANDANG"))


class SentraMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentraMembership

    sentra = factory.SubFactory(SentraFactory)
    unit = factory.SubFactory(IKMUnitFactory, village_id="63.71.03.1003")
    joined_on = datetime.date(2020, 1, 1)
