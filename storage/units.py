"""Where a unit of work runs: a plain function taking a sync ``Connection``, in one transaction.

:func:`open_units` picks by the URL's driver, which is the driver used: asyncpg and aiosqlite run
it with SQLAlchemy's public async API (:class:`EngineUnits`); ``sqlite://``, the stdlib driver,
in one worker-thread hop (:class:`SqliteThreadUnits`, see its measurement). Both commit when the
function returns and roll back if it raises; the function never commits.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import URL, Connection, StaticPool, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import (
    BUSY_TIMEOUT_MS,
    HIDE_PARAMETERS,
    READ_ONLY_OPTION,
    SQLITE_DRIVER,
    create_engine,
    install_sqlite_events,
    is_memory_sqlite,
    make_parent_folder,
    parse_url,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[Connection], T]
#: Worker threads (and pooled connections) of a SQLite file: one writer at a time, readers beside it.
THREADS = 4
#: Write units between two background checkpoints.
CHECKPOINT_EVERY = 200
#: The writers' own checkpoint threshold in pages (4 KiB each), a backstop.
BACKSTOP_PAGES = 10_000


def open_units(url: str) -> EngineUnits | SqliteThreadUnits:
    """The units of the database at ``url`` (see :func:`storage.engine.parse_url` for accepted URLs)."""
    parsed = parse_url(url)
    if parsed.drivername == SQLITE_DRIVER:
        return SqliteThreadUnits(parsed)
    return EngineUnits(create_engine(url))


class EngineUnits:
    """``async with engine.begin() as connection: await connection.run_sync(work)``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.dialect = engine.dialect
        #: In-memory aiosqlite is one shared connection: units must not overlap, reads included.
        self.one_connection = is_memory_sqlite(engine.url)
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})
        # PostgreSQL runs one statement atomically on its own: no BEGIN and COMMIT round trips.
        postgres = engine.dialect.name == "postgresql"
        self._single = engine.execution_options(isolation_level="AUTOCOMMIT") if postgres else engine

    async def run(self, work: Work[T], *, read_only: bool = False, one_statement: bool = False) -> T:
        """Run ``work`` in a transaction (read-only: DEFERRED on SQLite, never blocking a writer).

        ``one_statement``: ``work`` executes a single statement, which PostgreSQL commits on its
        own (autocommit), sparing two of the three round trips a mark of a sent reply costs.
        """
        engine = self._reader if read_only else self._single if one_statement else self._engine
        async with engine.begin() as connection:
            return await connection.run_sync(work)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()


