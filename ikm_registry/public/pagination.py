"""Keyset ("cursor") pagination for the directory's deep pages and for the API.

OFFSET 900000 reads and throws away 900,000 index entries (61 ms on a million units here); a keyset page
starts where the previous one ended, `WHERE (business_name, id) > ('…', 123)`, and costs the same on page
50,000 as on page 1. The cursor is the last row's sort key, encoded as URL-safe base64 JSON, so a deep page
is still a shareable URL. A cursor that does not decode is the client's mistake: CursorError, a 4xx.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass, field

from django.db.models import BooleanField, F, Func, Value

from ikm_registry.public.page_query import fetch

# Sort name -> (columns, descending). Every key ends in the primary key, so it is unique and stable.
SORTS: dict[str, tuple[tuple[str, ...], bool]] = {
    "name": (("business_name", "id"), False),
    "-name": (("business_name", "id"), True),
    "newest": (("id",), True),
    # In the order units changed: a program keeping a copy resumes where it stopped (docs/api.md).
    "updated": (("updated_at", "id"), False),
    "-updated": (("updated_at", "id"), True),
}
# Key columns whose values JSON cannot carry as they are: written as ISO 8601 text in the cursor.
TIME_COLUMNS = frozenset({"updated_at"})
NEXT, PREVIOUS, LAST = "n", "p", "l"


class CursorError(ValueError):
    """A cursor that is not one we made (edited, truncated, or for another sort)."""


class RowCompare(Func):
    """(a, b) > (x, y): a row comparison, which PostgreSQL (and SQLite) answer with one index range scan."""

    output_field = BooleanField()

    def __init__(self, columns: tuple[str, ...], operator: str, values: list):
        self.operator = operator
        self.width = len(columns)
        super().__init__(*[F(c) for c in columns], *[Value(v) for v in values])

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({left}) {self.operator} ({right})", params


def encode_cursor(sort: str, direction: str, key: list) -> str:
    raw = json.dumps({"s": sort, "d": direction, "k": key}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, sorts: dict = SORTS) -> tuple[str, list]:
    """(direction, key) of a cursor made by encode_cursor for `sort`; CursorError for anything else.

    >>> decode_cursor(encode_cursor("name", NEXT, ["Amplang", 7]), "name")
    ('n', ['Amplang', 7])
    >>> decode_cursor("bm9wZQ", "name")
    Traceback (most recent call last):
    ...
    ikm_registry.public.pagination.CursorError: bad cursor
    """
    columns, _ = sorts[sort]
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        direction, key = data["d"], data["k"]
        valid = (
            data["s"] == sort
            and direction in (NEXT, PREVIOUS, LAST)
            and isinstance(key, list)
            and (
                _valid_last_key(key)
                if direction == LAST
                else len(key) == len(columns) and all(_valid_key_value(c, v) for c, v in zip(columns, key, strict=True))
            )
        )
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
        valid = False
    if not valid:
        raise CursorError("bad cursor")
    if direction != LAST:
        key = [
            datetime.datetime.fromisoformat(value) if column in TIME_COLUMNS else value
            for column, value in zip(columns, key, strict=True)
        ]
    return direction, key


def _valid_key_value(column: str, value) -> bool:
    # A value the database would refuse (text for an id, an id past bigint, a NUL) must be a 4xx, not a 500.
    if column == "id":
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63
    if column in TIME_COLUMNS:
        return isinstance(value, str) and len(value) <= 40 and datetime.datetime.fromisoformat(value).tzinfo is not None
    return isinstance(value, str) and "\x00" not in value and len(value) <= 500


def _valid_last_key(key: list) -> bool:
    # The last page's size, so that it holds what the last numbered page would: [1..500].
    return len(key) == 1 and isinstance(key[0], int) and not isinstance(key[0], bool) and 1 <= key[0] <= 500


@dataclass
class KeysetPage:
    rows: list
    sort: str
    has_next: bool
    has_previous: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    last_cursor: str = field(default="")


def paginate(
    queryset,
    sort: str,
    size: int,
    cursor: str | None = None,
    offset: int = 0,
    sorts: dict = SORTS,
    total: int | None = None,
    prepare: bool = False,
) -> KeysetPage:
    """One page of `queryset` in `sort` order: after/before a cursor, the last page, or at an offset.

    Offsets serve the first few numbered pages (cheap); cursors serve everything deeper, at the same cost.
    `total`, when the caller knows it, makes the last page's cursor hold the remainder (45 rows: 5).
    `prepare`: the selection's plan does not depend on its values (see page_query.fetch).
    Fetches one row more than the page to know whether another page follows: one query.
    """
    columns, descending = sorts[sort]
    fields, deferring = queryset.query.deferred_loading
    missing = [c for c in columns if c != "id" and c not in fields]  # the primary key is always read
    if fields and not deferring and missing:
        # A listing reads only its own columns (only()); a sort key left out (updated_at) would cost a query
        # for each cursor. Read only when the sort needs it: its timestamps are 8 % of an API list otherwise.
        queryset = queryset.only(*fields, *missing)
    forward = [f"-{c}" if descending else c for c in columns]
    backward = [c if descending else f"-{c}" for c in columns]
    direction, key = (NEXT, None)
    if cursor:
        direction, key = decode_cursor(cursor, sort, sorts)
    if direction == NEXT and key is not None:
        queryset = queryset.filter(RowCompare(columns, "<" if descending else ">", key)).order_by(*forward)
    elif direction == PREVIOUS:
        queryset = queryset.filter(RowCompare(columns, ">" if descending else "<", key)).order_by(*backward)
    elif direction == LAST:
        queryset = queryset.order_by(*backward)
    else:
        queryset = queryset.order_by(*forward)
    start = offset if not cursor else 0
    limit = min(key[0], size) if direction == LAST else size
    rows = fetch(queryset, start, start + limit + 1, prepare)
    more = len(rows) > limit
    rows = rows[:limit]
    if direction in (PREVIOUS, LAST):
        rows.reverse()
        has_previous, has_next = more, direction == PREVIOUS
    else:
        has_previous, has_next = bool(cursor) or offset > 0, more

    def key_of(row) -> list:
        return [getattr(row, c).isoformat() if c in TIME_COLUMNS else getattr(row, c) for c in columns]

    return KeysetPage(
        rows=rows,
        sort=sort,
        has_next=has_next,
        has_previous=has_previous,
        next_cursor=encode_cursor(sort, NEXT, key_of(rows[-1])) if has_next and rows else None,
        previous_cursor=encode_cursor(sort, PREVIOUS, key_of(rows[0])) if has_previous and rows else None,
        # With a known total the last page holds the remainder, as the last numbered page does.
        last_cursor=encode_cursor(sort, LAST, [(total - 1) % size + 1 if total else size]),
    )
