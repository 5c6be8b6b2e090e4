"""Imports of the other kinds: OVOP ratings, equipment assistance, pembinaan activities, sentra."""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.imports.testing import write_csv
from ikm_registry.models import (
    ConditionCheck,
    EquipmentAssistance,
    FosteringLevel,
    IKMUnit,
    OVOPRating,
    Role,
    TrainingActivity,
    TrainingParticipant,
)
from ikm_registry.tests.factories import EquipmentAssistanceFactory, IKMUnitFactory, OVOPRatingFactory, make_staff
from sentra.models import Sentra, SentraMembership
from sentra.tests.factories import SentraFactory

pytestmark = pytest.mark.django_db

TANJUNG_HULU = "61.71.02.1004"


@pytest.fixture
def unit():
    return IKMUnitFactory(village_id=TANJUNG_HULU, business_name="Amplang Sinar", nib="9120300000001")


def run(kind, user, rows, commit=True, name="data.csv"):
    headers = [c.header for c in KINDS[kind].columns]
    return run_import(KINDS[kind], write_csv(io.BytesIO(), rows, headers=headers), name, user, commit=commit)


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


# --- OVOP ------------------------------------------------------------------------------------------------------


def ovop_row(unit, **overrides):
    row = {
        "kode_ikm": unit.registry_code,
        "nama_produk": "Amplang ikan",
        "kategori": "PANGAN",
        "tahun_penilaian": "2023",
        "bintang": "3",
        "nomor_sertifikat": "OVOP/1",
        "penilai": "Kemenperin",
    }
    row.update(overrides)
    return row


def test_ovop_rating_is_created_with_its_fostering_level_and_history(operator, unit):
    report = run(
        "ovop", operator, [ovop_row(unit), ovop_row(unit, nama_produk="Kerupuk", bintang="5")], name="ovop.csv"
    )
    assert errors(report) == []
    assert OVOPRating.objects.get(product_name="Amplang ikan").fostering_level == FosteringLevel.PROVINSI
    assert OVOPRating.objects.get(product_name="Kerupuk").fostering_level == FosteringLevel.KEMENTERIAN
    record = OVOPRating.history.first()
    assert (record.history_user, record.history_change_reason) == (operator, "ovop.csv")


def test_an_ovop_import_marks_its_units_changed_for_copies_kept_in_step(operator, unit):
    """A unit publishes its best OVOP stars: new ratings are a change of the unit (updated_since, data stamp)."""
    long_ago = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    other = IKMUnitFactory(village_id=TANJUNG_HULU, business_name="Kerupuk Basah")
    IKMUnit.objects.update(updated_at=long_ago)
    assert errors(run("ovop", operator, [ovop_row(unit)])) == []
    unit.refresh_from_db()
    other.refresh_from_db()
    assert unit.updated_at > long_ago and other.updated_at == long_ago


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"bintang": "6"}, "bintang", "antara 1 sampai 5"),
        ({"bintang": "0"}, "bintang", "antara 1 sampai 5"),
        ({"bintang": "tiga"}, "bintang", "angka"),
        ({"tahun_penilaian": "2999"}, "tahun_penilaian", "masa depan"),
        ({"kode_ikm": "IKM-6171-999999"}, "kode_ikm", "tidak ditemukan"),
        ({"kategori": "MAKANAN"}, "kategori", "tidak dikenal"),
    ],
)
def test_ovop_errors_name_row_and_column(operator, unit, overrides, column, message):
    report = run("ovop", operator, [ovop_row(unit, nama_produk="Lain"), ovop_row(unit, **overrides)])
    found = [e for e in errors(report) if e[0] == 3]
    assert found and found[0][1] == column and message in found[0][2], errors(report)
    assert not OVOPRating.objects.exists()


def test_ovop_second_rating_of_a_product_in_a_year_is_refused_and_another_year_is_kept(operator, unit):
    OVOPRatingFactory(unit=unit, product_name="Amplang ikan", assessment_year=2021, stars=2)
    report = run("ovop", operator, [ovop_row(unit), ovop_row(unit, bintang="4")])
    assert (3, "nama_produk", "Produk ini sudah dinilai untuk tahun yang sama di baris 2.") in errors(report)
    report = run("ovop", operator, [ovop_row(unit)])
    assert report.counts["new"] == 1
    assert OVOPRating.objects.filter(unit=unit).count() == 2  # 2021 kept as history


def test_ovop_unit_outside_the_region_is_not_found(unit):
    banjarmasin = make_staff(Role.OPERATOR, "63.71", username="operator_bjm")
    report = run("ovop", banjarmasin, [ovop_row(unit)])
    assert [(r, c) for r, c, m in errors(report)] == [(2, "kode_ikm")]


# --- bantuan -----------------------------------------------------------------------------------------------------


