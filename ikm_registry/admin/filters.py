"""Change-list helpers for large, region-bound tables: cascading region filters and an estimated count.

Django's RelatedFieldListFilter over regions would render (and with facets, count) thousands of choices.
Here the region filters cascade instead: a national user picks a province, then a kab/kota, then a
kecamatan; a province office starts at kab/kota; a city office at kecamatan. Each list holds at most a
few dozen regions and costs one small query.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ikm_registry.models import Region, RegionLevel, scope_region_code

# Below this many rows an exact COUNT is cheap, and the planner's estimate may be stale (or -1 before ANALYZE).
ESTIMATE_THRESHOLD = 10_000


def _level_of(code: str) -> int:
    return code.count(".") + 1


def _within(code: str | None, scope: str) -> bool:
    return bool(code) and (scope == "" or code == scope or code.startswith(scope + "."))


class RegionLevelFilter(admin.SimpleListFilter):
    """One level of the cascade. `level` is the region level offered; the parent level's parameter decides
    which regions are offered, and choosing a region here clears the levels below it."""

    level: int = RegionLevel.PROVINCE
    # Query-string names per level; filters of one cascade share them.
    PARAMS = {RegionLevel.PROVINCE: "provinsi", RegionLevel.REGENCY: "kabkota", RegionLevel.DISTRICT: "kecamatan"}
    COLUMNS = {
        RegionLevel.PROVINCE: "province_id",
        RegionLevel.REGENCY: "regency_id",
        RegionLevel.DISTRICT: "district_id",
    }
    # Prefix to the region columns when the model reaches them through a relation (e.g. "unit__").
    field_prefix = ""

    def __init__(self, request, params, model, model_admin):
        self.parameter_name = self.PARAMS[self.level]
        super().__init__(request, params, model, model_admin)

    def parent_code(self, request) -> str | None:
        """The region whose children are offered: the chosen parent, the parent of this level's own chosen
        value (a shared link may carry only ?kecamatan=...), or the user's own scope region."""
        scope = scope_region_code(request.user)
        if scope is None:
            return None
        if self.level == RegionLevel.PROVINCE:
            # Only national users choose a province; everybody else already lives in one.
            return "" if scope == "" else None
        parent_level = self.level - 1
        own = self.value() or ""
        candidates = [
            request.GET.get(self.PARAMS[parent_level], ""),
            own.rsplit(".", 1)[0] if _level_of(own) == self.level and "." in own else "",
            scope,
        ]
        for code in candidates:
            if code and _level_of(code) == parent_level and _within(code, scope):
                return code
        return None

    def lookups(self, request, model_admin):
        parent = self.parent_code(request)
        if parent is None:
            return []
        regions = Region.objects.filter(level=self.level)
        regions = regions.filter(parent_id=parent) if parent else regions
        return [(r.code, r.name) for r in regions.only("code", "name").order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if _level_of(value) != self.level:
            return queryset.none()
        # Out-of-scope codes simply find nothing: the base queryset is already scoped.
        return queryset.filter(**{self.field_prefix + self.COLUMNS[self.level]: value})

    def choices(self, changelist):
        lower = [p for level, p in self.PARAMS.items() if level > self.level]
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name, *lower]),
            "display": _("Semua"),
        }
        for code, name in self.lookup_choices:
            yield {
                "selected": self.value() == code,
                "query_string": changelist.get_query_string({self.parameter_name: code}, remove=lower),
                "display": name,
            }


class ProvinceFilter(RegionLevelFilter):
    title = _("provinsi")
    level = RegionLevel.PROVINCE


class RegencyFilter(RegionLevelFilter):
    title = _("kabupaten/kota")
    level = RegionLevel.REGENCY


class DistrictFilter(RegionLevelFilter):
    title = _("kecamatan")
    level = RegionLevel.DISTRICT


REGION_FILTERS = [ProvinceFilter, RegencyFilter, DistrictFilter]


def unit_region_filters(prefix: str) -> list[type[RegionLevelFilter]]:
    """The same cascade for records that reach the region columns through a relation (e.g. "unit__")."""
    return [type(f.__name__, (f,), {"field_prefix": prefix}) for f in REGION_FILTERS]


class EstimatedCountPaginator(Paginator):
    """A paginator that does not COUNT(*) a whole large table: with no WHERE clause at all (a national user,
    no filter, no search) PostgreSQL's planner estimate (pg_class.reltuples) is used once the table is
    large; filtered lists count exactly, through the region and status indexes."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = estimated_row_count(queryset.model, queryset.db)
            if estimate is not None and estimate >= ESTIMATE_THRESHOLD:
                return estimate
        return super().count


def estimated_row_count(model, using: str = "default") -> int | None:
    """The planner's row estimate of a model's table on PostgreSQL; None elsewhere (SQLite counts)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    if not row or row[0] is None or row[0] < 0:
        return None
    return int(row[0])
