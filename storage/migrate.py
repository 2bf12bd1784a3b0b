"""Schema migrations without an ``alembic.ini``: ``upgrade``/``downgrade`` from sync or async code."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from storage.engine import parse_url
from storage.units import EngineUnits, SqliteThreadUnits, open_units

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Advisory lock key taken on PostgreSQL while migrating (an arbitrary constant).
MIGRATION_LOCK_ID = 0x5745_4951  # "WEIQ"


def alembic_config(url: str) -> Config:
    """An alembic ``Config`` built in code, pointing at the migrations inside this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # configparser interpolation: a literal "%" (e.g. in a password) must be doubled.
    config.set_main_option(
        "sqlalchemy.url", parse_url(url).render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def _alembic_on(connection: Connection, config: Config, action: str, revision: str) -> None:
    """Run an alembic command on an open connection (a unit of work of :mod:`storage.units`)."""
    if connection.dialect.name == "postgresql":
        # Two processes starting at once: the second waits, then finds the schema current.
        connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_ID)))
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def migrate_units(units: EngineUnits | SqliteThreadUnits, url: str, action: str, revision: str) -> None:
    """Run ``action`` (``"upgrade"``/``"downgrade"``) to ``revision`` in one unit of work."""
    config = alembic_config(url)
    await units.run(lambda connection: _alembic_on(connection, config, action, revision))


async def _migrate(url: str, action: str, revision: str) -> None:
    """Run ``action`` to ``revision`` on short-lived units."""
    units = open_units(url)
    try:
        await migrate_units(units, url, action, revision)
    finally:
        await units.close()


async def upgrade_async(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision`` (from inside an event loop)."""
    await _migrate(url, "upgrade", revision)


async def downgrade_async(url: str, revision: str) -> None:
    """Downgrade the database at ``url`` to ``revision`` (``"base"`` drops every table)."""
    await _migrate(url, "downgrade", revision)


async def current_revision_async(url: str) -> str | None:
    """The revision the database at ``url`` is at (``None`` when never migrated)."""
    units = open_units(url)
    try:
        return await units.run(
            lambda connection: MigrationContext.configure(connection).get_current_revision(), read_only=True
        )
    finally:
        await units.close()


def _run_blocking(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` to completion from sync code, even when called inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    # A loop runs in this thread: give the migration a private loop in a worker thread.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="migrate") as pool:
        pool.submit(asyncio.run, coroutine).result()


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision`` (blocking; usable from sync code)."""
    _run_blocking(upgrade_async(url, revision))


def downgrade(url: str, revision: str) -> None:
    """Downgrade the database at ``url`` to ``revision`` (blocking; usable from sync code)."""
    _run_blocking(downgrade_async(url, revision))
