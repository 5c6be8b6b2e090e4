"""Text search over IKM units' name, brand and products, for the public directory and the API.

On PostgreSQL every word of the query becomes an ILIKE '%word%' on one expression, which the trigram GIN
index of migration 0003 (pg_trgm, over public rows) answers: a substring search that finds "sumpit" in
"Sumpit kayu" and "rotan" in "Lampit rotan", without the 'indonesian' stemmer's mangling ("Kerajinan"
becomes "rajin") and in a few milliseconds at a million rows. On SQLite (embedded, small offices) the same
words are matched with a plain case-insensitive scan of the three columns.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, TextField, Value

MAX_WORDS = 6
MAX_WORD_LENGTH = 60


SEARCH_COLUMNS = ("business_name", "brand", "main_products")
# What staff search in the admin: the public columns and the owner's name (migration 0018's index, over every
# unit). Owner names stay out of the public search and its index.
STAFF_SEARCH_COLUMNS = (*SEARCH_COLUMNS, "owner_name")


class SearchDocument(Func):
    """name || ' ' || brand || ' ' || products: exactly the expression the trigram index is built on (with
    `columns=STAFF_SEARCH_COLUMNS`, the staff index's)."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = TextField()

    def __init__(self, prefix: str = "", columns: tuple[str, ...] = SEARCH_COLUMNS):
        super().__init__(*[F(prefix + column) for column in columns])


class ILike(Func):
    """`expression ILIKE pattern` (PostgreSQL), a condition usable in filter()."""

    arg_joiner = " ILIKE "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, expression, pattern: str):
        super().__init__(expression, Value(pattern))


def search_words(query: str) -> list[str]:
    """The words of a query, as the search uses them: at most six, each trimmed to 60 characters.

    >>> search_words('  amplang   "ikan belida" ')
    ['amplang', 'ikan', 'belida']
    >>> search_words("")
    []
    """
    words = [w for w in re.split(r"[\s\"',;]+", query or "") if w]
    return [w[:MAX_WORD_LENGTH] for w in words[:MAX_WORDS]]


def like_escape(word: str) -> str:
    r"""Escape LIKE wildcards so that a visitor's "50%" matches a literal percent sign.

    >>> like_escape("50%_a\\b")
    '50\\%\\_a\\\\b'
    """
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def unit_search_q(query: str, prefix: str = "", indexed: bool = True) -> Q | None:
    """A condition matching units whose name, brand or products contain every word of `query`.

    `prefix` reaches the unit through a relation (e.g. "unit__" from OVOP ratings). None for an empty query.
    `indexed=False` checks the columns one by one, which the trigram index cannot answer: right when another
    filter already narrows the rows to a few thousand (a kab/kota), where PostgreSQL would otherwise AND the
    region index with a trigram scan of every unit matching a common word ("kue": 60,000 rows, 20 ms) instead
    of reading the kab/kota's rows (1 ms). The two forms match the same units.
    """
    words = search_words(query)
    if not words:
        return None
    condition = Q()
    if connection.vendor == "postgresql" and indexed:
        document = SearchDocument(prefix)
        for word in words:
            condition &= Q(ILike(document, f"%{like_escape(word)}%"))
    else:
        for word in words:
            condition &= (
                Q(**{prefix + "business_name__icontains": word})
                | Q(**{prefix + "brand__icontains": word})
                | Q(**{prefix + "main_products__icontains": word})
            )
    return condition


def staff_search_q(query: str) -> Q | None:
    """The admin's search on PostgreSQL: units whose name, brand, products or owner's name contain every word,
    or whose NIB or IKM code is one of the words, as Django's search over the admin's search_fields would find.

    Django joins one `UPPER(column) LIKE` per field with OR, which no index answers, so a national account read
    every unit (0.8 s at a million). Here each word is one ILIKE on the expression of the staff trigram index
    (migration 0018), and the NIB and code are compared exactly, through their unique indexes.
    """
    words = search_words(query)
    if not words:
        return None
    document = SearchDocument(columns=STAFF_SEARCH_COLUMNS)
    condition = Q()
    for word in words:
        condition &= Q(ILike(document, f"%{like_escape(word)}%")) | Q(nib=word) | Q(registry_code=word.upper())
    return condition
