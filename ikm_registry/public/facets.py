"""Counts beside every filter value of the directory, for the current selection.

Each facet is one GROUP BY over the selection with every other filter applied (so a visitor sees how many
units each alternative value would give), and only over small vocabularies: the 7 sectors, 4 size classes,
4 marketing reaches, 8 certificate kinds, 5 stars, and the children of the chosen region (38 provinces,
the kab/kota of a province, the kecamatan of a kab/kota, the villages of a kecamatan: 10 in the median, 108
at most). Sentra are counted only inside a chosen kab/kota. Villages are a facet only below a chosen
kecamatan, never over a kab/kota or more (83,762 of them). Django admin's facets put one
aggregate per choice in one query, which fails past 1,664 choices on PostgreSQL; this does not. The GROUP BYs
and the total travel together as one UNION ALL query (fetch_together): one round trip per page, not eight.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, QuerySet
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from ikm_registry.formatting import format_number
from ikm_registry.models import CertificateKind, MarketingReach, OVOPRating, RegionLevel, SizeClass
from ikm_registry.models.scoping import LEVEL_COLUMNS
from ikm_registry.public import lookups
from ikm_registry.public.compiled import OPEN_PARAM, compiled, planned_cursor
from ikm_registry.public.filters import IKMUnitFilter, public_today, valid_certificates
from ikm_registry.public.stats import CACHE_SECONDS, cache_key, cached
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


# The unit columns a facet groups by; the selection's SQL is compiled once with all of them.
UNIT_FACET_COLUMNS = ("sector_id", "size_class", "marketing_reach")


class Selections:
    """The unit selections a page counts over, each compiled once and sent once, as a common table expression.

    A facet counts over the listing with every filter but its own; whenever its own filter is not in use,
    that is the listing itself. So the listing's SQL is compiled once and named in a WITH clause that every
    count reads (`FROM selection_0 AS selection`): the ORM's work is done once or twice per page instead of
    eight times, and PostgreSQL plans and runs the listing's index scan once, not once per count (it keeps a
    WITH query that is read more than once). Building and compiling eight querysets was about a third of an
    uncached directory page's Python time; planning eight copies of the selection was half of its SQL time.

    That holds within a kab/kota (a few thousand units at most). A province or the whole country can select
    hundreds of thousands, and there eight narrow index scans beat reading one kept copy eight times (a
    province's counts: 145 against 203 ms; a sector over the country: 308 against 863 ms, even with work_mem
    at 64 MB), so there each count reads the listing as its own index scan (NOT MATERIALIZED), as a subquery
    would. bench/counts_plans.py measures both ways.
    """

    def __init__(self, filterset: IKMUnitFilter, columns: tuple[str, ...]):
        self.filterset = filterset
        self.columns = columns
        region = filterset.selected_region
        self.materialize = region is not None and region.level >= RegionLevel.REGENCY
        self._named: dict[str | None, str | None] = {}
        self.common: list[tuple[str, str, list]] = []  # (name, sql, params) of the WITH clause, in order

    def name(self, without: str | None = None) -> str | None:
        """The WITH name of `SELECT id, <columns> FROM units WHERE <every filter but one>`; None when it can
        match nothing."""
        units = self.filterset.queryset_without(without) if without else self.filterset.qs
        key = None if units is self.filterset.qs else without
        if key not in self._named:
            try:
                sql, params = units.values("id", *self.columns).order_by().query.sql_with_params()
            except EmptyResultSet:  # a filter that can match nothing (e.g. an empty IN list)
                self._named[key] = None
            else:
                self._named[key] = f"selection_{len(self.common)}"
                self.common.append((self._named[key], sql, list(params)))
        return self._named[key]

    def grouped(self, column: str | None, without: str | None = None) -> tuple[str, list] | None:
        """(key, label, n) rows: the selection's units per value of `column`, or all of them (None)."""
        name = self.name(without)
        if name is None:
            return None
        if column is None:
            return f"SELECT '' AS key, NULL AS label, COUNT(*) AS n FROM {name} AS selection", []
        assert column in self.columns, column  # written into the SQL: only our own column names
        return (
            f'SELECT CAST(selection."{column}" AS TEXT) AS key, NULL AS label, COUNT(*) AS n '
            f'FROM {name} AS selection GROUP BY selection."{column}"'
        ), []

    def members(self, without: str | None = None) -> tuple[str, list] | None:
        """The selection's unit ids (a one-column SELECT), for the open list of a count over related rows."""
        name = self.name(without)
        if name is None:
            return None
        return f"SELECT selection.id FROM {name} AS selection", []


