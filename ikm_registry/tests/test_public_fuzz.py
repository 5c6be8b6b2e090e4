"""Public pages under generated query strings (Hypothesis): whatever a visitor or a crawler puts in the address,
filters of every kind, pages, cursors, sorts and download options, right or wrong, a page answers 200, 400 or
404, never a 500. The API's counterpart is test_api_fuzz.py. The examples are drawn the same way on every run
(derandomize), so that a run fails for a change in the code, not for the draw."""

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ikm_registry.tests.public_registry import REGION_CODES, build_public_registry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]

# Values of the right kind for each parameter, beside the wrong ones every parameter also gets.
GOOD = {
    "q": ["kayu", "amplang ikan", "Sumpit", "50%_a\\b"],
    **REGION_CODES,
    "sector": ["KAYU", "PANGAN", "kayu"],
    "kbli": ["16", "1629", "10794"],
    "size_class": ["kecil", "menengah", "besar", "periksa"],
    "certificate": ["sni", "halal", "pirt"],
    "marketing_reach": ["lokal", "ekspor"],
    "stars": ["1", "4", "5"],
    "sentra": ["1", "2"],
    "kind": ["sentra", "kawasan"],
    "updated_since": ["2026-12-01", "2026-12-01T08:00:00+07:00", "2030-01-01T00:00Z"],
    "sort": ["name", "-name", "newest", "-updated", "updated"],
    "page": ["1", "2", "99"],
    "sep": ["comma", "semicolon"],
    "lang": ["en", "id"],
}


def forged_cursor(key: list) -> str:
    raw = json.dumps({"s": "name", "d": "n", "k": key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


WRONG = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99", "99.99", "1e9", "9" * 30, "null", "[]", "%00", "\x00", "🙂", "ä" * 300]),
    st.integers().map(str),
    st.lists(st.integers(), max_size=3).map(forged_cursor),
    st.lists(st.text(max_size=5), max_size=3).map(forged_cursor),
)


NAMES = [*GOOD, "cursor", "page_size", "format"]
# Up to four parameters with right values (so that the filters and pages are reached together), and in half of
# the cases one more with a wrong value (so that each check of a value is reached).
right_values = st.lists(st.sampled_from(list(GOOD)), unique=True, max_size=4).flatmap(
    lambda names: st.fixed_dictionaries({name: st.sampled_from(GOOD[name]) for name in names})
)
one_wrong_value = st.one_of(st.just({}), st.tuples(st.sampled_from(NAMES), WRONG).map(lambda pair: dict([pair])))
query_strings = st.tuples(right_values, one_wrong_value).map(lambda parts: {**parts[0], **parts[1]})
PAGES = ["/", "/ikm/", "/ikm/unduh.csv", "/ikm/unduh.json", "/sentra/", "/ovop/", "/wilayah/", "/wilayah/62.71/"]


@pytest.fixture
def registry():
    return build_public_registry()


@settings(max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(PAGES), query=query_strings)
def test_no_query_string_breaks_a_public_page(client, registry, path, query):
    response = client.get(path, query)
    assert response.status_code in (200, 400, 404), (path, query, response.status_code)


@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    path=st.one_of(
        st.text(alphabet="IKMikm-0123456789", max_size=20).map(lambda code: f"/ikm/{code}/"),
        st.integers(min_value=0, max_value=2**70).map(lambda pk: f"/sentra/{pk}/"),
        st.sampled_from(["", "00", "62.", "62.71.04.1002", "62.71.04.9999", "99.99.99.9999"]).map(
            lambda code: f"/wilayah/{code}/"
        ),
    )
)
def test_no_address_breaks_a_detail_page(client, registry, path):
    # A village has no page of its own: it redirects to the directory narrowed to it.
    assert client.get(path).status_code in (200, 302, 404), path


@pytest.mark.parametrize("path", ["/ikm/", "/ikm/unduh.csv", "/sentra/", "/ovop/"])
def test_every_right_value_alone_gets_an_answer(client, registry, path):
    """Each value above by itself, so that each is reached whatever the examples drawn."""
    for name, values in GOOD.items():
        for value in values:
            response = client.get(path, {name: value})
            assert response.status_code in (200, 400, 404), (path, name, value, response.status_code)
