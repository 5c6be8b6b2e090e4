"""KBLI reference data: the shipped section C list and the `load_kbli` command for full or updated lists."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ikm_registry.models import KBLI
from ikm_registry.reference_data import DATA_DIR

pytestmark = pytest.mark.django_db


def test_shipped_list_has_the_24_divisions_of_section_c_and_five_digit_codes():
    rows = list(csv.DictReader((DATA_DIR / "kbli_section_c.csv").open(encoding="utf-8")))
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert sorted(c for c in codes if len(c) == 2) == [str(d) for d in range(10, 34)]
    assert all(len(c) in (2, 5) and 10 <= int(c[:2]) <= 33 for c in codes)
    assert {"10794", "13134", "16293", "31001", "32903"} <= set(codes)
    assert all(row["edition"] == "2020" and row["title"].strip() for row in rows)


def test_shipped_codes_are_loaded_with_their_sector():
    assert KBLI.objects.get(code="31001", edition="2020").sector_id == "KAYU"
    assert KBLI.objects.get(code="10794", edition="2020").sector_id == "PANGAN"
    assert KBLI.objects.get(code="32903", edition="2020").sector_id == "KERAJINAN"


def write(tmp_path: Path, text: str, name="kbli.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return str(path)


def test_load_kbli_adds_a_new_edition_and_updates_titles(tmp_path):
    path = write(
        tmp_path,
        "code;title\n10794;Industri Kerupuk, Keripik, Peyek dan Sejenisnya\n31001;Industri Furnitur Kayu\n"
        "47111;Perdagangan Eceran Minimarket\n",
    )
    out = StringIO()
    call_command("load_kbli", path, "--edition", "2025", stdout=out)
    assert "2 baru" in out.getvalue() and "1 baris di luar kategori C" in out.getvalue()
    assert KBLI.objects.get(code="31001", edition="2025").sector_id == "KAYU"
    assert KBLI.objects.get(code="31001", edition="2020").title == "Industri Furnitur dari Kayu"

    again = write(tmp_path, "code,edition,title\n31001,2025,Industri Furnitur dari Kayu (revisi)\n", "update.csv")
    call_command("load_kbli", again, stdout=StringIO())
    assert KBLI.objects.get(code="31001", edition="2025").title == "Industri Furnitur dari Kayu (revisi)"


def test_load_kbli_with_a_bad_row_writes_nothing_and_names_the_row(tmp_path):
    before = KBLI.objects.count()
    path = write(tmp_path, "code,edition,title\n10799,2025,Baik\n1O79X,2025,Salah\n10710,2030,Edisi salah\n")
    err = StringIO()
    with pytest.raises(CommandError, match="2 kesalahan"):
        call_command("load_kbli", path, stdout=StringIO(), stderr=err)
    assert "Baris 3, kolom code" in err.getvalue()
    assert "Baris 4, kolom edition" in err.getvalue()
    assert KBLI.objects.count() == before


def test_load_kbli_refuses_a_file_without_the_columns(tmp_path):
    path = write(tmp_path, "kode,judul\n10799,X\n")
    with pytest.raises(CommandError, match="Kolom wajib tidak ada"):
        call_command("load_kbli", path, stdout=StringIO())
