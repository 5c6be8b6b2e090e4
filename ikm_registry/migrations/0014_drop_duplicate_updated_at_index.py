# ikm_updated_at (0003, raw SQL) and ikm_updated (0013, in the model's Meta) are the same index on updated_at.
# Every save of a unit writes updated_at, so each copy is one more index entry written per save and import
# row. The declared one stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0013_unit_updated_at_index"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS ikm_updated_at",
            "CREATE INDEX IF NOT EXISTS ikm_updated_at ON ikm_registry_ikmunit (updated_at)",
            elidable=False,
        ),
    ]
