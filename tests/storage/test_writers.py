"""Writers: one at a time on SQLite without "database is locked", marks written before returning,
a lock held elsewhere past the busy timeout reported as StorageUnavailable."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Connection, make_url, text

from domain.case import UserView
from domain.outcome import Outcome
from storage import Storage, StorageUnavailable
from storage.engine import BUSY_TIMEOUT_MS
from storage.units import THREADS, SqliteThreadUnits, open_units
from tests.databases import run_unit

from .helpers import decide, texts

CHAT = 10


async def _outbox(db_url: str) -> dict[int, tuple[bool, int | None]]:
    """``entry id -> (sent, telegram message id)``, read on connections of their own."""

    def read(connection: Connection) -> dict[int, tuple[bool, int | None]]:
        rows = connection.execute(text("select id, sent_at, telegram_message_id from outbox"))
        return {row.id: (row.sent_at is not None, row.telegram_message_id) for row in rows}

    return await run_unit(db_url, read)


async def test_mark_sent_is_committed_when_it_returns(store: Storage, db_url: str) -> None:
    result = await store.handle(1, CHAT, "k1", decide(replies=texts("a", "b")))
    first, second = result.entries
    await store.mark_sent(first.id, 77)
    assert (await _outbox(db_url)) == {first.id: (True, 77), second.id: (False, None)}
    assert await store.unsent() == [second]


async def test_many_writers_on_two_storages_all_land(db_url: str) -> None:
    """Two processes' worth of Storage objects, many tasks each: updates and marks, none refused."""
    first = await Storage.connect(db_url)
    second = await Storage.connect(db_url, migrate=False)
    try:

        async def one(store: Storage, user: int) -> list[int]:
            result = await store.handle(user, CHAT, f"k{user}", decide(replies=texts("a", "b")))
            for entry in result.entries:
                await store.mark_sent(entry.id, 1000 + entry.id)
            return [entry.id for entry in result.entries]

        results = await asyncio.gather(*(one((first, second)[user % 2], user) for user in range(60)))
        ids = [entry_id for result in results for entry_id in result]
        assert len(ids) == 120
        assert await first.unsent() == [] and await second.unsent() == []
        assert (await _outbox(db_url)) == {entry_id: (True, 1000 + entry_id) for entry_id in ids}
    finally:
        await first.close()
        await second.close()


