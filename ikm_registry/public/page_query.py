"""A listing page's rows, with the parts of its SQL that are the same on every request compiled once.

Compiling the page query through the ORM was about a fifth of an API list's Python time: the select list
of `only()` and the ORDER BY of the keyset sort are resolved field by field, and both are the same on every
page of a listing. Only the FROM and WHERE clauses depend on the request's filters and cursor. So the
SELECT, the ORDER BY and the columns' converters are kept per shape (model, columns, ordering), and Django's
compiler compiles the FROM and WHERE of each request as before. The SQL is the ORM's, character for
character (tested against sql_with_params() for every filter and sort), and runs through Django's cursor.

Querysets this does not cover (annotations, select_related, distinct, prefetches, values()...) are
fetched by the ORM as usual.
"""

import threading
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

from ikm_registry.public.compiled import planned_cursor

MAX_SHAPES = 200  # a handful per listing (its sorts and directions): a guard, not a tuning knob

_lock = threading.Lock()
_shapes: dict[tuple, "Shape | None"] = {}


@dataclass(frozen=True)
class Shape:
    select: str  # "SELECT <columns>"
    order_by: str  # "ORDER BY <columns>", or "" without an ordering
    columns: tuple[str, ...]  # attnames in select order, for Model.from_db()
    converters: tuple  # (position, converters, expression) of the columns that have any


def shape_key(queryset: QuerySet) -> tuple | None:
    """What the SELECT and ORDER BY of `queryset` depend on; None when it is not a plain listing."""
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups
        or queryset._known_related_objects
        or query.select_related
        or query.annotations
        or query.extra
        or query.extra_order_by
        or query.distinct
        or query.combinator
        or query.select_for_update
        or query.group_by is not None
        or query.values_select
        or query.explain_info
        or query.subquery
    ):
        return None
    fields, defer = query.deferred_loading
    if any(not isinstance(o, str) for o in query.order_by):
        return None
    return (
        query.model,
        queryset.db,
        frozenset(fields),
        defer,
        tuple(query.order_by),
        query.standard_ordering,
        query.default_ordering,
    )


def _compile_shape(queryset: QuerySet) -> Shape | None:
    compiler = queryset.query.chain().get_compiler(queryset.db)
    extra_select, order_by, group_by = compiler.pre_sql_setup()
    if extra_select or group_by or compiler.having or compiler.qualify:
        return None
    columns = []
    for _, (sql, params), alias in compiler.select:
        if params or alias:
            return None
        columns.append(sql)
    ordering = []
    for _, (sql, params, _) in order_by:
        if params:
            return None
        ordering.append(sql)
    first, *_, last = compiler.klass_info["select_fields"]
    attnames = tuple(column.target.attname for column, *_ in compiler.select[first : last + 1])
    if len(attnames) != len(columns):
        return None
    converters = compiler.get_converters([column for column, *_ in compiler.select])
    return Shape(
        select="SELECT " + ", ".join(columns),
        order_by="ORDER BY " + ", ".join(ordering) if ordering else "",
        columns=attnames,
        converters=tuple((position, convs, expression) for position, (convs, expression) in converters.items()),
    )


def shape_of(queryset: QuerySet) -> Shape | None:
    key = shape_key(queryset)
    if key is None:
        return None
    if key in _shapes:
        return _shapes[key]
    shape = _compile_shape(queryset)
    with _lock:
        if len(_shapes) >= MAX_SHAPES:
            _shapes.clear()
        _shapes[key] = shape
    return shape


def page_sql(queryset: QuerySet, start: int, stop: int) -> tuple[Shape, str, list] | None:
    """(shape, SQL, parameters) of `queryset[start:stop]`; None when the ORM must compile it, and an empty SQL
    when it can match nothing."""
    shape = shape_of(queryset)
    if shape is None:
        return None
    query = queryset.query
    if query.where.contains_aggregate or query.where.contains_over_clause or query.is_sliced:
        return None
    if not query.alias_map:  # no filter at all: the compiler would add the table, as here
        query = query.chain()
        query.get_initial_alias()
    compiler = query.get_compiler(queryset.db)
    try:
        where, where_params = compiler.compile(query.where)
    except EmptyResultSet:
        return shape, "", []
    except FullResultSet:
        where, where_params = "", []
    from_, from_params = compiler.get_from_clause()
    parts = [shape.select, "FROM", *from_]
    if where:
        parts.append(f"WHERE {where}")
    if shape.order_by:
        parts.append(shape.order_by)
    parts.append(compiler.connection.ops.limit_offset_sql(start, stop))
    return shape, " ".join(parts), [*from_params, *where_params]


def fetch(queryset: QuerySet, start: int, stop: int, prepare: bool = False) -> list:
    """list(queryset[start:stop]) for a listing: model instances, the same query, less Python.

    With `prepare`, for a selection whose best plan does not depend on its values (IKMUnitFilter.planned_alike),
    a page from the start or a cursor runs as a prepared statement, planned once per connection: planning was
    0.2 of the 0.23 ms PostgreSQL spent on a kab/kota's page. Pages at an offset are not prepared (each offset
    is another statement)."""
    compiled = page_sql(queryset, start, stop)
    if compiled is None:
        return list(queryset[start:stop])
    shape, sql, params = compiled
    if not sql:
        return []
    using = queryset.db
    connection = connections[using]
    with planned_cursor(using) if prepare and not start else connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if shape.converters:
        rows = list(map(list, rows))
        for row in rows:
            for position, convs, expression in shape.converters:
                value = row[position]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[position] = value
    from_db, columns = queryset.model.from_db, shape.columns
    return [from_db(using, columns, row) for row in rows]
