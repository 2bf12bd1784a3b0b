"""Prepared statements store and read values exactly as SQLAlchemy does, and fail the same way."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, StatementError

from storage import upgrade
from storage.engine import create_sqlite_thread_engine
from storage.models import CLASSIFICATION_STATS, OUTBOX, PROCESSED_UPDATES, REMINDERS, USERS
from storage.prepared import Prepared
from storage.rows import case_columns
from storage.statements import statements_for

from .helpers import make_case

WHEN = datetime(2026, 11, 25, 14, 3, 19, 603838, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[Connection, Path]]:
    """A connection of the threaded SQLite engine on a migrated file, and the file."""
    path = tmp_path / "prepared.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    engine = create_sqlite_thread_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        yield connection, path
    engine.dispose()


def _raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows as SQLite holds them (no SQLAlchemy type processing)."""
    with sqlite3.connect(path) as raw:
        return raw.execute(sql).fetchall()


def test_values_are_stored_exactly_as_sqlalchemy_stores_them(db: tuple[Connection, Path]) -> None:
    connection, path = db
    row = {
        "update_key": "k",
        "user_id": 7,
        "chat_id": 7,
        "seq": 0,
        "payload": {"text": "维权", "buttons": [["是", "y"]]},
        "document": b"\x00pdf",
        "created_at": WHEN,
        "sent_at": None,
        "telegram_message_id": None,
    }
    with connection.begin():
        fast_id = Prepared(insert(OUTBOX)).insert(connection, row)
        slow_id = connection.execute(insert(OUTBOX), row).inserted_primary_key[0]  # type: ignore[index]
        stat = {
            "day": date(2026, 11, 25),
            "intent": "zhuli",
            "clarified_as": "",
            "needed_clarification": True,
        }
        Prepared(insert(CLASSIFICATION_STATS)).run(connection, {**stat, "count": 1})
        connection.execute(insert(CLASSIFICATION_STATS), {**stat, "needed_clarification": False, "count": 1})
    assert fast_id == slow_id - 1
    fast, slow = _raw(path, "select payload, document, created_at from outbox order by id")
    assert fast == slow
    assert fast[2] == "2026-11-25 06:03:19.603838"  # naive UTC, SQLAlchemy's format
    assert _raw(path, "select day, needed_clarification from classification_stats order by 2") == [
        ("2026-11-25", 0),
        ("2026-11-25", 1),
    ]


def test_rows_are_read_back_with_the_column_types(db: tuple[Connection, Path]) -> None:
    connection, _ = db
    with connection.begin():
        connection.execute(
            insert(USERS),
            {
                "user_id": 1,
                "current_case_id": None,
                "pending": {"a": "b"},
                "created_at": WHEN,
                "updated_at": WHEN,
            },
        )
        stmt = select(USERS.c.user_id, USERS.c.pending, USERS.c.created_at.label("since")).where(
            USERS.c.user_id == bindparam("uid")
        )
        fast = Prepared(stmt).first(connection, {"uid": 1})
        slow = connection.execute(stmt, {"uid": 1}).first()
        assert Prepared(stmt).first(connection, {"uid": 2}) is None
        assert Prepared(stmt).all(connection, {"uid": 1}) == [fast]
    assert fast is not None and slow is not None
    assert tuple(fast) == tuple(slow)
    assert (fast.user_id, fast.pending, fast.since) == (1, {"a": "b"}, WHEN)
    assert fast.since.tzinfo is not None


def test_returning_literals_and_many_rows(db: tuple[Connection, Path]) -> None:
    connection, path = db
    sql = statements_for("sqlite")
    claim = {"update_key": "u1", "user_id": 1, "processed_at": WHEN}
    with connection.begin():
        assert sql.claim_update.first(connection, claim).update_key == "u1"
        assert sql.claim_update.first(connection, claim) is None  # ON CONFLICT DO NOTHING
        connection.execute(
            insert(USERS),
            {"user_id": 1, "current_case_id": None, "pending": {}, "created_at": WHEN, "updated_at": WHEN},
        )
        assert sql.upsert_new_case.first(connection, case_columns(make_case(1, "c1"))).id == "c1"
        assert sql.upsert_new_case.first(connection, case_columns(make_case(2, "c1"))) is None  # not theirs
        reminders = [
            {
                "id": f"r{n}",
                "case_id": "c1",
                "user_id": 1,
                "due_at": WHEN,
                "purpose": "p",
                "status": "pending",
            }
            for n in range(3)
        ]
        Prepared(insert(REMINDERS)).run_many(connection, reminders)
        # The statement holds literals ("pending", "cancelled"); only the b_* values are given.
        assert sql.cancel_reminders.run(connection, {"b_user_id": 1, "b_case_id": "c1"}) == 3
        assert sql.cancel_reminders.run(connection, {"b_user_id": 1, "b_case_id": "c1"}) == 0
    assert _raw(path, "select distinct status from reminders") == [("cancelled",)]


def test_driver_errors_are_sqlalchemy_errors_and_missing_values_are_named(
    db: tuple[Connection, Path],
) -> None:
    connection, _ = db
    row = {"update_key": "dup", "user_id": 1, "processed_at": WHEN}
    with connection.begin():
        Prepared(insert(PROCESSED_UPDATES)).run(connection, row)
        with pytest.raises(IntegrityError):
            Prepared(insert(PROCESSED_UPDATES)).run(connection, row)
        mark = Prepared(
            update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id")).values(sent_at=bindparam("sent_at"))
        )
        with pytest.raises(StatementError, match="b_id"):
            mark.run(connection, {"sent_at": datetime.now(UTC)})
        with pytest.raises(StatementError, match="naive"):
            Prepared(insert(PROCESSED_UPDATES)).run(
                connection, {**row, "update_key": "n", "processed_at": datetime.now()}
            )
