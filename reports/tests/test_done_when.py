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
