"""Alembic migrations, run from code on both backends: up, down, and a populated database."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from guide.model import SaveCase, SetPending
from storage import Storage, create_engine, downgrade, downgrade_async, upgrade, upgrade_async
from storage.migrate import current_revision_async
from storage.models import Base

from .helpers import decide, make_case, texts

TABLES = {
    "users",
    "cases",
    "case_facts",
    "timeline",
    "evidence",
    "reminders",
    "processed_updates",
    "outbox",
    "classification_stats",
    "unknown_tokens",
    "stage_stats",
}


async def _tables(url: str) -> set[str]:
    """The tables present in the database (alembic's bookkeeping table excluded)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return set(names) - {"alembic_version"}


async def _schema_differences(url: str) -> list[object]:
    """What autogenerate would change to make the database match the models."""

    def compare(sync: Connection) -> list[object]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def test_upgrade_empty_database_matches_models_then_downgrade(db_url: str) -> None:
    await upgrade_async(db_url)
    assert await current_revision_async(db_url) == "0001"
    assert await _tables(db_url) == TABLES
    assert await _schema_differences(db_url) == []
    await downgrade_async(db_url, "base")
    assert await current_revision_async(db_url) is None
    assert await _tables(db_url) == set()


async def test_upgrade_is_idempotent(db_url: str) -> None:
    await upgrade_async(db_url)
    await upgrade_async(db_url)
    assert await current_revision_async(db_url) == "0001"


async def test_downgrade_and_upgrade_populated_database(db_url: str) -> None:
    store = await Storage.connect(db_url)
    try:
        await store.handle(
            1, 1, "u1", decide(SaveCase(make_case(1)), SetPending({"a": "b"}), replies=texts("x"))
        )
    finally:
        await store.close()
    await downgrade_async(db_url, "base")
    assert await _tables(db_url) == set()
    await upgrade_async(db_url)
    store = await Storage.connect(db_url, migrate=False)
    try:
        assert (await store.load_view(1)).cases == ()
        result = await store.handle(1, 1, "u1", decide(SaveCase(make_case(1))))
        assert result.duplicate is False  # the old key went with the tables
    finally:
        await store.close()


async def test_sync_api_works_inside_a_running_loop(db_url: str) -> None:
    upgrade(db_url)
    assert await current_revision_async(db_url) == "0001"
    downgrade(db_url, "base")
    assert await _tables(db_url) == set()


def test_sync_api_works_from_plain_code(db_url: str) -> None:
    upgrade(db_url)
    assert asyncio.run(_tables(db_url)) == TABLES
    downgrade(db_url, "base")
    assert asyncio.run(current_revision_async(db_url)) is None


async def test_connect_without_migrate_leaves_database_empty(db_url: str) -> None:
    store = await Storage.connect(db_url, migrate=False)
    await store.close()
    assert await _tables(db_url) == set()


async def test_concurrent_upgrades_do_not_collide(db_url: str) -> None:
    await asyncio.gather(*(upgrade_async(db_url) for _ in range(3)))
    assert await current_revision_async(db_url) == "0001"
    assert await _schema_differences(db_url) == []
