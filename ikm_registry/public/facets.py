"""Counts beside every filter value of the directory, for the current selection.

Each facet is one GROUP BY over the selection with every other filter applied (so a visitor sees how many
units each alternative value would give), and only over small vocabularies: the 7 sectors, 4 size classes,
4 marketing reaches, 8 certificate kinds, 5 stars, and the children of the chosen region (38 provinces,
the kab/kota of a province, the kecamatan of a kab/kota). Sentra are counted only inside a chosen kab/kota.
Villages are never a facet (83,762 of them): the API takes a village code. Django admin's facets put one
aggregate per choice in one query, which fails past 1,664 choices on PostgreSQL; this does not. The GROUP BYs
and the total travel together as one UNION ALL query (fetch_together): one round trip per page, not eight.
"""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from ikm_registry.formatting import format_number
from ikm_registry.models import CertificateKind, MarketingReach, OVOPRating, Region, RegionLevel, SizeClass
from ikm_registry.models.scoping import LEVEL_COLUMNS
from ikm_registry.public.filters import IKMUnitFilter, public_today, valid_certificates
from ikm_registry.public.stats import cached
from sentra.models import SentraMembership


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None


@dataclass
class DirectoryCounts:
    """The total of the current selection and its facets (plain data, so that it can be cached)."""

    total: int
    sector: dict[str, int] = field(default_factory=dict)
    size_class: dict[str, int] = field(default_factory=dict)
    marketing_reach: dict[str, int] = field(default_factory=dict)
    certificate: dict[str, int] = field(default_factory=dict)
    stars: dict[str, int] = field(default_factory=dict)
    region: dict[str, int] = field(default_factory=dict)  # children of the selected region
    sentra: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (name, count)


def _grouped(queryset, column: str):
    return queryset.values_list(column).annotate(n=Count("pk")).order_by()


def _distinct_units(queryset, *columns):
    return queryset.values_list(*columns).annotate(n=Count("unit_id", distinct=True)).order_by()


