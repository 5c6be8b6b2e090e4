# The public directory's partial indexes (0003) went missing on SQLite: SQLite cannot alter a column in
# place, so Django rebuilds the table for such a change and recreates only the indexes the models declare.
# Created again here; ikm_registry/tests/test_indexes.py checks that they exist after all migrations, on both databases.

import importlib

from django.db import migrations

public_directory_indexes = importlib.import_module("ikm_registry.migrations.0003_public_directory_indexes")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL alters columns in place and kept them
    table, public = public_directory_indexes.TABLE, public_directory_indexes.PUBLIC
    for name, columns, _include in public_directory_indexes.PUBLIC_BTREE:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) WHERE {public}")


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0015_unit_indexes_without_copies"),
    ]

    operations = [
        migrations.RunPython(create_indexes, migrations.RunPython.noop, elidable=False),
    ]
