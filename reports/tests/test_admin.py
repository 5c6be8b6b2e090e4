import json

import pytest
from django.urls import reverse

from ikm_registry.models import Role, YearlyFigures
from ikm_registry.tests.factories import UserFactory, make_staff
from reports.forms import region_choices
from reports.models import ReportSnapshot

pytestmark = pytest.mark.django_db

GENERATE = "admin:reports_reportsnapshot_generate"
PUBLISH = "admin:reports_reportsnapshot_publish"


@pytest.fixture
def head_pontianak():
    return make_staff(Role.PIMPINAN, "61.71", username="kepala_pontianak")


@pytest.fixture
def head_kalbar():
    return make_staff(Role.PIMPINAN, "61", username="kepala_kalbar")


def test_city_office_picks_only_its_city_and_its_kecamatan(head_pontianak):
    codes = [code for code, _label in region_choices(head_pontianak)]
    assert codes[0] == "61.71"
    assert all(code.startswith("61.71.") for code in codes[1:])
    assert len(codes) == 1 + 6  # Kota Pontianak has six kecamatan


def test_province_office_picks_its_province_kabkota_and_kecamatan(head_kalbar):
    codes = [code for code, _label in region_choices(head_kalbar)]
    assert codes[0] == "61"
    assert len(codes) == 1 + 14 + 174


def test_national_staff_can_pick_the_nation():
    user = make_staff(Role.PIMPINAN, None, username="kementerian")
    assert region_choices(user)[0][0] == "ID"


def test_city_office_cannot_report_on_its_province_or_another_city(client, head_pontianak):
    client.force_login(head_pontianak)
    for code in ("61", "61.72", "ID"):
        response = client.get(reverse(GENERATE), {"region": code, "year": 2024})
        assert response.status_code == 200
        assert "di luar wilayah kerja Anda" in response.content.decode(), code
        assert "report" not in response.context or response.context.get("report") is None


def test_preview_shows_the_report_and_links_every_format(client, registry, head_kalbar):
    client.force_login(head_kalbar)
    response = client.get(reverse(GENERATE), {"region": "61", "year": 2024})
    page = response.content.decode()
    assert response.status_code == 200
    assert "6 IKM terverifikasi aktif pada tahun 2024 di Kalimantan Barat" in page
    for fmt in ("json", "html", "pdf", "xlsx", "csv"):
        assert f"format={fmt}" in page
    assert 'src="/static/reports/report.js"' in page
    # The publish form carries the year unlocalised (not "2.024").
    assert '<input type="hidden" name="year" value="2024">' in page


def test_download_is_an_attachment_of_the_right_type(client, registry, head_kalbar):
    client.force_login(head_kalbar)
    response = client.get(reverse(GENERATE), {"region": "61.71", "year": 2024, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan-ikm-61.71-2024.pdf"'
    assert response.content.startswith(b"%PDF")


def test_operator_can_preview_but_not_publish(client, registry):
    operator = make_staff(Role.OPERATOR, "61.71", username="operator_pontianak")
    client.force_login(operator)
    assert client.get(reverse(GENERATE), {"region": "61.71", "year": 2024}).status_code == 200
    assert client.post(reverse(PUBLISH), {"region": "61.71", "year": 2024}).status_code == 403
    assert not ReportSnapshot.objects.exists()


def test_staff_without_a_home_region_cannot_generate(client):
    user = UserFactory(username="tanpa_profil", is_superuser=False)
    client.force_login(user)
    assert client.get(reverse(GENERATE)).status_code == 403


def test_publishing_outside_ones_scope_is_refused(client, registry, head_pontianak):
    client.force_login(head_pontianak)
    response = client.post(reverse(PUBLISH), {"region": "61", "year": 2024}, follow=True)
    assert "di luar wilayah kerja Anda" in response.content.decode()
    assert not ReportSnapshot.objects.exists()


def test_published_report_keeps_its_figures_and_files_after_the_data_is_corrected(
    client, registry, head_kalbar, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(head_kalbar)
    client.post(reverse(PUBLISH), {"region": "61", "year": 2024, "note": "Laporan tahunan"})
    first = ReportSnapshot.objects.get()
    assert (first.region_code, first.year, first.published_by, first.note) == (
        "61",
        2024,
        head_kalbar,
        "Laporan tahunan",
    )
    assert first.figures["ikm"]["total"] == 6
    frozen = {fmt: first.file_for(fmt).read() for fmt in ("json", "html", "pdf", "xlsx", "csv")}
    assert json.loads(frozen["json"])["ikm"]["total"] == 6

    # Corrections after publishing: a unit is un-verified, figures are edited.
    registry.units["u9"].return_for_correction("Investasi tidak wajar")
    registry.units["u9"].save()
    YearlyFigures.objects.filter(unit=registry.units["u1"], year=2024).update(workers_male=300)

    first.refresh_from_db()
    assert first.figures["ikm"]["total"] == 6
    assert first.figures["ikm"]["workers"]["men"] == 18
    for fmt, content in frozen.items():
        assert first.file_for(fmt).open("rb").read() == content
    assert client.get(reverse("reports:file", args=[first.pk, "json"])).getvalue() == frozen["json"]

    # Publishing again supersedes; both stay listed, only the new one is current.
    client.post(reverse(PUBLISH), {"region": "61", "year": 2024, "note": "Koreksi"})
    second = ReportSnapshot.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert second.figures["ikm"]["total"] == 5
    assert first.is_superseded and first.superseded_by == second
    assert not second.is_superseded
    assert list(ReportSnapshot.objects.current()) == [second]
    listing = client.get(reverse("admin:reports_reportsnapshot_changelist")).content.decode()
    assert listing.count("Kalimantan Barat") >= 2
    assert "Digantikan" in listing


def test_snapshots_cannot_be_edited_or_deleted_in_the_admin(client, registry, head_kalbar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin_user = make_staff(Role.ADMIN, "61", username="admin_kalbar")
    client.force_login(admin_user)
    client.post(reverse(PUBLISH), {"region": "61.04", "year": 2024})
    snapshot = ReportSnapshot.objects.get()
    change = client.post(reverse("admin:reports_reportsnapshot_change", args=[snapshot.pk]), {"note": "ubah"})
    assert change.status_code == 403
    delete = client.post(reverse("admin:reports_reportsnapshot_delete", args=[snapshot.pk]), {"post": "yes"})
    assert delete.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.note == ""


def test_city_office_lists_only_snapshots_of_its_city(client, registry, head_kalbar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(head_kalbar)
    client.post(reverse(PUBLISH), {"region": "61.04", "year": 2024})
    client.post(reverse(PUBLISH), {"region": "61.71.01", "year": 2024})
    pontianak = make_staff(Role.PIMPINAN, "61.71", username="kepala_pontianak2")
    client.force_login(pontianak)
    listing = client.get(reverse("admin:reports_reportsnapshot_changelist"))
    assert [s.region_code for s in listing.context["cl"].result_list] == ["61.71.01"]
    other = ReportSnapshot.objects.get(region_code="61.04")
    assert client.get(reverse("admin:reports_reportsnapshot_change", args=[other.pk])).status_code == 302


def test_national_staff_preview_the_whole_country(client, registry):
    client.force_login(make_staff(Role.PIMPINAN, None, username="kementerian2"))
    response = client.get(reverse(GENERATE), {"region": "ID", "year": 2024})
    assert "7 IKM terverifikasi aktif pada tahun 2024 di Indonesia" in response.content.decode()
