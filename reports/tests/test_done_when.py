"""Issue 6 is done when the report of Kalimantan Barat for a year states its units, coverage and OVOP stars
exactly as a hand count of the same data does, in all five formats, and a published snapshot keeps its
figures after the data changes. The hand count is written out in reports/tests/conftest.py."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ikm_registry.models import IKMUnit
from reports.aggregates import district_report, resolve_region
from reports.exporters import render
from reports.snapshots import publish

pytestmark = pytest.mark.django_db

HAND_COUNT = {
    "units": 6,
    "kabupaten_kota": 2,
    "kecamatan": 4,
    "kelurahan": 3,
    "desa": 2,
    "stars": {"5": 0, "4": 0, "3": 1, "2": 1, "1": 1},
}
HEADLINE = (
    "6 IKM terverifikasi aktif pada tahun 2024 di Kalimantan Barat, tersebar di 2 kabupaten/kota, 4 kecamatan, "
    "mencakup 3 kelurahan dan 2 desa. 3 produk OVOP: 1 dengan 3 bintang, 1 dengan 2 bintang, 1 dengan 1 bintang."
)


@pytest.fixture
def kalbar(registry):
    return district_report(resolve_region("61"), 2024)


def test_json_states_the_hand_count(kalbar):
    data = json.loads(render(kalbar, "json"))
    assert data["ikm"]["total"] == HAND_COUNT["units"]
    assert {k: data["coverage"][k] for k in ("kabupaten_kota", "kecamatan", "kelurahan", "desa")} == {
        k: HAND_COUNT[k] for k in ("kabupaten_kota", "kecamatan", "kelurahan", "desa")
    }
    assert data["ovop"]["by_stars"] == HAND_COUNT["stars"]
    assert data["ovop"]["rated"] == 3


def test_html_states_the_hand_count(kalbar):
    page = render(kalbar, "html").decode()
    assert HEADLINE in page
    coverage = page.split("Cakupan wilayah</caption>")[1].split("</table>")[0]
    cells = [c.split("</td>")[0] for c in coverage.split('<td class="number">')[1:]]
    assert cells == ["2", "14", "4", "174", "3", "99", "2", "2.046"]
    stars = page.split('id="bagian-ovop"')[1].split("</table>")[0]
    for star in "54321":
        count = HAND_COUNT["stars"][star]
        assert f'<th scope="row">Bintang {star}</th><td class="number">{count}</td>' in stars


def test_pdf_states_the_hand_count(kalbar):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(kalbar, "pdf"))).pages)
    text = " ".join(text.split())
    assert HEADLINE in text
    assert "Jumlah IKM terverifikasi aktif 6" in text
    assert "Kabupaten/kota 2 14 Kecamatan 4 174 Kelurahan 3 99 Desa 2 2.046" in text
    assert "Bintang 5 0 Bintang 4 0 Bintang 3 1 Bintang 2 1 Bintang 1 1" in text


def test_xlsx_states_the_hand_count(kalbar):
    book = load_workbook(io.BytesIO(render(kalbar, "xlsx")))

    def values(sheet):
        # First occurrence of each label: the coverage table comes before the per-kab/kota table.
        found = {}
        for row in book[sheet].iter_rows(values_only=True):
            if row and row[0]:
                found.setdefault(row[0], row[1:])
        return found

    assert values("Unit IKM")["Jumlah IKM terverifikasi aktif"][0] == 6
    regions = values("Sebaran wilayah")
    assert [regions[k][:2] for k in ("Kabupaten/kota", "Kecamatan", "Kelurahan", "Desa")] == [
        (2, 14),
        (4, 174),
        (3, 99),
        (2, 2046),
    ]
    ovop = values("OVOP")
    assert {s: ovop[f"Bintang {s}"][0] for s in "54321"} == HAND_COUNT["stars"]


def test_csv_states_the_hand_count(kalbar):
    rows = list(csv.reader(io.StringIO(render(kalbar, "csv").decode("utf-8-sig")), delimiter=";"))
    figures = {(section, item): value for section, item, value in rows[1:]}
    assert figures[("Unit IKM", "Jumlah IKM terverifikasi aktif")] == "6"
    for label, key in (("Kabupaten/kota", "kabupaten_kota"), ("Kecamatan", "kecamatan"), ("Kelurahan", "kelurahan")):
        assert figures[("Sebaran wilayah", f"Cakupan wilayah: {label} — Memiliki IKM")] == str(HAND_COUNT[key])
    assert figures[("Sebaran wilayah", "Cakupan wilayah: Desa — Memiliki IKM")] == "2"
    assert {s: int(figures[("OVOP", f"Bintang {s}")]) for s in "54321"} == HAND_COUNT["stars"]


def test_published_snapshot_keeps_the_hand_count_after_the_data_changes(registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    snapshot = publish(resolve_region("61"), 2024, None)
    IKMUnit.objects.filter(province_id="61").update(verification_status="draft")
    assert district_report(resolve_region("61"), 2024).units.total == 0
    snapshot.refresh_from_db()
    assert snapshot.figures["ikm"]["total"] == 6
    assert snapshot.figures["ovop"]["by_stars"] == HAND_COUNT["stars"]
    assert json.loads(snapshot.json_file.open("rb").read())["coverage"]["desa"] == 2


# --- the same, from a registry filled by the import engine -----------------------------------------------------

IMPORT_VILLAGES = [
    "61.71.01.1002",  # kelurahan, Pontianak Selatan, Kota Pontianak
    "61.71.01.1003",  # kelurahan, Pontianak Selatan
    "61.71.02.1004",  # kelurahan, Pontianak Timur
    "61.04.01.2011",  # desa, Matan Hilir Utara, Kab. Ketapang
    "61.04.02.2001",  # desa, Marau, Kab. Ketapang
    "61.01.01.2001",  # desa, Sambas, Kab. Sambas
]


def test_report_of_an_imported_registry_states_the_hand_count_in_every_format(settings, tmp_path):
    from ikm_registry.imports.kinds import KINDS
    from ikm_registry.imports.ovop import COLUMNS as OVOP_COLUMNS
    from ikm_registry.imports.runner import run_import
    from ikm_registry.imports.testing import generated_ikm_rows, write_csv
    from ikm_registry.models import Role
    from ikm_registry.tests.factories import make_staff

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    office_admin = make_staff(Role.ADMIN, "61", username="admin_kalbar")
    rows = list(generated_ikm_rows(40, IMPORT_VILLAGES, year=2024))
    for row in rows[::8]:
        row["tahun_berdiri"] = "2025"  # established after the report year: not counted
    buffer = write_csv(io.BytesIO(), rows)
    report = run_import(KINDS["ikm"], buffer, "ikm_kalbar.csv", office_admin, commit=True, verify=True)
    assert IKMUnit.objects.count() == 40, report.errors[:3]

    ratings = [
        {"nib": rows[1]["nib"], "nama_produk": "Lempok durian", "tahun_penilaian": 2021, "bintang": 2},
        {"nib": rows[1]["nib"], "nama_produk": "Lempok durian", "tahun_penilaian": 2023, "bintang": 3},
        {"nib": rows[2]["nib"], "nama_produk": "Amplang", "tahun_penilaian": 2024, "bintang": 1},
        {"nib": rows[3]["nib"], "nama_produk": "Tenun ikat", "tahun_penilaian": 2022, "bintang": 2},
        {"nib": rows[3]["nib"], "nama_produk": "Tenun ikat", "tahun_penilaian": 2025, "bintang": 4},
        {"nib": rows[8]["nib"], "nama_produk": "Keramik", "tahun_penilaian": 2024, "bintang": 5},
    ]
    headers = [c.header for c in OVOP_COLUMNS]
    run_import(KINDS["ovop"], write_csv(io.BytesIO(), ratings, headers=headers), "ovop.csv", office_admin, commit=True)

    # The hand count, from the rows as typed: Kemendagri village codes 1xxx are kelurahan, 2xxx desa.
    counted = [row for row in rows if int(row["tahun_berdiri"]) <= 2024]
    villages = {row["kode_wilayah"] for row in counted}
    hand = {
        "units": len(counted),
        "kabupaten_kota": len({code[:5] for code in villages}),
        "kecamatan": len({code[:8] for code in villages}),
        "kelurahan": len({code for code in villages if code.split(".")[3].startswith("1")}),
        "desa": len({code for code in villages if code.split(".")[3].startswith("2")}),
        # rows[8] was established in 2025: its rating does not count; the 2025 rating of rows[3] neither.
        "stars": {"5": 0, "4": 0, "3": 1, "2": 1, "1": 1},
    }
    assert hand["units"] == 35

    kalbar = district_report(resolve_region("61"), 2024)
    data = json.loads(render(kalbar, "json"))
    assert data["ikm"]["total"] == hand["units"]
    assert [data["coverage"][k] for k in ("kabupaten_kota", "kecamatan", "kelurahan", "desa")] == [
        hand[k] for k in ("kabupaten_kota", "kecamatan", "kelurahan", "desa")
    ]
    assert data["ovop"]["by_stars"] == hand["stars"]

    csv_rows = list(csv.reader(io.StringIO(render(kalbar, "csv").decode("utf-8-sig")), delimiter=";"))
    figures = {(section, item): value for section, item, value in csv_rows[1:]}
    assert figures[("Unit IKM", "Jumlah IKM terverifikasi aktif")] == str(hand["units"])
    assert figures[("Sebaran wilayah", "Desa yang memiliki IKM")] == str(hand["desa"])
    assert {s: int(figures[("OVOP", f"Bintang {s}")]) for s in "54321"} == hand["stars"]

    book = load_workbook(io.BytesIO(render(kalbar, "xlsx")))
    sheet = {row[0]: row[1] for row in book["Sebaran wilayah"].iter_rows(values_only=True) if row and row[0]}
    assert sheet["Kecamatan yang memiliki IKM"] == hand["kecamatan"]
    assert sheet["Kelurahan yang memiliki IKM"] == hand["kelurahan"]

    headline = (
        f"{hand['units']} IKM terverifikasi aktif pada tahun 2024 di Kalimantan Barat, tersebar di "
        f"{hand['kabupaten_kota']} kabupaten/kota, {hand['kecamatan']} kecamatan, mencakup {hand['kelurahan']} "
        f"kelurahan dan {hand['desa']} desa. 3 produk OVOP: 1 dengan 3 bintang, 1 dengan 2 bintang, "
        "1 dengan 1 bintang."
    )
    assert headline in render(kalbar, "html").decode()
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(kalbar, "pdf"))).pages).split())
    assert headline in pdf_text
