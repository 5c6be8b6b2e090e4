"""The units table has the indexes its queries need, once each, on SQLite and PostgreSQL alike.

Some are made in raw SQL by migrations (partial and covering indexes the models cannot declare for both
databases), so nothing else would notice if a later migration lost them (SQLite rebuilds a table to alter a
column, with only the declared indexes) or made one twice: every index is written on each save of a unit.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PUBLIC_DIRECTORY = {
    "ikm_pub_name",
    "ikm_pub_regency_sector",
    "ikm_pub_district_sector",
    "ikm_pub_province",
    "ikm_pub_sector",
}


def unit_indexes() -> dict[str, tuple[str, ...]]:
    """Index name -> indexed columns, unique ones and the primary key left out."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "ikm_registry_ikmunit")
    return {
        name: tuple(c["columns"])
        for name, c in constraints.items()
        if c["index"] and not c["unique"] and not c["primary_key"]
    }


def test_the_public_directorys_partial_indexes_exist():
    assert PUBLIC_DIRECTORY <= set(unit_indexes())


def test_no_two_indexes_of_units_cover_the_same_columns():
    by_columns: dict[tuple, list[str]] = {}
    for name, columns in unit_indexes().items():
        by_columns.setdefault(columns, []).append(name)
    # Partial (public) indexes may share the columns of a full one: they serve other queries. Expression
    # indexes (the public and the staff trigram index) have no columns to compare.
    twice = {
        columns: names
        for columns, names in by_columns.items()
        if columns and len([n for n in names if n not in PUBLIC_DIRECTORY]) > 1
    }
    assert twice == {}


def test_the_region_keys_have_no_index_of_their_own_where_a_composite_leads_with_them():
    leading = {columns[0] for columns in unit_indexes().values() if columns}  # not the search expression
    assert {"village_id", "district_id", "regency_id", "province_id", "sector_id", "owner_nik_hash"} <= leading
    single = {columns for columns in unit_indexes().values() if len(columns) == 1}
    assert {("district_id",), ("regency_id",), ("province_id",)}.isdisjoint(single)
