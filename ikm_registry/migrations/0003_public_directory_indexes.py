# Indexes for the public directory and API at a million units.
#
# Partial indexes over the public rows only (verified and active): the directory's listings, counts and
# facets then read one small index instead of the table (index-only scans on PostgreSQL, thanks to the
# INCLUDE columns). Search gets a pg_trgm GIN index over name, brand and products; the expression must stay
# exactly the one ikm_registry.search.SearchDocument produces, or PostgreSQL will not use it.
# They are not in the model's Meta because the INCLUDE and GIN variants are PostgreSQL-only: on SQLite the
# same partial B-tree indexes are created without INCLUDE, and search falls back to a scan.

from django.db import migrations

TABLE = "ikm_registry_ikmunit"
PUBLIC = "verification_status = 'verified' AND status = 'aktif'"
SEARCH_EXPRESSION = "(business_name || ' ' || brand || ' ' || main_products)"

# (name, key columns, INCLUDE columns on PostgreSQL)
PUBLIC_BTREE = [
    ("ikm_pub_name", "business_name, id", ""),
    ("ikm_pub_regency_sector", "regency_id, sector_id, business_name, id", "district_id, size_class, marketing_reach"),
    ("ikm_pub_district_sector", "district_id, sector_id, business_name, id", "size_class, marketing_reach"),
    ("ikm_pub_province", "province_id, business_name, id", "regency_id, sector_id, size_class, marketing_reach"),
    ("ikm_pub_sector", "sector_id, business_name, id", "province_id, size_class, marketing_reach"),
]


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    postgres = vendor == "postgresql"
    for name, columns, include in PUBLIC_BTREE:
        include_sql = f" INCLUDE ({include})" if postgres and include else ""
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({columns}){include_sql} WHERE {PUBLIC}"
        )
    # "Date of last update" and the cache stamp of the public rollups: max(updated_at) from the index.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS ikm_updated_at ON {TABLE} (updated_at)")
    if postgres:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS ikm_pub_search_trgm ON {TABLE} "
            f"USING gin ({SEARCH_EXPRESSION} gin_trgm_ops) WHERE {PUBLIC}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for name in [n for n, _, _ in PUBLIC_BTREE] + ["ikm_updated_at", "ikm_pub_search_trgm"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
