"""Where a unit of work runs: a plain function taking a sync ``Connection``, in one transaction.

Every backend runs it with SQLAlchemy's public async API (:class:`EngineUnits`), except a SQLite
file, which runs it in one worker-thread hop (:class:`SqliteThreadUnits`, see its measurement).
Both commit when the function returns and roll back if it raises; the function never commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import URL, Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import READ_ONLY_OPTION, SQLITE_THREADS, create_sqlite_sync_engine

T = TypeVar("T")
Work = Callable[[Connection], T]


class EngineUnits:
    """``async with engine.begin() as connection: await connection.run_sync(work)``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.dialect = engine.dialect
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})

    async def run(self, work: Work[T], *, read_only: bool = False) -> T:
        """Run ``work`` in a transaction (read-only: DEFERRED on SQLite, never blocking a writer)."""
        async with (self._reader if read_only else self._engine).begin() as connection:
            return await connection.run_sync(work)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()


def _in_transaction(engine: Engine, work: Work[T]) -> T:
    """Run ``work`` in a transaction of ``engine`` (in a worker thread)."""
    with engine.begin() as connection:
        return work(connection)


class SqliteThreadUnits:
    """A SQLite file: each unit of work in one hop to a worker thread, on the stdlib ``sqlite3``
    driver that aiosqlite wraps, with the same pragmas and BEGIN events.

    Through aiosqlite every statement costs three or four round trips to the connection's
    thread (cursor, execute, fetchall, close): about 56 for an update. Measured 2026-12-04 with
    ``bench/bench_storage.py`` sequential on the shared 2-core machine (load average 6-7):
    aiosqlite 93-123 updates/s (5.5 ms of CPU an update), this class 418-523 updates/s
    (1.5 ms); the whole handler stack (``bench/bench_handlers.py``): see the README.
    """

    def __init__(self, url: URL) -> None:
        self._engine = create_sqlite_sync_engine(url)
        self._reader = self._engine.execution_options(**{READ_ONLY_OPTION: True})
        self.dialect = self._engine.dialect
        self._threads = ThreadPoolExecutor(max_workers=SQLITE_THREADS, thread_name_prefix="sqlite")

    async def run(self, work: Work[T], *, read_only: bool = False) -> T:
        """Run ``work`` in a transaction in a worker thread (read-only: DEFERRED)."""
        engine = self._reader if read_only else self._engine
        return await asyncio.get_running_loop().run_in_executor(self._threads, _in_transaction, engine, work)

    async def close(self) -> None:
        """Close every pooled connection and stop the threads."""
        await asyncio.get_running_loop().run_in_executor(self._threads, self._engine.dispose)
        self._threads.shutdown()
