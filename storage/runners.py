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
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from storage.checkpoint import Checkpointer
from storage.engine import READ_ONLY_OPTION
from storage.errors import StorageError

T = TypeVar("T")
Work = Callable[[Connection], T]
#: Most write units the SQLite thread commits in one transaction.
MAX_BATCH = 32


class UnitRunner(Protocol):
    """Runs units of work in their own transaction."""

    dialect_name: str

    async def write(self, work: Work[T], *, short: bool = False) -> T:
        """Run ``work`` in a write transaction; ``short``: a few quick statements (an update)."""
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

    async def write(self, work: Work[T], *, short: bool = False) -> T:
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
    """Units of work on a sync SQLite engine, with group commit and checkpoints off the hot path.

    aiosqlite pays several thread round trips per statement; here a unit of work costs at
    most one. SQLite allows one writer at a time anyway, so one writer loses no parallelism:

    * A ``short`` write (an update: a dozen quick statements) runs right away on the event
      loop's thread when the writer is idle, on a connection of its own that never waits for
      the database lock; if another process holds it, the unit goes to the worker thread.
    * Other writes, and short ones arriving while the writer is busy, run in one dedicated
      worker thread; units queued meanwhile are committed together, each inside its own
      SAVEPOINT so a failing unit rolls back alone.
    * Reads run in the worker thread.
    * Committing never copies the write-ahead log back into the database file (a checkpoint,
      with an fsync): a background thread does that every :data:`CHECKPOINT_EVERY` commits.
    """

    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.dialect_name = engine.dialect.name
        self._engine = engine
        self._max_batch = max_batch
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        # One connection per user of it: the worker thread, the event loop's short writes, and
        # the checkpointer; no pool checkout per unit.
        self._connection: Connection | None = None
        self._inline: Connection | None = None
        self._guard = threading.Lock()
        self._queue: deque[_Job] = deque()
        self._draining = False  # the writer (worker thread or an inline unit) is busy
        self._closed = False
        self._checkpointer = Checkpointer(engine)

    async def write(self, work: Work[T], *, short: bool = False) -> T:
        """Run ``work`` in a write transaction (inline when ``short`` and idle, see class doc)."""
        loop = asyncio.get_running_loop()
        job = _Job(work=work, future=loop.create_future(), loop=loop)
        with self._guard:
            if self._closed:
                raise StorageError("storage is closed")
            inline = short and not self._draining
            if inline:
                self._draining = True
            else:
                self._queue.append(job)
                start = not self._draining
                self._draining = True
        if inline:
            ran = self._run_inline(job)
            with self._guard:
                if ran:
                    start = bool(self._queue)  # only from another event loop: hand them over
                    self._draining = start
                else:
                    self._queue.appendleft(job)  # the database is locked by another process
                    start = True
            if ran:
                if start:
                    self._executor.submit(self._drain)
                if job.error is not None:
                    raise job.error
                return job.result  # type: ignore[no-any-return]
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

    def _open_inline(self) -> Connection:
        """The event loop's connection for short writes: it fails at once when the database is locked."""
        if self._inline is None or self._inline.invalidated or self._inline.closed:
            connection = self._engine.connect()
            connection.connection.driver_connection.execute("PRAGMA busy_timeout=0")  # type: ignore[union-attr]
            self._inline = connection
        return self._inline

    def _run_inline(self, job: _Job) -> bool:
        """Run a short unit on the event loop's thread; False if it could not start (locked)."""
        try:
            connection = self._open_inline()
            transaction = connection.begin()
        except OperationalError as error:
            self._discard_inline()
            if "locked" in str(error.orig) or "busy" in str(error.orig):
                return False
            job.error = error
            return True
        try:
            with transaction:
                job.result = job.work(connection)
        except BaseException as error:
            job.error = error
            if isinstance(error, DBAPIError) and error.connection_invalidated:
                self._discard_inline()
        else:
            self._checkpointer.committed()
        return True

    def _discard_inline(self) -> None:
        """Drop the short-write connection after a failure; the next short write opens a fresh one."""
        if self._inline is not None:
            with contextlib.suppress(Exception):
                self._inline.invalidate()
            self._inline = None

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
            self._checkpointer.committed()
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
        """Close the connections, fold the write-ahead log into the database, close the pool (worker thread)."""
        self._checkpointer.close()
        for connection in (self._connection, self._inline):
            if connection is not None:
                connection.close()
        self._connection = self._inline = None
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
