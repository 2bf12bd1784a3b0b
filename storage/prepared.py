"""A Core statement built once and run through SQLAlchemy's public ``Connection.execute``.

Every backend (SQLite file, in-memory SQLite, PostgreSQL) runs the same calls. An earlier
version ran the statements of file SQLite on the driver's cursor with what SQLAlchemy had
compiled (its compiler internals), to save about 0.3 ms an update; at Telegram's 30 messages a
second that bought nothing a person could notice (issue 16), so only the interface is left:
the repositories name their statements once (:mod:`storage.statements`) and call these methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from storage.errors import StorageError

Params = Mapping[str, Any]


class Prepared:
    """One Core statement, executed with parameters by name."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement

    def run(self, connection: Connection, params: Params) -> int:
        """Execute once; the number of rows changed."""
        return int(connection.execute(self.statement, dict(params)).rowcount)

    def run_many(self, connection: Connection, rows: Sequence[Params]) -> None:
        """Execute once per row (all rows have the same keys)."""
        if rows:
            connection.execute(self.statement, [dict(row) for row in rows])

    def insert(self, connection: Connection, params: Params) -> int:
        """Execute an INSERT; the new row's integer primary key."""
        key = connection.execute(self.statement, dict(params)).inserted_primary_key
        new_id = key[0] if key else None
        if new_id is None:
            raise StorageError("the database returned no id for the new row")
        return int(new_id)

    def first(self, connection: Connection, params: Params) -> Any:
        """The first row (or ``None``); rows have attribute access by column name."""
        return connection.execute(self.statement, dict(params)).first()

    def all(self, connection: Connection, params: Params) -> list[Any]:
        """Every row; rows have attribute access by column name."""
        return list(connection.execute(self.statement, dict(params)).all())