def aid_row(unit, **overrides):
    row = {
        "nama_barang": "Mesin pengaduk",
        "jumlah": "1",
        "satuan": "unit",
        "nilai": "Rp 12.500.000",
        "sumber_dana": "APBD kab/kota",
        "tahun_anggaran": "2024",
        "tanggal_serah_terima": "15/08/2024",
        "nomor_bast": "027/BAST/2024",
        "penerima_kode_ikm": unit.registry_code,
        "kondisi": "baik",
        "tanggal_pemeriksaan": "15/08/2024",
    }
    row.update(overrides)
    return row


def test_equipment_is_recorded_with_its_condition(operator, unit):
    report = run("bantuan", operator, [aid_row(unit)])
    assert errors(report) == []
    item = EquipmentAssistance.objects.get()
    assert (item.unit, item.value, item.funding_source) == (unit, 12_500_000, "apbd_kabkota")
    assert ConditionCheck.objects.get(equipment=item).condition == "baik"


def test_duplicate_aid_needs_a_justification_in_the_file_and_against_the_registry(operator, unit):
    EquipmentAssistanceFactory(unit=unit, name="Mesin jahit", fiscal_year=2024)
    report = run(
        "bantuan",
        operator,
        [
            aid_row(unit, nama_barang="Mesin jahit", nomor_bast="1/2024"),
            aid_row(unit, nomor_bast="2/2024"),
            aid_row(unit, nomor_bast="3/2024"),
        ],
    )
    assert [(r, c) for r, c, m in errors(report)] == [(2, "alasan_bantuan_ganda"), (4, "alasan_bantuan_ganda")]
    report = run(
        "bantuan", operator, [aid_row(unit, nama_barang="Mesin jahit", alasan_bantuan_ganda="Mesin kedua untuk cabang")]
    )
    assert errors(report) == []


def test_equipment_needs_exactly_one_recipient(operator, unit):
    sentra = SentraFactory(village_id=TANJUNG_HULU)
    report = run(
        "bantuan",
        operator,
        [aid_row(unit, penerima_sentra=sentra.name), aid_row(unit, penerima_kode_ikm="", nomor_bast="9")],
    )
    assert [(r, c) for r, c, m in errors(report)] == [(2, "penerima_kode_ikm"), (3, "penerima_kode_ikm")]


# --- pembinaan ---------------------------------------------------------------------------------------------------


def activity_row(unit=None, **overrides):
    row = {
        "judul": "Bimtek keamanan pangan",
        "jenis": "pelatihan",
        "sumber_dana": "apbd_kabkota",
        "tahun_anggaran": "2024",
        "tanggal_mulai": "10/06/2024",
        "tanggal_selesai": "12/06/2024",
        "kode_wilayah_tempat": TANJUNG_HULU,
        "anggaran": "25.000.000",
    }
    if unit is not None:
        row.update(
            {"kode_ikm": unit.registry_code, "nama_peserta": "Siti", "jenis_kelamin_peserta": "P", "hadir": "ya"}
        )
    row.update(overrides)
    return row


def test_rows_of_one_activity_create_it_once_with_its_participants(operator, unit):
    other = IKMUnitFactory(village_id=TANJUNG_HULU)
    report = run(
        "pembinaan",
        operator,
        [
            activity_row(unit),
            activity_row(other, nama_peserta="Rudi", jenis_kelamin_peserta="L"),
            activity_row(judul="Sosialisasi halal", jenis="sosialisasi"),
        ],
    )
    assert errors(report) == []
    assert TrainingActivity.objects.count() == 2
    activity = TrainingActivity.objects.get(title="Bimtek keamanan pangan")
    assert activity.owner_region_id == "61.71"
    assert activity.budget == 25_000_000
    assert sorted(activity.participants.values_list("attendee_name", flat=True)) == ["Rudi", "Siti"]
    assert report.counts == {"new": 3, "changed": 0, "unchanged": 0, "error": 0}


def test_rows_of_one_activity_must_agree(operator, unit):
    report = run(
        "pembinaan", operator, [activity_row(unit), activity_row(unit, nama_peserta="Ani", anggaran="30.000.000")]
    )
    assert (3, "anggaran", "Berbeda dengan baris 2 untuk kegiatan yang sama.") in errors(report)
    assert not TrainingActivity.objects.exists()


def test_activity_dates_and_participant_gender_are_checked(operator, unit):
    report = run("pembinaan", operator, [activity_row(unit, tanggal_selesai="01/06/2024", jenis_kelamin_peserta="X")])
    columns = {c for r, c, m in errors(report)}
    assert {"tanggal_selesai", "jenis_kelamin_peserta"} <= columns


# --- sentra -------------------------------------------------------------------------------------------------------


def sentra_row(unit=None, **overrides):
    row = {
        "kode_sentra": "SENTRA-AMPLANG",
        "nama_sentra": "Sentra Amplang",
        "jenis": "sentra",
        "status": "formal",
        "nomor_sk": "188/2019",
        "tanggal_sk": "12/03/2019",
        "kode_wilayah": TANJUNG_HULU,
        "komoditas_utama": "Amplang",
        "sektor": "PANGAN",
    }
    if unit is not None:
        row.update({"kode_ikm": unit.registry_code, "tanggal_bergabung": "01/01/2020"})
    row.update(overrides)
    return row


