"""Import of field officers (kind "petugas"): TPL-IKM and other facilitators, from a spreadsheet."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.imports.testing import write_csv
from ikm_registry.models import FieldOfficer, Role
from ikm_registry.tests.factories import FieldOfficerFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in KINDS["petugas"].columns]


def officer_row(**overrides):
    row = {
        "nama": "Rahmat Hidayat",
        "tpl_ikm": "ya",
        "kode_wilayah_tugas": "61.71.02",
        "tahun_kontrak": "2024",
        "telepon": "0812-5678-1234",
        "instansi": "Disperindag Kota Pontianak",
    }
    row.update(overrides)
    return row


def run(user, rows, commit=True, name="petugas.csv", headers=HEADERS):
    return run_import(KINDS["petugas"], write_csv(io.BytesIO(), rows, headers=headers), name, user, commit=commit)


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_officers_are_created_under_the_users_office_with_history(operator):
    rows = [officer_row(), officer_row(nama="Dewi Lestari", tpl_ikm="tidak", tahun_kontrak="", telepon="")]
    report = run(operator, rows)
    assert errors(report) == []
    assert report.committed and report.counts["new"] == 2
    rahmat = FieldOfficer.objects.get(name="Rahmat Hidayat")
    assert (rahmat.owner_region_id, rahmat.assigned_region_id, rahmat.contract_year) == ("61.71", "61.71.02", 2024)
    assert rahmat.is_tpl_ikm and rahmat.phone == "+6281256781234"
    assert rahmat.institution == "Disperindag Kota Pontianak"
    dewi = FieldOfficer.objects.get(name="Dewi Lestari")
    assert (dewi.is_tpl_ikm, dewi.contract_year, dewi.phone) == (False, None, "")
    records = FieldOfficer.history.all()
    assert records.count() == 2
    assert {(r.history_user, r.history_change_reason, r.history_type) for r in records} == {
        (operator, "petugas.csv", "+")
    }


def test_an_empty_tpl_ikm_cell_means_ya(operator):
    report = run(operator, [officer_row(tpl_ikm="")])
    assert errors(report) == []
    assert FieldOfficer.objects.get().is_tpl_ikm


def test_reimporting_the_same_file_changes_nothing(operator):
    rows = [officer_row(), officer_row(nama="Dewi Lestari", tpl_ikm="tidak", tahun_kontrak="")]
    run(operator, rows)
    history = FieldOfficer.history.count()
    report = run(operator, rows)
    assert errors(report) == []
    assert report.counts["unchanged"] == 2 and report.counts["new"] == report.counts["changed"] == 0
    assert FieldOfficer.objects.count() == 2
    assert FieldOfficer.history.count() == history


def test_a_changed_phone_updates_the_officer_matched_by_name_ignoring_case_and_spacing(operator):
    run(operator, [officer_row()])
    officer = FieldOfficer.objects.get()
    report = run(operator, [officer_row(nama="  rahmat   HIDAYAT ", telepon="0813 1111 2222")], name="ubah.csv")
    assert errors(report) == []
    assert report.counts["changed"] == 1 and report.samples["changed"][0]["changes"] == ["nama", "telepon"]
    officer.refresh_from_db()
    assert officer.phone == "+6281311112222"
    assert FieldOfficer.objects.count() == 1
    latest = officer.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == ("~", operator, "ubah.csv")


def test_another_contract_year_or_another_office_is_another_officer(operator):
    FieldOfficerFactory(name="Rahmat Hidayat", owner_region_id="63.71", assigned_region_id="63.71", contract_year=2024)
    run(operator, [officer_row()])
    report = run(operator, [officer_row(tahun_kontrak="2025")])
    assert report.counts["new"] == 1
    assert FieldOfficer.objects.filter(name="Rahmat Hidayat", owner_region_id="61.71").count() == 2
    assert FieldOfficer.objects.filter(owner_region_id="63.71").count() == 1


def test_an_absent_column_changes_nothing(operator):
    run(operator, [officer_row()])
    headers = ["nama", "kode_wilayah_tugas", "tahun_kontrak"]
    report = run(operator, [officer_row()], headers=headers)
    assert report.counts["unchanged"] == 1
    officer = FieldOfficer.objects.get()
    assert officer.phone == "+6281256781234" and officer.institution == "Disperindag Kota Pontianak"


NEXT_YEAR = timezone.localdate().year + 1


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"nama": ""}, "nama", "Wajib diisi."),
        ({"nama": "x" * 201}, "nama", "Terlalu panjang: paling banyak 200 karakter."),
        ({"tahun_kontrak": ""}, "tahun_kontrak", "Isi tahun_kontrak untuk petugas TPL-IKM."),
        ({"tpl_ikm": "", "tahun_kontrak": ""}, "tahun_kontrak", "Isi tahun_kontrak untuk petugas TPL-IKM."),
        ({"tahun_kontrak": "24"}, "tahun_kontrak", "Tahun harus 4 angka, bukan “24”."),
        ({"tahun_kontrak": "1999"}, "tahun_kontrak", "Tahun 1999 terlalu lama (paling awal 2000)."),
        (
            {"tahun_kontrak": str(NEXT_YEAR + 1)},
            "tahun_kontrak",
            f"Tahun kontrak paling jauh tahun depan ({NEXT_YEAR}).",
        ),
        ({"tpl_ikm": "mungkin"}, "tpl_ikm", "Isi “ya” atau “tidak”, bukan “mungkin”."),
        ({"kode_wilayah_tugas": ""}, "kode_wilayah_tugas", "Wajib diisi."),
        ({"kode_wilayah_tugas": "62.99"}, "kode_wilayah_tugas", "Wilayah tugas 62.99 tidak dikenal."),
        (
            {"kode_wilayah_tugas": "Pontianak"},
            "kode_wilayah_tugas",
            "Kode wilayah tugas “Pontianak” tidak sah: tulis kode Kemendagri, misalnya 61.71 atau 61.71.02.",
        ),
        ({"kode_wilayah_tugas": "63.71"}, "kode_wilayah_tugas", "Wilayah tugas harus berada di wilayah kerja Anda."),
        ({"telepon": "12"}, "telepon", "Nomor telepon tidak valid: 12"),
    ],
)
def test_each_error_names_row_column_and_reason_and_nothing_is_written(operator, overrides, column, message):
    report = run(operator, [officer_row(nama="Dewi Lestari"), officer_row(**overrides)])
    assert errors(report) == [(3, column, message)]
    assert not report.committed
    assert not FieldOfficer.objects.exists()
    assert not FieldOfficer.history.exists()


def test_a_region_code_without_dots_is_read(operator):
    report = run(operator, [officer_row(kode_wilayah_tugas="617102")])
    assert errors(report) == []
    assert FieldOfficer.objects.get().assigned_region_id == "61.71.02"


def test_a_non_tpl_facilitator_needs_no_contract_year(operator):
    report = run(operator, [officer_row(tpl_ikm="tidak", tahun_kontrak="")])
    assert errors(report) == []


def test_duplicate_rows_name_the_first_row(operator):
    report = run(operator, [officer_row(), officer_row(nama="Dewi"), officer_row(nama="RAHMAT  hidayat")])
    assert errors(report) == [(4, "nama", "Petugas ini (nama dan tahun kontrak sama) sudah ada di baris 2.")]
    assert not FieldOfficer.objects.exists()


def test_an_assigned_region_outside_the_users_office_is_refused():
    banjarmasin = make_staff(Role.OPERATOR, "63.71", username="operator_bjm")
    report = run(banjarmasin, [officer_row()])
    assert errors(report) == [(2, "kode_wilayah_tugas", "Wilayah tugas harus berada di wilayah kerja Anda.")]
    assert not FieldOfficer.objects.exists()


def test_a_province_office_updates_a_city_offices_officer_and_keeps_it_there(operator):
    FieldOfficerFactory(name="Rahmat Hidayat", owner_region_id="61.71", assigned_region_id="61.71", contract_year=2024)
    province = make_staff(Role.OPERATOR, "61", username="operator_kalbar")
    report = run(province, [officer_row()])
    assert errors(report) == [] and report.counts["changed"] == 1
    officer = FieldOfficer.objects.get()
    assert (officer.owner_region_id, officer.assigned_region_id) == ("61.71", "61.71.02")
    # Outside the city office's area the city's officer is not the one meant: the province records its own.
    report = run(province, [officer_row(kode_wilayah_tugas="61.72")], commit=False)
    assert errors(report) == [] and report.counts["new"] == 1


def test_a_superuser_records_the_officer_under_the_kabkota_of_the_assignment():
    admin = UserFactory(username="root", is_superuser=True)
    report = run(admin, [officer_row(), officer_row(nama="Dewi", kode_wilayah_tugas="63")])
    assert errors(report) == []
    assert FieldOfficer.objects.get(name="Rahmat Hidayat").owner_region_id == "61.71"
    assert FieldOfficer.objects.get(name="Dewi").owner_region_id == "63"


def test_a_role_without_add_permission_cannot_create_officers(operator):
    verifier = make_staff(Role.VERIFIKATOR, "61.71", username="verifikator_ptk")
    report = run(verifier, [officer_row()])
    assert errors(report) == [(2, "", "Akun Anda tidak boleh menambah petugas.")]
    run(operator, [officer_row()])
    report = run(verifier, [officer_row(telepon="0813-1111-2222")])
    assert errors(report) == [] and report.counts["changed"] == 1


def test_missing_required_headers_are_refused(operator):
    report = run(operator, [officer_row()], headers=["nama", "kode_wilayah_tugas"])
    assert errors(report) == [(1, "tahun_kontrak", "Kolom wajib “tahun_kontrak” tidak ada.")]


# --- admin: template, export --------------------------------------------------------------------------------


def url(name, **kwargs):
    return reverse(f"admin:ikm_registry_fieldofficer_{name}", kwargs=kwargs or None)


def test_the_officer_list_links_to_import_and_the_template_example_imports_cleanly(client, operator):
    client.force_login(operator)
    assert url("import") in client.get(url("changelist")).content.decode()
    assert "Unduh templat" in client.get(url("import")).content.decode()
    content = client.get(url("import_template", fmt="xlsx")).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert [s.title for s in workbook.worksheets] == ["Data", "Petunjuk"]
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
    assert workbook.worksheets[0].max_row == 2
    guide = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert all(header in guide for header in HEADERS)
    for fmt in ("xlsx", "csv"):
        response = client.get(url("import_template", fmt=fmt))
        report = run_import(KINDS["petugas"], io.BytesIO(response.content), f"templat.{fmt}", operator, commit=True)
        assert report.errors == [] and report.counts["new"] + report.counts["unchanged"] == 1
    assert FieldOfficer.objects.get().owner_region_id == "61.71"


@pytest.fixture
def officers():
    FieldOfficerFactory(
        name="Rahmat Hidayat",
        owner_region_id="61.71",
        assigned_region_id="61.71.02",
        phone="+6281256781234",
        institution="Disperindag",
    )
    FieldOfficerFactory(
        name="Dewi Lestari", owner_region_id="61.71", assigned_region_id="61.71", is_tpl_ikm=False, contract_year=None
    )
    FieldOfficerFactory(name="=Formula", owner_region_id="61.71", assigned_region_id="61.71", phone="0561 123")
    FieldOfficerFactory(name="Rahmat Hidayat", owner_region_id="61.71", assigned_region_id="61.71", contract_year=2023)
    FieldOfficerFactory(name="Petugas Banjar", owner_region_id="63.71", assigned_region_id="63.71")


@pytest.mark.parametrize(("fmt", "sep"), [("xlsx", ""), ("csv", "semicolon"), ("csv", "comma")])
def test_the_officer_export_reimports_unchanged(client, operator, officers, fmt, sep):
    client.force_login(operator)
    response = client.get(url("export"), {"_format": fmt, "_sep": sep})
    content = response.content if fmt == "xlsx" else b"".join(response.streaming_content)
    if fmt == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert "telepon" not in rows[0]  # personal data: not for an operator
        assert len(rows) == 5
    assert b"Banjar" not in content
    report = run_import(KINDS["petugas"], io.BytesIO(content), f"ekspor.{fmt}", operator, commit=True)
    assert report.errors == [], report.errors
    assert report.counts["unchanged"] == report.total_rows == 4, report.samples


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_with_personal_data_reimports_unchanged(client, officers, fmt):
    verifier = make_staff(Role.VERIFIKATOR, "61.71", username="verifikator_ptk")
    client.force_login(verifier)
    response = client.get(url("export"), {"_format": fmt})
    content = response.content if fmt == "xlsx" else b"".join(response.streaming_content)
    if fmt == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        phones = {r[rows[0].index("telepon")] for r in rows[1:]}
        assert phones == {"0812-5678-1234", "0561 123", None}
    report = run_import(KINDS["petugas"], io.BytesIO(content), f"ekspor.{fmt}", verifier, commit=True)
    assert report.errors == [], report.errors
    assert report.counts["unchanged"] == report.total_rows == 4, report.samples
