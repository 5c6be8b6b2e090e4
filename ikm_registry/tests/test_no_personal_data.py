"""No public page or API response ever shows personal data (UU PDP).

One unit that did not consent to publish a contact carries known personal strings: the owner's NIK, name,
private phone and email, home address, exact coordinates, and its own investment and production values.
Every public page and every API response (lists, details, downloads, counts, schema) is requested and
searched for each of them, in every form they could be printed in.
"""

import json
import re

import pytest
from django.core.cache import cache

from ikm_registry.formatting import format_number, format_rupiah
from ikm_registry.public import lookups, stats
from ikm_registry.tests import public_registry as data
from ikm_registry.tests.public_registry import build_public_registry

pytestmark = pytest.mark.django_db

SECRETS = {
    "NIK": [data.SECRET_NIK, data.SECRET_NIK[:4] + "********" + data.SECRET_NIK[-4:], "3271 0141"],
    "owner name": [data.SECRET_OWNER, "Rahasiawati"],
    "private phone": [data.SECRET_PHONE, data.SECRET_PHONE[3:], "0" + data.SECRET_PHONE[3:], "99887766"],
    "email": [data.SECRET_EMAIL, "rahasia.pemilik"],
    "home address": [data.SECRET_ADDRESS, "Rahasia Pribadi"],
    "exact coordinates": [data.SECRET_LATITUDE, data.SECRET_LONGITUDE, "2,212345", "912345"],
    "investment": [
        str(data.SECRET_INVESTMENT),
        format_number(data.SECRET_INVESTMENT),
        format_rupiah(data.SECRET_INVESTMENT),
    ],
    "production value": [str(data.SECRET_PRODUCTION), format_number(data.SECRET_PRODUCTION)],
    "raw materials": ["55555555", format_number(55_555_555)],
    "owner NIK hash": [],
}


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(stats, "STAMP_SECONDS", 0)
    lookups.clear()
    cache.clear()
    registry = build_public_registry()
    SECRETS["owner NIK hash"] = [registry.private_unit.owner_nik_hash, registry.private_unit.owner_nik_encrypted[:24]]
    yield registry
    cache.clear()


def public_urls(client, registry) -> list[str]:
    unit = registry.private_unit
    rating_ids = [row["id"] for row in client.get("/api/v1/ovop-products/", {"page_size": 100}).json()["results"]]
    urls = [
        "/",
        "/ikm/",
        "/ikm/?q=keripik",
        "/ikm/?region=62.71.01&sort=newest",
        "/ikm/?province=62&regency=62.71&district=62.71.01",
        "/ikm/?province=62&regency=62.71&district=62.71.01&village=62.71.01.1003",
        f"/ikm/{unit.registry_code}/",
        f"/ikm/{registry.chopsticks.registry_code}/",
        "/ikm/unduh.csv",
        "/ikm/unduh.csv?sep=semicolon&q=keripik",
        "/ikm/unduh.json",
        "/ikm/unduh.json?region=62.71.01",
        "/sentra/",
        f"/sentra/{registry.kawasan.pk}/",
        f"/sentra/{registry.sentra_banjarmasin.pk}/",
        "/ovop/",
        "/ovop/?stars=2",
        "/wilayah/",
        "/wilayah/62/",
        "/wilayah/62.71/",
        "/wilayah/62.71.01/",
        "/api/v1/",
        "/api/v1/ikm-units/",
        "/api/v1/ikm-units/?q=keripik",
        "/api/v1/ikm-units/?region=62.71.01.1003",
        f"/api/v1/ikm-units/{unit.registry_code}/",
        "/api/v1/ikm-units/counts/",
        "/api/v1/ikm-units/codes/",
        "/api/v1/ikm-units/counts/?region=62.71.01",
        "/api/v1/sentra/",
        f"/api/v1/sentra/{registry.kawasan.pk}/",
        "/api/v1/ovop-products/",
        *[f"/api/v1/ovop-products/{pk}/" for pk in rating_ids],
        "/api/v1/regions/?parent=62.71.01",
        "/api/v1/regions/62.71.01.1003/",
        "/api/v1/schema/",
        "/api/v1/schema/?format=json",
        "/api/v1/docs/",
        "/api/v1/redoc/",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-halaman.xml",
        "/sitemap-ikm.xml",
        "/sitemap-sentra.xml",
        "/sitemap-wilayah.xml",
    ]
    return urls


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    if response.get("Content-Type", "").startswith("application/json"):
        # Also the unescaped form of JSON strings (\u00e9, \/).
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def test_no_public_page_or_api_response_shows_personal_data(client, registry):
    # The unit itself is public, so the test would notice if its page or record were missing.
    seen_unit = False
    for url in public_urls(client, registry):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_of(response)
        seen_unit |= "Keripik Kelakai Pahandut" in text
        for kind, values in SECRETS.items():
            for value in values:
                assert value not in text, f"{kind} ({value!r}) appears on {url}"
        # No other phone number of the form +62... in anything but the consenting unit's contact.
        for phone in re.findall(r"\+62\d{8,13}", text):
            assert phone == "+6281355501234", (url, phone)
    assert seen_unit


def test_the_contact_of_a_consenting_unit_is_shown(client, registry):
    # The counterpart of the test above: consent does publish the business contact, so the check can fail.
    text = client.get(f"/ikm/{registry.chopsticks.registry_code}/").content.decode()
    assert "+6281355501234" in text and "Jl. Mahir Mahar Km 12" in text
    record = client.get(f"/api/v1/ikm-units/{registry.chopsticks.registry_code}/").json()
    assert record["email"] == "pemasaran@sumpitborneo.example.id"
    assert record["latitude"] == "-2.289100"


def test_without_consent_the_api_gives_blank_contact_and_rounded_coordinates(client, registry):
    record = client.get(f"/api/v1/ikm-units/{registry.private_unit.registry_code}/").json()
    assert (record["phone"], record["email"], record["address"]) == ("", "", "")
    assert (record["latitude"], record["longitude"], record["location_precise"]) == ("-2.21", "113.91", False)
    assert "owner_name" not in record and "nib" not in record
