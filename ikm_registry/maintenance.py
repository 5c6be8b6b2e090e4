"""The tables a large import wrote, tidied at once: fresh planner statistics and visibility, and no dead rows.

PostgreSQL learns what an import did to a table only when autovacuum gets to it: by default once a tenth of
the table has changed (ANALYZE) or a fifth (VACUUM), 100,000 and 200,000 rows of a million-unit registry,
and never where autovacuum is off. Until then:

- the planner's statistics are from before the import: a kab/kota that just got 20,000 units is planned as
  the few it had;
- the new rows' pages are not marked all-visible, so the directory's index-only scans fetch every new row
  from the table as well (bench/after_import.py);
- a file rolled back at its first error leaves every row it had written as a dead row, with an entry in each
  of the units' indexes, for every index scan to step over.

So after an import that wrote at least IMPORT_VACUUM_ROWS rows to a table (kept or rolled back), that table
gets VACUUM (ANALYZE), outside the import's transaction, after the import is reported. It takes a few
seconds at a million units and blocks neither reading nor writing. A commit broken off by a database error
(a NIB someone saved meanwhile) is not counted: its transaction can run no more queries. PostgreSQL only:
SQLite has no dead rows to clear and plans without statistics unless asked to keep them.
"""

import logging
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


def rows_written(using: str = "default") -> dict[str, int]:
    """Rows inserted, updated or deleted per table in the current transaction so far (including COPY), by the
    table's name as SQL needs it; {} outside PostgreSQL. Call it inside the transaction, before it ends."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid::regclass::text, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return dict(cursor.fetchall())


def tidy(written: dict[str, int], connection=None) -> list[str]:
    """VACUUM (ANALYZE) each table of `written` (rows_written()) that got at least IMPORT_VACUUM_ROWS rows;
    inside a transaction, where VACUUM cannot run, ANALYZE only. Returns the tables tidied. `connection` is
    Django's default one unless given."""
    threshold = settings.IMPORT_VACUUM_ROWS
    connection = connection or connections["default"]
    tables = sorted(table for table, rows in written.items() if threshold > 0 and rows >= threshold)
    if not tables or connection.vendor != "postgresql":
        return []
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            started = time.perf_counter()
            # The name comes from PostgreSQL itself (regclass), quoted where it needs to be.
            cursor.execute(f"{command} {table}")
            logger.info("%s %s after %s rows: %.1f s", command, table, written[table], time.perf_counter() - started)
    return tables
