"""Alembic environment: migrates on a connection handed over by :mod:`storage.migrate`, or on a URL.

When ``config.attributes["connection"]`` holds a connection, the migrations run on it inside
the caller's transaction; otherwise (the ``alembic`` command line) they run in a unit of work
(:mod:`storage.units`) opened on ``sqlalchemy.url`` (or ``DATABASE_URL``), driven with :func:`asyncio.run`.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from storage.engine import parse_url
from storage.errors import StorageConfigError
from storage.models import Base
from storage.units import open_units

config = context.config
target_metadata = Base.metadata


def _run_on(connection: Connection) -> None:
    """Configure the migration context on ``connection`` and run the migrations."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_on_url(url: str) -> None:
    """Open the units of ``url`` and run the migrations in one transaction."""
    units = open_units(url)
    try:
        await units.run(_run_on)
    finally:
        await units.close()


def _configured_url() -> str:
    """``sqlalchemy.url`` from the configuration, else the ``DATABASE_URL`` environment variable."""
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL", "")
    if not url:
        raise StorageConfigError("DATABASE_URL is not set; set it to the database to migrate")
    return url


def _run_offline() -> None:
    """Emit the SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=parse_url(_configured_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    shared = config.attributes.get("connection")
    if shared is not None:
        _run_on(shared)
    else:
        asyncio.run(_run_on_url(_configured_url()))
