import pytest
from django.conf import settings
from django.test import Client

from ikm_registry.api.viewsets import IKMUnitViewSet
from ikm_registry.public.views import UnitListView
from ikm_registry.tests.public_registry import build_public_registry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]


@pytest.fixture
def registry():
    return build_public_registry()


def test_a_missing_page_is_the_sites_own_page_in_the_visitors_language(client, registry):
    response = client.get("/ikm/IKM-0000-999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "<title>Halaman tidak ditemukan" in text
    assert 'action="/ikm/"' in text and 'name="q"' in text  # a search box to go on from
    assert "Direktori IKM" in text  # the site's navigation
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    english = client.get("/ikm/IKM-0000-999999/").content.decode()
    assert "<title>Page not found" in english


def test_a_unit_that_is_not_published_gets_the_same_page_without_djangos_message(client, registry):
    response = client.get(f"/ikm/{registry.draft.registry_code}/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "belum atau tidak lagi terbit" in text
    assert "matches the given query" not in text and "IKMUnit" not in text


def test_a_404_written_for_the_visitor_shows_its_message(client, registry):
    response = client.get("/ikm/", {"page": "9"})
    assert response.status_code == 404
    assert "Halaman 9 tidak ada." in response.content.decode()


def test_an_unknown_api_address_answers_json(client, registry):
    response = client.get("/api/v1/ikm-unit/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Alamat ini tidak ada di API.")
    assert "http://testserver/api/v1/docs/" in response.json()["detail"]


def test_an_unknown_or_hidden_api_object_is_a_json_404_in_the_clients_language(client, registry):
    for url in (f"/api/v1/ikm-units/{registry.draft.registry_code}/", "/api/v1/sentra/999999/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {
            "detail": "Tidak ditemukan: kode atau nomor ini tidak ada, atau datanya tidak terbit."
        }
    english = client.get("/api/v1/sentra/999999/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {"detail": "Not found: this code or number does not exist, or its data is not published."}


def test_a_server_error_is_a_plain_page_and_json_under_the_api(registry, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(UnitListView, "get", fail)
    monkeypatch.setattr(IKMUnitViewSet, "list", fail)
    client = Client(raise_request_exception=False)
    page = client.get("/ikm/")
    assert page.status_code == 500
    assert "Terjadi kesalahan di server" in page.content.decode() and "a bug" not in page.content.decode()
    api = client.get("/api/v1/ikm-units/")
    assert api.status_code == 500
    assert api.json() == {"detail": "Terjadi kesalahan di server. Kesalahan ini sudah dicatat; coba lagi nanti."}
