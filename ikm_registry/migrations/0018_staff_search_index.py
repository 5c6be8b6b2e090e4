# The admin's text search over every unit, public or not: a pg_trgm GIN index on name, brand, products and the
# owner's name. Its expression must stay exactly the one ikm_registry.search.staff_search_q produces, or
# PostgreSQL will not use it. A separate index from the public search's (0003): owner names stay out of that
# one, and the public search's expression cannot use this one. PostgreSQL only: on SQLite the admin scans.

from django.db import migrations

TABLE = "ikm_registry_ikmunit"
STAFF_SEARCH_EXPRESSION = "(business_name || ' ' || brand || ' ' || main_products || ' ' || owner_name)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS ikm_staff_search_trgm ON {TABLE} USING gin ({STAFF_SEARCH_EXPRESSION} gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ikm_staff_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0017_unit_history_fewer_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
