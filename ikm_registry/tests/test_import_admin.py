"""The admin door: upload, preview, confirm; small files in the request, large ones through the worker."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.imports.testing import generated_ikm_rows, ikm_row, write_csv, write_xlsx
from ikm_registry.models import IKMUnit, ImportJob, ImportState, Region, Role
from ikm_registry.tests.factories import make_staff

pytestmark = pytest.mark.django_db


IMPORT_URL = reverse("admin:ikm_registry_ikmunit_import")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(client, rows, name="pendataan.csv", fmt="csv"):
    buffer = io.BytesIO()
    (write_csv if fmt == "csv" else write_xlsx)(buffer, rows)
    buffer.name = name
    return client.post(IMPORT_URL, {"file": buffer})


def test_changelist_links_to_import_and_export_with_current_filters(client, operator):
    client.force_login(operator)
    response = client.get(reverse("admin:ikm_registry_ikmunit_changelist") + "?q=amplang")
    html = response.content.decode()
    assert IMPORT_URL in html
    assert reverse("admin:ikm_registry_ikmunit_export") + "?q=amplang" in html


def test_import_page_offers_xlsx_and_csv_templates(client, operator):
    client.force_login(operator)
    page = client.get(IMPORT_URL).content.decode()
    assert "Unduh templat" in page
    response = client.get(reverse("admin:ikm_registry_ikmunit_import_template", kwargs={"fmt": "xlsx"}))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    headers = [c.value for c in data[1]]
    assert headers[:5] == ["kode_ikm", "nib", "nama_usaha", "merek", "nama_pemilik"]
    assert data.cell(row=2, column=headers.index("kode_wilayah") + 1).value == "61.71.02.1004"
    explained = {row[0] for row in guide.iter_rows(values_only=True)}
    assert set(headers) <= explained
    csv_text = client.get(reverse("admin:ikm_registry_ikmunit_import_template", kwargs={"fmt": "csv"})).content
    assert csv_text.startswith("\ufeffkode_ikm;nib;".encode())


def test_small_file_is_previewed_then_imported_on_confirmation(client, operator):
    client.force_login(operator)
    response = upload(client, [ikm_row()])
    job = ImportJob.objects.get()
    assert response.url == reverse("admin:ikm_registry_importjob_change", args=[job.pk])
    assert job.state == ImportState.READY and job.summary["counts"]["new"] == 1
    assert not IKMUnit.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Konfirmasi dan impor" in page and "Amplang Sinar Kapuas" in page
    assert 'src="/static/imports/progress.js"' in page and "<script>" not in page
    client.post(reverse("admin:ikm_registry_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportState.DONE
    unit = IKMUnit.objects.get()
    assert unit.history.get().history_change_reason == "pendataan.csv"
    assert unit.history.get().history_user == operator


def test_file_with_errors_fails_and_offers_the_failed_rows_with_an_error_column(client, operator):
    client.force_login(operator)
    upload(
        client, [ikm_row(), ikm_row(nib="9120300000002", nik_pemilik="6171024507850004", kode_wilayah="99.99.99.9999")]
    )
    job = ImportJob.objects.get()
    assert job.state == ImportState.FAILED
    page = client.get(reverse("admin:ikm_registry_importjob_change", args=[job.pk])).content.decode()
    assert "Kode wilayah 99.99.99.9999 tidak dikenal" in page
    assert "Konfirmasi dan impor" not in page
    response = client.get(reverse("admin:ikm_registry_importjob_errors", args=[job.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("baris_asal", "galat")
    assert len(rows) == 2
    assert rows[1][-2] == 3 and "kode_wilayah" in rows[1][-1]
    # Confirming a failed job is refused.
    client.post(reverse("admin:ikm_registry_importjob_confirm", args=[job.pk]))
    assert not IKMUnit.objects.exists()


def test_failed_rows_file_fixed_and_uploaded_again_imports(client, operator):
    client.force_login(operator)
    upload(client, [ikm_row(kode_wilayah="61.71.02.9999")])
    job = ImportJob.objects.get()
    content = b"".join(client.get(reverse("admin:ikm_registry_importjob_errors", args=[job.pk])).streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("kode_wilayah") + 1).value = "61.71.02.1004"
    fixed = io.BytesIO()
    workbook.save(fixed)
    fixed.seek(0)
    fixed.name = "perbaikan.xlsx"
    client.post(IMPORT_URL, {"file": fixed})
    job = ImportJob.objects.latest("pk")
    assert job.state == ImportState.READY, job.summary.get("errors")


def test_large_file_is_validated_and_committed_by_the_worker(
    client, operator, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD = 50
    villages = list(Region.objects.filter(code__startswith="61.71.", level=4).values_list("code", flat=True))
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, list(generated_ikm_rows(120, villages)), name="besar.xlsx", fmt="xlsx")
    assert len(callbacks) == 1  # the validation went to the task queue, not the request
    job = ImportJob.objects.get()
    assert job.total_rows == 120
    assert job.state == ImportState.READY
    status = client.get(reverse("admin:ikm_registry_importjob_status", args=[job.pk])).json()
    assert status["state"] == "ready" and status["processed_rows"] == 120
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("admin:ikm_registry_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportState.QUEUED and job.confirmed_at is not None
    assert not IKMUnit.objects.exists()  # the request only queued the import
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert IKMUnit.objects.count() == 120


def test_jobs_are_visible_only_within_the_uploaders_region(client, operator):
    client.force_login(operator)
    upload(client, [ikm_row()])
    job = ImportJob.objects.get()
    banjarmasin = make_staff(Role.OPERATOR, "63.71", username="operator_bjm")
    client.force_login(banjarmasin)
    assert client.get(reverse("admin:ikm_registry_importjob_change", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:ikm_registry_importjob_status", args=[job.pk])).status_code == 404
    listing = client.get(reverse("admin:ikm_registry_importjob_changelist")).content.decode()
    assert "pendataan.csv" not in listing
    province = make_staff(Role.PIMPINAN, "61", username="pimpinan_kalbar")
    client.force_login(province)
    assert client.get(reverse("admin:ikm_registry_importjob_change", args=[job.pk])).status_code == 200
    # Only the uploader confirms.
    client.post(reverse("admin:ikm_registry_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportState.READY


def test_staff_without_import_permission_cannot_open_the_import_page(client):
    leader = make_staff(Role.PIMPINAN, "61.71", username="pimpinan_ptk")
    client.force_login(leader)
    assert client.get(IMPORT_URL).status_code == 403


def test_upload_of_another_format_is_refused_with_a_message(client, operator):
    client.force_login(operator)
    response = client.post(IMPORT_URL, {"file": io.BytesIO(b"x")})
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    fake = io.BytesIO(b"%PDF-1.4")
    fake.name = "data.pdf"
    response = client.post(IMPORT_URL, {"file": fake})
    assert ".xlsx atau .csv" in response.content.decode()


def test_the_ikm_templates_example_row_is_itself_a_valid_row(client, operator):
    client.force_login(operator)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("admin:ikm_registry_ikmunit_import_template", kwargs={"fmt": fmt}))
        report = run_import(KINDS["ikm"], io.BytesIO(response.content), f"templat.{fmt}", operator, commit=False)
        assert report.errors == [] and report.counts["new"] == 1
