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


def test_a_list_is_padded_to_a_power_of_two_and_gives_the_same_rows():
    wanted = [IKMUnitFactory(business_name=f"Amplang {n}", year_established=2010) for n in range(3)]
    ids = [unit.pk for unit in wanted]
    query = compiled(("names",), units_named)

    sql, params = query.with_values(ids)

    assert params.count(ids[-1]) == 2  # three ids fill four places: IN ignores the repeat
    assert [name for (name,) in query.rows(ids)] == list(units_named(ids)) == ["Amplang 0", "Amplang 1", "Amplang 2"]


def test_open_queries_are_prepared_on_postgresql_and_logged_with_their_values(settings):
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    unit = IKMUnitFactory(business_name="Amplang Khatulistiwa", year_established=2010)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    query = compiled(("names",), units_named)

    with CaptureQueriesContext(connection) as queries:
        assert query.rows([unit.pk]) == [("Amplang Khatulistiwa",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        statements = [row[0] for row in cursor.fetchall()]

    assert len(statements) == 1 and "$1" in statements[0] and "business_name" in statements[0]
    # Django's query log shows the statement with its values, as for any other query.
    assert f"IN ({unit.pk})" in queries.captured_queries[0]["sql"]

    settings.DATABASE_PREPARED_STATEMENTS = False
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert query.rows([unit.pk]) == [("Amplang Khatulistiwa",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0


def test_an_open_parameter_is_compiled_once_and_bound_per_request():
    from ikm_registry.public.compiled import OPEN_PARAM

    amplang = IKMUnitFactory(business_name="Amplang Khatulistiwa", size_class="kecil")
    sumpit = IKMUnitFactory(business_name="Sumpit Borneo", size_class="menengah")
    ids = [amplang.pk, sumpit.pk]
    builds = []

    def of_size(open_ids):
        builds.append(open_ids)
        return IKMUnit.objects.filter(pk__in=open_ids, size_class=OPEN_PARAM).values_list("business_name", flat=True)

    small = compiled(("of-size",), of_size).bind("kecil")
    medium = compiled(("of-size",), of_size).bind("menengah")

    assert small.rows(ids) == [("Amplang Khatulistiwa",)]
    assert medium.rows(ids) == [("Sumpit Borneo",)]
    assert len(builds) == 1
    assert compiled(("of-size",), of_size).params_after == (OPEN_PARAM,)  # the kept query stays open
