from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.middleware.locale import LocaleMiddleware
from django.utils.functional import SimpleLazyObject, empty

from ikm_registry.public.errors import is_api


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the visitor chose English with the language switch (cookie).

    A browser's Accept-Language is ignored on pages: office computers often run English browsers, and the
    registry's working language is Indonesian. The API still honours Accept-Language, as programs expect.
    """

    def process_request(self, request):
        if not is_api(request):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the message storage built only when something reads or adds a message.

    Public pages and the API never show messages, yet the storage (cookie then session, with a cookie signer)
    was built and consulted on each of their requests. The admin's templates read messages, so it is built
    there as before.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # never used: nothing to store
        return super().process_response(request, response)


class SettledPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built from settings once instead of on every response.

    django-csp copies its policy into a dataclass, deep-copies it and sorts every directive for each response:
    2-3 % of an API request, always giving the same header. That header is kept for as long as the setting is
    the same object (override_settings gives a new one). A response or request that makes its own policy (a
    csp_update, csp_replace or csp_override decorator, a nonce used by a template) goes through django-csp's
    own path, unchanged.
    """

    CUSTOMISED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
    HEADERS = (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self.settled: dict[str, tuple[object, str]] = {}  # setting name -> (the setting's value, its header)

    def policy(self, setting: str, report_only: bool) -> tuple[str, dict]:
        config = getattr(settings, setting, None)
        kept = self.settled.get(setting)
        if kept is None or kept[0] is not config:
            kept = self.settled[setting] = (config, build_policy(report_only=report_only))
        return kept[1], config or {}

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in self.CUSTOMISED
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, setting, exempt, report_only in self.HEADERS:
            policy, config = self.policy(setting, report_only)
            excluded = request.path_info.startswith(tuple(config.get("EXCLUDE_URL_PREFIXES") or ()))
            if policy and header not in response and not getattr(response, exempt, False) and not excluded:
                response[header] = policy
        # As django-csp does: a nonce asked for once the header is written cannot be in it, so it is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
