"""Exports from the IKM change list: filtered rows, region scope, personal columns, escaping, round trip."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.models import ExportJob, ExportState, IKMUnit, NIKAccessLog, Role
from ikm_registry.tests.factories import IKMUnitFactory, YearlyFiguresFactory, make_staff
from sentra.models import SentraMembership
from sentra.tests.factories import SentraFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:ikm_registry_ikmunit_export")
TANJUNG_HULU = "61.71.02.1004"


@pytest.fixture
def verifier():
    # Verifikator: may see personal data (view_owner_nik) and may change units.
    return make_staff(Role.VERIFIKATOR, "61.71", username="verifikator_ptk")


@pytest.fixture
def registry():
    """Three units in Pontianak with figures, NIK, phone, sentra; one in Banjarmasin."""
    sentra = SentraFactory(village_id=TANJUNG_HULU, name="Sentra Amplang Tanjung Hulu")
    units = []
    for i, name in enumerate(["Amplang Sinar", "Lempok Durian Jaya", '=HYPERLINK("http://x")']):
        unit = IKMUnitFactory(
            village_id=TANJUNG_HULU,
            business_name=name,
            nib=f"912030000000{i}",
            owner_phone="+6281256781234",
            owner_email=f"u{i}@example.id",
            latitude="-0.040200",
            longitude="109.358600",
            address="@rumah" if i == 1 else "Jl. Tanjung Raya",
        )
        unit.set_owner_nik(f"617102450785000{i + 3}")
        unit.save()
        YearlyFiguresFactory(unit=unit, year=2023, investment_value=100_000_000)
        YearlyFiguresFactory(unit=unit, year=2024, investment_value=150_000_000, production_capacity="2.50")
        units.append(unit)
    SentraMembership.objects.create(sentra=sentra, unit=units[0], joined_on="2020-01-01")
    IKMUnitFactory(village_id="63.71.03.1003", business_name="Sasirangan Banjar")
    return units


def read_csv(response, delimiter=";"):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_export_page_counts_all_filtered_rows_not_one_page(client, verifier, registry):
    client.force_login(verifier)
    page = client.get(EXPORT_URL + "?q=lempok").content.decode()
    assert "1 baris sesuai filter" in page
    page = client.get(EXPORT_URL).content.decode()
    assert "3 baris" in page  # Banjarmasin's unit is outside the scope


def test_csv_export_holds_the_filtered_rows_with_template_headers_bom_and_separator(client, verifier, registry):
    client.force_login(verifier)
    rows = read_csv(client.get(EXPORT_URL, {"q": "lempok", "_format": "csv", "_sep": "semicolon"}))
    headers = rows[0]
    assert headers == [c.header for c in KINDS["ikm"].columns]
    assert len(rows) == 2 and rows[1][headers.index("nama_usaha")] == "Lempok Durian Jaya"
    comma = read_csv(client.get(EXPORT_URL, {"_format": "csv", "_sep": "comma"}), delimiter=",")
    assert len(comma) == 4
    assert {r[comma[0].index("kode_wilayah")] for r in comma[1:]} == {TANJUNG_HULU}


def test_export_honours_the_region_scope(client, registry):
    banjarmasin = make_staff(Role.OPERATOR, "63.71", username="operator_bjm")
    client.force_login(banjarmasin)
    rows = read_csv(client.get(EXPORT_URL, {"_format": "csv"}))
    assert [r[rows[0].index("nama_usaha")] for r in rows[1:]] == ["Sasirangan Banjar"]


def test_formula_cells_are_escaped_and_phone_numbers_stay_readable(client, verifier, registry):
    client.force_login(verifier)
    rows = read_csv(client.get(EXPORT_URL, {"_format": "csv"}))
    headers = rows[0]
    names = [r[headers.index("nama_usaha")] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert "'@rumah" in [r[headers.index("alamat")] for r in rows[1:]]
    assert {r[headers.index("telepon")] for r in rows[1:]} == {"0812-5678-1234"}
    # Plain negative numbers are numbers, not formulas: no apostrophe.
    assert {r[headers.index("latitude")] for r in rows[1:]} == {"-0,040200"}
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT_URL, {"_format": "xlsx"}).content))
    values = [c for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_personal_columns_only_for_roles_allowed_to_see_them(client, verifier, registry):
    operator = make_staff(Role.OPERATOR, "61.71", username="operator_ptk")
    client.force_login(operator)
    headers = read_csv(client.get(EXPORT_URL, {"_format": "csv"}))[0]
    assert not {"nik_pemilik", "telepon", "email"} & set(headers)
    assert not NIKAccessLog.objects.exists()
    client.force_login(verifier)
    rows = read_csv(client.get(EXPORT_URL, {"_format": "csv"}))
    assert "6171024507850003" in [r[rows[0].index("nik_pemilik")] for r in rows[1:]]
    # Every whole NIK handed out is logged (UU PDP).
    assert NIKAccessLog.objects.filter(user=verifier).count() == 3


@pytest.mark.parametrize(("fmt", "sep"), [("xlsx", ""), ("csv", "semicolon"), ("csv", "comma")])
def test_export_then_import_changes_nothing(client, verifier, registry, fmt, sep):
    client.force_login(verifier)
    response = client.get(EXPORT_URL, {"_format": fmt, "_sep": sep})
    content = response.content if fmt == "xlsx" else b"".join(response.streaming_content)
    history_before = IKMUnit.history.count()
    report = run_import(KINDS["ikm"], io.BytesIO(content), f"ekspor.{fmt}", verifier, commit=True)
    assert report.errors == []
    assert report.counts == {"new": 0, "changed": 0, "unchanged": 3, "error": 0}
    assert IKMUnit.history.count() == history_before


def test_export_then_import_by_a_role_without_personal_columns_keeps_personal_data(client, registry):
    operator = make_staff(Role.OPERATOR, "61.71", username="operator_ptk")
    client.force_login(operator)
    content = client.get(EXPORT_URL, {"_format": "xlsx"}).content
    report = run_import(KINDS["ikm"], io.BytesIO(content), "ekspor.xlsx", operator, commit=True)
    assert report.counts["unchanged"] == 3, report.errors
    assert IKMUnit.objects.get(pk=registry[0].pk).owner_nik == "6171024507850003"


def test_large_xlsx_export_is_built_by_the_worker(client, verifier, registry, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EXPORT_BACKGROUND_THRESHOLD = 2
    client.force_login(verifier)
    response = client.get(EXPORT_URL, {"_format": "xlsx", "q": ""})
    job = ExportJob.objects.get()
    assert response.url == reverse("admin:ikm_registry_exportjob_change", args=[job.pk])
    assert job.state == ExportState.DONE and job.total_rows == 3
    download = client.get(reverse("admin:ikm_registry_exportjob_download", args=[job.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active.max_row == 4
    # Another account cannot fetch it, even in the same region.
    other = make_staff(Role.VERIFIKATOR, "61.71", username="verifikator_lain")
    client.force_login(other)
    assert client.get(reverse("admin:ikm_registry_exportjob_download", args=[job.pk])).status_code == 404


def test_export_runs_a_constant_number_of_queries_whatever_the_row_count(client, verifier, registry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(verifier)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(EXPORT_URL, {"_format": "csv"})
            b"".join(response.streaming_content)
        return len(queries)

    few = count_queries()
    for i in range(10):
        unit = IKMUnitFactory(village_id=TANJUNG_HULU, business_name=f"Tambahan {i}")
        YearlyFiguresFactory(unit=unit, year=2024)
    assert count_queries() == few
