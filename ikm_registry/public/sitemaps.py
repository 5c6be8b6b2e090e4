"""Sitemaps and robots.txt: how search engines find every public unit, sentra and region page, and keep off the
directory's filter combinations.

A buyer searching the web for "amplang Kalimantan Barat" should land on the unit's own page. Those pages are
reachable by links only through the directory's filters, whose combinations (region × sector × size × stars
× sort × page...) are countless and each costs a database count when nobody opened it before: the costliest
page the site serves. So robots.txt keeps crawlers off filtered lists and downloads, and /sitemap.xml lists
the pages worth indexing instead: each public unit, each sentra, each region with public units and the
main pages.

Units are listed by ranges of their id, `UNITS_PER_FILE` ids to a file, rather than by Django's OFFSET
pages: the last file of a national registry (4.4 million units) is then as quick to build as the first.
A file may hold fewer units than ids (drafts, closed units, deleted rows), never more. Sitemap responses are
cached for CACHE_SECONDS.
"""

import math
from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from ikm_registry.models import IKMUnit, Region, RegionLevel
from ikm_registry.models.scoping import LEVEL_COLUMNS
from ikm_registry.public.records import unit_url_pattern
from sentra.models import Sentra

# The protocol allows 50,000 URLs per file; 10,000 keep a file's XML under 2 MB and its rendering under a second.
UNITS_PER_FILE = 10_000


class IdRangePaginator:
    """Pages of `queryset` by its primary key: page n holds the rows with id in ((n-1)·size, n·size].

    Answers what Django's sitemap views ask of a paginator (num_pages, and page(n).object_list)."""

    def __init__(self, queryset, size: int):
        self.queryset = queryset
        self.size = size

    @cached_property
    def num_pages(self) -> int:
        highest = self.queryset.aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, math.ceil(highest / self.size))

    def page(self, number) -> SimpleNamespace:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(number) from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        low = (number - 1) * self.size
        return SimpleNamespace(object_list=self.queryset.filter(pk__gt=low, pk__lte=low + self.size))


class UnitSitemap(Sitemap):
    """Every public unit's page, with the time it last changed."""

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), UNITS_PER_FILE)

    def items(self):
        return IKMUnit.objects.public().order_by("pk").values_list("registry_code", "updated_at")

    def location(self, item) -> str:
        return self.unit_url.format(item[0])

    @cached_property
    def unit_url(self) -> str:
        return unit_url_pattern()

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        # Django's default reads every item; the latest change of any unit is one read of an index.
        return IKMUnit.objects.aggregate(latest=Max("updated_at"))["latest"]


class SentraSitemap(Sitemap):
    def items(self):
        return Sentra.objects.order_by("pk").only("pk")

    def location(self, sentra) -> str:
        return reverse("public:sentra-detail", args=[sentra.pk])


class RegionSitemap(Sitemap):
    """Provinces, kab/kota and kecamatan with at least one public unit (a village opens the directory)."""

    def items(self):
        public = IKMUnit.objects.public()
        with_units = Q()
        for level in (RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT):
            column = LEVEL_COLUMNS[level]
            with_units |= Q(level=level) & Q(Exists(public.filter(**{column: OuterRef("code")})))
        return Region.objects.filter(with_units).order_by("code").values_list("code", flat=True)

    def location(self, code: str) -> str:
        return reverse("public:region-detail", args=[code])


class MainPagesSitemap(Sitemap):
    def items(self):
        return [
            "public:home",
            "public:unit-list",
            "public:sentra-list",
            "public:ovop-list",
            "public:region-list",
            "reports:list",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "halaman": MainPagesSitemap,
    "ikm": UnitSitemap,
    "sentra": SentraSitemap,
    "wilayah": RegionSitemap,
}

# Filtered lists and downloads: countless combinations, each a fresh count for the database. Units, sentra and
# regions are reached through the sitemap instead.
DISALLOWED = [
    "/admin/",
    "/api/",
    "/i18n/",
    "/ikm/?",
    "/ikm/unduh",
    "/sentra/?",
    "/ovop/?",
]


@require_safe
def robots_txt(request) -> HttpResponse:
    """robots.txt: the sitemap's address and what crawlers should leave alone; everything is off-limits when
    PUBLIC_INDEXING is off (a training or test installation)."""
    lines = ["User-agent: *"]
    if settings.PUBLIC_INDEXING:
        lines += [f"Disallow: {path}" for path in DISALLOWED]
        lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}"]
    else:
        lines.append("Disallow: /")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
