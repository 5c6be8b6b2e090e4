# The units' region and sector keys and the NIK hash lose the index db_index gave them (and its
# varchar_pattern_ops copy on PostgreSQL); village, sector and the NIK hash get a plain one back. See the note
# on IKMUnit.Meta.indexes. Only the indexes change: Django's AlterField would also drop and re-add each
# foreign key constraint, checking a million rows five times over, for no change of the constraint.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "ikm_registry_ikmunit"
# Django's names for the indexes db_index made: (name, column).
KEY_INDEXES = [
    ("ikm_registry_ikmunit_village_id_2e66af52", "village_id"),
    ("ikm_registry_ikmunit_district_id_d83cfe88", "district_id"),
    ("ikm_registry_ikmunit_regency_id_699d8d87", "regency_id"),
    ("ikm_registry_ikmunit_province_id_378e3d96", "province_id"),
    ("ikm_registry_ikmunit_sector_id_4c60e320", "sector_id"),
    ("ikm_registry_ikmunit_owner_nik_hash_5503b440", "owner_nik_hash"),
]


def drop_key_indexes(apps, schema_editor):
    for name, _column in KEY_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}_like")


def restore_key_indexes(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, column in KEY_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({column})")
        if postgres:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name}_like ON {TABLE} ({column} varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0014_drop_duplicate_updated_at_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ikmunit",
                    name="district",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ikm_registry.region",
                        verbose_name="kecamatan",
                    ),
                ),
                migrations.AlterField(
                    model_name="ikmunit",
                    name="owner_nik_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64, null=True),
                ),
                migrations.AlterField(
                    model_name="ikmunit",
                    name="province",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ikm_registry.region",
                        verbose_name="provinsi",
                    ),
                ),
                migrations.AlterField(
                    model_name="ikmunit",
                    name="regency",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ikm_registry.region",
                        verbose_name="kabupaten/kota",
                    ),
                ),
                migrations.AlterField(
                    model_name="ikmunit",
                    name="sector",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Terisi otomatis dari KBLI bila dikosongkan.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="ikm_registry.sector",
                        verbose_name="sektor",
                    ),
                ),
                migrations.AlterField(
                    model_name="ikmunit",
                    name="village",
                    field=models.ForeignKey(
                        db_index=False,
                        limit_choices_to={"level": 4},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ikm_registry.region",
                        verbose_name="kelurahan/desa",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_key_indexes, restore_key_indexes, elidable=False)],
        ),
        migrations.AddIndex(
            model_name="ikmunit",
            index=models.Index(fields=["village"], name="ikm_village"),
        ),
        migrations.AddIndex(
            model_name="ikmunit",
            index=models.Index(fields=["sector"], name="ikm_sector"),
        ),
        migrations.AddIndex(
            model_name="ikmunit",
            index=models.Index(fields=["owner_nik_hash"], name="ikm_owner_nik_hash"),
        ),
    ]
