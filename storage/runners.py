"""Where a unit of work runs: on an async engine (PostgreSQL), or in one SQLite worker thread.

A unit of work is a plain function taking a sync :class:`~sqlalchemy.Connection`; it runs
inside one transaction opened by a fresh session and committed when it returns (rolled back
if it raises). The function never commits itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from storage.engine import READ_ONLY_OPTION
from storage.errors import StorageError

T = TypeVar("T")
Work = Callable[[Connection], T]
#: Most write units the SQLite thread commits in one transaction.
MAX_BATCH = 32


class UnitRunner(Protocol):
    """Runs units of work in their own transaction."""

    dialect_name: str

    async def write(self, work: Work[T]) -> T:
        """Run ``work`` in a write transaction."""
        ...

    async def read(self, work: Work[T]) -> T:
        """Run ``work`` in a read-only transaction."""
        ...

    async def close(self) -> None:
        """Release connections (and threads)."""
        ...


def _on_connection(session: Session, work: Work[T]) -> T:
    """Run ``work`` on the session's connection."""
    return work(session.connection())


class AsyncRunner:
    """Units of work on an :class:`AsyncEngine`, each in ``async with session.begin()``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.dialect_name = engine.dialect.name
        self._engine = engine
        self._sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(engine, expire_on_commit=False)
        self._read_sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time: queueing writers here avoids its busy-wait sleeps.
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self.dialect_name == "sqlite" else None

    async def write(self, work: Work[T]) -> T:
        """Run ``work`` in a write transaction (one greenlet for the whole unit)."""
        if self._write_lock is None:
            return await self._write(work)
        async with self._write_lock:
            return await self._write(work)

    async def _write(self, work: Work[T]) -> T:
        """The write transaction itself."""
        async with self._sessions() as session, session.begin():
            return await session.run_sync(_on_connection, work)

    async def read(self, work: Work[T]) -> T:
        """Run ``work`` in a read-only transaction."""
        async with self._read_sessions() as session, session.begin():
            return await session.run_sync(_on_connection, work)

    async def close(self) -> None:
        """Dispose of the engine's pool."""
        await self._engine.dispose()


@dataclass
class _Job:
    """A write unit waiting for the SQLite worker thread, and where its result goes."""

    work: Work[Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    result: Any = None
    error: BaseException | None = None


def _settle(job: _Job) -> None:
    """Hand a finished job's outcome to its future (on the event loop)."""
    if job.future.done():  # the caller was cancelled; the work itself is committed or not
        return
    if job.error is not None:
        job.future.set_exception(job.error)
    else:
        job.future.set_result(job.result)


class ThreadRunner:
    """Units of work on a sync SQLite engine in one dedicated worker thread, with group commit.

    aiosqlite pays several thread round trips per statement; here a whole update (a dozen
    statements) costs one. SQLite allows one writer at a time anyway, so one thread loses
    no parallelism, and the event loop never blocks on the database. Write units queued
    while the thread is busy are committed together, each inside its own SAVEPOINT so a
    failing unit rolls back alone.
    """

    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.dialect_name = engine.dialect.name
        self._engine = engine
        self._max_batch = max_batch
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        # One connection, used by the worker thread only: no session or pool checkout per unit.
        self._connection: Connection | None = None
        self._guard = threading.Lock()
        self._queue: deque[_Job] = deque()
        self._draining = False
        self._closed = False

    async def write(self, work: Work[T]) -> T:
        """Run ``work`` in a write transaction in the worker thread (possibly shared, see class doc)."""
        loop = asyncio.get_running_loop()
        job = _Job(work=work, future=loop.create_future(), loop=loop)
        with self._guard:
            if self._closed:
                raise StorageError("storage is closed")
            self._queue.append(job)
            start = not self._draining
            self._draining = True
        if start:
            self._executor.submit(self._drain)
        result: T = await job.future
        return result

    async def read(self, work: Work[T]) -> T:
        """Run ``work`` in a read-only transaction in the worker thread."""
        if self._closed:
            raise StorageError("storage is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._read, work)

    def _open(self) -> Connection:
        """The worker thread's connection (opened on first use, reopened after invalidation)."""
        if self._connection is None or self._connection.invalidated or self._connection.closed:
            self._connection = self._engine.connect()
        return self._connection

    def _read(self, work: Work[T]) -> T:
        """A read-only transaction (in the worker thread)."""
        connection = self._open().execution_options(**{READ_ONLY_OPTION: True})
        try:
            with connection.begin():
                return work(connection)
        finally:
            connection.execution_options(**{READ_ONLY_OPTION: False})

    def _drain(self) -> None:
        """Commit queued write units batch by batch until the queue is empty (worker thread)."""
        while True:
            with self._guard:
                if not self._queue:
                    self._draining = False
                    return
                batch = [self._queue.popleft() for _ in range(min(self._max_batch, len(self._queue)))]
            self._commit_batch(batch)
            for job in batch:
                # RuntimeError: the caller's loop is gone, so nobody waits for the result.
                with contextlib.suppress(RuntimeError):
                    job.loop.call_soon_threadsafe(_settle, job)

    def _commit_batch(self, batch: list[_Job]) -> None:
        """Run ``batch`` in one transaction, one SAVEPOINT per unit when there are several."""
        try:
            connection = self._open()
            with connection.begin():
                if len(batch) == 1:
                    batch[0].result = batch[0].work(connection)
                    return
                for job in batch:
                    # A connection-level savepoint: far cheaper than Session.begin_nested().
                    savepoint = connection.begin_nested()
                    try:
                        job.result = job.work(connection)
                    except Exception as error:
                        savepoint.rollback()
                        job.error = error
                    else:
                        savepoint.commit()
        except BaseException as error:
            for job in batch:
                if job.error is None:
                    job.error = error
                    job.result = None
            if isinstance(error, DBAPIError) and error.connection_invalidated:
                self._connection = None

    def _dispose(self) -> None:
        """Close the worker thread's connection and the engine's pool (worker thread)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._engine.dispose()

    async def close(self) -> None:
        """Finish queued work, close the connections and stop the worker thread (idempotent)."""
        with self._guard:
            if self._closed:
                return
            self._closed = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._dispose)
        self._executor.shutdown(wait=True)
