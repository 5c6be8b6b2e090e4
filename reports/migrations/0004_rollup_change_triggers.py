"""PostgreSQL triggers that note, per statement, which provinces' report data changed (reports.rollups).

Statement-level triggers with transition tables: one small insert per writing statement, however many rows
it touches, and no lock shared between writers. Other databases get no triggers: there reports count live.
"""

from django.db import migrations

# How the rows of each table name their province.
TABLES = {
    "ikm_registry_ikmunit": "own",
    "sentra_sentra": "own",
    "ikm_registry_yearlyfigures": "unit",
    "ikm_registry_certificate": "unit",
    "ikm_registry_ovoprating": "unit",
    "sentra_sentramembership": "membership",
    "ikm_registry_region": "all",
}

FUNCTION = r"""
CREATE OR REPLACE FUNCTION reports_note_change() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    source text;
    rows_sql text := '';
    rel text;
BEGIN
    IF TG_ARGV[0] = 'all' OR TG_OP = 'TRUNCATE' THEN
        INSERT INTO reports_rollupchange (province, xid, changed_at)
        VALUES (NULL, pg_current_xact_id()::text::bigint, now());
        RETURN NULL;
    END IF;
    FOREACH rel IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                  ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        IF TG_ARGV[0] = 'own' THEN
            source := format('SELECT province_id FROM %I', rel);
        ELSIF TG_ARGV[0] = 'unit' THEN
            source := format('SELECT u.province_id FROM %I t JOIN ikm_registry_ikmunit u ON u.id = t.unit_id', rel);
        ELSE
            source := format('SELECT u.province_id FROM %I t JOIN ikm_registry_ikmunit u ON u.id = t.unit_id '
                             'UNION SELECT s.province_id FROM %I t JOIN sentra_sentra s ON s.id = t.sentra_id', rel, rel);
        END IF;
        rows_sql := rows_sql || CASE WHEN rows_sql = '' THEN '' ELSE ' UNION ' END || source;
    END LOOP;
    EXECUTE 'INSERT INTO reports_rollupchange (province, xid, changed_at) '
         || 'SELECT DISTINCT p, pg_current_xact_id()::text::bigint, now() FROM (' || rows_sql || ') AS changed(p) '
         || 'WHERE p IS NOT NULL';
    RETURN NULL;
END;
$body$;
"""


def trigger_sql(table: str, mode: str) -> list[str]:
    if mode == "all":
        return [
            f"CREATE TRIGGER reports_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change('all')"
        ]
    return [
        f"CREATE TRIGGER reports_change_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change('{mode}')",
        f"CREATE TRIGGER reports_change_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows "
        f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change('{mode}')",
        f"CREATE TRIGGER reports_change_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change('{mode}')",
        f"CREATE TRIGGER reports_change_trunc AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION reports_note_change('all')",
    ]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, mode in TABLES.items():
        for sql in trigger_sql(table, mode):
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for name in ("reports_change", "reports_change_ins", "reports_change_upd", "reports_change_del", "reports_change_trunc"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS reports_note_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_rollups"),
        ("ikm_registry", "0002_initial"),
        ("sentra", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
