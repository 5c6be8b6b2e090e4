"""The message storage is built only when a message is read or added (LazyMessageMiddleware)."""

from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse

from ikm_registry.middleware import LazyMessageMiddleware

pytestmark = pytest.mark.django_db


def test_public_pages_and_the_api_never_build_the_message_storage(client):
    storage = "django.contrib.messages.storage.fallback.FallbackStorage.__init__"
    with mock.patch(storage, side_effect=AssertionError("message storage built")):
        for path in ("/", "/ikm/", "/api/v1/ikm-units/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "messages" not in response.cookies


def test_a_message_added_by_a_view_is_shown_on_the_next_request(rf):
    def saving_view(request):
        messages.success(request, "Data IKM tersimpan.")
        return HttpResponse()

    first = rf.get("/admin/")
    first.session = SessionStore()
    response = LazyMessageMiddleware(saving_view)(first)
    assert "messages" in response.cookies

    shown = []

    def next_view(request):
        shown.extend(str(m) for m in messages.get_messages(request))
        return HttpResponse()

    second = rf.get("/admin/", HTTP_COOKIE=f"messages={response.cookies['messages'].value}")
    second.session = SessionStore()
    LazyMessageMiddleware(next_view)(second)
    assert shown == ["Data IKM tersimpan."]
