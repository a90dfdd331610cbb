"""Database helpers that are not specific to one domain."""

from __future__ import annotations

import re
import weakref
from typing import Any

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
