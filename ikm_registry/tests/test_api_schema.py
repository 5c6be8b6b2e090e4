import re

import pytest
import yaml

from ikm_registry.tests.public_registry import build_public_registry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]

LISTS = [
    "/api/v1/ikm-units/",
    "/api/v1/ikm-units/counts/",
    "/api/v1/sentra/",
    "/api/v1/ovop-products/",
    "/api/v1/regions/",
]
DETAILS = [
    "/api/v1/ikm-units/{registry_code}/",
    "/api/v1/sentra/{id}/",
    "/api/v1/ovop-products/{id}/",
    "/api/v1/regions/{code}/",
]


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/v1/schema/").content)


def parameter(schema, path: str, name: str) -> dict:
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_every_error_answer_is_documented(schema):
    for path in LISTS:
        responses = schema["paths"][path]["get"]["responses"]
        assert responses["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/FieldErrors"
        }, path
    for path in DETAILS:
        assert "404" in schema["paths"][path]["get"]["responses"], path
    for path in LISTS + DETAILS:
        assert "Retry-After" in schema["paths"][path]["get"]["responses"]["429"]["headers"], path


def test_the_counts_take_the_lists_filters(schema):
    listed = {p["name"] for p in schema["paths"]["/api/v1/ikm-units/"]["get"]["parameters"]}
    counted = {p["name"] for p in schema["paths"]["/api/v1/ikm-units/counts/"]["get"]["parameters"]}
    assert listed - counted == {"cursor", "page_size"}


def test_stars_are_documented_as_the_numbers_one_to_five(schema):
    for path in ("/api/v1/ikm-units/", "/api/v1/ovop-products/"):
        assert parameter(schema, path, "stars")["schema"] == {"type": "integer", "enum": [1, 2, 3, 4, 5]}


def test_documented_limits_are_the_ones_the_api_enforces(client, schema):
    build_public_registry()
    samples = ["62", "62.71", "62.71.01", "62.71.01.1003", "6", "62.7", "62-71", "abc"]
    for name in ("region", "province", "regency", "district", "village"):
        pattern = parameter(schema, "/api/v1/ikm-units/", name)["schema"]["pattern"]
        for code in samples:
            refused = client.get("/api/v1/ikm-units/", {name: code}).json().get(name, [])
            if re.match(pattern, code):
                # Well formed: at most unknown, never "tidak sah" (malformed).
                assert not any("tidak sah" in message for message in refused), (name, code, refused)
            else:
                assert refused, (name, code)  # what the schema refuses, the API refuses
    kbli = parameter(schema, "/api/v1/ikm-units/", "kbli")["schema"]["pattern"]
    assert [bool(re.match(kbli, value)) for value in ("10", "16101", "1", "161011", "1a")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert client.get("/api/v1/ikm-units/", {"kbli": "1a"}).status_code == 400
    assert parameter(schema, "/api/v1/ikm-units/", "sentra")["schema"] == {"type": "integer", "minimum": 1}
    assert "sentra" in client.get("/api/v1/ikm-units/", {"sentra": "0"}).json()
    assert parameter(schema, "/api/v1/ikm-units/", "q")["schema"]["maxLength"] == 200


def test_a_400_has_the_documented_shape(client, schema):
    build_public_registry()
    body = client.get("/api/v1/ikm-units/", {"stars": "9", "size_class": "raksasa"}).json()
    assert set(body) == {"stars", "size_class"}
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in body.values())


def test_the_counts_answer_has_the_documented_shape(client, schema):
    build_public_registry()
    body = client.get("/api/v1/ikm-units/counts/", {"regency": "62.71"}).json()
    components = schema["components"]["schemas"]
    documented = components["IKMUnitCounts"]["properties"]
    assert set(body) == set(documented)
    for name, items in body.items():
        if name == "total":
            assert isinstance(items, int)
            continue
        item_schema = components[documented[name]["items"]["$ref"].rsplit("/", 1)[1]]
        assert items, name  # the registry has units in Palangka Raya in every list
        assert all(set(item) == set(item_schema["properties"]) for item in items), name
