import pytest
from django.urls import reverse

from ikm_registry.tests.factories import UserFactory
from reports.aggregates import resolve_region
from reports.models import ReportSnapshot
from reports.snapshots import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(username="kepala", first_name="Siti", last_name="Aminah")
    first = publish(resolve_region("61"), 2024, user)
    second = publish(resolve_region("61"), 2024, user, note="Koreksi")
    other = publish(resolve_region("61.71"), 2023, user)
    return first, second, other


def test_public_list_shows_the_latest_report_per_region_and_year(client, published, django_assert_num_queries):
    first, second, other = published
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:list"))
    assert [s.pk for s in response.context["snapshots"]] == [second.pk, other.pk]
    page = response.content.decode()
    assert reverse("reports:file", args=[second.pk, "pdf"]) in page
    assert reverse("reports:file", args=[first.pk, "pdf"]) not in page
    assert reverse("reports:history", args=["61", 2024]) in page


def test_public_list_filters_by_year_and_region(client, published):
    _first, second, other = published
    assert [s.pk for s in client.get(reverse("reports:list"), {"tahun": 2023}).context["snapshots"]] == [other.pk]
    assert [s.pk for s in client.get(reverse("reports:list"), {"wilayah": "61.71"}).context["snapshots"]] == [other.pk]
    assert [s.pk for s in client.get(reverse("reports:list"), {"wilayah": "barat"}).context["snapshots"]] == [second.pk]


def test_history_lists_every_version_with_the_superseded_flagged(client, published):
    first, second, _other = published
    response = client.get(reverse("reports:history", args=["61", 2024]))
    assert [s.pk for s in response.context["snapshots"]] == [second.pk, first.pk]
    assert "Digantikan" in response.content.decode()
    assert client.get(reverse("reports:history", args=["61", 1999])).status_code == 404


def test_files_are_served_as_published(client, published):
    first, _second, _other = published
    pdf = client.get(reverse("reports:file", args=[first.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    html = client.get(reverse("reports:file", args=[first.pk, "html"]))
    assert html["Content-Type"].startswith("text/html")
    assert "attachment" not in html.get("Content-Disposition", "")
    assert client.get(reverse("reports:file", args=[first.pk, "exe"])).status_code == 404


def test_snapshot_records_who_published_and_the_region_name(published):
    first, _second, _other = published
    assert first.published_by_name == "Siti Aminah"
    assert (first.region_name, first.region_level) == ("Kalimantan Barat", 1)
    assert ReportSnapshot.objects.current().count() == 2
