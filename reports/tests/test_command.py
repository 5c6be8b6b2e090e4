import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_json_goes_to_stdout(registry):
    out = io.StringIO()
    call_command("district_report", "61", "--year", "2024", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["region"]["code"], data["year"], data["ikm"]["total"]) == ("61", 2024, 6)


def test_csv_is_written_to_the_output_path(registry, tmp_path):
    target = tmp_path / "kalbar.csv"
    call_command(
        "district_report", "61.71", "--year", "2024", "--format", "csv", "--output", str(target), stderr=io.StringIO()
    )
    assert target.read_bytes().startswith(b"\xef\xbb\xbfBagian;Uraian;Nilai")


def test_binary_formats_go_to_the_stdout_buffer(registry):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    call_command("district_report", "61", "--year", "2024", "--format", "pdf", stdout=out)
    assert raw.getvalue().startswith(b"%PDF")


def test_the_nation_is_reported_with_the_code_id(registry):
    out = io.StringIO()
    call_command("district_report", "ID", "--year", "2024", stdout=out)
    assert json.loads(out.getvalue())["ikm"]["total"] == 7


@pytest.mark.parametrize(
    ("code", "year", "message"),
    [
        ("99.99", 2024, "Kode wilayah 99.99 tidak dikenal"),
        ("61.71.01.1002", 2024, "bukan kelurahan/desa"),
        ("61", 1800, "Tahun 1800 tidak valid"),
        ("61", 2999, "Tahun 2999 tidak valid"),
    ],
)
def test_unknown_region_or_bad_year_is_a_command_error(code, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("district_report", code, "--year", str(year), stdout=io.StringIO())


def test_a_missing_output_folder_is_a_command_error(registry, tmp_path):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("district_report", "61", "--year", "2024", "--output", str(tmp_path / "no" / "r.json"))
