"""Statements of the hot path, compiled by SQLAlchemy once and run straight on SQLite's cursor.

An update runs a dozen small statements. On SQLite, ``Connection.execute`` spends about four
times as long in Python (cache lookup, parameter processing, result set-up) as the database
spends running the statement. A :class:`Prepared` statement keeps what SQLAlchemy compiled
for the SQLite dialect: the SQL text, the order of its parameters and the type processors
of its parameters and result columns (timezone-aware datetimes, JSON, booleans, dates); each
call then only converts the values and runs the SQL on the driver's cursor, inside the
connection's transaction. Values are stored exactly as SQLAlchemy stores them, and driver
errors are wrapped in SQLAlchemy's exceptions (``IntegrityError``, ...) as usual.

On PostgreSQL, on SQLite through aiosqlite (in-memory databases), and for a statement SQLAlchemy would add Python-side defaults to, the same
calls go through ``Connection.execute``. Statements run this way bypass engine events
(``before_cursor_execute``), so logging or counting statements through events misses them.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError, StatementError

from storage.engine import HIDE_PARAMETERS
from storage.errors import StorageError

Params = Mapping[str, Any]
Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Plan:
    """What running one statement on SQLite needs, for one set of parameter names."""

    sql: str
    #: ``(parameter name, bind processor, value when the caller gives none)`` in SQL order;
    #: the value is :data:`_REQUIRED` when the caller must give one.
    binds: tuple[tuple[str, Processor, Any], ...]
    #: A named tuple class for the rows (``None`` when the statement returns no rows).
    row: Any
    #: Result processors, one per column.
    results: tuple[Processor, ...]

    def values(self, params: Params) -> list[Any]:
        """The positional values for ``params``."""
        out = []
        for name, process, default in self.binds:
            if name in params:
                value = params[name]
            elif default is _REQUIRED:
                raise StorageError(f"statement parameter {name!r} not given")
            else:
                value = default
            out.append(value if process is None or value is None else process(value))
        return out

    def make_row(self, raw: Sequence[Any]) -> Any:
        """A named row from a driver row, with the column types' result processing."""
        return self.row._make(
            value if process is None or value is None else process(value)
            for value, process in zip(raw, self.results, strict=True)
        )


_NO_PLAN = object()
_REQUIRED = object()


class Prepared:
    """One Core statement, run on SQLite's cursor when it can be (see the module docstring)."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._plans: dict[tuple[str, ...], Any] = {}

    # --- calls ---------------------------------------------------------------------------

    def run(self, connection: Connection, params: Params) -> int:
        """Execute once; the number of rows changed."""
        plan = self._plan(connection, params)
        if plan is None:
            return int(connection.execute(self.statement, dict(params)).rowcount)
        cursor = self._cursor(connection, plan, params)
        return int(cursor.rowcount)

    def run_many(self, connection: Connection, rows: Sequence[Params]) -> None:
        """Execute once per row (all rows have the same keys)."""
        if not rows:
            return
        plan = self._plan(connection, rows[0])
        if plan is None:
            connection.execute(self.statement, [dict(row) for row in rows])
            return
        values = [plan.values(row) for row in rows]
        try:
            _driver(connection).executemany(plan.sql, values)
        except sqlite3.Error as error:
            raise _wrapped(connection, plan, values, error) from error

    def insert(self, connection: Connection, params: Params) -> int:
        """Execute an INSERT; the new row's integer primary key."""
        plan = self._plan(connection, params)
        if plan is None:
            key = connection.execute(self.statement, dict(params)).inserted_primary_key
            new_id = key[0] if key else None
        else:
            new_id = self._cursor(connection, plan, params).lastrowid
        if new_id is None:
            raise StorageError("the database returned no id for the new row")
        return int(new_id)

    def first(self, connection: Connection, params: Params) -> Any:
        """The first row (or ``None``); rows have attribute access by column name."""
        plan = self._plan(connection, params)
        if plan is None:
            return connection.execute(self.statement, dict(params)).first()
        raw = self._cursor(connection, plan, params).fetchone()
        return None if raw is None else plan.make_row(raw)

    def all(self, connection: Connection, params: Params) -> list[Any]:
        """Every row; rows have attribute access by column name."""
        plan = self._plan(connection, params)
        if plan is None:
            return list(connection.execute(self.statement, dict(params)).all())
        return [plan.make_row(raw) for raw in self._cursor(connection, plan, params).fetchall()]

    # --- the SQLite plan -----------------------------------------------------------------

    def _plan(self, connection: Connection, params: Params) -> _Plan | None:
        """The plan for these parameter names on this connection, or ``None``: use SQLAlchemy."""
        dialect = connection.dialect
        if dialect.driver != "pysqlite":  # PostgreSQL, or SQLite through aiosqlite
            return None
        key = tuple(params)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _compile(self.statement, dialect, key) or _NO_PLAN
        return plan if isinstance(plan, _Plan) else None

    @staticmethod
    def _cursor(connection: Connection, plan: _Plan, params: Params) -> sqlite3.Cursor:
        """Run ``plan`` with ``params`` on the connection's driver connection."""
        values = plan.values(params)
        try:
            return _driver(connection).execute(plan.sql, values)
        except sqlite3.Error as error:
            raise _wrapped(connection, plan, values, error) from error


def _driver(connection: Connection) -> sqlite3.Connection:
    """The stdlib ``sqlite3`` connection under a SQLAlchemy connection (in its transaction)."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def _wrapped(connection: Connection, plan: _Plan, values: Any, error: sqlite3.Error) -> StatementError:
    """The SQLAlchemy exception SQLAlchemy would have raised for ``error``."""
    return DBAPIError.instance(
        plan.sql, values, error, sqlite3.Error, hide_parameters=HIDE_PARAMETERS, dialect=connection.dialect
    )


def _compile(statement: Any, dialect: Dialect, keys: Iterable[str]) -> _Plan | None:
    """Compile ``statement`` for ``dialect`` with these parameter names; ``None`` if it needs SQLAlchemy."""
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
    if compiled.insert_prefetch or compiled.update_prefetch or compiled.positiontup is None:
        return None  # Python-side column defaults, or not a positional paramstyle
    binds = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if bind.expanding:
            return None
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        default = _REQUIRED if bind.required else bind.effective_value
        binds.append((name, process, default))
    columns = _result_columns(statement)
    row = namedtuple("Row", [name for name, _ in columns]) if columns else None
    results = tuple(type_.dialect_impl(dialect).result_processor(dialect, None) for _, type_ in columns)
    return _Plan(sql=compiled.string, binds=tuple(binds), row=row, results=results)


def _result_columns(statement: Any) -> list[tuple[str, Any]]:
    """``(name, type)`` of the columns the statement returns (SELECT or RETURNING), else empty."""
    if statement.is_select:
        return [(column.key, column.type) for column in statement.selected_columns]
    if statement.is_dml:
        return [(column["name"], column["type"]) for column in statement.returning_column_descriptions]
    return []
