"""Requests generated from the API's own OpenAPI schema (schemathesis, on Hypothesis): whatever a client sends,
within the schema or around it (wrong types, odd characters, missing or forged cursors), the answer is never
a 500, its status is one the schema documents, and its body matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from ikm_registry.api.throttling import AnonWindowThrottle
from ikm_registry.tests.public_registry import REGION_CODES, build_public_registry
from ikm_registry.wsgi import application

pytestmark = pytest.mark.usefixtures("fresh_public_cache")


# The regions endpoint's `parent` takes a code of any level, as `region` does.
KNOWN_CODES = {**REGION_CODES, "parent": REGION_CODES["region"]}


def with_known_regions(document: dict) -> dict:
    """The schema, with each region parameter drawn from codes that exist half the time: a random code of the
    right shape ("00.00") is a 400 before any filter runs, so the filters would hardly be reached."""
    for path in document["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in KNOWN_CODES:
                    shape = parameter["schema"]
                    parameter["schema"] = {"anyOf": [{"type": "string", "enum": KNOWN_CODES[parameter["name"]]}, shape]}
    return document


# The schema /api/v1/schema/ serves, built as it builds it; the cases are sent to the WSGI application.
schema = schemathesis.openapi.from_dict(with_known_regions(SchemaGenerator().get_schema(request=None, public=True)))
schema.app = application


@pytest.fixture(autouse=True)
def registry(db, monkeypatch):
    build_public_registry()
    # The throttle has its own tests; here it would turn the later examples into 429s.
    monkeypatch.setattr(AnonWindowThrottle, "allow_request", lambda self, request, view: True)
    # As Django's test client does: the test's transaction holds the connection, which the end of a request
    # through the WSGI handler would otherwise close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_breaks_the_api(case):
    case.call_and_validate(
        # Both hold by design: a well-formed but unknown region code ("00") is a 400 naming the field, and an
        # empty filter (`?village=`, as an HTML form sends it) means no filter rather than a 400.
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
