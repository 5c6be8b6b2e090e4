"""The IKM import engine through its command-line door: validation errors, atomicity, matching, history."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ikm_registry import personal_data
from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.imports.testing import generated_ikm_rows, ikm_row, write_csv, write_xlsx
from ikm_registry.models import IKMUnit, Role, SizeClass, VerificationStatus, YearlyFigures
from ikm_registry.tests.factories import IKMUnitFactory, YearlyFiguresFactory, make_staff
from sentra.tests.factories import SentraFactory

pytestmark = pytest.mark.django_db


PONTIANAK = "61.71"
TANJUNG_HULU = "61.71.02.1004"
# A row without yearly figures.
NO_FIGURES = {
    h: ""
    for h in (
        "tahun_data",
        "tenaga_kerja_laki_laki",
        "tenaga_kerja_perempuan",
        "nilai_investasi",
        "kapasitas_produksi",
        "satuan_kapasitas",
        "nilai_produksi",
        "nilai_bahan_baku",
        "nilai_ekspor",
    )
}


@pytest.fixture
def verifier():
    return make_staff(Role.VERIFIKATOR, PONTIANAK, username="verifikator_ptk")


def run(user, rows, commit=True, fmt="csv", name="data_ikm.csv", verify=False, headers=None):
    buffer = io.BytesIO()
    if fmt == "csv":
        write_csv(buffer, rows, headers=headers)
    else:
        write_xlsx(buffer, rows, headers=headers)
    return run_import(KINDS["ikm"], buffer, name, user, commit=commit, verify=verify)


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_a_valid_row_creates_a_unit_with_derived_regions_size_class_and_code(operator):
    report = run(operator, [ikm_row()])
    assert errors(report) == []
    assert report.counts["new"] == 1 and report.committed
    unit = IKMUnit.objects.get()
    assert unit.registry_code == "IKM-6171-000001"
    assert (unit.village_id, unit.district_id, unit.regency_id, unit.province_id) == (
        TANJUNG_HULU,
        "61.71.02",
        "61.71",
        "61",
    )
    assert unit.owner_phone == "+6281256781234"
    assert unit.owner_nik == "6171024507850003"
    assert unit.verification_status == VerificationStatus.DRAFT
    figures = YearlyFigures.objects.get(unit=unit)
    assert figures.investment_value == 150_000_000
    assert figures.production_value == 480_000_000
    assert str(figures.production_capacity) == "12000.00"
    assert figures.size_class == SizeClass.KECIL
    assert (unit.size_class, unit.latest_figures_year) == (SizeClass.KECIL, 2024)


@pytest.mark.parametrize("value", ["1500000", "1.500.000", "Rp 1.500.000,00", "Rp1.500.000,-", "1,500,000"])
def test_numbers_are_read_as_staff_type_them(operator, value):
    report = run(operator, [ikm_row(nilai_investasi=value)])
    assert errors(report) == []
    assert YearlyFigures.objects.get().investment_value == 1_500_000


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"nik_pemilik": "6171024507850000"}, "nik_pemilik", "nomor urut"),
        ({"nik_pemilik": "12345"}, "nik_pemilik", "16 angka"),
        ({"kode_wilayah": "61.71.02.9999"}, "kode_wilayah", "tidak dikenal"),
        ({"tenaga_kerja_laki_laki": "lima"}, "tenaga_kerja_laki_laki", "angka"),
        ({"tenaga_kerja_perempuan": "-3"}, "tenaga_kerja_perempuan", "negatif"),
        ({"tahun_berdiri": "2999"}, "tahun_berdiri", "masa depan"),
        ({"tahun_data": "2999"}, "tahun_data", "masa depan"),
        ({"kode_wilayah": "62.71.01.1003"}, "kode_wilayah", "di luar wilayah kerja"),
        ({"sentra": "Sentra Tidak Ada"}, "sentra", "tidak ditemukan"),
        ({"nib": "12345"}, "nib", "13 angka"),
        ({"sektor": "PERTAMBANGAN"}, "sektor", "tidak dikenal"),
        ({"status": "bangkrut"}, "status", "tidak dikenal"),
        ({"nilai_investasi": "Rp 1.500.000,50"}, "nilai_investasi", "bulat"),
        ({"latitude": "45"}, "latitude", "luar wilayah Indonesia"),
        ({"latitude": ""}, "longitude", "bersama-sama"),
        ({"pemasaran": "ekspor"}, "negara_tujuan_ekspor", "ekspor"),
        ({"nama_usaha": ""}, "nama_usaha", "Wajib"),
        ({"email": "bukan-email"}, "email", "email"),
        ({"telepon": "12"}, "telepon", "telepon"),
        ({"kode_ikm": "IKM-6171-999999"}, "kode_ikm", "tidak ditemukan"),
    ],
)
def test_each_error_names_row_column_and_reason_and_writes_nothing(operator, overrides, column, message):
    report = run(operator, [ikm_row(nib="9120300000001", nik_pemilik="6171024507850004"), ikm_row(**overrides)])
    assert report.has_errors and not report.committed
    found = [(row, col, msg) for row, col, msg in errors(report) if row == 3]
    assert found, errors(report)
    assert found[0][1] == column
    assert message.lower() in found[0][2].lower()
    assert not IKMUnit.objects.exists()


def test_duplicate_nib_inside_the_file_and_against_another_unit(operator):
    holder = IKMUnitFactory(village_id="61.71.02.1001", nib="9120309999999")
    other = IKMUnitFactory(village_id="61.71.02.1001")
    report = run(
        operator,
        [
            ikm_row(nib="9120301111111", nik_pemilik="6171024507850004"),
            ikm_row(nib="9120301111111", nik_pemilik="6171024507850005", nama_usaha="Lain"),
            # Matched by kode_ikm, but carrying the NIB of another unit.
            ikm_row(kode_ikm=other.registry_code, nib="9120309999999", nik_pemilik="6171024507850006"),
        ],
    )
    assert (3, "nib", "NIB 9120301111111 sudah dipakai di baris 2.") in errors(report)
    assert any(r == 4 and c == "nib" and "unit lain" in m and holder.registry_code in m for r, c, m in errors(report))
    assert IKMUnit.objects.count() == 2


def test_village_by_names_is_case_and_space_tolerant_and_ambiguity_is_explained(operator):
    report = run(
        operator,
        [
            ikm_row(
                kode_wilayah="",
                kelurahan_desa="  tanjung   HULU ",
                kecamatan="pontianak timur",
                kabupaten_kota="Pontianak",
            ),
        ],
        headers=[*write_headers(), "kelurahan_desa", "kecamatan", "kabupaten_kota"],
    )
    assert errors(report) == []
    assert IKMUnit.objects.get().village_id == TANJUNG_HULU


def test_an_ambiguous_village_name_is_an_error_listing_the_places():
    national = make_staff(Role.ADMIN, None, username="admin_nasional")
    report = run(
        national,
        [ikm_row(kode_wilayah="", kelurahan_desa="Sidomulyo")],
        headers=[*write_headers(), "kelurahan_desa", "kecamatan", "kabupaten_kota"],
    )
    (row, column, message) = errors(report)[0]
    assert (row, column) == (2, "kelurahan_desa")
    assert "ambigu" in message and "kode_wilayah" in message


def write_headers():
    from ikm_registry.imports.testing import IKM_HEADERS

    return [h for h in IKM_HEADERS if h not in ("kelurahan_desa", "kecamatan", "kabupaten_kota")]


def test_existing_unit_is_matched_by_kode_ikm_then_by_nib_and_changes_are_listed(operator):
    by_code = IKMUnitFactory(village_id=TANJUNG_HULU, business_name="Lama", nib="9120300000011")
    by_nib = IKMUnitFactory(village_id=TANJUNG_HULU, business_name="Lama Juga", nib="9120300000022")
    report = run(
        operator,
        [
            ikm_row(
                kode_ikm=by_code.registry_code, nib="9120300000011", nama_usaha="Baru", nik_pemilik="", **NO_FIGURES
            ),
            ikm_row(nib="9120300000022", nama_usaha="Lama Juga", nik_pemilik="", **NO_FIGURES),
        ],
    )
    assert errors(report) == []
    assert report.counts["changed"] == 2
    by_code.refresh_from_db()
    assert by_code.business_name == "Baru"
    assert "nama_usaha" in report.samples["changed"][0]["changes"]
    assert IKMUnit.objects.count() == 2
    assert by_nib.pk in IKMUnit.objects.values_list("pk", flat=True)


def test_reimporting_the_same_file_changes_nothing(operator):
    rows = [ikm_row(), ikm_row(nib="9120300000099", nik_pemilik="6171024507850009", nama_usaha="Kedua")]
    run(operator, rows)
    codes = list(IKMUnit.objects.order_by("registry_code").values_list("registry_code", flat=True))
    rows[0]["kode_ikm"], rows[1]["kode_ikm"] = codes
    report = run(operator, rows)
    assert errors(report) == []
    assert report.counts == {"new": 0, "changed": 0, "unchanged": 2, "error": 0}
    assert IKMUnit.history.count() == 2


def test_history_records_the_importing_user_and_the_file_name(operator):
    run(operator, [ikm_row()], name="/tmp/upload/pendataan_2024.xlsx", fmt="xlsx")
    record = IKMUnit.history.get()
    assert record.history_user == operator
    assert record.history_change_reason == "pendataan_2024.xlsx"
    assert record.history_type == "+"
    figures_record = YearlyFigures.history.get()
    assert (figures_record.history_user, figures_record.history_change_reason) == (operator, "pendataan_2024.xlsx")


def test_changing_a_verified_unit_sends_it_back_for_verification(operator):
    unit = IKMUnitFactory(village_id=TANJUNG_HULU, verified=True, nib="9120300000011")
    report = run(operator, [ikm_row(kode_ikm=unit.registry_code, nib="9120300000011", nik_pemilik="")])
    assert errors(report) == []
    unit.refresh_from_db()
    assert unit.verification_status == VerificationStatus.SUBMITTED
    record = unit.history.first()
    assert (record.history_user, record.history_type) == (operator, "~")


def test_possible_duplicates_are_warnings_not_errors(operator):
    existing = IKMUnitFactory(village_id=TANJUNG_HULU, business_name="UD Amplang Sinar Kapuas")
    report = run(
        operator,
        [
            ikm_row(nama_usaha="Amplang Sinar  Kapuas", nib=""),
            ikm_row(nama_usaha="amplang sinar kapuas", nib="", nik_pemilik="6171024507850008"),
        ],
    )
    assert errors(report) == []
    warnings = [(w.row, w.column, w.message) for w in report.warnings]
    assert any(r == 2 and existing.registry_code in m for r, c, m in warnings)
    assert any(r == 3 and "baris 2" in m for r, c, m in warnings)
    assert IKMUnit.objects.count() == 3


def test_same_owner_nik_as_another_unit_or_row_is_a_warning_because_one_owner_may_run_several_businesses(operator):
    other = IKMUnitFactory(village_id=TANJUNG_HULU)
    other.set_owner_nik("6171024507850003")
    other.save()
    report = run(operator, [ikm_row(), ikm_row(nib="9120300000099", nama_usaha="Usaha Kedua")])
    assert errors(report) == []
    warnings = [(w.row, w.column, w.message) for w in report.warnings if w.column == "nik_pemilik"]
    assert [(r, c) for r, c, m in warnings] == [(2, "nik_pemilik"), (3, "nik_pemilik")]
    assert other.registry_code in warnings[0][2]
    assert "baris 2" in warnings[1][2]
    assert IKMUnit.objects.with_nik("6171024507850003").count() == 3


def test_updating_one_of_an_owners_units_still_flags_the_other(operator):
    first = IKMUnitFactory(village_id=TANJUNG_HULU, business_name="Amplang Pertama")
    second = IKMUnitFactory(village_id=TANJUNG_HULU, business_name="Kerupuk Kedua")
    for unit in (first, second):
        unit.set_owner_nik("6171024507850003")
        unit.save()
    report = run(operator, [ikm_row(kode_ikm=first.registry_code, nib="", nama_usaha="Amplang Pertama")])
    assert errors(report) == []
    [warning] = [w for w in report.warnings if w.column == "nik_pemilik"]
    assert second.registry_code in warning.message and first.registry_code not in warning.message


def test_a_shared_nik_outside_the_region_is_flagged_without_naming_that_unit(operator):
    outside = IKMUnitFactory(village_id="63.71.03.1003", business_name="Sasirangan Rahasia")
    outside.set_owner_nik("6171024507850003")
    outside.save()
    report = run(operator, [ikm_row()])
    [warning] = [w for w in report.warnings if w.column == "nik_pemilik"]
    assert "wilayah lain" in warning.message
    assert outside.registry_code not in warning.message and "Sasirangan" not in warning.message


def test_sentra_is_found_by_name_and_membership_opened(operator):
    sentra = SentraFactory(village_id=TANJUNG_HULU, name="Sentra Amplang Tanjung Hulu")
    report = run(operator, [ikm_row(sentra="sentra amplang tanjung hulu")])
    assert errors(report) == []
    unit = IKMUnit.objects.get()
    assert unit.sentra_memberships.get().sentra == sentra


def test_ten_thousand_rows_with_one_bad_village_code_write_nothing_and_name_that_row(operator):
    from ikm_registry.models import Region

    villages = list(Region.objects.filter(code__startswith="61.71.", level=4).values_list("code", flat=True))
    rows = list(generated_ikm_rows(10_000, villages))
    rows[7_000]["kode_wilayah"] = "61.71.09.9999"
    buffer = io.BytesIO()
    write_csv(buffer, rows)
    with pytest.raises(CommandError, match="1 galat"):
        call_command("import_records", "ikm", _save(buffer), user=operator.username, stdout=(out := StringIO()))
    assert "baris 7002, kolom kode_wilayah: Kode wilayah 61.71.09.9999 tidak dikenal" in out.getvalue()
    assert not IKMUnit.objects.exists()
    assert not YearlyFigures.objects.exists()


def _save(buffer, suffix=".csv"):
    import tempfile

    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    handle.write(buffer.getvalue())
    handle.close()
    return handle.name


def test_command_dry_run_validates_and_writes_nothing(operator):
    path = _save(write_csv(io.BytesIO(), [ikm_row()]))
    call_command("import_records", "ikm", path, "--dry-run", user=operator.username, stdout=(out := StringIO()))
    assert "Baru: 1" in out.getvalue() and "tidak ada yang disimpan" in out.getvalue()
    assert not IKMUnit.objects.exists()


def test_command_verify_is_refused_to_accounts_that_cannot_verify(operator):
    path = _save(write_csv(io.BytesIO(), [ikm_row()]))
    with pytest.raises(CommandError, match="tidak berhak memverifikasi"):
        call_command("import_records", "ikm", path, "--verify", user=operator.username, stdout=StringIO())
    assert not IKMUnit.objects.exists()


def test_command_verify_marks_rows_verified_by_the_verifier(verifier, operator):
    unit = IKMUnitFactory(village_id=TANJUNG_HULU, nib="9120300000011")
    rows = [
        ikm_row(),
        ikm_row(kode_ikm=unit.registry_code, nib="9120300000011", nik_pemilik="", nama_usaha=unit.business_name),
    ]
    path = _save(write_csv(io.BytesIO(), rows))
    # A verifier may change but not add units: the new row is refused, nothing is written.
    with pytest.raises(CommandError):
        call_command("import_records", "ikm", path, "--verify", user=verifier.username, stdout=StringIO())
    path = _save(write_csv(io.BytesIO(), rows[1:]))
    call_command("import_records", "ikm", path, "--verify", user=verifier.username, stdout=StringIO())
    unit.refresh_from_db()
    assert unit.verification_status == VerificationStatus.VERIFIED
    assert unit.verified_by == verifier


def test_region_scope_of_the_user_applies_to_matching_and_villages():
    banjarmasin_operator = make_staff(Role.OPERATOR, "63.71", username="operator_bjm")
    pontianak_unit = IKMUnitFactory(village_id=TANJUNG_HULU, nib="9120300000011")
    report = run(
        banjarmasin_operator,
        [
            ikm_row(kode_ikm=pontianak_unit.registry_code, kode_wilayah="63.71.03.1003", nik_pemilik=""),
            ikm_row(nib="9120300000011", kode_wilayah="63.71.03.1003", nik_pemilik=""),
            ikm_row(nib="", nik_pemilik=""),
        ],
    )
    assert [(r, c) for r, c, m in errors(report)] == [(2, "kode_ikm"), (3, "nib"), (4, "kode_wilayah")]
    assert "di luar wilayah kerja" in errors(report)[2][2]


def test_figures_of_an_existing_year_are_updated_and_size_class_refreshed(operator):
    figures = YearlyFiguresFactory(unit__village_id=TANJUNG_HULU, unit__nib="9120300000011", year=2024)
    unit = figures.unit
    report = run(
        operator,
        [
            ikm_row(
                kode_ikm=unit.registry_code,
                nib="9120300000011",
                nik_pemilik="",
                nama_usaha=unit.business_name,
                tenaga_kerja_laki_laki="15",
                tenaga_kerja_perempuan="10",
                nilai_investasi="2.000.000.000",
            )
        ],
    )
    assert errors(report) == []
    figures.refresh_from_db()
    unit.refresh_from_db()
    assert figures.size_class == SizeClass.MENENGAH
    assert unit.size_class == SizeClass.MENENGAH
    assert figures.history.first().history_user == operator


def test_phone_and_nik_are_normalised_and_hash_matches(operator):
    run(operator, [ikm_row(telepon="+62 812-5678-1234", nik_pemilik="6171 0245 0785 0003")])
    unit = IKMUnit.objects.get()
    assert unit.owner_phone == "+6281256781234"
    assert unit.owner_nik_hash == personal_data.nik_lookup_hash("6171024507850003")


def test_kalimantan_barat_file_of_5000_rows_imports_in_one_go_and_its_export_reimports_unchanged(client):
    """The issue's "done when": real Kalimantan Barat villages, the template as XLSX, a province office."""
    from django.urls import reverse

    from ikm_registry.models import Region

    province_operator = make_staff(Role.OPERATOR, "61", username="operator_kalbar")
    villages = list(Region.objects.filter(code__startswith="61.", level=4).values_list("code", flat=True))
    assert len(villages) > 2000
    rows = list(generated_ikm_rows(5_000, villages, seed=61))
    bad = [dict(r) for r in rows]
    bad[4_321]["kode_wilayah"] = "61.99.99.9999"
    path = _save(write_xlsx(io.BytesIO(), bad), ".xlsx")
    with pytest.raises(CommandError):
        call_command("import_records", "ikm", path, user=province_operator.username, stdout=(out := StringIO()))
    assert "baris 4323, kolom kode_wilayah" in out.getvalue()
    assert not IKMUnit.objects.exists()

    path = _save(write_xlsx(io.BytesIO(), rows), ".xlsx")
    call_command("import_records", "ikm", path, user=province_operator.username, stdout=(out := StringIO()))
    assert "Baru: 5000" in out.getvalue()
    assert IKMUnit.objects.count() == 5_000
    assert IKMUnit.objects.values("regency").distinct().count() == 14

    client.force_login(province_operator)
    response = client.get(reverse("admin:ikm_registry_ikmunit_export"), {"_format": "csv", "_sep": "semicolon"})
    exported = b"".join(response.streaming_content)
    report = run_import(KINDS["ikm"], io.BytesIO(exported), "ekspor.csv", province_operator, commit=True)
    assert report.counts == {"new": 0, "changed": 0, "unchanged": 5_000, "error": 0}


