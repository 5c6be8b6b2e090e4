"""Public pages: home, IKM directory (with downloads), IKM page, sentra, OVOP catalogue, region pages.

No login, nothing personal (see records.py), only public units (verified and active). Every page runs a
constant number of queries whatever its size; broad counts come from the cached figures in stats.py.
"""

import csv
import io
import json
import math
from html import escape
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Case, Count, F, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from ikm_registry.models import (
    Certificate,
    IKMUnit,
    Product,
    Region,
    RegionLevel,
    SizeClass,
)
from ikm_registry.public import stats
from ikm_registry.public.cards import unit_cards
from ikm_registry.public.errors import VisitorNotFound
from ikm_registry.public.facets import directory_counts, directory_options
from ikm_registry.public.filters import (
    REGION_FIELD_LEVELS,
    IKMUnitFilter,
    OVOPProductFilter,
    SentraFilter,
    public_today,
)
from ikm_registry.public.pagination import CursorError, paginate
from ikm_registry.public.records import (
    CSV_COLUMNS,
    LISTING_FIELDS,
    RECORD_FIELDS,
    attach_regions,
    attach_sectors,
    csv_row,
    decorate,
    decorate_sentra,
    public_record,
    structured_data,
)
from sentra.models import Sentra

PAGE_SIZE = 20
# Numbered pages (OFFSET) up to here; deeper pages are reached by cursor links, at the cost of the first.
MAX_OFFSET_PAGE = 100
DOWNLOAD_CHUNK = 2000
OVOP_GROUP_SIZE = 12


class BadRequest(Exception):
    pass


def page_number(request) -> int:
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise BadRequest(_("Nomor halaman tidak sah: %(page)s.") % {"page": raw[:20]}) from None
    if number < 1:
        raise BadRequest(_("Nomor halaman tidak sah: %(page)s.") % {"page": raw[:20]})
    return number


def bad_request(request, message: str):
    return render(request, "public/error.html", {"message": message}, status=400)


