import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from ikm_registry.api.renderers import FastJSONRenderer
from ikm_registry.tests.public_registry import build_public_registry

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))

ODD_VALUES = {
    "lazy": gettext_lazy("Sektor"),
    "decimal": Decimal("1500000.50"),
    "date": datetime.date(2026, 12, 7),
    "utc": datetime.datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=datetime.UTC),
    "wib": datetime.datetime(2026, 12, 7, 15, 30, tzinfo=JAKARTA),
    "naive": datetime.datetime(2026, 12, 7, 8, 30, 15, 5),
    "time": datetime.time(9, 15, 30, 250000),
    "duration": datetime.timedelta(days=1, seconds=5),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "separators": "baris\u2028satu\u2029dua",
    "unicode": "Kerajinan Rotan — Banjarmasin ★★★",
    "quotes": 'tanda "kutip" dan \\ garis miring </script>',
    "nested": {"tuple": (1, "dua", None), "booleans": [True, False], "empty": {}},
    "big": 2**53 + 1,
    "negative": -17,
    "float": 0.1,
}


def render_both(data, accepted="application/json", context=None):
    return (
        FastJSONRenderer().render(data, accepted, context or {}),
        JSONRenderer().render(data, accepted, context or {}),
    )


@pytest.mark.parametrize("name", sorted(ODD_VALUES))
def test_each_kind_of_value_is_written_as_drf_writes_it(name):
    fast, drf = render_both({name: ODD_VALUES[name]})
    assert fast == drf


def test_what_orjson_refuses_is_rendered_by_drf():
    for data in ({1: "kunci angka"}, {"huge": 2**70}):
        fast, drf = render_both(data)
        assert fast == drf


def test_indented_rendering_is_drfs():
    fast, drf = render_both({"a": [1, 2]}, "application/json; indent=4")
    assert fast == drf
    assert b"\n    " in fast


def test_no_data_renders_nothing():
    assert FastJSONRenderer().render(None) == b""


def test_a_non_default_json_setting_is_left_to_drf(monkeypatch):
    monkeypatch.setattr(FastJSONRenderer, "compact", False)
    monkeypatch.setattr(JSONRenderer, "compact", False)
    fast, drf = render_both({"a": 1, "b": [1, 2]})
    assert fast == drf == b'{"a": 1, "b": [1, 2]}'


def test_the_default_json_settings_are_the_ones_orjson_matches():
    assert api_settings.COMPACT_JSON and api_settings.UNICODE_JSON and api_settings.STRICT_JSON


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_public_cache")
def test_every_api_response_is_what_drfs_renderer_gives(client, monkeypatch):
    registry = build_public_registry()
    rendered = []
    original = FastJSONRenderer.render

    def keep(self, data, accepted_media_type=None, renderer_context=None):
        body = original(self, data, accepted_media_type, renderer_context)
        rendered.append((body, JSONRenderer().render(data, accepted_media_type, renderer_context)))
        return body

    monkeypatch.setattr(FastJSONRenderer, "render", keep)
    urls = [
        "/api/v1/ikm-units/",
        f"/api/v1/ikm-units/{registry.chopsticks.registry_code}/",
        "/api/v1/ikm-units/counts/?region=62.71",
        "/api/v1/ikm-units/?stars=9",
        "/api/v1/sentra/",
        "/api/v1/ovop-products/",
        "/api/v1/regions/?parent=62",
        "/api/v1/regions/62.71/",
    ]
    for url in urls:
        client.get(url)
    assert len(rendered) == len(urls)
    for fast, drf in rendered:
        assert fast == drf
    # The detail's certificates carry dates, which went through DRF's encoder.
    assert b'"issued_on":"20' in rendered[1][0]
