"""A listing page's SQL with its SELECT and ORDER BY kept per shape (page_query.py) is the ORM's own SQL,
character for character, and gives the same units."""

import itertools
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikm_registry.models import IKMUnit
from ikm_registry.public import lookups, page_query
from ikm_registry.public.filters import IKMUnitFilter
from ikm_registry.public.pagination import LAST, NEXT, PREVIOUS, SORTS, encode_cursor, paginate
from ikm_registry.public.records import LISTING_FIELDS, RECORD_FIELDS
from ikm_registry.tests.public_registry import build_public_registry

pytestmark = pytest.mark.django_db

SELECTIONS = [
    {},
    {"regency": "62.71"},
    {"province": "62", "regency": "62.71", "sector": "KAYU"},
    {"region": "62.71.04"},
    {"village": "62.71.04.1002", "size_class": "kecil"},
    {"kbli": "16", "marketing_reach": "ekspor"},
    {"certificate": "sni", "stars": "4"},
    {"q": "sumpit kayu"},
    {"regency": "62.71", "sentra": "SENTRA"},
]


@pytest.fixture
def registry():
    lookups.clear()
    return build_public_registry()


def page_queries(queryset, sort, cursor, offset):
    """The SQL paginate() sends, and the page it returns."""
    with CaptureQueriesContext(connection) as queries:
        page = paginate(queryset, sort, 2, cursor=cursor, offset=offset)
    return [q["sql"] for q in queries.captured_queries], page


def cursors(sort: str) -> list:
    changed = "2024-06-01T10:00:00.250000+07:00"
    key = {
        "name": ["Kerajinan Rotan", 10**6],
        "-name": ["Kerajinan Rotan", 1],
        "newest": [10**6],
        "updated": [changed, 10**6],
        "-updated": [changed, 1],
    }
    return [None, encode_cursor(sort, NEXT, key[sort]), encode_cursor(sort, PREVIOUS, key[sort])] + [
        encode_cursor(sort, LAST, [1])
    ]


def test_every_selection_sort_and_cursor_sends_the_orm_sql_and_gets_its_units(registry):
    selections = [{**s, "sentra": str(registry.kawasan.pk)} if "sentra" in s else s for s in SELECTIONS]
    kept_before = len(page_query._shapes)
    compared = 0
    for params, fields, sort in itertools.product(selections, (LISTING_FIELDS, RECORD_FIELDS), SORTS):
        filterset = IKMUnitFilter(params)
        assert filterset.is_valid(), filterset.errors
        for cursor, offset in [(c, 0) for c in cursors(sort)] + [(None, 2)]:
            queryset = filterset.qs.only(*fields)
            sent, page = page_queries(queryset, sort, cursor, offset)
            with mock.patch.object(page_query, "shape_of", return_value=None):
                sent_by_orm, orm_page = page_queries(queryset, sort, cursor, offset)
            assert sent == sent_by_orm, (params, sort, cursor)
            assert [u.pk for u in page.rows] == [u.pk for u in orm_page.rows]
            for unit, orm_unit in zip(page.rows, orm_page.rows, strict=True):
                assert {k: unit.__dict__[k] for k in orm_unit.__dict__ if k != "_state"} == {
                    k: v for k, v in orm_unit.__dict__.items() if k != "_state"
                }
            compared += 1
    assert compared == len(selections) * 2 * len(SORTS) * 5
    # One shape per list of columns, sort and direction, whatever the filters.
    assert len(page_query._shapes) - kept_before <= 2 * len(SORTS) * 2


def test_units_built_from_the_kept_shape_read_deferred_fields_and_convert_values(registry):
    queryset = IKMUnit.objects.public().filter(pk=registry.chopsticks.pk).only(*RECORD_FIELDS).order_by("id")
    [unit] = page_query.fetch(queryset, 0, 1)
    assert unit.business_name == "CV Sumpit Borneo Lestari"
    assert unit.export_destinations == registry.chopsticks.export_destinations
    assert unit.latitude == registry.chopsticks.latitude
    assert unit.owner_name == registry.chopsticks.owner_name  # deferred: read on access


def test_a_selection_that_can_match_nothing_asks_the_database_nothing(registry):
    queryset = IKMUnit.objects.public().filter(pk__in=[]).only(*LISTING_FIELDS).order_by("id")
    with CaptureQueriesContext(connection) as queries:
        assert page_query.fetch(queryset, 0, 20) == []
    assert not queries.captured_queries


def test_querysets_with_more_than_columns_are_left_to_the_orm(registry):
    annotated = IKMUnit.objects.public().select_related("sector").order_by("id")
    assert page_query.page_sql(annotated, 0, 5) is None
    assert [u.sector.code for u in page_query.fetch(annotated, 0, 5)] == [u.sector.code for u in annotated[:5]]
    assert page_query.page_sql(IKMUnit.objects.public().values("id").order_by("id"), 0, 5) is None


def prepared_page_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql AND statement LIKE %s",
            ['SELECT "ikm_registry_ikmunit"."id"%'],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("params", "planned_alike"),
    [
        ({"regency": "62.71", "sector": "KAYU"}, True),
        ({"region": "62.71.04"}, True),
        ({"village": "62.71.04.1002"}, True),
        # A province's or the country's best plan depends on which one: their sizes differ a hundredfold.
        ({"province": "62", "sector": "KAYU"}, False),
        ({}, False),
        # A text search's plan depends on the words.
        ({"regency": "62.71", "q": "sumpit"}, False),
    ],
)
def test_pages_inside_a_kab_kota_run_prepared_and_give_the_same_units(registry, settings, params, planned_alike):
    filterset = IKMUnitFilter(params)
    assert filterset.is_valid(), filterset.errors
    assert filterset.planned_alike is planned_alike
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # psycopg sees this and forgets what it prepared
    queryset = filterset.qs.only(*LISTING_FIELDS)
    first = paginate(queryset, "name", 2, prepare=filterset.planned_alike)
    following = paginate(queryset, "name", 2, cursor=first.next_cursor, prepare=filterset.planned_alike)
    # The first page, and the one after a cursor (when there is one).
    statements = 1 + bool(first.next_cursor) if planned_alike else 0
    assert prepared_page_statements() == statements
    # A numbered page at an offset is another statement for every offset: never prepared.
    at_offset = paginate(queryset, "name", 2, offset=2, prepare=filterset.planned_alike)
    assert prepared_page_statements() == statements

    settings.DATABASE_PREPARED_STATEMENTS = False
    for page, cursor, offset in [(first, None, 0), (following, first.next_cursor, 0), (at_offset, None, 2)]:
        unprepared = paginate(queryset, "name", 2, cursor=cursor, offset=offset)
        assert [u.pk for u in page.rows] == [u.pk for u in unprepared.rows]
    assert first.rows


def test_the_directory_and_the_api_prepare_a_kab_kotas_page(registry, client):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert client.get("/ikm/", {"regency": "62.71", "sector": "KAYU"}).status_code == 200
    assert prepared_page_statements() == 1
    api = client.get("/api/v1/ikm-units/", {"region": "62.71", "sector": "KAYU"})
    assert api.status_code == 200 and api.json()["results"]
    assert prepared_page_statements() == 2  # the API reads more columns: another statement
    assert client.get("/api/v1/ikm-units/", {"region": "62"}).status_code == 200
    assert prepared_page_statements() == 2
