import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_speak_indonesian_even_to_an_english_browser(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"


def test_the_language_switch_cookie_chooses_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.headers["Content-Language"] == "en"


def test_the_api_honours_accept_language(client):
    response = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"


def test_staff_switch_the_admin_to_english_and_back(client):
    from ikm_registry.tests.factories import make_staff

    client.force_login(make_staff())
    page = client.get("/admin/")
    assert page.headers["Content-Language"] == "id"
    assert b'name="language" value="en"' in page.content

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert switched.status_code == 302 and switched.url == "/admin/"
    assert client.get("/admin/").headers["Content-Language"] == "en"

    client.post("/i18n/setlang/", {"language": "id", "next": "/admin/"})
    assert client.get("/admin/").headers["Content-Language"] == "id"
