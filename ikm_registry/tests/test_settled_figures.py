"""Figures over a province or the country wait for the settled interval; listings and a kab/kota's figures do not."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikm_registry.public import stats
from ikm_registry.tests.factories import IKMUnitFactory, sector
from ikm_registry.tests.public_registry import KALAMPANGAN, build_public_registry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]


class Clock:
    """The time module of stats.py: its monotonic() and time() moved on together, by hand."""

    def __init__(self):
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return 1_700_000_000.0 + self.now


@pytest.fixture
def clock(monkeypatch, settings):
    """Five minutes, as in production, for every scope however small (the test registry is)."""
    settings.PUBLIC_SETTLED_SECONDS = 300
    settings.PUBLIC_SETTLED_ABOVE_UNITS = -1
    clock = Clock()
    monkeypatch.setattr(stats, "time", clock)
    stats.forget_stamp()
    yield clock
    stats.forget_stamp()


def home_units(client) -> int:
    text = client.get("/").content.decode()
    figures = {label: number for number, label in re.findall(r"<strong>([\d.]+)</strong> <span>([^<]+)</span>", text)}
    return int(figures["IKM aktif terverifikasi"].replace(".", ""))


def directory_total(response) -> int:
    return int(re.search(r'<h2 id="results-title"[^>]*>([\d.]+) IKM ditemukan', response.content.decode())[1])


def names_in(response) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<h3><a href="/ikm/[^"]+/">([^<]+)</a></h3>', response.text)]


def new_wood_unit():
    return IKMUnitFactory(business_name="Aaa Mebel Baru", village_id=KALAMPANGAN, sector=sector("KAYU"), verified=True)


def test_a_new_unit_reaches_the_countrys_figures_after_the_settled_interval_and_its_kab_kota_at_once(client, clock):
    build_public_registry()
    country, city = home_units(client), directory_total(client.get("/ikm/", {"regency": "62.71"}))
    province = directory_total(client.get("/ikm/", {"province": "62"}))
    api_country = client.get("/api/v1/ikm-units/counts/").json()["total"]

    new_wood_unit()
    clock.now += 10

    assert directory_total(client.get("/ikm/", {"regency": "62.71"})) == city + 1
    assert client.get("/api/v1/ikm-units/counts/", {"region": "62.71"}).json()["total"] == city + 1
    assert home_units(client) == country
    assert client.get("/api/v1/ikm-units/counts/").json()["total"] == api_country
    # The listing itself follows at once everywhere: the new unit is on the province's first page already.
    province_page = client.get("/ikm/", {"province": "62"})
    assert "Aaa Mebel Baru" in names_in(province_page)
    assert directory_total(province_page) == province

    clock.now += 300

    assert home_units(client) == country + 1
    assert client.get("/api/v1/ikm-units/counts/").json()["total"] == api_country + 1
    assert directory_total(client.get("/ikm/", {"province": "62"})) == province + 1


def test_edits_arriving_every_few_seconds_count_the_country_once_per_interval(client, clock, django_assert_num_queries):
    build_public_registry()
    before = home_units(client)
    for _ in range(5):  # an office somewhere saves a unit every 30 seconds
        new_wood_unit()
        clock.now += 30
        with django_assert_num_queries(1):  # the country's data stamp; every figure from the cache
            client.get("/")
    clock.now += 150
    with CaptureQueriesContext(connection) as after_interval:
        assert home_units(client) == before + 5
    assert len(after_interval.captured_queries) > 1  # counted again, once


def test_a_province_region_page_waits_and_a_kab_kota_region_page_does_not(client, clock):
    build_public_registry()

    def units_on(url: str) -> str:
        return re.search(r"<strong>([\d.]+)</strong> <span>IKM aktif", client.get(url).content.decode())[1]

    province, city = units_on("/wilayah/62/"), units_on("/wilayah/62.71/")
    new_wood_unit()
    clock.now += 10
    assert units_on("/wilayah/62/") == province
    assert int(units_on("/wilayah/62.71/")) == int(city) + 1
    clock.now += 300
    assert int(units_on("/wilayah/62/")) == int(province) + 1


def test_the_settled_stamp_takes_the_latest_data_once_the_interval_has_passed(clock, monkeypatch):
    stamps = iter(["a", "b", "c", "d"])
    monkeypatch.setattr(stats, "data_stamp", lambda province=None: next(stamps))
    assert stats.settled_stamp("62") == "a"  # the first reading is taken as it is
    clock.now += 299
    assert stats.settled_stamp("62") == "a"  # "b" is newer, but the interval has not passed
    clock.now += 1
    assert stats.settled_stamp("62") == "c"  # the latest, not the first change seen
    assert stats.settled_stamp(None) == "d"  # each province and the country settle on their own


def test_a_small_registry_follows_every_change_on_its_front_pages(client, clock, settings):
    settings.PUBLIC_SETTLED_ABOVE_UNITS = 20_000  # the default: a city office's registry is below it
    build_public_registry()
    before = home_units(client)
    province = directory_total(client.get("/ikm/", {"province": "62"}))
    new_wood_unit()
    clock.now += 3
    assert home_units(client) == before + 1
    assert directory_total(client.get("/ikm/", {"province": "62"})) == province + 1


def test_a_province_settles_once_it_holds_more_public_units_than_the_threshold(clock, settings):
    build_public_registry()
    central_kalimantan = stats.scope_units("62")
    assert 0 < central_kalimantan < stats.scope_units(None)
    settings.PUBLIC_SETTLED_ABOVE_UNITS = central_kalimantan
    first = stats.settled_stamp("62")
    new_wood_unit()
    clock.now += 3
    assert stats.settled_stamp("62") != first  # not above the threshold: it follows the data
    settings.PUBLIC_SETTLED_ABOVE_UNITS = central_kalimantan - 1
    settled = stats.settled_stamp("62")
    new_wood_unit()
    clock.now += 3
    assert stats.settled_stamp("62") == settled  # above it: it waits for the interval


def test_workers_sharing_a_cache_show_the_same_settled_figures(client, clock):
    """Each worker settling on its own, a visitor reloading the home page could see its figure go back and forth
    between the workers' for five minutes. The settled stamp is kept in the cache they share."""
    build_public_registry()
    country = home_units(client)  # the first worker settles on the data as it is
    new_wood_unit()
    clock.now += 10
    stats.forget_stamp()  # another worker: nothing of the first in its memory, the same cache

    assert home_units(client) == country  # the first worker's settled stamp, not the newer data

    clock.now += 300
    stats.forget_stamp()
    assert home_units(client) == country + 1
