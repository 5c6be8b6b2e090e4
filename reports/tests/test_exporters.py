import csv
import io
import json

import pytest
from openpyxl import load_workbook

from reports.aggregates import district_report, resolve_region
from reports.exporters import filename, render
from reports.presentation import build_sections

pytestmark = pytest.mark.django_db

CONTRACT = {
    "region": {"code", "name", "level"},
    "ikm": {
        "total",
        "by_sector",
        "by_size_class",
        "by_child_region",
        "workers",
        "investment",
        "production_value",
        "export_value",
        "exporters",
    },
    "coverage": {"kabupaten_kota", "kecamatan", "kelurahan", "desa"},
    "sentra": {"count", "members"},
    "pembinaan": {"activities", "participants", "units_reached"},
    "bantuan": {"items", "value", "recipients"},
    "ovop": {"rated", "by_stars"},
}


@pytest.fixture
def kalbar(registry):
    return district_report(resolve_region("61"), 2024)


def test_json_holds_every_key_of_the_contract_with_money_as_whole_rupiah_strings(kalbar):
    data = json.loads(render(kalbar, "json"))
    assert data["year"] == 2024
    for key, keys in CONTRACT.items():
        assert keys <= set(data[key]), key
    assert set(data["ikm"]["by_sector"][0]) >= {"code", "name", "count"}
    assert set(data["ikm"]["by_child_region"][0]) >= {"code", "name", "count"}
    assert {"kecil", "menengah"} <= set(data["ikm"]["by_size_class"])
    assert set(data["ikm"]["workers"]) == {"men", "women", "total"}
    assert set(data["ovop"]["by_stars"]) == {"1", "2", "3", "4", "5"}
    for money in (data["ikm"]["investment"], data["ikm"]["production_value"], data["bantuan"]["value"]):
        assert isinstance(money, str) and money.isdigit()
    assert data["ikm"]["production_value"] == "4600000000"
    assert data["region"] == {"code": "61", "name": "Kalimantan Barat", "level": 1, "kind": "provinsi"}


def test_pdf_is_a_pdf_with_numbered_pages(kalbar):
    content = render(kalbar, "pdf")
    assert content.startswith(b"%PDF")
    assert len(content) > 5000


def test_pdf_text_states_the_page_count_and_the_headline(kalbar):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render(kalbar, "pdf")))
    pages = len(reader.pages)
    first = reader.pages[0].extract_text()
    assert f"Halaman 1 dari {pages}" in first
    assert "6 IKM terverifikasi aktif pada tahun 2024 di Kalimantan Barat" in first.replace("\n", " ")


def test_xlsx_has_a_sheet_per_section_and_numbers_as_numbers(kalbar):
    book = load_workbook(io.BytesIO(render(kalbar, "xlsx")))
    assert book.sheetnames == ["Ringkasan", *[s.sheet_title for s in build_sections(kalbar)]]
    sheet = book["Unit IKM"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and len(row) > 1}
    assert values["Jumlah IKM terverifikasi aktif"] == 6
    money = {row[0]: row[1] for row in book["Tenaga kerja dan nilai"].iter_rows(values_only=True) if row}
    assert money["Nilai produksi"] == 4_600_000_000
    assert isinstance(money["Tenaga kerja total"], int)


def test_csv_has_a_bom_semicolons_and_one_figure_per_row(kalbar):
    content = render(kalbar, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Bagian", "Uraian", "Nilai"]
    assert all(len(row) == 3 for row in rows)
    figures = {(row[0], row[1]): row[2] for row in rows}
    assert figures[("Unit IKM", "Jumlah IKM terverifikasi aktif")] == "6"
    assert figures[("OVOP", "Bintang 3")] == "1"
    assert figures[("Sebaran wilayah", "IKM per kabupaten/kota: Kota Pontianak — Unit")] == "4"


def test_html_is_a_page_with_chart_data_and_no_inline_script(kalbar):
    page = render(kalbar, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'src="/static/vendor/frappe-charts/frappe-charts.min.umd.js"' in page
    assert '<script id="report-charts" type="application/json">' in page
    # Every <script> either loads a static file or is a JSON data block.
    for chunk in page.split("<script")[1:]:
        assert chunk.lstrip().startswith(("src=", 'id="report-charts" type="application/json"'))
    data = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
    ovop = next(c for c in data if c["key"] == "ovop_stars")
    assert ovop["datasets"][0]["values"] == [1, 1, 1, 0, 0]
    assert 'data-chart="ovop_stars"' in page


def test_every_format_renders_an_empty_region_and_the_nation(db):
    for code in ("62.71.05", "ID"):
        report = district_report(resolve_region(code), 2024)
        for fmt in ("json", "html", "pdf", "xlsx", "csv"):
            assert render(report, fmt)


def test_file_names_carry_region_and_year(kalbar):
    assert filename(kalbar, "pdf") == "laporan-ikm-61-2024.pdf"


def test_office_logo_appears_in_pdf_and_html(kalbar, settings, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), "navy").save(logo)
    settings.OFFICE_LOGO = str(logo)
    settings.OFFICE_NAME = "Dinas Perindustrian Provinsi Kalimantan Barat"
    assert b"/Subtype /Image" in render(kalbar, "pdf")
    page = render(kalbar, "html").decode()
    assert 'src="data:image/png;base64,' in page
    assert "Dinas Perindustrian Provinsi Kalimantan Barat" in page
