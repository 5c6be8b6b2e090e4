import pytest
from django.db import connection
from django.db.models import Q

from ikm_registry.models import IKMUnit
from ikm_registry.public import compiled as compiled_module
from ikm_registry.public.compiled import OpenQuery, compiled
from ikm_registry.tests.factories import IKMUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget():
    compiled_module.forget()
    yield
    compiled_module.forget()


def units_named(open_ids):
    """Parameters on both sides of the open list, and a LIKE pattern with a percent sign in it."""
    return (
        IKMUnit.objects.filter(Q(business_name__startswith="Amplang") | Q(brand__contains="100%"))
        .filter(pk__in=open_ids)
        .filter(year_established__gte=2000)
        .order_by("business_name")
        .values_list("business_name", flat=True)
    )


def test_filled_query_returns_what_the_orm_returns_for_the_same_ids():
    wanted = [
        IKMUnitFactory(business_name="Amplang Khatulistiwa", year_established=2010),
        IKMUnitFactory(business_name="Sumpit Borneo", brand="Kayu 100% Jelutung", year_established=2015),
        IKMUnitFactory(business_name="Amplang Tua", year_established=1990),
        IKMUnitFactory(business_name="Amplang Tidak Diminta", year_established=2012),
    ]
    ids = [unit.pk for unit in wanted[:3]]
    query = compiled(("names",), units_named)

    assert [name for (name,) in query.rows(ids)] == list(units_named(ids))
    assert [name for (name,) in query.rows(ids)] == ["Amplang Khatulistiwa", "Sumpit Borneo"]


def test_subquery_fills_the_open_list_with_its_parameters_in_place():
    IKMUnitFactory(business_name="Amplang Khatulistiwa", year_established=2010, size_class="kecil")
    IKMUnitFactory(business_name="Amplang Langkai", year_established=2011, size_class="menengah")
    query = compiled(("names",), units_named)
    small = IKMUnit.objects.filter(size_class="kecil").values("pk")
    sql, params = query.with_subquery(*small.query.sql_with_params())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == [("Amplang Khatulistiwa",)]


def test_compiled_once_per_key_and_empty_lists_ask_nothing(django_assert_num_queries):
    builds = []

    def build(open_ids):
        builds.append(open_ids)
        return units_named(open_ids)

    first = compiled(("names",), build)
    assert compiled(("names",), build) is first
    assert len(builds) == 1
    with django_assert_num_queries(0):
        assert first.rows([]) == []


def test_a_query_must_use_the_open_list_exactly_once():
    with pytest.raises(ValueError):
        OpenQuery.from_sql("SELECT 1 WHERE 1 = %s", [1], "default")


def test_regions_not_kept_are_read_in_one_query_as_the_orm_reads_them(django_assert_num_queries):
    from ikm_registry.models import Region
    from ikm_registry.public import lookups

    lookups.clear()
    codes = ["62.71.04.1002", "62.71.04", "62.71", "62"]
    with django_assert_num_queries(1):
        found = lookups.regions(codes)
    expected = Region.objects.in_bulk(codes)
    assert set(found) == set(codes)
    for code in codes:
        got, want = found[code], expected[code]
        assert isinstance(got, Region) and got._state.adding is False and got._state.db == "default"
        assert [getattr(got, f) for f in lookups.REGION_FIELDS] == [getattr(want, f) for f in lookups.REGION_FIELDS]
    with django_assert_num_queries(0):  # kept for the next page
        assert lookups.regions(codes[:2]) == {code: found[code] for code in codes[:2]}
    lookups.clear()
