"""Querysets compiled to SQL once per process, with one `IN (...)` list left open for each request to fill.

The directory asks the same few questions on every page, differing only in which units they are about: the
OVOP stars and the sentra of the twenty units shown, the certificates, stars and sentra of the units
selected. Building and compiling those querysets through the ORM cost more Python time than the database
spent answering them (about a quarter of an uncached page). The querysets stay the single place where the
rules live (latest rating per product, certificates in force, current memberships); only their SQL is kept.

    stars = compiled(("unit-stars",), lambda ids: OVOPRating.objects.filter(unit_id__in=ids).values_list(...))
    rows = stars.rows([12, 15, 18])          # or stars.with_subquery(sql, params) for a unit subquery

A value that differs between requests (a kab/kota code) is given as OPEN_PARAM when building and filled with
bind(value), so that the query is compiled, and prepared, once for all of them.

The open list is marked by a RawSQL placeholder; the parameters before and after it are kept in order, so the
filled query is exactly the one the ORM would have built. Keys must hold everything the queryset depends on
besides the open list and an OPEN_PARAM (a date, say).

On PostgreSQL these queries, and the directory's counts within a kab/kota, also run as prepared statements
(planned_cursor): the database plans each once per connection instead of once per page. Planning was most of
their database time: the twenty units' stars, 0.14 ms planning against 0.03 ms running; a kab/kota's counts,
0.7 of 4 ms.
"""

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

OPEN_LIST = "__ikm_open_list__"
# A parameter left open, filled per request by OpenQuery.bind(): one compiled query for every kab/kota.
OPEN_PARAM = "__ikm_open_param__"
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

    def bind(self, value) -> "OpenQuery":
        """The query with `value` for the OPEN_PARAM its queryset was built with."""

        def bound(params: tuple) -> tuple:
            return tuple(value if isinstance(p, str) and p == OPEN_PARAM else p for p in params)

        return replace(self, params_before=bound(self.params_before), params_after=bound(self.params_after))

    def with_subquery(self, sql: str, params) -> tuple[str, list]:
        """The SQL and parameters with `sql` (a SELECT of one column) as the open list."""
        return self.before + sql + self.after, [*self.params_before, *params, *self.params_after]

    def with_values(self, values: list) -> tuple[str, list]:
        """The SQL and parameters with `values` as the open list (at least one value).

        The list is padded with its last value to a power of two: `IN` ignores the repeats, and a page's
        lists of 17 to 32 values share one statement to prepare instead of sixteen."""
        padded = [*values, *[values[-1]] * (_bucket(len(values)) - len(values))]
        return self.with_subquery(", ".join(["%s"] * len(padded)), padded)

    def rows(self, values: list) -> list[tuple]:
        """The query's rows for these values (none for an empty list, without asking the database)."""
        if not values:
            return []
        sql, params = self.with_values(values)
        with planned_cursor(self.using) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _bucket(n: int) -> int:
    """The power of two at or above n.

    >>> [_bucket(n) for n in (1, 2, 3, 20, 32, 33)]
    [1, 2, 4, 32, 32, 64]
    """
    return 1 << (n - 1).bit_length()


@contextmanager
def planned_cursor(using: str = "default") -> Iterator:
    """A cursor whose statements PostgreSQL plans once per connection: prepared, with their generic plan.

    Only for queries whose best plan does not depend on their parameters' values (a page's units by id, the
    counts inside one kab/kota, both driven by an index on the value). The rest of the application keeps
    Django's client-side binding, which psycopg never prepares. Through Django's own cursor wrapper, so
    query logging, assertNumQueries and execute_wrapper see these queries as any other. Elsewhere (SQLite,
    or DATABASE_PREPARED_STATEMENTS off) this is Django's cursor.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_thread_sharing()
    prepared, debug = _prepared_classes()
    with connection.wrap_database_errors:
        raw = prepared(connection.connection)
    # Django's wrappers, as connection.cursor() gives them.
    with debug(raw, connection) if connection.queries_logged else connection.make_cursor(raw) as cursor:
        yield cursor


@functools.cache
def _prepared_classes():
    from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor  # needs psycopg
    from django.db.backends.utils import CursorWrapper

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    class PreparedCursorDebugWrapper(CursorDebugWrapper):
        # Logged with its values written in: psycopg keeps no text of a prepared statement's execution, where
        # Django's logging looks for it.
        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return CursorWrapper.execute(self, sql, params)  # with the execute_wrapper()s

    return PreparedCursor, PreparedCursorDebugWrapper


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
