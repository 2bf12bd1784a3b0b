"""The SQLite worker thread: queued writes share one commit, yet each rolls back alone."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from storage import StorageError, upgrade_async
from storage.checkpoint import BACKSTOP_PAGES, Checkpointer
from storage.engine import create_sqlite_thread_engine
from storage.runners import ThreadRunner

from .helpers import count_write_commits


@pytest.fixture
async def runner(tmp_path: Path) -> ThreadRunner:
    """A thread runner on a migrated SQLite file with a scratch table."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'runner.sqlite3'}"
    await upgrade_async(url)
    engine = create_sqlite_thread_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (n INTEGER PRIMARY KEY)"))
    return ThreadRunner(engine, max_batch=8)


async def test_queued_writes_are_committed_together_and_fail_alone(runner: ThreadRunner) -> None:
    commits = count_write_commits(runner._engine)
    gate = threading.Event()

    def insert(n: int) -> Callable[[Connection], int]:
        def work(connection: Connection) -> int:
            connection.execute(text("INSERT INTO scratch (n) VALUES (:n)"), {"n": n})
            if n == 3:
                raise ValueError("unit 3 fails")
            return n

        return work

    # Hold the worker thread so the next writes queue up behind it.
    blocker = asyncio.ensure_future(runner.read(lambda connection: gate.wait(5)))
    await asyncio.sleep(0.05)
    writes = [asyncio.ensure_future(runner.write(insert(n))) for n in range(6)]
    await asyncio.sleep(0.05)
    gate.set()
    await blocker
    results = await asyncio.gather(*writes, return_exceptions=True)

    assert results[:3] == [0, 1, 2] and results[4:] == [4, 5]
    assert isinstance(results[3], ValueError)
    assert len(commits) == 1
    stored = await runner.read(
        lambda c: [row.n for row in c.execute(text("SELECT n FROM scratch ORDER BY n"))]
    )
    assert stored == [0, 1, 2, 4, 5]
    await runner.close()


async def test_batches_are_capped(runner: ThreadRunner) -> None:
    commits = count_write_commits(runner._engine)
    gate = threading.Event()
    blocker = asyncio.ensure_future(runner.read(lambda connection: gate.wait(5)))
    await asyncio.sleep(0.05)

    def insert(n: int) -> Callable[[Connection], object]:
        return lambda connection: connection.execute(text("INSERT INTO scratch (n) VALUES (:n)"), {"n": n})

    writes = [asyncio.ensure_future(runner.write(insert(n))) for n in range(20)]
    await asyncio.sleep(0.05)
    gate.set()
    await blocker
    await asyncio.gather(*writes)
    assert len(commits) == 3  # 8 + 8 + 4
    await runner.close()


async def test_cancelled_caller_does_not_break_the_thread(runner: ThreadRunner) -> None:
    gate = threading.Event()
    blocker = asyncio.ensure_future(runner.read(lambda connection: gate.wait(5)))
    await asyncio.sleep(0.05)
    doomed = asyncio.ensure_future(
        runner.write(lambda c: c.execute(text("INSERT INTO scratch (n) VALUES (1)")))
    )
    await asyncio.sleep(0.01)
    doomed.cancel()
    gate.set()
    await blocker
    # The unit still ran (it was already queued); later work proceeds normally.
    count = await runner.read(lambda c: c.execute(text("SELECT count(*) FROM scratch")).scalar())
    assert count == 1
    await runner.close()


async def test_closed_runner_refuses_work_and_close_is_idempotent(runner: ThreadRunner) -> None:
    pending = asyncio.ensure_future(
        runner.write(lambda c: c.execute(text("INSERT INTO scratch (n) VALUES (7)")))
    )
    await asyncio.sleep(0)
    await runner.close()
    await pending  # queued before close: still committed
    await runner.close()
    with pytest.raises(StorageError, match="closed"):
        await runner.write(lambda c: None)
    with pytest.raises(StorageError, match="closed"):
        await runner.read(lambda c: None)


