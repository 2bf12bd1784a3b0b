"""Database URLs and engines: SQLite tuned for one writer at a time, or PostgreSQL (asyncpg).

The URL's driver is the driver used: ``sqlite:///path`` (SQLAlchemy's default SQLite driver, the
stdlib ``sqlite3``, run in worker threads by :class:`storage.units.SqliteThreadUnits`),
``sqlite+aiosqlite:///path`` (aiosqlite, through :func:`create_engine`'s async engine) or
``postgresql+asyncpg://...``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.errors import StorageConfigError

SQLITE_DRIVER = "sqlite+pysqlite"
AIOSQLITE_DRIVER = "sqlite+aiosqlite"
POSTGRES_DRIVER = "postgresql+asyncpg"
#: How long SQLite waits for another writer before failing with SQLITE_BUSY.
BUSY_TIMEOUT_MS = 5000
#: Execution option: the transaction only reads, so SQLite may start it DEFERRED.
READ_ONLY_OPTION = "weiquan_read_only"

# Driver names accepted as a shorthand and what they mean.
_ALIASES = {
    "sqlite": SQLITE_DRIVER,
    SQLITE_DRIVER: SQLITE_DRIVER,
    AIOSQLITE_DRIVER: AIOSQLITE_DRIVER,
    "postgres": POSTGRES_DRIVER,
    "postgresql": POSTGRES_DRIVER,
    POSTGRES_DRIVER: POSTGRES_DRIVER,
}


#: How an accepted URL starts (``DATABASE_URL`` is checked against them when settings load).
SCHEMES = tuple(f"{name}://" for name in _ALIASES)
#: What a usable URL looks like, for error messages.
EXPECTED = "expected sqlite:///path, sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db"

#: Statement parameters carry names, reply texts and facts: SQLAlchemy must never put them into
#: an error's text (which ends up in logs). Every engine uses it.
HIDE_PARAMETERS = True


def parse_url(url: str) -> URL:
    """Validate a database URL and normalise its driver; raise :class:`StorageConfigError` if unusable."""
    if not isinstance(url, str) or not url.strip():
        raise StorageConfigError(f"DATABASE_URL is empty; {EXPECTED}")
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise StorageConfigError(f"DATABASE_URL is not a valid database URL; {EXPECTED}") from None
    driver = _ALIASES.get(parsed.drivername)
    if driver is None:
        raise StorageConfigError(f"DATABASE_URL uses unsupported driver {parsed.drivername!r}; {EXPECTED}")
    parsed = parsed.set(drivername=driver)
    if driver == POSTGRES_DRIVER and not parsed.database:
        raise StorageConfigError(
            "DATABASE_URL names no PostgreSQL database; expected postgresql+asyncpg://host/dbname"
        )
    return parsed


def is_memory_sqlite(url: URL) -> bool:
    """True for an in-memory SQLite database (no file)."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url: str) -> AsyncEngine:
    """Create the async engine of an aiosqlite or asyncpg ``url`` (``sqlite://`` runs in
    :class:`storage.units.SqliteThreadUnits`; open any URL with :func:`storage.units.open_units`)."""
    parsed = parse_url(url)
    if parsed.drivername == SQLITE_DRIVER:
        raise StorageConfigError(
            "DATABASE_URL names the stdlib sqlite3 driver, which has no async engine; "
            "open it with storage.units.open_units"
        )
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return create_async_engine(
        parsed,
        hide_parameters=HIDE_PARAMETERS,
        pool_size=10,
        max_overflow=10,
        pool_timeout=30,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def sqlite_file_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or ``None`` for an in-memory database."""
    if is_memory_sqlite(url) or url.database is None or url.database.startswith("file:"):
        return None
    return Path(url.database).expanduser()


def make_parent_folder(url: URL) -> None:
    """Create the folder of a SQLite database file (first run)."""
    path = sqlite_file_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: URL) -> AsyncEngine:
    """SQLite through aiosqlite: WAL, foreign keys, busy timeout, BEGIN IMMEDIATE for writes."""
    make_parent_folder(url)
    engine = create_async_engine(
        url, hide_parameters=HIDE_PARAMETERS, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
    )
    install_sqlite_events(engine.sync_engine, memory=is_memory_sqlite(url))
    return engine


def install_sqlite_events(engine: Engine, *, memory: bool) -> Engine:
    """Pragmas on connect; BEGIN IMMEDIATE (DEFERRED when read-only) on begin.

    SQLAlchemy's documented recipe for pysqlite and aiosqlite ("Serializable isolation /
    Savepoints / Transactional DDL"): the driver opens no transaction on its own, and ``begin``
    emits ours, IMMEDIATE so that a write takes the write lock up front (no SQLITE_BUSY when a
    read lock would be upgraded), DEFERRED when the transaction only reads.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

    return engine
