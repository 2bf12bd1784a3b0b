"""Engine configuration: URL validation, SQLite pragmas and write locking, UTC datetimes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from domain.case import UserView
from domain.outcome import SetPending
from storage import Storage, StorageConfigError, create_engine, upgrade_async
from storage.coltypes import UTCDateTime
from storage.engine import BUSY_TIMEOUT_MS, parse_url
from storage.units import open_units

from .helpers import decide, texts


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "not a url",
        "mysql+aiomysql://u@h/db",
        "postgresql+psycopg2://u@h/db",
        "sqlite+pysqlcipher:///x.db",
        "postgresql+asyncpg://localhost",
        "http://example.com/db",
    ],
)
def test_bad_urls_raise_config_error_naming_the_variable(url: str) -> None:
    with pytest.raises(StorageConfigError) as raised:
        create_engine(url)
    message = str(raised.value)
    assert "DATABASE_URL" in message
    assert "\n" not in message


async def test_connect_with_bad_url_raises_config_error() -> None:
    with pytest.raises(StorageConfigError):
        await Storage.connect("oracle://scott@tiger/db")


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///x.db", "sqlite+pysqlite"),
        ("sqlite+pysqlite:///x.db", "sqlite+pysqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
        ("postgres://u@h/db", "postgresql+asyncpg"),
        ("postgresql://u@h/db", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u:p%40ss@h:5433/db", "postgresql+asyncpg"),
    ],
)
def test_accepted_urls_name_the_driver_used(url: str, driver: str) -> None:
    assert parse_url(url).drivername == driver


async def test_sqlite_creates_parent_folder_and_turns_pragmas_on(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "bot.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as connection:
            journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
            foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar()
            busy = (await connection.execute(text("PRAGMA busy_timeout"))).scalar()
        assert path.exists()
        assert journal == "wal"
        assert foreign_keys == 1
        assert busy == BUSY_TIMEOUT_MS
    finally:
        await engine.dispose()


async def test_sqlite_write_transaction_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    path = tmp_path / "lock.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            # No statement yet: BEGIN IMMEDIATE alone must already hold the write lock.
            await connection.execute(text("SELECT 1"))
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
    finally:
        await engine.dispose()


async def test_sqlite_read_only_transactions_do_not_block_writers(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with engine.execution_options(weiquan_read_only=True).begin() as connection:
            await connection.execute(text("SELECT count(*) FROM users"))
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            finally:
                other.close()
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///{path}", "pysqlite"),  # one worker-thread hop a unit (storage.units)
        ("sqlite+pysqlite:///{path}", "pysqlite"),
        ("sqlite+aiosqlite:///{path}", "aiosqlite"),  # AsyncEngine.begin + run_sync
        ("sqlite://", "pysqlite"),
        ("sqlite+aiosqlite://", "aiosqlite"),
    ],
)
async def test_the_urls_driver_is_the_driver_used_and_keeps_a_case(
    url: str, driver: str, tmp_path: Path
) -> None:
    storage = await Storage.connect(url.format(path=tmp_path / "d.sqlite3"))
    try:
        assert storage.dialect_name == "sqlite"
        assert storage.driver == driver
        assert await storage.load_view(1) == UserView(user_id=1)
        first = await storage.handle(1, 10, "k1", decide(SetPending({"asked": "x"}), replies=texts("a", "b")))
        again = await storage.handle(1, 10, "k1", decide(SetPending({"asked": "y"}), replies=texts("c")))
        assert again.duplicate is True and again.entries == first.entries
        await storage.mark_sent(first.entries[0].id, 5)
        assert await storage.unsent() == first.entries[1:]
        assert (await storage.load_view(1)).pending == {"asked": "x"}
    finally:
        await storage.close()


async def test_the_stdlib_driver_has_no_async_engine() -> None:
    with pytest.raises(StorageConfigError, match="open_units"):
        create_engine("sqlite:///x.db")


async def test_a_sqlite_file_on_the_stdlib_driver_turns_pragmas_on(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "p.sqlite3"
    units = open_units(f"sqlite:///{path}")
    try:
        pragmas = await units.run(
            lambda connection: [
                connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]
        )
        assert path.exists()
        assert pragmas == ["wal", 1, BUSY_TIMEOUT_MS]
    finally:
        await units.close()


def test_utc_datetime_refuses_naive_and_normalises_offsets() -> None:
    column = UTCDateTime()
    sqlite_dialect = create_engine("sqlite+aiosqlite://").sync_engine.dialect
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(datetime(2026, 1, 1), sqlite_dialect)
    beijing = timezone(timedelta(hours=8))
    stored = column.process_bind_param(datetime(2026, 1, 1, 8, tzinfo=beijing), sqlite_dialect)
    assert stored == datetime(2026, 1, 1, 0, 0)
    assert column.process_result_value(stored, sqlite_dialect) == datetime(2026, 1, 1, tzinfo=UTC)


async def test_datetimes_read_back_aware_utc(store: Storage) -> None:
    from domain.outcome import SaveCase

    from .helpers import decide, make_case

    beijing = timezone(timedelta(hours=8))
    created = datetime(2026, 5, 1, 20, 0, tzinfo=beijing)
    await store.handle(1, 1, None, decide(SaveCase(make_case(1, created_at=created, updated_at=created))))
    (case,) = (await store.load_view(1)).cases
    assert case.created_at == created
    assert case.created_at.utcoffset() == timedelta(0)


async def test_a_locked_database_fails_begin_with_sqlalchemys_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.engine.BUSY_TIMEOUT_MS", 0)
    path = tmp_path / "locked.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        async with engine.connect() as connection:  # WAL mode on before the other takes the lock
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 0
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"):
            async with engine.begin():
                pass
        other.execute("ROLLBACK")
        async with engine.begin() as connection:  # free again: the pooled connection is usable
            assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        other.close()
        await engine.dispose()