class HomeView(TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        stamp = stats.settled_stamp()
        return super().get_context_data(
            headline=stats.headline(stamp),
            provinces=stats.province_entries(stamp),
            sectors=stats.sector_entries(stamp),
            **kwargs,
        )


# Where the sort select goes in the cached filter form.
SORT_SLOT = "<!-- sort -->"


class UnitListView(View):
    """The IKM directory: filters with counts, search, sorting, numbered and cursor pages."""

    template_name = "public/unit_list.html"

    def get(self, request):
        # The counts follow the data at once within a kab/kota; over a province or the country, once per
        # settled interval (stats.settled_stamp). The listing follows it at once everywhere.
        stamp, figures = stats.selection_stamps(request.GET)
        # A page shown before, for the same data, language and URL, is served from the cache: the shell
        # around it (header, CSRF token of the language switch) is rendered per visitor, the rest is not.
        key = stats.cache_key("directory-page", stamp, get_language(), sorted(request.GET.lists()), figures)
        shell = cache.get(key)
        if shell is None:
            shell, status = self.build(request, figures)
            if status != 200:
                return render(request, self.template_name, shell, status=status)
            cache.set(key, shell, stats.CACHE_SECONDS)
        return render(request, self.template_name, shell)

    def build(self, request, stamp: str) -> tuple[dict, int]:
        """The page's main content and title, with its status (400 for bad filters); `stamp` keeps its counts."""
        filterset = IKMUnitFilter(request.GET, request=request)
        if not filterset.is_valid():
            main = render_to_string("includes/directory_main.html", {"filterset": filterset, "invalid": True}, request)
            return {"main_html": mark_safe(main)}, 400
        try:
            number = page_number(request)
        except BadRequest as exc:
            return self.error(request, str(exc)), 400
        cursor = request.GET.get("cursor") or None
        if not cursor and number > MAX_OFFSET_PAGE:
            raise VisitorNotFound(_("Halaman sedalam ini dibuka dengan tombol Berikutnya atau Terakhir."))
        counts = directory_counts(filterset, stamp)
        try:
            page = paginate(
                filterset.qs.only(*LISTING_FIELDS),
                filterset.sort_key,
                PAGE_SIZE,
                cursor=cursor,
                offset=(number - 1) * PAGE_SIZE,
                total=counts.total,
                prepare=filterset.planned_alike,
            )
        except CursorError:
            return self.error(request, _("Tautan halaman ini rusak atau kedaluwarsa. Mulai lagi dari halaman 1.")), 400
        decorate(page.rows, filterset.sectors)
        total_pages = max(1, math.ceil(counts.total / PAGE_SIZE))
        if not page.rows and number > 1 and not cursor:
            raise VisitorNotFound(_("Halaman %(page)s tidak ada.") % {"page": number})
        if cursor and page.last_cursor == cursor:
            number = total_pages
        region = filterset.selected_region
        context = {
            "filterset": filterset,
            "form": filterset.form,
            "counts": counts,
            "selected_region": region,
            "filters_html": self.filters_html(request, filterset, counts, stamp),
            "page": page,
            "page_number": number,
            "total_pages": total_pages,
            "page_numbers": numbered_pages(number, total_pages) if not cursor else [],
            "units": page.rows,
            "unit_cards": unit_cards(page.rows),
        }
        context["links"] = directory_links(request.GET, page, number, total_pages, context["page_numbers"])
        main = render_to_string("includes/directory_main.html", context, request)
        return {"main_html": mark_safe(main), "region_name": region.name if region else ""}, 200

    def error(self, request, message: str) -> dict:
        main = render_to_string("public/error_main.html", {"message": message}, request)
        return {"main_html": mark_safe(main)}

    def filters_html(self, request, filterset: IKMUnitFilter, counts, stamp: str) -> str:
        """The filter form with its counts, rendered once per selection, language and data stamp: with its
        hundred options it is most of the page's template work, and it depends on nothing else. The sort
        select is put in per request, so that the three sorts of a selection share one form."""

        def render_form() -> str:
            context = {
                "form": filterset.form,
                "filterset": filterset,
                "options": directory_options(filterset, counts),
                "sort_slot": mark_safe(SORT_SLOT),
            }
            return render_to_string("includes/directory_filters.html", context, request=request)

        query = sorted((k, v) for k, v in request.GET.lists() if k not in ("page", "cursor", "sort"))
        form = stats.cached("directory-form", stamp, render_form, get_language(), query)
        sort = render_to_string("includes/directory_sort.html", {"form": filterset.form, "filterset": filterset})
        return mark_safe(form.replace(SORT_SLOT, sort, 1))


def query_link(params, **changes) -> str:
    """The query string {% querystring %} would give for these changes (None removes a parameter), built from
    (key, value) pairs instead of copying the request's QueryDict for each of a page's dozen links.

    >>> from django.http import QueryDict
    >>> query_link(QueryDict("sector=KAYU&page=3&q=meja kayu"), page=4, cursor=None)
    '?sector=KAYU&page=4&q=meja+kayu'
    >>> query_link(QueryDict("page=2"), page=None)
    '?'
    """
    pairs = [(key, value) for key, values in params.lists() for value in values]
    for key, value in changes.items():
        at = [i for i, (k, _) in enumerate(pairs) if k == key]
        pairs = [pair for pair in pairs if pair[0] != key]
        if value is not None:  # a changed parameter keeps its place, a new one goes last
            pairs.insert(at[0] if at else len(pairs), (key, str(value)))
    return "?" + urlencode(pairs)


def directory_links(params, page, number: int, total_pages: int, numbers: list[int]) -> dict:
    """The directory's pagination and download links (query strings), as {% querystring %} built them."""
    unpaged = query_link(params, page=None, cursor=None)
    links = {
        "download": unpaged,
        "download_semicolon": query_link(params, page=None, cursor=None, sep="semicolon"),
        "first": unpaged,
    }
    # The numbered pages' items, the current one without a link: built here, not by a template loop per page.
    items = []
    for n in numbers:
        if n == number:
            items.append(f'<li><span aria-current="page">{n}</span></li>')
        else:
            link = escape(query_link(params, page=None if n == 1 else n, cursor=None))
            items.append(f'<li><a href="{link}">{n}</a></li>')
    links["pages_html"] = mark_safe("\n    ".join(items))
    if page.has_previous:
        previous_number = number - 1 if number > 1 else None
        links["previous"] = query_link(params, page=previous_number, cursor=page.previous_cursor)
    if page.has_next:
        links["next"] = query_link(params, page=number + 1, cursor=page.next_cursor)
        links["last"] = query_link(params, page=total_pages, cursor=page.last_cursor)
    return links


def numbered_pages(current: int, total: int) -> list[int]:
    """Page numbers around the current one, within the pages that OFFSET serves cheaply.

    >>> numbered_pages(1, 3)
    [1, 2, 3]
    >>> numbered_pages(50, 400)
    [48, 49, 50, 51, 52]
    """
    last = min(total, MAX_OFFSET_PAGE)
    start = max(1, min(current - 2, last - 4))
    return list(range(start, min(last, start + 4) + 1))


class UnitDownloadView(View):
    """The current filtered list (every page, not one) as CSV with a UTF-8 BOM, or JSON, streamed."""

    def get(self, request, fmt: str):
        filterset = IKMUnitFilter(request.GET, request=request)
        if not filterset.is_valid():
            errors = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
            return HttpResponseBadRequest(json.dumps(errors, ensure_ascii=False), content_type="application/json")
        separator = request.GET.get("sep", "comma")
        if separator not in ("comma", "semicolon"):
            return HttpResponseBadRequest(_("Pemisah harus comma atau semicolon."))
        base_url = request.build_absolute_uri("/")[:-1]
        records = iter_records(filterset, base_url)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            response = StreamingHttpResponse(
                csv_stream(records, ";" if separator == "semicolon" else ","), content_type="text/csv; charset=utf-8"
            )
        else:
            response = StreamingHttpResponse(json_stream(records, filterset), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="ikm-{stamp}.{fmt}"'
        return response


def iter_records(filterset: IKMUnitFilter, base_url: str):
    """Every unit of the selection, DOWNLOAD_CHUNK at a time by keyset (no OFFSET, no long transaction)."""
    cursor = None
    while True:
        page = paginate(
            filterset.qs.only(*RECORD_FIELDS),
            filterset.sort_key,
            DOWNLOAD_CHUNK,
            cursor=cursor,
            prepare=filterset.planned_alike,
        )
        for unit in decorate(page.rows, filterset.sectors):
            yield public_record(unit, base_url)
        if not page.has_next:
            return
        cursor = page.next_cursor


def csv_stream(records, delimiter: str):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    # The BOM tells Excel the file is UTF-8 (names like "Kain Sasirangan Ibu Ni'mah" stay readable).
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(record))
        yield buffer.getvalue()


def json_stream(records, filterset: IKMUnitFilter):
    filters = {k: str(v) for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
    generated = json.dumps(timezone.now().isoformat())
    yield f'{{"generated_at": {generated}, "filters": {json.dumps(filters, ensure_ascii=False)}, "results": ['

    for i, record in enumerate(records):
        yield ("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


class UnitDetailView(View):
    template_name = "public/unit_detail.html"

    def get(self, request, registry_code: str):
        unit = get_object_or_404(IKMUnit.objects.public(), registry_code=registry_code)
        decorate([unit])
        record = public_record(unit, request.build_absolute_uri("/")[:-1])
        today = public_today()
        context = {
            "unit": unit,
            "products": Product.objects.filter(unit=unit).only("name", "capacity", "capacity_unit"),
            "certificates": Certificate.objects.filter(unit=unit).order_by("kind", "-issued_on"),
            "ratings": stats.unit_ratings(unit),
            "sentra_id": unit.sentra_id_now,
            "sentra_name": unit.sentra_name,
            # The record's location, as the API and the page's structured data give it (rounded without consent).
            "latitude": record["latitude"],
            "longitude": record["longitude"],
            "location_precise": record["location_precise"],
            "today": today,
            "structured_data": structured_data(record),
        }
        return render(request, self.template_name, context)


class SentraListView(View):
    template_name = "public/sentra_list.html"

    def get(self, request):
        filterset = SentraFilter(request.GET or {}, request=request)
        if not filterset.is_valid():
            return render(request, self.template_name, {"filterset": filterset, "invalid": True}, status=400)
        paginator = Paginator(filterset.qs.order_by("name", "id"), PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            return bad_request(request, _("Nomor halaman tidak sah."))
        except EmptyPage:
            raise VisitorNotFound(_("Halaman tidak ada.")) from None
        decorate_sentra(page.object_list, filterset.sectors)
        return render(
            request,
            self.template_name,
            {"filterset": filterset, "page": page, "sentra_list": page.object_list, "paginator": paginator},
        )


class SentraDetailView(View):
    template_name = "public/sentra_detail.html"
    MAX_MEMBERS = 300

    def get(self, request, pk: int):
        sentra = get_object_or_404(Sentra.objects.select_related("sector"), pk=pk)
        attach_regions([sentra])
        members = decorate(list(stats.public_members(sentra).order_by("business_name", "id")[: self.MAX_MEMBERS + 1]))
        return render(
            request,
            self.template_name,
            {
                "sentra": sentra,
                "members": members[: self.MAX_MEMBERS],
                "more_members": len(members) > self.MAX_MEMBERS,
                "size_labels": dict(SizeClass.choices),
            },
        )


class OVOPCatalogueView(View):
    """Each product's current rating, grouped by stars (5 first); one star level paginated when chosen."""

    template_name = "public/ovop_list.html"

    def get(self, request):
        filterset = OVOPProductFilter(request.GET or {}, request=request)
        if not filterset.is_valid():
            return render(request, self.template_name, {"filterset": filterset, "invalid": True}, status=400)
        tops, counts = stats.cached(
            "ovop",
            stats.figures_stamp(request.GET),
            lambda: ovop_tops(filterset),
            *cache_key(filterset, exclude=("stars", "page")),
        )
        chosen = filterset.form.cleaned_data.get("stars")
        groups, page = [], None
        if chosen:
            paginator = Paginator(filterset.qs.select_related("unit").order_by("product_name", "id"), PAGE_SIZE)
            try:
                page = paginator.page(request.GET.get("page", 1))
            except PageNotAnInteger:
                return bad_request(request, _("Nomor halaman tidak sah."))
            except EmptyPage:
                raise VisitorNotFound(_("Halaman tidak ada.")) from None
            groups.append({"stars": int(chosen), "count": paginator.count, "items": list(page.object_list)})
        else:
            groups = [{"stars": n, "count": counts.get(n, 0), "items": tops.get(n, [])} for n in range(5, 0, -1)]
        shown = [rating for group in groups for rating in group["items"]]
        attach_regions(shown, prefix="unit")
        attach_sectors(shown, filterset.sectors, field="category")
        return render(
            request,
            self.template_name,
            {
                "filterset": filterset,
                "groups": groups,
                "page": page,
                "chosen": chosen,
                "star_options": [(str(n), "★" * n, counts.get(n, 0)) for n in range(5, 0, -1)],
            },
        )


def ovop_tops(filterset: OVOPProductFilter) -> tuple[dict[int, list], dict[int, int]]:
    """The first products of every star level and each level's total: one query, by window functions."""
    ranked = (
        filterset.queryset_without("stars")
        .select_related("unit")
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("stars")], order_by=[F("product_name").asc(), F("id").asc()]),
            level_total=Window(Count("id"), partition_by=[F("stars")]),
        )
        .filter(rank__lte=OVOP_GROUP_SIZE)
        .order_by("-stars", "rank")
    )
    tops: dict[int, list] = {}
    counts: dict[int, int] = {}
    for rating in ranked:
        tops.setdefault(rating.stars, []).append(rating)
        counts[rating.stars] = rating.level_total
    return tops, counts


def cache_key(filterset, exclude=()) -> tuple:
    data = filterset.form.cleaned_data
    return tuple(sorted((k, str(v)) for k, v in data.items() if v not in (None, "") and k not in exclude))


class RegionListView(TemplateView):
    template_name = "public/region_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(provinces=stats.province_entries(stats.settled_stamp()), **kwargs)


class RegionDetailView(View):
    """A province, kab/kota or kecamatan: figures by sector, its child regions, its sentra."""

    template_name = "public/region_detail.html"
    MAX_SENTRA = 100

    def get(self, request, code: str):
        region = get_object_or_404(Region.objects.select_related("parent", "parent__parent"), code=code)
        if region.level == RegionLevel.VILLAGE:
            # The directory with the village chosen in its cascading selects, so that a visitor can widen it.
            cascade = {name: region.ancestor_code(level) for name, level in REGION_FIELD_LEVELS.items()}
            return redirect(f"{reverse('public:unit-list')}?{urlencode(cascade)}")
        province = region.code[:2]
        # A province's figures are kept for the settled interval; a kab/kota's or kecamatan's show edits at once.
        stamp = stats.settled_stamp(province) if region.level == RegionLevel.PROVINCE else stats.data_stamp(province)
        figures = stats.region_figures(region, stamp)
        sentra = list(
            Sentra.objects.in_region(region.code)
            # Kawasan, LIK, PIK and SUIK first: fewer and larger than sentra.
            .order_by(Case(When(kind="sentra", then=1), default=0), "name", "id")[: self.MAX_SENTRA + 1]
        )
        decorate_sentra(sentra)
        ancestors = []
        parent = region.parent
        while parent is not None:
            ancestors.insert(0, parent)
            parent = parent.parent if parent.level > 1 else None
        return render(
            request,
            self.template_name,
            {
                "region": region,
                "ancestors": ancestors,
                "figures": figures,
                "sentra_list": sentra[: self.MAX_SENTRA],
                "more_sentra": len(sentra) > self.MAX_SENTRA,
                "min_units": stats.MIN_UNITS_FOR_SUMS,
            },
        )