def test_csv_with_comma_separator_without_bom_or_in_windows_encoding_is_read(operator):
    from ikm_registry.imports.testing import IKM_HEADERS

    row = ikm_row(alamat="Jl. Gajah Mada, Café 2", nilai_investasi="150000000")
    buffer = write_csv(io.BytesIO(), [row], delimiter=",", bom=False)
    report = run_import(KINDS["ikm"], buffer, "koma.csv", operator, commit=False)
    assert errors(report) == [] and report.counts["new"] == 1
    line = ";".join(row.get(h, "") for h in IKM_HEADERS)
    windows = ("\r\n".join([";".join(IKM_HEADERS), line]) + "\r\n").encode("cp1252")
    report = run_import(KINDS["ikm"], io.BytesIO(windows), "excel.csv", operator, commit=True)
    assert errors(report) == []
    assert IKMUnit.objects.get().address == "Jl. Gajah Mada, Café 2"


def test_cells_typed_in_excel_as_numbers_and_dates_are_read_and_a_numeric_nik_is_refused(operator):
    import datetime

    import openpyxl

    from ikm_registry.imports.testing import IKM_HEADERS

    headers = [*IKM_HEADERS]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    values = ikm_row(
        nilai_investasi=150000000.0,
        tahun_data=2024,
        tenaga_kerja_laki_laki=2.0,
        latitude=-0.0402,
        longitude=109.3586,
        nib=9120301234567,
        status="tutup",
        tanggal_status=datetime.date(2024, 3, 31),
    )
    sheet.append([values.get(h, "") for h in headers])
    second = ikm_row(nib="9120300000002", nik_pemilik=6171024507850004, nama_usaha="Kedua")
    sheet.append([second.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = run_import(KINDS["ikm"], buffer, "excel.xlsx", operator, commit=False)
    assert [(r, c) for r, c, m in errors(report)] == [(3, "nik_pemilik")]
    assert "Teks" in errors(report)[0][2]
    buffer.seek(0)
    workbook = openpyxl.load_workbook(buffer)
    workbook.active.delete_rows(3)
    fixed = io.BytesIO()
    workbook.save(fixed)
    fixed.seek(0)
    report = run_import(KINDS["ikm"], fixed, "excel.xlsx", operator, commit=True)
    assert errors(report) == []
    unit = IKMUnit.objects.get()
    assert (unit.nib, unit.status, unit.status_date) == ("9120301234567", "tutup", datetime.date(2024, 3, 31))
    assert str(unit.latitude) == "-0.040200"


def test_a_retired_village_code_is_kept_for_units_already_there_but_refused_for_new_ones(operator):
    from ikm_registry.models import Region

    retired = Region.objects.get(code="61.71.02.1005")
    retired.is_active = False
    retired.save()
    unit = IKMUnitFactory(village_id="61.71.02.1005", nib="9120300000011")
    report = run(
        operator,
        [
            ikm_row(kode_ikm=unit.registry_code, nib="9120300000011", kode_wilayah="61.71.02.1005", nik_pemilik=""),
            ikm_row(kode_wilayah="61.71.02.1005", nib="9120300000012"),
        ],
        commit=False,
    )
    assert [(r, c) for r, c, m in errors(report)] == [(3, "kode_wilayah")]
    assert "tidak berlaku" in errors(report)[0][2]


def test_kbli_code_sets_the_sector_when_sektor_is_empty_and_unknown_codes_are_refused(operator):
    report = run(
        operator,
        [ikm_row(kbli="10750", sektor=""), ikm_row(kbli="99999", nib="9120300000012", nik_pemilik="")],
        commit=False,
    )
    assert [(r, c) for r, c, m in errors(report)] == [(3, "kbli")]
    report = run(operator, [ikm_row(kbli="10750", sektor="")])
    unit = IKMUnit.objects.get()
    assert (unit.kbli.code, unit.kbli.edition, unit.sector_id) == ("10750", "2020", "PANGAN")


@pytest.mark.parametrize(
    ("database_says", "expected"),
    [
        (
            'duplicate key value violates unique constraint "ikm_registry_ikmunit_nib_key"\n'
            "DETAIL:  Key (nib)=(9120301111112) already exists.",
            (
                3,
                "nib",
                "NIB 9120301111112 disimpan untuk unit lain (impor lain atau suntingan di admin) "
                "selama impor berjalan.",
            ),
        ),
        (
            "UNIQUE constraint failed: ikm_registry_ikmunit.nib",
            (1, "nib", "Salah satu NIB di berkas ini disimpan untuk unit lain selama impor berjalan."),
        ),
    ],
)
def test_a_nib_saved_by_someone_else_during_the_import_is_named_and_nothing_is_kept(
    operator, monkeypatch, database_says, expected
):
    """The file was checked, then another office saved one of its NIBs before this import wrote its units: the
    database refuses the insert. The report names the row (when the database names the value) and writes
    nothing, in Indonesian, without the database's own text."""
    from django.db import IntegrityError

    from ikm_registry.imports import ikm

    def refused(*args, **kwargs):
        raise IntegrityError(database_says)

    monkeypatch.setattr(ikm, "create_with_history", refused)
    report = run(
        operator,
        [
            ikm_row(nib="9120301111111", nik_pemilik="6171024507850004"),
            ikm_row(nib="9120301111112", nik_pemilik="6171024507850005", nama_usaha="Keripik Lain"),
        ],
    )
    assert not report.committed
    assert errors(report)[0] == expected
    assert errors(report)[-1][2].startswith("Data di registri berubah selama impor")
    assert not any("constraint" in message for _, _, message in errors(report))
    assert IKMUnit.objects.count() == 0
