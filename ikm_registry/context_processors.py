from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def office(request):
    """The office's name for page headers, set per installation."""
    return {"OFFICE_NAME": settings.OFFICE_NAME}


# The public navigation's sections: (name, URL name, whether only the exact URL is in the section).
NAVIGATION = (
    ("home", "public:home", True),
    ("units", "public:unit-list", False),
    ("sentra", "public:sentra-list", False),
    ("ovop", "public:ovop-list", True),
    ("regions", "public:region-list", False),
)


@lru_cache(maxsize=16)
def navigation_urls(script_prefix: str, urlconf) -> tuple[tuple[str, str, bool], ...]:
    urls = []
    for name, url_name, exact in NAVIGATION:
        try:
            urls.append((name, reverse(url_name, urlconf=urlconf), exact))
        except NoReverseMatch:  # a URLconf without the public site (some tests)
            continue
    return tuple(urls)


def navigation(request):
    """`nav_section`: which item of the public navigation the page belongs to ("" for none), so that the
    navigation, the same for every page of a section, is rendered once per process ({% memo %})."""
    path = request.path
    for name, url, exact in navigation_urls(get_script_prefix(), get_urlconf()):
        if path == url or (not exact and path.startswith(url)):
            return {"nav_section": name}
    return {"nav_section": ""}