def distinct_units(queryset: QuerySet, *columns: str) -> tuple[str, list] | None:
    """(key, label, n) rows: distinct units of related rows (certificates, ratings, memberships) per value."""
    try:
        sql, params = (
            queryset.values_list(*columns)
            .annotate(n=Count("unit_id", distinct=True))
            .order_by()
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return None
    key, *label = columns
    label_sql = f'CAST(part."{label[0]}" AS TEXT)' if label else "NULL"
    sql = f'SELECT CAST(part."{key}" AS TEXT) AS key, {label_sql} AS label, part.n AS n FROM ({sql}) AS part'
    return sql, list(params)


def fetch_together(
    parts: dict[str, tuple[str, list] | None],
    using: str = "default",
    common: list[tuple[str, str, list]] = (),
    materialize: bool = True,
    prepare: bool = False,
) -> dict[str, list[tuple]]:
    """Run several counts, each SQL yielding (key, label, n), in one round trip (UNION ALL), with the
    `common` (name, sql, params) queries they read as a WITH clause (run once, unless not `materialize`).

    A directory page needs eight such counts; as eight queries each cost a round trip, a parse and a plan
    (about 1 ms on PostgreSQL) besides its few hundred microseconds of work, and the round trips were most
    of the page's SQL time. A part that is None (it can match nothing) has no rows.
    """
    named, selects, params = [], [], []
    # SQLite has no such hint before 3.35, and it matters only at a province's or the country's size.
    inline = "NOT MATERIALIZED " if not materialize and connections[using].vendor == "postgresql" else ""
    for name, sql, common_params in common:
        assert name.isidentifier(), name
        named.append(f"{name} AS {inline}({sql})")
        params.extend(common_params)
    with_clause = f"WITH {', '.join(named)} " if named else ""
    rows: dict[str, list[tuple]] = {name: [] for name in parts}
    for name, part in parts.items():
        assert name.isidentifier(), name  # part names are written into the SQL as literals
        if part is None:
            continue
        sql, part_params = part
        selects.append(f"SELECT '{name}' AS facet, part.key, part.label, part.n FROM ({sql}) AS part")
        params.extend(part_params)
    if selects:
        # Within a kab/kota the plan is the same whatever the codes (an index scan of a few thousand units):
        # planned once. A province or the country is planned for its values, as its size needs.
        with planned_cursor(using) if materialize and prepare else connections[using].cursor() as cursor:
            cursor.execute(with_clause + " UNION ALL ".join(selects), params)
            for facet, key, label, n in cursor.fetchall():
                rows[facet].append((key, label, n))
    return rows


def compute_counts(filterset: IKMUnitFilter, stamp: str | None = None) -> DirectoryCounts:
    """The total and every facet of the selection: eight small GROUP BYs, sent as one query.

    With a data stamp, the sector facet of a selection that chose a sector is kept for its siblings: it counts
    the selection without its sector, which is the same for all seven sectors of a kab/kota. A visitor or a
    crawler going through the sectors of a place then scans that place's units for it once, not seven times."""
    today = public_today()
    region = filterset.selected_region
    child_level = region.level + 1 if region else RegionLevel.PROVINCE
    child_column = LEVEL_COLUMNS[child_level] if child_level <= RegionLevel.VILLAGE else None
    selections = Selections(filterset, UNIT_FACET_COLUMNS + ((child_column,) if child_column else ()))

    using = filterset.qs.db

    def related_count(related: Callable[[], QuerySet], without: str, *columns: str, bind=None):
        """Distinct units of the selection per value of related rows. The SQL around the selection depends
        only on the day, so it is compiled once (compiled.py); `bind` fills its OPEN_PARAM."""
        members = selections.members(without)
        if members is None:
            return None
        query = compiled(
            ("facet", without, today),
            lambda units: distinct_units(related().filter(unit_id__in=units), *columns),
            using,
        )
        if query is not None and bind is not None:
            query = query.bind(bind)
        return None if query is None else query.with_subquery(*members)

    sectors_key = known_sectors = None
    if stamp is not None and filterset.form.cleaned_data.get("sector"):
        sectors_key = cache_key("directory-sectors", stamp, *cache_key_parts(filterset, without="sector"))
        known_sectors = cache.get(sectors_key)
    parts = {
        "total": selections.grouped(None),
        "sector": None if known_sectors is not None else selections.grouped("sector_id", without="sector"),
        "size_class": selections.grouped("size_class", without="size_class"),
        "marketing_reach": selections.grouped("marketing_reach", without="marketing_reach"),
        "certificate": related_count(lambda: valid_certificates(today), "certificate", "kind"),
        "stars": related_count(OVOPRating.objects.latest_per_product, "stars", "stars"),
    }
    if child_column:
        parts["region"] = selections.grouped(child_column)
    regency_code = region.ancestor_code(RegionLevel.REGENCY) if region and region.level >= 2 else None
    if regency_code:
        parts["sentra"] = related_count(
            lambda: SentraMembership.objects.current_on(today).filter(sentra__regency_id=OPEN_PARAM),
            "sentra",
            "sentra_id",
            "sentra__name",
            bind=regency_code,
        )
    rows = fetch_together(parts, using, selections.common, selections.materialize, filterset.planned_alike)
    counts = DirectoryCounts(total=sum(n for _, _, n in rows["total"]))
    for name in ("sector", "size_class", "marketing_reach", "certificate", "stars", "region"):
        setattr(counts, name, {key: n for key, _, n in rows.get(name, []) if key is not None})
    counts.sentra = {int(key): (label, n) for key, label, n in rows.get("sentra", [])}
    if known_sectors is not None:
        counts.sector = known_sectors
    elif sectors_key is not None:
        cache.set(sectors_key, counts.sector, CACHE_SECONDS)
    return counts


def cache_key_parts(filterset: IKMUnitFilter, without: str = "") -> tuple:
    """The selection, without what does not change the counts (sort, page, cursor), nor the filter `without`."""
    data = filterset.form.cleaned_data
    return tuple(sorted((k, str(v)) for k, v in data.items() if v not in (None, "") and k not in ("sort", without)))


def directory_counts(filterset: IKMUnitFilter, stamp: str | None, use_cache: bool = True) -> DirectoryCounts:
    if not use_cache or stamp is None:
        return compute_counts(filterset)
    return cached("directory", stamp, lambda: compute_counts(filterset, stamp), *cache_key_parts(filterset))


_choice_labels: dict[str, dict[str, list[tuple[str, str]]]] = {}


def choice_labels() -> dict[str, list[tuple[str, str]]]:
    """(value, label) of the facets with fixed choices, in the active language, translated once per process
    and language instead of twenty-odd translations on every page."""
    language = get_language()
    labels = _choice_labels.get(language)
    if labels is None:
        labels = _choice_labels[language] = {
            "size_class": [(v, str(label)) for v, label in SizeClass.choices],
            "marketing_reach": [(v, str(label)) for v, label in MarketingReach.choices],
            "certificate": [(v, str(label)) for v, label in CertificateKind.choices],
            "stars": [(str(n), ngettext("%(n)s bintang", "%(n)s bintang", n) % {"n": n}) for n in range(5, 0, -1)],
        }
    return labels


def counted(counts: DirectoryCounts, facet: str, choices) -> list[FacetValue]:
    """A facet's (value, label) choices with the selection's count beside each."""
    numbers = getattr(counts, facet)
    return [FacetValue(value, label, numbers.get(value, 0)) for value, label in choices]


# The facets facet_values() gives, in order (the API's counts and its schema).
FACETS = ("sector", "size_class", "marketing_reach", "certificate", "stars")


def facet_values(counts: DirectoryCounts, filterset: IKMUnitFilter) -> dict[str, list[FacetValue]]:
    """Each facet's values in display order, with counts, as the API's counts give them: the stored sector names
    and stars as ★ (the directory's selects word them for the visitor: directory_options)."""
    labels = choice_labels()
    return {
        "sector": counted(counts, "sector", [(s.code, s.name) for s in filterset.sectors]),
        **{facet: counted(counts, facet, labels[facet]) for facet in ("size_class", "marketing_reach", "certificate")},
        "stars": counted(counts, "stars", [(str(n), "★" * n) for n in range(5, 0, -1)]),
    }


def region_options(filterset: IKMUnitFilter, counts: DirectoryCounts) -> dict[str, list[FacetValue]]:
    """Options of the four cascading selects: all provinces, the kab/kota of the chosen province, the
    kecamatan of the chosen kab/kota, the villages of the chosen kecamatan (reference lists kept in the
    process). Counts where the selection gives them: beside the children of the chosen region."""
    selected = filterset.selected_region
    child_level = selected.level + 1 if selected else RegionLevel.PROVINCE
    parents = {
        "province": None,
        "regency": selected.ancestor_code(RegionLevel.PROVINCE) if selected else "",
        "district": selected.ancestor_code(RegionLevel.REGENCY) if selected and selected.level >= 2 else "",
        "village": selected.ancestor_code(RegionLevel.DISTRICT) if selected and selected.level >= 3 else "",
    }
    lists = lookups.children([parent for parent in parents.values() if parent != ""])
    options: dict[str, list[FacetValue]] = {}
    for level, (name, parent) in enumerate(parents.items(), start=RegionLevel.PROVINCE):
        counted = level == child_level
        options[name] = [
            FacetValue(code, label, counts.region.get(code, 0) if counted else None)
            for code, label in lists.get(parent, [])
        ]
    return options


_escaped: dict[str, str] = {}
MAX_ESCAPED = 50_000  # region names, sentra names and labels: a few thousand in practice


def escaped(text: str) -> str:
    """html.escape(text), kept: the same labels and codes are on every page, a hundred of them each time."""
    found = _escaped.get(text)
    if found is None:
        if len(_escaped) >= MAX_ESCAPED:
            _escaped.clear()
        found = _escaped[text] = escape(text)
    return found


def option_tags(values: list[FacetValue], selected) -> str:
    """<option> tags with the count beside each label, built in Python: a hundred options through the
    template language cost more than the counting queries."""
    selected = "" if selected in (None, "") else str(selected)
    tags = []
    for v in values:
        # html.escape, not Django's escape: the same output without wrapping each of a hundred values. A count
        # is digits and dots, nothing to escape.
        label = escaped(str(v.label))
        if v.count is not None:
            label = f"{label} ({format_number(v.count)})"
        value = str(v.value)
        chosen = " selected" if value == selected else ""
        tags.append(f'<option value="{escaped(value)}"{chosen}>{label}</option>')
    return mark_safe("".join(tags))


def directory_options(filterset: IKMUnitFilter, counts: DirectoryCounts) -> dict[str, str]:
    """The rendered options of every select of the directory's filter form."""
    data = filterset.form.cleaned_data
    # Sectors in the visitor's language; the API's counts keep the stored names, as its records do.
    values = {"sector": counted(counts, "sector", lookups.sector_choices(filterset.sectors))}
    values.update((facet, counted(counts, facet, choices)) for facet, choices in choice_labels().items())
    values.update(region_options(filterset, counts))
    sentra = [FacetValue(pk, name, n) for pk, (name, n) in sorted(counts.sentra.items(), key=lambda i: i[1][0])]
    chosen = filterset.form.sentra
    if chosen is not None and chosen.pk not in counts.sentra:
        sentra.insert(0, FacetValue(chosen.pk, chosen.name, None))
    values["sentra"] = sentra
    options = {name: option_tags(vals, data.get(name)) for name, vals in values.items()}
    if not sentra:
        options["sentra"] = ""
    return options
