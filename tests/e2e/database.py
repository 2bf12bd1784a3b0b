"""Reading the running bot's SQLite file from the end-to-end tests (the bot uses WAL, so a reader never blocks it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def db_path(tmp_path: Path) -> Path:
    """The bot's SQLite file (see ``database_url`` in conftest.py)."""
    return tmp_path / "data" / "weiquan.db"


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` read from the bot's SQLite file ``db`` (read-only)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10.0)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def case_rows(tmp_path: Path, user_id: int) -> list[tuple[Any, ...]]:
    """``(id, issue_type, stage, step, status, outcome)`` of the person's cases, oldest first."""
    sql = (
        "select id, issue_type, stage, step, status, outcome from cases where user_id = ? order by created_at"
    )
    return query(db_path(tmp_path), sql, (user_id,))


def user_tables(db: Path) -> dict[str, str]:
    """Tables holding a person's data -> the column that ties a row to the person (user or case)."""
    tables: dict[str, str] = {}
    for (name,) in query(db, "select name from sqlite_master where type = 'table'"):
        columns = {row[1] for row in query(db, f"pragma table_info('{name}')")}
        if "user_id" in columns:
            tables[name] = "user_id"
        elif "case_id" in columns:
            tables[name] = "case_id"
    assert {"users", "cases", "case_facts", "timeline", "evidence", "reminders", "outbox"} <= tables.keys()
    return tables


def rows_of(
    db: Path, user_id: int, case_ids: list[str], tables: dict[str, str]
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the person in each table (by user id, or by the ids of the person's cases)."""
    found: dict[str, list[tuple[object, ...]]] = {}
    for table, column in sorted(tables.items()):
        if column == "user_id":
            found[table] = query(db, f"select * from {table} where user_id = ? order by 1", (user_id,))
        else:
            marks = ",".join("?" * len(case_ids)) or "''"
            found[table] = query(
                db, f"select * from {table} where case_id in ({marks}) order by 1", tuple(case_ids)
            )
    return found


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table."""
    names = [name for (name,) in query(db, "select name from sqlite_master where type = 'table'")]
    return {name: query(db, f"select * from {name}") for name in names}
