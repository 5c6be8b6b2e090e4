"""An import's new rows and their history rows, written by COPY on PostgreSQL.

`bulk_create` compiles every value of every row into the SQL statement, and since Django 5.2 it passes each
column as an array that psycopg quotes in Python: in a profile of a 10,000-row commit those two steps were
nearly half of the commit's time, more than PostgreSQL spent storing the rows. `COPY ... FROM STDIN` sends the rows
as a stream that psycopg formats in C, with nothing to compile. The primary keys come from the table's
sequence first, so the rows keep them as `bulk_create` would have given them, and the history rows are the
ones django-simple-history's `bulk_create_with_history` writes, field for field. Elsewhere (SQLite) this is
`bulk_create_with_history` itself.
"""

import datetime
import decimal

from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object, get_history_manager_for_model

# Values that psycopg writes as the column expects without Django's conversions; anything else (a lazy string,
# a file, a dict for a JSON column) goes through the field's own get_db_prep_save, as in bulk_create.
RAW_TYPES = frozenset({str, int, bool, decimal.Decimal, datetime.date})


def create_with_history(
    objs: list, model, *, default_user=None, default_change_reason="", default_date=None, batch_size: int = 500
) -> list:
    """Insert `objs` (new instances of `model`) and their "+" history rows, in one transaction."""
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=default_user,
            default_change_reason=default_change_reason,
            default_date=default_date,
        )
    history = get_history_manager_for_model(model)
    history_model = history.model
    with transaction.atomic(using=using, savepoint=False):
        copy_insert(model, objs, using)
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
        copy_insert(history_model, rows, using)
    return objs


def copy_insert(model, objs: list, using: str) -> None:
    """COPY new instances of `model` into its table (PostgreSQL), giving each its primary key from the table's
    sequence first, and mark them saved."""
    if not objs:
        return
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    table = meta.db_table
    with connection.cursor() as cursor:
        missing = [obj for obj in objs if obj.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk.column, len(missing)],
            )
            for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = value
        fields = list(meta.local_concrete_fields)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        # pre_save() only where a field has one of its own (auto_now dates, files); the attribute otherwise.
        saves = [type(field).pre_save is not Field.pre_save for field in fields]
        statement = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        # Errors as Django's (an IntegrityError for a duplicate NIB), as if bulk_create had raised them.
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            for obj in objs:
                row = []
                for field, save in zip(fields, saves, strict=True):
                    value = field.pre_save(obj, True) if save else getattr(obj, field.attname)
                    if value is not None and type(value) not in RAW_TYPES and not _aware_datetime(value):
                        value = field.get_db_prep_save(value, connection)
                    row.append(value)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def _aware_datetime(value) -> bool:
    return type(value) is datetime.datetime and value.tzinfo is not None
