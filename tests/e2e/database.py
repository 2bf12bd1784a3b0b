"""Reading the running bot's database from the end-to-end tests, on SQLite or PostgreSQL.

The tests look at the rows themselves (not through ``storage/``) so that a check like "every
row of the person is gone" does not trust the code it checks. SQL is written with ``?``
placeholders and plain SQL both backends understand; a query opens its own short connection
(SQLite read-only; the bot uses WAL, so a reader never blocks it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import asyncpg

Row = tuple[Any, ...]

_SQLITE = "sqlite:///"
_POSTGRES = "postgresql+asyncpg://"


def db_path(tmp_path: Path) -> Path:
    """The SQLite file the ``database_url`` fixture gives a test (SQLite runs only)."""
    return tmp_path / "data" / "weiquan.db"


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
    """Rows of ``sql`` read from the SQLite file ``db`` (read-only); see :class:`Database` for both backends."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10.0)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


class Database:
    """The bot's database, given the ``DATABASE_URL`` the bot was started with."""

    def __init__(self, url: str) -> None:
        if not url.startswith((_SQLITE, _POSTGRES)):
            raise ValueError(f"unsupported database url {url.split(':', 1)[0]!r}")
        self.url = url

    @property
    def is_sqlite(self) -> bool:
        """True for the SQLite file, False for PostgreSQL."""
        return self.url.startswith(_SQLITE)

    async def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        """Rows of ``sql`` (with ``?`` placeholders); ``[]`` while the bot has not created its tables."""
        if self.is_sqlite:
            return self._sqlite_rows(sql, params)
        return await self._postgres_rows(sql, params)

    def _sqlite_rows(self, sql: str, params: tuple[Any, ...]) -> list[Row]:
        path = Path(self.url[len(_SQLITE) :].split("?", 1)[0])
        if not path.exists():
            return []
        try:
            return query(path, sql, params)
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise

    async def _postgres_rows(self, sql: str, params: tuple[Any, ...]) -> list[Row]:
        parts = sql.split("?")
        numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))
        connection = await asyncpg.connect("postgresql://" + self.url[len(_POSTGRES) :])
        try:
            return [tuple(record) for record in await connection.fetch(numbered, *params)]
        except asyncpg.UndefinedTableError:
            return []
        finally:
            await connection.close()

    async def tables(self) -> dict[str, set[str]]:
        """Every table of the bot and its column names."""
        if self.is_sqlite:
            names = [
                name for (name,) in await self.rows("select name from sqlite_master where type = 'table'")
            ]
            return {
                name: {row[1] for row in await self.rows(f"pragma table_info('{name}')")} for name in names
            }
        found: dict[str, set[str]] = {}
        sql = "select table_name, column_name from information_schema.columns where table_schema = 'public'"
        for table, column in await self.rows(sql):
            found.setdefault(str(table), set()).add(str(column))
        return found

    async def dump_text(self) -> str:
        """Every row of every table of the bot, as one text to search for what must not be there."""
        lines = [
            f"{name}: {await self.rows(f'select * from {name}')!r}" for name in sorted(await self.tables())
        ]
        return "\n".join(lines)


async def case_rows(db: Database, user_id: int) -> list[Row]:
    """``(id, issue_type, stage, step, status, outcome)`` of the person's cases, oldest first."""
    sql = (
        "select id, issue_type, stage, step, status, outcome from cases where user_id = ? order by created_at"
    )
    return await db.rows(sql, (user_id,))


async def user_tables(db: Database) -> dict[str, str]:
    """Tables holding a person's data -> the column tying a row to the person (``user_id`` or ``case_id``)."""
    tables: dict[str, str] = {}
    for name, columns in (await db.tables()).items():
        if "user_id" in columns:
            tables[name] = "user_id"
        elif "case_id" in columns:
            tables[name] = "case_id"
    assert {"users", "cases", "case_facts", "timeline", "evidence", "reminders", "outbox"} <= tables.keys()
    return tables


async def rows_of(
    db: Database, user_id: int, case_ids: list[str], tables: dict[str, str]
) -> dict[str, list[Row]]:
    """Every row of the person in each table (by user id, or by the ids of the person's cases)."""
    found: dict[str, list[Row]] = {}
    for table, column in sorted(tables.items()):
        if column == "user_id":
            found[table] = await db.rows(f"select * from {table} where user_id = ? order by 1", (user_id,))
        else:
            marks = ",".join("?" * len(case_ids)) or "''"
            sql = f"select * from {table} where case_id in ({marks}) order by 1"
            found[table] = await db.rows(sql, tuple(case_ids))
    return found


async def dump(db: Database) -> dict[str, list[Row]]:
    """Every row of every table."""
    return {name: await db.rows(f"select * from {name}") for name in await db.tables()}