class SqliteThreadUnits:
    """SQLite on the stdlib ``sqlite3`` driver (``sqlite://``): each unit of work in one hop to
    a worker thread, with the same pragmas and BEGIN events as aiosqlite; and the write-ahead
    log copied into the database file beside the writers rather than in a commit.

    Through aiosqlite (``sqlite+aiosqlite://``, :class:`EngineUnits`) every statement costs
    three or four round trips to the connection's thread (cursor, execute, fetchall, close):
    about 56 for an update. Measured 2026-12-04 with ``bench/bench_storage.py`` sequential on
    the shared 2-core machine: aiosqlite 156 updates/s idle (93-123 at load average 6-7; 5.5 ms
    of CPU an update), one hop 539 updates/s idle (418-523 loaded; 1.5 ms), against the goal of
    300 for the whole handler stack. So ``sqlite://`` is the default URL.

    Each worker thread keeps its own two connections (one for writes, one for reads) checked
    out for good, and a unit only begins and ends a transaction on them: checking a connection
    out of the pool and back in for every unit cost more than a statement does
    (measured 2026-12-04, idle machine: a unit with one INSERT 145 µs through ``engine.begin()``,
    40 µs on a connection kept open; a new person's "你好" through the whole offline handler
    stack, the two ways alternating in one process, p50 2.47 ms before and 2.36 ms after).

    A write that finds no unit running in the worker threads runs on the event loop's thread
    instead, sparing the hop and the threads' wake-up: issue 16 asked to drop this unless its
    reply-latency goal ("no worse than before") could not be met without it, and it could not.
    ``bench/bench_reply_latency.py`` on the idle machine, 2026-12-04, five alternating rounds:
    p50 6.93 ms with every unit in a thread, 5.73 ms with idle writes inline (echo bot 4.11 ms;
    an earlier pair of runs 6.27 against 5.65 ms); the version before issue 16, 5.47-6.64 ms in
    the same kind of runs. The inline attempt never waits for a lock: another process's writer
    makes BEGIN IMMEDIATE fail at once (busy timeout 0), and the unit goes to a worker thread.

    SQLite's own checkpoint runs inside the commit that fills ``wal_autocheckpoint`` pages
    (1,000; every 40-odd updates), and with its fsyncs made that update wait: in
    ``bench/bench_handlers.py`` (one person at a time, same machine) p99 12-14 ms with it,
    7-9 ms without. Here the writers' threshold is only a backstop and a PASSIVE checkpoint
    runs in a worker thread every :data:`CHECKPOINT_EVERY` write units.
    """

    def __init__(self, url: URL) -> None:
        memory = is_memory_sqlite(url)
        make_parent_folder(url)
        # In memory: one connection (the database itself), so one thread running units in turn.
        pool: dict[str, Any] = (
            # Two for each worker thread and two for the event loop's thread (inline writes).
            {"poolclass": StaticPool} if memory else {"pool_size": 2 * (THREADS + 1), "max_overflow": 0}
        )
        self._engine = create_sync_engine(
            url,
            hide_parameters=HIDE_PARAMETERS,
            connect_args={"check_same_thread": False},  # busy timeout: the connect event
            **pool,
        )
        install_sqlite_events(self._engine, memory=memory)
        if not memory:
            event.listen(self._engine, "connect", _backstop)
        self._reader = self._engine.execution_options(**{READ_ONLY_OPTION: True})
        self.dialect = self._engine.dialect
        self.one_connection = False  # the one thread in memory already runs units in turn
        self._memory = memory
        self._threads = ThreadPoolExecutor(max_workers=1 if memory else THREADS, thread_name_prefix="sqlite")
        self._writes = 0
        self._checkpoint: Future[None] | None = None  # not an asyncio future: tests switch loops
        self._local = threading.local()  # each worker thread's (writer, reader) connections
        self._opened: list[Connection] = []  # every one of them, to close
        self._opened_lock = threading.Lock()
        self._in_threads = 0  # units running in worker threads now

    async def run(self, work: Work[T], *, read_only: bool = False, one_statement: bool = False) -> T:
        """Run ``work`` in a transaction in a worker thread (read-only: DEFERRED; ``one_statement``
        changes nothing here: SQLite's transactions cost no round trips); a write, when no other
        unit is running and no other process holds the write lock, right here instead."""
        inline = not read_only and not self._memory and self._in_threads == 0
        done = self._write_inline(work) if inline else []
        if done:
            result = done[0]
        else:
            loop = asyncio.get_running_loop()
            self._in_threads += 1
            try:
                result = await loop.run_in_executor(self._threads, self._in_transaction, work, read_only)
            finally:
                self._in_threads -= 1
        if not read_only and not self._memory:
            self._writes += 1
            if self._writes >= CHECKPOINT_EVERY and (self._checkpoint is None or self._checkpoint.done()):
                self._writes = 0
                self._checkpoint = self._threads.submit(self._run_checkpoint)
        return result

    def _write_inline(self, work: Work[T]) -> list[T]:
        """Run the write ``work`` on the event loop's thread: ``[its result]``; or ``[]`` at once,
        without running it, when another process holds the write lock."""
        writer, _ = self._own_connections()
        # No busy wait on the event loop: BEGIN IMMEDIATE fails at once instead. Once the write
        # lock is held, the unit runs with the usual timeout, as in a worker thread.
        _pragma(writer, "busy_timeout=0")
        try:
            transaction = writer.begin()
        except OperationalError:  # SQLITE_BUSY: a worker thread will wait for the lock
            if writer.in_transaction():
                writer.rollback()
            return []
        finally:
            _pragma(writer, f"busy_timeout={BUSY_TIMEOUT_MS}")
        with transaction:
            return [work(writer)]

    def _own_connections(self) -> tuple[Connection, Connection]:
        """This worker thread's (writer, reader) connections, opened on its first unit."""
        connections: tuple[Connection, Connection] | None = getattr(self._local, "connections", None)
        if connections is None:
            connections = (self._engine.connect(), self._reader.connect())
            with self._opened_lock:
                self._opened.extend(connections)
            self._local.connections = connections
        return connections

    def _in_transaction(self, work: Work[T], read_only: bool) -> T:
        """Run ``work`` in a transaction on this worker thread's own connection."""
        writer, reader = self._own_connections()
        connection = reader if read_only else writer
        with connection.begin():
            return work(connection)

    def _run_checkpoint(self) -> None:
        """Copy what the log holds into the database file while writers go on (worker thread)."""
        try:
            # On this thread's own connection (the pool holds no spare one).
            _pragma(self._own_connections()[0], "wal_checkpoint(PASSIVE)")
        except Exception as error:  # the writers' backstop takes over
            log.warning("background checkpoint failed: %s", type(error).__name__)

    async def close(self) -> None:
        """Close every pooled connection (the last one folds the log in) and stop the threads."""
        await asyncio.to_thread(self._threads.shutdown)  # waits for a checkpoint still running
        await asyncio.to_thread(self._close_connections)

    def _close_connections(self) -> None:
        """Return the worker threads' connections to the pool, then close them all."""
        for connection in self._opened:
            connection.close()
        self._opened.clear()
        self._engine.dispose()


def _pragma(connection: Connection, pragma: str) -> None:
    """Run ``PRAGMA <pragma>`` on the driver's connection: no statement event, no transaction."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA {pragma}").fetchall()
    finally:
        cursor.close()


def _backstop(dbapi_connection: Any, _record: Any) -> None:
    """The writers' own checkpoint threshold: reached only if the background ones fall behind."""
    dbapi_connection.cursor().execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}").fetchall()
