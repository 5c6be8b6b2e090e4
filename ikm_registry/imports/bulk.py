"""An import's new rows and their history rows, written without compiling an INSERT per batch.

`bulk_create` compiles every value of every row into an SQL statement, and on PostgreSQL (since Django 5.2)
it passes each column as an array that psycopg quotes in Python. In profiles of a 10,000-row commit that was
nearly half of the commit's time on both databases, more than the database spent storing the rows. Here the
rows go to PostgreSQL as `COPY ... FROM STDIN` (a stream psycopg formats in C) and to SQLite through the
driver's `executemany` (one prepared statement, run once per row in C). The primary keys are taken first (from
the table's sequence, or on SQLite after the largest key ever given), so the rows keep them as `bulk_create`
would have given them, and the history rows are the ones django-simple-history's `bulk_create_with_history`
writes, field for field. Any other database gets `bulk_create_with_history` itself.
"""

import datetime
import decimal

from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object, get_history_manager_for_model

# Values the driver writes as the column expects without Django's conversions; anything else (a lazy string, a
# file, a dict for a JSON column, on SQLite a date or a Decimal) goes through the field's get_db_prep_save, as
# in bulk_create. SQLite gets aware times as Django stores them there (naive, in UTC), so only PostgreSQL takes
# them as they are.
RAW_TYPES = {
    "postgresql": frozenset({str, int, bool, decimal.Decimal, datetime.date}),
    "sqlite": frozenset({str, int, bool}),
}


def create_with_history(
    objs: list, model, *, default_user=None, default_change_reason="", default_date=None, batch_size: int = 500
) -> list:
    """Insert `objs` (new instances of `model`) and their "+" history rows, in one transaction."""
    using = router.db_for_write(model)
    if connections[using].vendor not in RAW_TYPES:
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=default_user,
            default_change_reason=default_change_reason,
            default_date=default_date,
        )
    history_model = get_history_manager_for_model(model).model
    with transaction.atomic(using=using, savepoint=False):
        insert_new(model, objs, using)
        # As simple_history's bulk_history_create builds them.
        rows = []
        for instance in objs:
            row = history_model(
                history_date=getattr(instance, "_history_date", default_date or timezone.now()),
                history_user=getattr(
                    instance, "_history_user", default_user or history_model.get_default_history_user(instance)
                ),
                history_change_reason=get_change_reason_from_object(instance) or default_change_reason,
                history_type="+",
                **{field.attname: getattr(instance, field.attname) for field in history_model.tracked_fields},
            )
            if hasattr(history_model, "history_relation"):
                row.history_relation_id = instance.pk
            rows.append(row)
        insert_new(history_model, rows, using)
    return objs


def insert_new(model, objs: list, using: str) -> None:
    """Insert new instances of `model` (PostgreSQL or SQLite), each with a primary key taken first, and mark
    them saved. Call it inside a transaction."""
    if not objs:
        return
    connection = connections[using]
    missing = [obj for obj in objs if obj.pk is None]
    for obj, key in zip(missing, new_keys(model, len(missing), connection) if missing else [], strict=True):
        obj.pk = key
    fields = list(model._meta.local_concrete_fields)
    # pre_save() only where a field has one of its own (auto_now dates, files); the attribute otherwise.
    saves = [type(field).pre_save is not Field.pre_save for field in fields]
    raw = RAW_TYPES[connection.vendor]
    aware_raw = connection.vendor == "postgresql"
    rows = []
    for obj in objs:
        row = []
        for field, save in zip(fields, saves, strict=True):
            value = field.pre_save(obj, True) if save else getattr(obj, field.attname)
            if value is not None and type(value) not in raw and not (aware_raw and _aware_datetime(value)):
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row)
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Errors as Django's (an IntegrityError for a duplicate NIB), as if bulk_create had raised them.
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def new_keys(model, count: int, connection) -> list[int]:
    """`count` primary keys no row of `model`'s table has had: from its sequence on PostgreSQL; on SQLite after
    the largest key in the table or ever given (AUTOINCREMENT keeps it in sqlite_sequence), which no one else
    can take meanwhile, as SQLite has one writer at a time and the project opens transactions IMMEDIATE."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk, count],
            )
            return [key for (key,) in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk)}) FROM {connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()
        start = max(largest, given[0] if given else 0) + 1
        return list(range(start, start + count))


def _aware_datetime(value) -> bool:
    return type(value) is datetime.datetime and value.tzinfo is not None