async def test_sqlite_write_units_of_one_storage_never_overlap(tmp_path: Path) -> None:
    store = await Storage.connect(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    inside = 0
    most = 0
    guard = threading.Lock()

    def counted(view: UserView) -> Outcome:  # runs inside the write transaction
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        try:
            return decide(replies=texts("x"))(view)
        finally:
            with guard:
                inside -= 1

    try:
        await asyncio.gather(*(store.handle(user, CHAT, f"k{user}", counted) for user in range(40)))
    finally:
        await store.close()
    assert most == 1


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite gives up waiting for another writer after 50 ms instead of 5 s."""
    monkeypatch.setattr("storage.engine.BUSY_TIMEOUT_MS", 50)


@pytest.mark.usefixtures("short_busy_timeout")
async def test_a_write_lock_held_elsewhere_past_the_busy_timeout_is_storage_unavailable(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'locked.sqlite3'}"
    store = await Storage.connect(url)
    sent = await store.handle(1, CHAT, "k0", decide(replies=texts("a")))
    holder = sqlite3.connect(make_url(url).database or "", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StorageUnavailable, match="OperationalError"):
            await store.handle(2, CHAT, "k1", decide(replies=texts("b")))
        with pytest.raises(StorageUnavailable, match="OperationalError"):
            await store.mark_sent(sent.entries[0].id, 5)
        assert (await store.load_view(1)).user_id == 1  # reads go on meanwhile
        holder.execute("ROLLBACK")
        result = await store.handle(2, CHAT, "k1", decide(replies=texts("b")))  # nothing of it was stored
        assert result.duplicate is False and len(result.entries) == 1
        await store.mark_sent(sent.entries[0].id, 5)
        assert await store.unsent() == result.entries
    finally:
        holder.close()
        await store.close()


async def test_a_sqlite_file_is_checkpointed_in_a_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.units.CHECKPOINT_EVERY", 3)
    ran = threading.Event()
    threads: list[str] = []
    original = SqliteThreadUnits._run_checkpoint

    def recorded(self: SqliteThreadUnits) -> None:
        original(self)
        threads.append(threading.current_thread().name)
        ran.set()

    monkeypatch.setattr(SqliteThreadUnits, "_run_checkpoint", recorded)
    store = await Storage.connect(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        for user in range(3):
            await store.handle(user, CHAT, f"k{user}", decide(replies=texts("x")))
        assert await asyncio.to_thread(ran.wait, 30)
        assert threads[0].startswith("sqlite")
    finally:
        await store.close()


async def test_each_worker_thread_keeps_its_connections_and_a_checkpoint_needs_none_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every worker thread holds its writer and reader; the checkpoint still runs, on a thread's own."""
    monkeypatch.setattr("storage.units.CHECKPOINT_EVERY", 2)
    ran = threading.Event()
    original = SqliteThreadUnits._run_checkpoint

    def recorded(self: SqliteThreadUnits) -> None:
        original(self)
        ran.set()

    monkeypatch.setattr(SqliteThreadUnits, "_run_checkpoint", recorded)
    units = open_units(f"sqlite:///{tmp_path / 'threads.sqlite3'}")
    try:
        await units.run(lambda c: c.exec_driver_sql("create table t (n integer)"))
        # Reads that meet at a barrier run on every worker thread at once: each thread opens its
        # writer and reader then, so the pool has none left.
        barrier = threading.Barrier(THREADS)

        def meet(connection: Connection) -> int:
            barrier.wait(timeout=30)
            return id(connection)

        readers = await asyncio.gather(*(units.run(meet, read_only=True) for _ in range(THREADS)))
        assert len(set(readers)) == THREADS
        for n in range(2):
            await units.run(lambda c, n=n: c.execute(text("insert into t values (:n)"), {"n": n}))
        assert await asyncio.to_thread(ran.wait, 20)
        assert await units.run(lambda c: c.exec_driver_sql("select count(*) from t").scalar()) == 2
        # The same connections serve the next units: a unit costs no checkout from the pool.
        again = await asyncio.gather(*(units.run(meet, read_only=True) for _ in range(THREADS)))
        assert set(again) == set(readers)
    finally:
        await units.close()
    assert not [r for r in caplog.records if "checkpoint failed" in r.getMessage()]


async def test_a_kept_connection_that_was_invalidated_is_opened_again(tmp_path: Path) -> None:
    """A unit whose connection broke (SQLAlchemy invalidated it) rolls back; the next units reconnect."""
    units = open_units(f"sqlite:///{tmp_path / 'broken.sqlite3'}")

    def broken(connection: Connection) -> None:
        connection.execute(text("insert into t values (1)"))
        connection.invalidate()
        raise RuntimeError("the connection broke")

    try:
        await units.run(lambda c: c.exec_driver_sql("create table t (n integer)"))
        for _ in range(2 * THREADS):  # whichever thread each lands on
            with pytest.raises(RuntimeError):
                await units.run(broken)
        await units.run(lambda c: c.execute(text("insert into t values (2)")))
        assert await units.run(lambda c: c.exec_driver_sql("select n from t").scalars().all()) == [2]
    finally:
        await units.close()


async def test_an_idle_write_runs_on_the_event_loop_and_a_foreign_lock_sends_it_to_a_thread(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A write while nothing else runs skips the thread hop; while another process holds the write
    lock, it waits in a worker thread (the event loop goes on), then runs."""
    path = tmp_path / "inline.sqlite3"
    units = open_units(f"sqlite:///{path}")

    def insert(connection: Connection) -> str:
        connection.execute(text("insert into t values (1)"))
        return threading.current_thread().name

    holder = sqlite3.connect(path, isolation_level=None)
    try:
        await units.run(lambda c: c.exec_driver_sql("create table t (n integer)"))
        assert await units.run(insert) == threading.current_thread().name  # inline
        assert await units.run(lambda c: threading.current_thread().name, read_only=True) != (
            threading.current_thread().name
        )
        holder.execute("BEGIN IMMEDIATE")  # another process's writer
        loop = asyncio.get_running_loop()
        # asyncio's debug mode logs a step that holds the loop longer than this; waiting for the
        # lock on the loop would hold it for the whole busy timeout (5 s).
        loop.set_debug(True)
        loop.slow_callback_duration = BUSY_TIMEOUT_MS / 1000 / 2
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            write = asyncio.ensure_future(units.run(insert))
            meanwhile = asyncio.Event()
            loop.call_soon(meanwhile.set)
            await meanwhile.wait()
            assert not write.done()  # it waits for the lock in a worker thread
            holder.execute("ROLLBACK")
            name = await write
        loop.set_debug(False)
        assert not [r for r in caplog.records if r.name == "asyncio"], "the event loop was held"
        assert name.startswith("sqlite")
        assert await units.run(lambda c: c.exec_driver_sql("select count(*) from t").scalar()) == 2
        assert await units.run(insert) == threading.current_thread().name  # inline again
    finally:
        holder.close()
        await units.close()


async def test_a_one_statement_unit_skips_begin_and_commit_on_postgresql_only(db_url: str) -> None:
    """A sent mark is one statement: PostgreSQL commits it alone (two round trips fewer)."""
    units = open_units(db_url)

    def in_transaction(connection: Connection) -> bool:
        connection.exec_driver_sql("select 1")
        driver = connection.connection.driver_connection
        return bool(
            driver.is_in_transaction() if connection.dialect.name == "postgresql" else driver.in_transaction
        )

    try:
        assert await units.run(in_transaction) is True
        assert await units.run(in_transaction, one_statement=True) is (units.dialect.name != "postgresql")
        assert await units.run(in_transaction) is True  # the pooled connection is back to transactions
    finally:
        await units.close()


async def test_replies_of_one_update_get_increasing_ids_in_their_order(store: Storage) -> None:
    result = await store.handle(1, CHAT, "k1", decide(replies=texts("a", "b", "c", "d")))
    assert [entry.reply.text for entry in result.entries] == ["a", "b", "c", "d"]
    ids = [entry.id for entry in result.entries]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert await store.unsent() == result.entries
