"""The SQLite worker thread: queued writes share one commit, yet each rolls back alone."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, text

from storage import StorageError, upgrade_async
from storage.engine import READ_ONLY_OPTION, create_sqlite_thread_engine
from storage.runners import ThreadRunner


def _read_only(connection: Connection) -> bool:
    """True for the runner's read-only transactions (which commit too)."""
    return bool(connection.get_execution_options().get(READ_ONLY_OPTION, False))


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
    commits: list[int] = []
    event.listen(runner._engine, "commit", lambda connection: commits.append(int(not _read_only(connection))))
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
    assert sum(commits) == 1
    stored = await runner.read(
        lambda c: [row.n for row in c.execute(text("SELECT n FROM scratch ORDER BY n"))]
    )
    assert stored == [0, 1, 2, 4, 5]
    await runner.close()


async def test_batches_are_capped(runner: ThreadRunner) -> None:
    commits: list[int] = []
    event.listen(runner._engine, "commit", lambda connection: commits.append(int(not _read_only(connection))))
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
    assert sum(commits) == 3  # 8 + 8 + 4
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
