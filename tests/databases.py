"""Databases for tests: a SQLite file, or a fresh PostgreSQL database when ``TEST_POSTGRES_URL`` is set.

Shared by the storage tests and the end-to-end tests, so both run on both backends the same way.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import asyncpg
import pytest
from sqlalchemy import Connection, make_url

from storage.units import open_units

T = TypeVar("T")

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set; PostgreSQL run skipped"
            ),
        ],
    ),
]


def _asyncpg_dsn(url: str) -> str:
    """The plain libpq DSN asyncpg understands for a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_postgres_database() -> str:
    """Create an empty, uniquely named database on the test server; return its SQLAlchemy URL."""
    name = f"weiquan_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    """Drop a database made by :func:`create_postgres_database` (closing stray connections)."""
    name = make_url(url).database
    admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_database(backend: str, sqlite_file: Path) -> AsyncIterator[str]:
    """The URL of an empty database that lives only inside the ``with`` block."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)


async def run_unit(url: str, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one transaction on connections of its own, as another process would."""
    units = open_units(url)
    try:
        return await units.run(work)
    finally:
        await units.close()
