"""robots.txt and the sitemaps: search engines find every public unit, sentra and region page, nothing that is
not public, and are kept off the directory's countless filter combinations."""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from ikm_registry.models import Region
from ikm_registry.public import sitemaps
from ikm_registry.tests.public_registry import build_public_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(fresh_public_cache):
    return build_public_registry()


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def paths(client, url: str) -> list[str]:
    return [urlsplit(location).path for location in locations(client, url)]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_filtered_lists(client):
    text = client.get("/robots.txt").content.decode()
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/ikm/?", "/ikm/unduh", "/api/", "/admin/"):
        assert f"Disallow: {path}" in lines
    # The pages worth indexing stay open: a unit's page, the directory's first page, sentra and regions.
    assert "Disallow: /" not in lines and "Disallow: /ikm/" not in lines


def test_robots_txt_closes_the_whole_site_when_indexing_is_off(client, settings):
    settings.PUBLIC_INDEXING = False
    assert client.get("/robots.txt").content.decode() == "User-agent: *\nDisallow: /\n"


def test_the_sitemap_index_names_every_section(client, registry):
    assert paths(client, "/sitemap.xml") == [
        "/sitemap-halaman.xml",
        "/sitemap-ikm.xml",
        "/sitemap-sentra.xml",
        "/sitemap-wilayah.xml",
    ]


def test_the_units_sitemap_lists_exactly_the_public_units_with_their_last_change(client, registry):
    listed = paths(client, "/sitemap-ikm.xml")
    assert sorted(listed) == sorted(f"/ikm/{unit.registry_code}/" for unit in registry.public_units)
    for hidden in (registry.draft, registry.returned, registry.closed):
        assert f"/ikm/{hidden.registry_code}/" not in listed
    body = client.get("/sitemap-ikm.xml").content.decode()
    assert body.count("<lastmod>") == len(listed)
    # The day in the office's time zone (WIB), as pages show it: after 17.00 UTC that is already tomorrow.
    assert timezone.localtime(registry.chopsticks.updated_at).date().isoformat() in body


def test_units_are_split_over_files_by_id_range_and_no_file_repeats_a_unit(client, registry, monkeypatch):
    monkeypatch.setattr(sitemaps, "UNITS_PER_FILE", 3)
    highest = max(unit.pk for unit in registry.public_units)
    files = [f"/sitemap-ikm.xml?p={n}" for n in range(1, -(-highest // 3) + 1)]
    index = locations(client, "/sitemap.xml")
    assert [location for location in index if "sitemap-ikm" in location][1:] == [
        f"http://testserver{file}" for file in files[1:]
    ]
    listed = [path for file in files for path in paths(client, file)]
    assert len(listed) == len(set(listed)) == len(registry.public_units)
    assert all(len(paths(client, file)) <= 3 for file in files)


# Not "page": that name is Playwright's fixture, whose browser parameter would pull these tests in among the
# browser tests, which empty the database (regions included) for the tests that follow.
@pytest.mark.parametrize("number", [0, 999, "x", "2.5"])
def test_a_units_file_past_the_last_or_malformed_is_not_found(client, registry, number):
    assert client.get(f"/sitemap-ikm.xml?p={number}").status_code == 404


def test_the_regions_sitemap_lists_the_regions_with_public_units_and_no_village(client, registry):
    listed = paths(client, "/sitemap-wilayah.xml")
    for code in ("62", "62.71", "62.71.04", "62.71.01", "63", "63.71", "61.71"):
        assert f"/wilayah/{code}/" in listed
    # Kecamatan Rakumpit of Palangka Raya has no unit; villages open the directory, not a page of their own.
    assert "/wilayah/62.71.05/" not in listed
    assert not any(path.count(".") == 3 for path in listed)
    assert Region.objects.filter(code="62.71.05").exists()
    for path in listed:
        assert client.get(path).status_code == 200, path


def test_the_sentra_and_main_pages_sitemaps_list_pages_that_exist(client, registry):
    sentra = paths(client, "/sitemap-sentra.xml")
    assert f"/sentra/{registry.kawasan.pk}/" in sentra
    main = paths(client, "/sitemap-halaman.xml")
    assert main == ["/", "/ikm/", "/sentra/", "/ovop/", "/wilayah/", "/laporan/"]
    for path in sentra + main:
        assert client.get(path).status_code == 200, path


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-pemilik.xml").status_code == 404