async def test_short_write_runs_on_the_loop_thread_when_the_writer_is_idle(runner: ThreadRunner) -> None:
    def insert(connection: Connection) -> str:
        connection.execute(text("INSERT INTO scratch (n) VALUES (1)"))
        return threading.current_thread().name

    assert await runner.write(insert, short=True) == threading.current_thread().name
    assert await runner.write(lambda c: threading.current_thread().name) != threading.current_thread().name
    count = await runner.read(lambda c: c.execute(text("SELECT count(*) FROM scratch")).scalar())
    assert count == 1
    await runner.close()


async def test_short_writes_queue_behind_a_busy_writer_and_keep_their_order(runner: ThreadRunner) -> None:
    gate = threading.Event()
    # A long write holds the worker thread: short writes must wait for it, not run beside it.
    long_write = asyncio.ensure_future(runner.write(lambda connection: gate.wait(5)))
    await asyncio.sleep(0.05)
    shorts = [
        asyncio.ensure_future(
            runner.write(
                lambda c, n=n: c.execute(text("INSERT INTO scratch (n) VALUES (:n)"), {"n": n}).lastrowid,
                short=True,
            )
        )
        for n in range(5)
    ]
    await asyncio.sleep(0.05)
    assert not any(write.done() for write in shorts)
    gate.set()
    await long_write
    assert await asyncio.gather(*shorts) == [0, 1, 2, 3, 4]
    await runner.close()


async def test_short_write_does_not_block_the_loop_while_another_process_writes(
    runner: ThreadRunner, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "runner.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.ensure_future(ticker())
    write = asyncio.ensure_future(
        runner.write(lambda c: c.execute(text("INSERT INTO scratch (n) VALUES (5)")), short=True)
    )
    await asyncio.sleep(0.3)
    assert not write.done()  # waiting in the worker thread for the lock ...
    assert ticks >= 10  # ... while the event loop goes on
    other.execute("ROLLBACK")
    other.close()
    await asyncio.wait_for(write, timeout=10)
    ticking.cancel()
    count = await runner.read(lambda c: c.execute(text("SELECT count(*) FROM scratch")).scalar())
    assert count == 1
    # The next short write runs inline again.
    assert (
        await runner.write(lambda c: threading.current_thread().name, short=True)
        == threading.current_thread().name
    )
    await runner.close()


async def test_failed_short_write_rolls_back_alone(runner: ThreadRunner) -> None:
    def failing(connection: Connection) -> None:
        connection.execute(text("INSERT INTO scratch (n) VALUES (1)"))
        raise ValueError("boom")

    with pytest.raises(ValueError):
        await runner.write(failing, short=True)
    await runner.write(lambda c: c.execute(text("INSERT INTO scratch (n) VALUES (2)")), short=True)
    stored = await runner.read(lambda c: [row.n for row in c.execute(text("SELECT n FROM scratch"))])
    assert stored == [2]
    await runner.close()


async def test_checkpoints_run_in_the_background_and_close_empties_the_log(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ckpt.sqlite3'}"
    await upgrade_async(url)
    engine = create_sqlite_thread_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == BACKSTOP_PAGES
        connection.execute(text("CREATE TABLE scratch (n INTEGER PRIMARY KEY, pad TEXT)"))
    runner = ThreadRunner(engine)
    runner._checkpointer = Checkpointer(engine, every=10)
    for n in range(50):
        await runner.write(
            lambda c, n=n: c.execute(
                text("INSERT INTO scratch VALUES (:n, :pad)"), {"n": n, "pad": "x" * 3000}
            ),
            short=n % 2 == 0,
        )
    for _ in range(100):
        if runner._checkpointer.checkpoints:
            break
        await asyncio.sleep(0.02)
    assert runner._checkpointer.checkpoints >= 1
    wal = tmp_path / "ckpt.sqlite3-wal"
    await runner.close()
    assert not wal.exists() or wal.stat().st_size == 0
    check = sqlite3.connect(tmp_path / "ckpt.sqlite3")
    assert check.execute("SELECT count(*) FROM scratch").fetchone() == (50,)
    check.close()
