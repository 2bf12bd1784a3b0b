"""Fixtures: a fresh database per test, on SQLite and (when configured) on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Storage
from tests.databases import BACKENDS, fresh_database

from .helpers import Clock


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database that exists only for this test."""
    async with fresh_database(request.param, tmp_path / "data" / "test.sqlite3") as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    """A settable clock handed to the storage under test."""
    return Clock()


@pytest.fixture
async def store(db_url: str, clock: Clock) -> AsyncIterator[Storage]:
    """A migrated :class:`Storage` on the test's database."""
    storage = await Storage.connect(db_url, clock=clock)
    try:
        yield storage
    finally:
        await storage.close()