def test_sentra_with_members_is_created_with_derived_regions(operator, unit):
    other = IKMUnitFactory(village_id=TANJUNG_HULU)
    report = run("sentra", operator, [sentra_row(unit), sentra_row(other)])
    assert errors(report) == []
    sentra = Sentra.objects.get()
    assert (sentra.district_id, sentra.regency_id, sentra.province_id) == ("61.71.02", "61.71", "61")
    assert sentra.memberships.count() == 2


def test_renaming_a_sentra_by_import_marks_its_current_members_changed(operator, unit):
    """Each current member's public record carries the sentra's name (updated_since, data stamp)."""
    former, outsider = IKMUnitFactory(village_id=TANJUNG_HULU), IKMUnitFactory(village_id=TANJUNG_HULU)
    assert errors(run("sentra", operator, [sentra_row(unit)])) == []
    sentra = Sentra.objects.get()
    SentraMembership.objects.create(
        sentra=sentra, unit=former, joined_on=datetime.date(2015, 1, 1), left_on=datetime.date(2016, 1, 1)
    )
    long_ago = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    IKMUnit.objects.update(updated_at=long_ago)

    def changed() -> set:
        return set(IKMUnit.objects.filter(updated_at__gt=long_ago).values_list("pk", flat=True))

    # The same row again: nothing changed, nothing touched.
    assert errors(run("sentra", operator, [sentra_row()])) == []
    assert changed() == set()
    assert errors(run("sentra", operator, [sentra_row(nama_sentra="Sentra Amplang Tanjung Hulu")])) == []
    assert Sentra.objects.get().name == "Sentra Amplang Tanjung Hulu"
    assert changed() == {unit.pk}
    assert outsider.pk not in changed() and former.pk not in changed()


def test_formal_sentra_needs_a_decree_number(operator):
    report = run("sentra", operator, [sentra_row(nomor_sk="")])
    assert [(r, c) for r, c, m in errors(report)] == [(2, "nomor_sk")]


def test_a_unit_cannot_belong_to_two_sentra_at_once(operator, unit):
    other_sentra = SentraFactory(village_id=TANJUNG_HULU, name="Sentra Lain")
    SentraMembership.objects.create(sentra=other_sentra, unit=unit, joined_on=datetime.date(2019, 1, 1))
    report = run("sentra", operator, [sentra_row(unit)])
    assert [(r, c) for r, c, m in errors(report)] == [(2, "tanggal_bergabung")]
    assert "Sentra Lain" in errors(report)[0][2]
    # Closing the old membership in the same file makes room for the new one.
    rows = [
        sentra_row(unit),
        {
            "kode_sentra": "",
            "nama_sentra": "Sentra Lain",
            "kode_wilayah": TANJUNG_HULU,
            "jenis": "sentra",
            "status": "non formal",
            "komoditas_utama": other_sentra.main_commodity,
            "sektor": "SANDANG",
            "kode_ikm": unit.registry_code,
            "tanggal_bergabung": "01/01/2019",
            "tanggal_keluar": "31/12/2019",
        },
    ]
    report = run("sentra", operator, rows)
    assert errors(report) == []
    assert SentraMembership.objects.get(sentra=other_sentra).left_on == datetime.date(2019, 12, 31)


def test_unknown_sentra_in_the_ikm_file_is_an_error(operator):
    from ikm_registry.imports.testing import ikm_row

    report = run_import(
        KINDS["ikm"], write_csv(io.BytesIO(), [ikm_row(sentra="Sentra Tidak Ada")]), "x.csv", operator, commit=True
    )
    assert [(r, c) for r, c, m in errors(report)] == [(2, "sentra")]


# --- command for every kind ----------------------------------------------------------------------------------------


def test_command_imports_every_kind_and_refuses_verify_where_there_is_nothing_to_verify(operator, unit, tmp_path):
    path = tmp_path / "ovop.csv"
    path.write_bytes(
        write_csv(io.BytesIO(), [ovop_row(unit)], headers=[c.header for c in KINDS["ovop"].columns]).getvalue()
    )
    call_command("import_records", "ovop", str(path), user=operator.username, stdout=(out := StringIO()))
    assert "Baru: 1" in out.getvalue()
    verifier = make_staff(Role.VERIFIKATOR, "61.71", username="verifikator_ptk")
    with pytest.raises(CommandError, match="hanya berlaku untuk impor unit IKM"):
        call_command("import_records", "ovop", str(path), "--verify", user=verifier.username, stdout=StringIO())
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_records", "wisata", str(path), user=operator.username, stdout=StringIO())


def test_participants_are_matched_on_reimport(operator, unit):
    run("pembinaan", operator, [activity_row(unit)])
    activity = TrainingActivity.objects.get()
    report = run("pembinaan", operator, [activity_row(unit, id_kegiatan=str(activity.pk), hasil="sertifikat")])
    assert errors(report) == []
    assert report.counts["changed"] == 1
    assert TrainingParticipant.objects.get().outcome == "sertifikat"
