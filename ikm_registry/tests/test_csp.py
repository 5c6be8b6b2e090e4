"""The Content-Security-Policy header is django-csp's, built once (SettledPolicyCSPMiddleware)."""

from unittest import mock

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import override_settings

from ikm_registry.middleware import SettledPolicyCSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def headers(middleware_class, view, request):
    response = middleware_class(view)(request)
    return {name: response.get(name) for name in HEADERS}


def same_directives(ours: dict, theirs: dict) -> None:
    # django-csp walks a set of directive names, so their order differs between processes, not their content.
    for name in HEADERS:
        assert (ours[name] is None) == (theirs[name] is None), name
        if ours[name] is not None:
            assert sorted(ours[name].split("; ")) == sorted(theirs[name].split("; ")), name


def plain_view(request):
    return HttpResponse("ok")


@pytest.mark.django_db
def test_every_page_and_the_api_carry_the_policy_of_the_settings(client):
    for path in ("/", "/ikm/", "/api/v1/ikm-units/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy, path
        assert "frame-ancestors 'none'" in policy, path
        assert "img-src 'self' data: https://*.tile.openstreetmap.org" in policy, path


def test_the_header_is_the_one_django_csp_builds(rf):
    same_directives(
        headers(SettledPolicyCSPMiddleware, plain_view, rf.get("/")), headers(CSPMiddleware, plain_view, rf.get("/"))
    )


def test_the_policy_is_built_once_while_the_setting_stays_the_same(rf):
    middleware = SettledPolicyCSPMiddleware(plain_view)
    first = middleware(rf.get("/"))["Content-Security-Policy"]
    with mock.patch("ikm_registry.middleware.build_policy", side_effect=AssertionError("built again")):
        assert middleware(rf.get("/ikm/"))["Content-Security-Policy"] == first


def test_a_changed_setting_gives_a_new_header_and_a_report_only_one(rf):
    middleware = SettledPolicyCSPMiddleware(plain_view)
    middleware(rf.get("/"))
    policy = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        response = middleware(rf.get("/"))
        same_directives({n: response.get(n) for n in HEADERS}, headers(CSPMiddleware, plain_view, rf.get("/")))
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "report-uri /csp-report/" in response["Content-Security-Policy-Report-Only"]


def test_a_view_that_changes_its_policy_gets_django_csps_own_treatment(rf):
    @csp_update({"img-src": "https://peta.example.go.id"})
    def map_view(request):
        return HttpResponse("peta")

    ours = headers(SettledPolicyCSPMiddleware, map_view, rf.get("/peta/"))
    assert "https://peta.example.go.id" in ours["Content-Security-Policy"]
    same_directives(ours, headers(CSPMiddleware, map_view, rf.get("/peta/")))


def test_an_exempt_view_and_an_excluded_prefix_get_no_header(rf):
    response = SettledPolicyCSPMiddleware(csp_exempt()(plain_view))(rf.get("/"))
    assert "Content-Security-Policy" not in response
    policy = {"EXCLUDE_URL_PREFIXES": ["/admin/"], "DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        middleware = SettledPolicyCSPMiddleware(plain_view)
        assert "Content-Security-Policy" not in middleware(rf.get("/admin/"))
        assert middleware(rf.get("/ikm/"))["Content-Security-Policy"] == "default-src 'self'"


def test_a_nonce_used_by_the_page_is_in_its_header_and_none_can_be_asked_for_afterwards(rf):
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    seen = {}

    def nonce_view(request):
        seen["nonce"] = str(request.csp_nonce)
        return HttpResponse("<script nonce>")

    with override_settings(CONTENT_SECURITY_POLICY=policy):
        request = rf.get("/")
        response = SettledPolicyCSPMiddleware(nonce_view)(request)
        assert f"'nonce-{seen['nonce']}'" in response["Content-Security-Policy"]
        plain = rf.get("/")
        assert "nonce" not in SettledPolicyCSPMiddleware(plain_view)(plain)["Content-Security-Policy"]
    with pytest.raises(CSPNonceError):
        str(plain.csp_nonce)
