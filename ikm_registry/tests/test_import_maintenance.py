"""After a large import, the tables it wrote are vacuumed and analysed at once (maintenance.py), on PostgreSQL."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from ikm_registry import maintenance
from ikm_registry.imports import engine, jobs
from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.imports.testing import generated_ikm_rows, write_csv
from ikm_registry.models import IKMUnit, Region
from ikm_registry.tests.factories import IKMUnitFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps these statistics")
UNITS = IKMUnit._meta.db_table


def pontianak_rows(count: int) -> list[dict]:
    villages = list(Region.objects.filter(code__startswith="61.71.", level=4).values_list("code", flat=True))
    return list(generated_ikm_rows(count, villages))


def import_file(user, rows) -> engine.ImportReport:
    return run_import(KINDS["ikm"], write_csv(io.BytesIO(), rows), "data_ikm.csv", user, commit=True)


def table_statistics(db, table: str) -> tuple[int, int]:
    """(vacuum_count, analyze_count) of `table`, manual and automatic together."""
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction otherwise keeps its first reading
        cursor.execute(
            "SELECT vacuum_count + autovacuum_count, analyze_count + autoanalyze_count FROM pg_stat_user_tables "
            "WHERE relid = %s::regclass",
            [table],
        )
        return cursor.fetchone()


@postgresql_only
def test_rows_written_counts_what_this_transaction_inserted_and_updated_per_table():
    before = maintenance.rows_written().get(UNITS, 0)
    units = IKMUnitFactory.create_batch(3)
    IKMUnit.objects.touch(u.pk for u in units)
    assert maintenance.rows_written()[UNITS] == before + 6


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no such statistics")
def test_rows_written_is_empty_on_sqlite():
    IKMUnitFactory()
    assert maintenance.rows_written() == {}
    assert maintenance.tidy({UNITS: 10**6}) == []


@postgresql_only
def test_a_committed_import_reports_the_rows_it_wrote_to_each_table(operator):
    report = import_file(operator, pontianak_rows(12))
    assert report.committed
    assert report.written[UNITS] >= 12
    assert report.written[IKMUnit.history.model._meta.db_table] >= 12


@postgresql_only
def test_an_import_rolled_back_after_writing_still_reports_the_rows_it_wrote(operator, monkeypatch):
    # Written a chunk at a time until the first error: those rows are dead once the transaction rolls back.
    monkeypatch.setattr(KINDS["ikm"].importer, "chunk_size", 5)
    rows = pontianak_rows(12)
    rows[11]["kode_wilayah"] = "61.71.09.9999"
    report = import_file(operator, rows)
    assert not report.committed
    assert not IKMUnit.objects.exists()
    assert report.written[UNITS] >= 10


@postgresql_only
def test_tidy_vacuums_and_analyses_only_the_tables_that_got_enough_rows(settings):
    settings.IMPORT_VACUUM_ROWS = 100
    # A connection of its own, outside the test's transaction, as the worker's and the command's are.
    own = connections.create_connection("default")
    try:
        units_before = table_statistics(own, UNITS)
        regions_before = table_statistics(own, "ikm_registry_region")
        assert maintenance.tidy({UNITS: 100, "ikm_registry_region": 99}, connection=own) == [UNITS]
        units_after = table_statistics(own, UNITS)
        assert units_after[0] > units_before[0] and units_after[1] > units_before[1]
        assert table_statistics(own, "ikm_registry_region") == regions_before
    finally:
        own.close()


@postgresql_only
def test_inside_a_transaction_tidy_analyses_only(settings):
    settings.IMPORT_VACUUM_ROWS = 1
    assert connection.in_atomic_block
    before = table_statistics(connection, UNITS)
    assert maintenance.tidy({UNITS: 1}) == [UNITS]  # VACUUM would fail here
    after = table_statistics(connection, UNITS)
    assert after[0] == before[0] and after[1] > before[1]


def test_no_table_is_tidied_below_the_threshold_or_when_turned_off(settings):
    settings.IMPORT_VACUUM_ROWS = 5000
    assert maintenance.tidy({UNITS: 4999}) == []
    settings.IMPORT_VACUUM_ROWS = 0
    assert maintenance.tidy({UNITS: 10**6}) == []


@postgresql_only
def test_the_import_command_tidies_after_a_large_import_and_says_so(operator, settings, tmp_path):
    settings.IMPORT_VACUUM_ROWS = 10
    path = write_csv(tmp_path / "large.csv", pontianak_rows(12))
    call_command("import_records", "ikm", path, user=operator.username, stdout=(out := StringIO()))
    assert "Tersimpan." in out.getvalue()
    assert "Tabel yang ditulis impor dirapikan (VACUUM/ANALYZE)" in out.getvalue()
    assert UNITS in out.getvalue()
    settings.IMPORT_VACUUM_ROWS = 5000
    call_command(
        "import_records",
        "ikm",
        write_csv(tmp_path / "small.csv", pontianak_rows(3)),
        user=operator.username,
        stdout=(out := StringIO()),
    )
    assert "dirapikan" not in out.getvalue()


def test_the_worker_tidies_after_reporting_the_job_done(operator, monkeypatch):
    job = jobs.create_job("ikm", _upload(pontianak_rows(4)), operator)
    jobs.validate_job(job)
    job.confirmed_at = job.created_at
    seen = []
    monkeypatch.setattr(
        maintenance, "tidy", lambda written, connection=None: seen.append((job_state(job), written)) or []
    )
    jobs.commit_job(job)
    assert IKMUnit.objects.count() == 4
    (state, written), *_ = seen
    assert state == "done"  # the staff member sees the import finished before the tidying starts
    if connection.vendor == "postgresql":
        assert written[UNITS] >= 4


def test_a_failing_tidy_is_logged_and_does_not_fail_the_import(operator, monkeypatch, caplog, tmp_path):
    def broken(written, connection=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(maintenance, "tidy", broken)
    call_command(
        "import_records",
        "ikm",
        write_csv(tmp_path / "data_ikm.csv", pontianak_rows(2)),
        user=operator.username,
        stdout=StringIO(),
    )
    assert IKMUnit.objects.count() == 2
    assert "VACUUM (ANALYZE) after the import of" in caplog.text


def job_state(job) -> str:
    return type(job).objects.values_list("state", flat=True).get(pk=job.pk)


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("data_ikm.csv", write_csv(io.BytesIO(), rows).getvalue(), content_type="text/csv")
