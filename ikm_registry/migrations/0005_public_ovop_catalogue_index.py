# The OVOP catalogue and /api/v1/ovop-products/ page by product name: an index in that order lets the first
# page read a few dozen ratings instead of sorting every current rating. Plain B-tree, both databases.

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ovop_product_name_id ON ikm_registry_ovoprating (product_name, id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute("DROP INDEX IF EXISTS ovop_product_name_id")


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0004_programme_rules_and_messages"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
