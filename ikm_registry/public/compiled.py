"""Querysets compiled to SQL once per process, with one `IN (...)` list left open for each request to fill.

The directory asks the same few questions on every page, differing only in which units they are about: the
OVOP stars and the sentra of the twenty units shown, the certificates, stars and sentra of the units
selected. Building and compiling those querysets through the ORM cost more Python time than the database
spent answering them (about a quarter of an uncached page). The querysets stay the single place where the
rules live (latest rating per product, certificates in force, current memberships); only their SQL is kept.

    stars = compiled(("unit-stars",), lambda ids: OVOPRating.objects.filter(unit_id__in=ids).values_list(...))
    rows = stars.rows([12, 15, 18])          # or stars.with_subquery(sql, params) for a unit subquery

The open list is marked by a RawSQL placeholder; the parameters before and after it are kept in order, so the
filled query is exactly the one the ORM would have built. Keys must hold everything the queryset depends on
besides the open list (a date, a kab/kota code).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

OPEN_LIST = "__ikm_open_list__"
MAX_KEPT = 2000  # keys are small (a name, a date, perhaps a kab/kota): a few hundred in practice

_lock = threading.Lock()
_kept: dict[tuple, "OpenQuery | None"] = {}


@dataclass(frozen=True)
class OpenQuery:
    before: str
    after: str
    params_before: tuple
    params_after: tuple
    using: str

    @classmethod
    def from_sql(cls, sql: str, params, using: str) -> "OpenQuery":
        before, marker, after = sql.partition(OPEN_LIST)
        if not marker or OPEN_LIST in after:
            raise ValueError("The queryset must use the open list exactly once.")
        # Parameters are the %s placeholders in order; a literal percent sign is written %%.
        split = before.replace("%%", "").count("%s")
        params = tuple(params)
        return cls(before, after, params[:split], params[split:], using)

    def with_subquery(self, sql: str, params) -> tuple[str, list]:
        """The SQL and parameters with `sql` (a SELECT of one column) as the open list."""
        return self.before + sql + self.after, [*self.params_before, *params, *self.params_after]

    def with_values(self, values: list) -> tuple[str, list]:
        """The SQL and parameters with `values` as the open list (at least one value)."""
        return self.with_subquery(", ".join(["%s"] * len(values)), values)

    def rows(self, values: list) -> list[tuple]:
        """The query's rows for these values (none for an empty list, without asking the database)."""
        if not values:
            return []
        sql, params = self.with_values(values)
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def compiled(
    key: tuple, build: Callable[[RawSQL], QuerySet | tuple[str, tuple] | None], using: str = "default"
) -> OpenQuery | None:
    """The SQL of `build(open_list)`, compiled on first use of `key`; None if it can match nothing.

    `build` receives the placeholder to use as the right side of one `__in` lookup and returns the queryset,
    or (sql, params) for SQL that wraps a compiled queryset, or None for SQL that can match nothing.
    """
    key = (using, *key)
    if key in _kept:
        return _kept[key]
    try:
        built = build(RawSQL(OPEN_LIST, ()))
        if isinstance(built, QuerySet):
            built = built.query.sql_with_params()
        query = None if built is None else OpenQuery.from_sql(*built, using)
    except EmptyResultSet:
        query = None
    with _lock:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = query
    return query


def forget() -> None:
    with _lock:
        _kept.clear()