def fetch_together(parts: dict[str, QuerySet]) -> dict[str, list[tuple]]:
    """Run several GROUP BY querysets in one round trip (UNION ALL); each returns its own rows.

    Every part yields (key, n) or (key, label, n). A directory page needs eight such counts; as eight queries
    each cost a round trip, a parse and a plan (about 1 ms on PostgreSQL) besides its few hundred
    microseconds of work, and the round trips were most of the page's SQL time.
    """
    selects, params = [], []
    rows: dict[str, list[tuple]] = {name: [] for name in parts}
    for name, queryset in parts.items():
        assert name.isidentifier(), name  # part names are written into the SQL as literals
        try:
            sql, part_params = queryset.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (e.g. an empty IN list): no rows to count
            continue
        query = queryset.query
        key, *rest = [*query.values_select, *query.annotation_select]
        label = f'CAST(part."{rest[0]}" AS TEXT)' if len(rest) == 2 else "NULL"
        selects.append(
            f"SELECT '{name}' AS facet, CAST(part.\"{key}\" AS TEXT) AS key, {label} AS label, part.n AS n "
            f"FROM ({sql}) AS part"
        )
        params.extend(part_params)
    if selects:
        with connections[next(iter(parts.values())).db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            for facet, key, label, n in cursor.fetchall():
                rows[facet].append((key, label, n))
    return rows


def compute_counts(filterset: IKMUnitFilter) -> DirectoryCounts:
    """The total and every facet of the selection: eight small GROUP BYs, sent as one query."""
    today = public_today()
    parts: dict[str, QuerySet] = {
        "total": filterset.qs.annotate(selection=Value("")).values_list("selection").annotate(n=Count("pk")).order_by(),
        "sector": _grouped(filterset.queryset_without("sector"), "sector_id"),
        "size_class": _grouped(filterset.queryset_without("size_class"), "size_class"),
        "marketing_reach": _grouped(filterset.queryset_without("marketing_reach"), "marketing_reach"),
        "certificate": _distinct_units(
            valid_certificates(today).filter(unit__in=filterset.queryset_without("certificate").values("pk")),
            "kind",
        ),
        "stars": _distinct_units(
            OVOPRating.objects.latest_per_product().filter(
                unit__in=filterset.queryset_without("stars").values("pk")
            ),
            "stars",
        ),
    }
    region = filterset.selected_region
    child_level = region.level + 1 if region else RegionLevel.PROVINCE
    if child_level <= RegionLevel.DISTRICT:
        parts["region"] = _grouped(filterset.qs, LEVEL_COLUMNS[child_level])
    regency_code = region.ancestor_code(RegionLevel.REGENCY) if region and region.level >= 2 else None
    if regency_code:
        parts["sentra"] = _distinct_units(
            SentraMembership.objects.current_on(today).filter(
                sentra__regency_id=regency_code, unit__in=filterset.queryset_without("sentra").values("pk")
            ),
            "sentra_id",
            "sentra__name",
        )
    rows = fetch_together(parts)
    counts = DirectoryCounts(total=sum(n for _, _, n in rows["total"]))
    for name in ("sector", "size_class", "marketing_reach", "certificate", "stars", "region"):
        setattr(counts, name, {key: n for key, _, n in rows.get(name, []) if key is not None})
    counts.sentra = {int(key): (label, n) for key, label, n in rows.get("sentra", [])}
    return counts


def cache_key_parts(filterset: IKMUnitFilter) -> tuple:
    """The selection, without what does not change the counts (sort, page, cursor)."""
    data = filterset.form.cleaned_data
    return tuple(sorted((k, str(v)) for k, v in data.items() if v not in (None, "") and k != "sort"))


def directory_counts(filterset: IKMUnitFilter, stamp: str | None, use_cache: bool = True) -> DirectoryCounts:
    if not use_cache or stamp is None:
        return compute_counts(filterset)
    return cached("directory", stamp, lambda: compute_counts(filterset), *cache_key_parts(filterset))


def facet_values(counts: DirectoryCounts, filterset: IKMUnitFilter) -> dict[str, list[FacetValue]]:
    """Each facet's values in display order, with counts (for the page's selects and the API's `facets`)."""
    return {
        "sector": [FacetValue(s.code, s.name, counts.sector.get(s.code, 0)) for s in filterset.sectors],
        "size_class": [FacetValue(v, label, counts.size_class.get(v, 0)) for v, label in SizeClass.choices],
        "marketing_reach": [
            FacetValue(v, label, counts.marketing_reach.get(v, 0)) for v, label in MarketingReach.choices
        ],
        "certificate": [FacetValue(v, label, counts.certificate.get(v, 0)) for v, label in CertificateKind.choices],
        "stars": [FacetValue(str(n), "★" * n, counts.stars.get(str(n), 0)) for n in range(5, 0, -1)],
    }


def region_options(filterset: IKMUnitFilter, counts: DirectoryCounts) -> dict[str, list[FacetValue]]:
    """Options of the three cascading selects, in one query: all provinces, the kab/kota of the chosen
    province, the kecamatan of the chosen kab/kota. Counts where the selection gives them."""
    selected = filterset.selected_region
    province_code = selected.ancestor_code(RegionLevel.PROVINCE) if selected else None
    regency_code = selected.ancestor_code(RegionLevel.REGENCY) if selected and selected.level >= 2 else None
    parents = [c for c in (province_code, regency_code) if c]
    rows = Region.objects.current().filter(level=RegionLevel.PROVINCE) | Region.objects.current().filter(
        parent_id__in=parents, level__lte=RegionLevel.DISTRICT
    )
    options: dict[str, list[FacetValue]] = {"province": [], "regency": [], "district": []}
    child_level = selected.level + 1 if selected else RegionLevel.PROVINCE
    for region in rows.only("code", "name", "level", "parent_id").order_by("level", "name"):
        name = {1: "province", 2: "regency", 3: "district"}[region.level]
        count = counts.region.get(region.code, 0) if region.level == child_level else None
        options[name].append(FacetValue(region.code, region.name, count))
    return options


def option_tags(values: list[FacetValue], selected) -> str:
    """<option> tags with the count beside each label, built in Python: a hundred options through the
    template language cost more than the counting queries."""
    selected = "" if selected in (None, "") else str(selected)
    tags = []
    for v in values:
        label = v.label if v.count is None else f"{v.label} ({format_number(v.count)})"
        chosen = " selected" if str(v.value) == selected else ""
        tags.append(f'<option value="{escape(v.value)}"{chosen}>{escape(label)}</option>')
    return mark_safe("".join(tags))


def directory_options(filterset: IKMUnitFilter, counts: DirectoryCounts) -> dict[str, str]:
    """The rendered options of every select of the directory's filter form."""
    data = filterset.form.cleaned_data
    values = {**facet_values(counts, filterset), **region_options(filterset, counts)}
    values["stars"] = [
        FacetValue(v.value, ngettext("%(n)s bintang", "%(n)s bintang", int(v.value)) % {"n": v.value}, v.count)
        for v in values["stars"]
    ]
    sentra = [FacetValue(pk, name, n) for pk, (name, n) in sorted(counts.sentra.items(), key=lambda i: i[1][0])]
    chosen = filterset.form.sentra
    if chosen is not None and chosen.pk not in counts.sentra:
        sentra.insert(0, FacetValue(chosen.pk, chosen.name, None))
    values["sentra"] = sentra
    options = {name: option_tags(vals, data.get(name)) for name, vals in values.items()}
    if not sentra:
        options["sentra"] = ""
    return options
