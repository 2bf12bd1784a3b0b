"""Alembic migrations, run from code on both backends: up, down, and a populated database."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from domain.case import EvidenceItem, Filing
from domain.outcome import AddEvidence, AddFiling, SaveCase, SetPending
from storage import Storage, downgrade, downgrade_async, upgrade, upgrade_async
from storage.migrate import current_revision_async
from storage.models import Base
from tests.databases import run_unit

from .helpers import T0, decide, make_case, texts

TABLES = {
    "users",
    "cases",
    "case_facts",
    "timeline",
    "evidence",
    "filings",
    "reminders",
    "processed_updates",
    "outbox",
    "classification_stats",
    "unknown_tokens",
    "stage_stats",
}


async def _tables(url: str) -> set[str]:
    """The tables present in the database (alembic's bookkeeping table excluded)."""
    names = await run_unit(url, lambda connection: inspect(connection).get_table_names())
    return set(names) - {"alembic_version"}


async def _schema_differences(url: str) -> list[object]:
    """What autogenerate would change to make the database match the models."""

    def compare(sync: Connection) -> list[object]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    return await run_unit(url, compare)


async def test_upgrade_empty_database_matches_models_then_downgrade(db_url: str) -> None:
    await upgrade_async(db_url)
    assert await current_revision_async(db_url) == "0002"
    assert await _tables(db_url) == TABLES
    assert await _schema_differences(db_url) == []
    await downgrade_async(db_url, "base")
    assert await current_revision_async(db_url) is None
    assert await _tables(db_url) == set()


async def test_upgrade_is_idempotent(db_url: str) -> None:
    await upgrade_async(db_url)
    await upgrade_async(db_url)
    assert await current_revision_async(db_url) == "0002"


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
    assert await current_revision_async(db_url) == "0002"
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
    assert await current_revision_async(db_url) == "0002"
    assert await _schema_differences(db_url) == []


async def _columns(url: str, table: str) -> set[str]:
    """The column names of ``table``."""
    columns = await run_unit(url, lambda connection: inspect(connection).get_columns(table))
    return {column["name"] for column in columns}


async def test_0002_up_and_down_on_an_empty_database(db_url: str) -> None:
    await upgrade_async(db_url, "0001")
    assert "filings" not in await _tables(db_url)
    await upgrade_async(db_url)
    assert await current_revision_async(db_url) == "0002"
    assert "sha256" in await _columns(db_url, "evidence")
    await downgrade_async(db_url, "0001")
    assert await current_revision_async(db_url) == "0001"
    assert await _tables(db_url) == TABLES - {"filings"}
    assert "sha256" not in await _columns(db_url, "evidence")


async def test_0002_keeps_the_evidence_of_a_populated_0001_database(db_url: str) -> None:
    """Evidence stored before 0002 survives it with an empty hash; filings come and go with it."""
    await upgrade_async(db_url, "0001")

    def populate(connection: Connection) -> None:
        connection.execute(
            text(
                "INSERT INTO users (user_id, current_case_id, pending, created_at, updated_at)"
                " VALUES (1, 'case1', '{}', :t, :t)"
            ),
            {"t": T0.replace(tzinfo=None)},
        )
        connection.execute(
            text(
                "INSERT INTO cases (id, user_id, issue_type, stage, step, status, awaiting, outcome,"
                " created_at, updated_at, closed_at)"
                " VALUES ('case1', 1, NULL, 'confirm', 0, 'open', '', NULL, :t, :t, NULL)"
            ),
            {"t": T0.replace(tzinfo=None)},
        )
        connection.execute(
            text(
                "INSERT INTO evidence (id, case_id, kind, file_id, file_unique_id, caption, category,"
                " file_name, received_at) VALUES ('ev1', 'case1', 'photo', 'F', 'U', '', '', '', :t)"
            ),
            {"t": T0.replace(tzinfo=None)},
        )

    await run_unit(db_url, populate)
    await upgrade_async(db_url)
    store = await Storage.connect(db_url, migrate=False)
    try:
        view = await store.load_view(1)
        assert [(item.id, item.sha256) for item in view.evidence] == [("ev1", "")]
        filing = Filing("fl1", "case1", "complaint_12315", T0.date(), T0, T0, number="1234567")
        hashed = EvidenceItem("ev2", "case1", "photo", "F2", "", T0, sha256="ab" * 32)
        await store.handle(1, 1, None, decide(AddFiling(filing), AddEvidence(hashed)))
        view = await store.load_view(1)
        assert view.filings == (filing,)
        assert view.evidence[-1].sha256 == "ab" * 32
    finally:
        await store.close()
    await downgrade_async(db_url, "0001")
    assert await _tables(db_url) == TABLES - {"filings"}
    store = await Storage.connect(db_url, migrate=False)
    try:
        await upgrade_async(db_url)
        view = await store.load_view(1)
        assert {item.id for item in view.evidence} == {"ev1", "ev2"}
        assert all(item.sha256 == "" for item in view.evidence)
        assert view.filings == ()
    finally:
        await store.close()
