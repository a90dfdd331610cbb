"""Database helpers that are not specific to one domain."""

from __future__ import annotations

import re
import weakref
from typing import Any

from django.db import connection

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# Prepared statements live as long as the database session; a reconnect
# starts with none, so they are tracked per raw connection.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def execute_prepared(cursor, name: str, sql: str, params: dict[str, Any], types: dict[str, str]):
    """Execute ``sql`` (with ``%(key)s`` placeholders) as a server-side
    prepared statement called ``name``, preparing it on first use in this
    database session.

    For a complex query run very often on tiny inputs (one case's routing),
    planning costs more than executing; a prepared statement is planned once
    per session. ``types`` names every placeholder's SQL type, in the order
    of the statement's parameters.
    """
    order = list(types)
    raw = cursor.db.connection
    done = _prepared.setdefault(raw, set())
    if name not in done:
        positional = _PLACEHOLDER.sub(lambda match: f"${order.index(match[1]) + 1}", sql)
        cursor.execute(f"PREPARE {name} ({', '.join(types.values())}) AS {positional}")
        done.add(name)  # a prepared statement outlives a rolled-back transaction
    arguments = ", ".join(f"%({key})s" for key in order)
    cursor.execute(f"EXECUTE {name} ({arguments})", params)


def row_insert_unless_present(instance, *, unique: str) -> bool:
    """Insert ``instance`` unless a row with its value of the unique field
    ``unique`` exists, in one statement (``INSERT … ON CONFLICT DO NOTHING``):
    True, with its primary key set, if it was inserted.

    What ``get_or_create`` does in four round trips (a look-up, a savepoint,
    the insert, its release); a concurrent insert of the same value waits for
    the other transaction, as a unique index makes it, and then counts as
    present. The columns are written as ``save()`` writes a new row (field
    defaults, ``auto_now_add``, JSON and foreign keys prepared by the fields,
    related objects checked as saved); unlike ``save()`` no signals are sent,
    and a present value still takes a number from the primary key's sequence.
    For a plain model with an automatic primary key: anything else (a parent
    model, a primary key given, a generated column, a database default or
    an expression as a value) is refused with a TypeError.
    """
    meta = type(instance)._meta
    if meta.parents or meta.auto_field is None or instance.pk is not None:
        raise TypeError(f"{meta.label}: only a new row of a plain model with an automatic key")
    instance._prepare_related_fields_for_save(operation_name="row_insert_unless_present")
    fields = [field for field in meta.local_concrete_fields if not field.primary_key]
    values = []
    for field in fields:
        value = field.pre_save(instance, True)
        if field.generated or hasattr(value, "resolve_expression"):
            raise TypeError(f"{meta.label}.{field.name}: computed by the database")
        values.append(field.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    # Names from the model, values as parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(meta.get_field(unique).column)}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return True
