"""Sent marks: they ride along with the next write, or are written soon after; none is lost."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import Connection, Engine, select

from storage import Storage, StorageError
from storage.marks import FLUSH_DELAY, SentMarks
from storage.models import OUTBOX

from .helpers import T0, count_write_commits, decide, texts


def _sync_engine(store: Storage) -> Engine:
    """The engine whose events show the statements and commits of ``store``."""
    runner = store._runner  # type: ignore[attr-defined]
    engine = runner._engine
    return engine if store.dialect_name == "sqlite" else engine.sync_engine  # type: ignore[no-any-return]


async def _stored_marks(store: Storage) -> dict[int, tuple[bool, int | None]]:
    """``entry id -> (sent, telegram message id)`` read without writing the waiting marks first."""
    stmt = select(OUTBOX.c.id, OUTBOX.c.sent_at, OUTBOX.c.telegram_message_id)
    rows = await store._runner.read(lambda c: c.execute(stmt).all())  # type: ignore[attr-defined]
    return {row.id: (row.sent_at is not None, row.telegram_message_id) for row in rows}


async def test_many_concurrent_marks_all_recorded(store: Storage) -> None:
    results = await asyncio.gather(
        *(store.handle(u, u, f"k{u}", decide(replies=texts("a", "b"))) for u in range(30))
    )
    entries = [entry for result in results for entry in result.entries]
    await asyncio.gather(*(store.mark_sent(entry.id, 1000 + entry.id) for entry in entries))
    assert await store.unsent() == []
    stored = await _stored_marks(store)
    assert all(stored[entry.id] == (True, 1000 + entry.id) for entry in entries)


async def test_noted_marks_ride_along_with_the_next_update(store: Storage) -> None:
    first = await store.handle(1, 1, "k1", decide(replies=texts("a", "b")))
    commits = count_write_commits(_sync_engine(store))
    for entry in first.entries:
        store.note_sent(entry.id, 500 + entry.id)
    assert commits == []  # noting costs no transaction
    await store.handle(2, 2, "k2", decide(replies=texts("c")))
    assert len(commits) == 1  # the update's own transaction carried the marks
    stored = await _stored_marks(store)
    assert [stored[entry.id] for entry in first.entries] == [(True, 500 + e.id) for e in first.entries]


async def test_noted_marks_are_written_soon_without_another_write(store: Storage) -> None:
    result = await store.handle(1, 1, "k1", decide(replies=texts("a")))
    store.note_sent(result.entries[0].id, 42)
    assert (await _stored_marks(store))[result.entries[0].id] == (False, None)
    for _ in range(100):
        await asyncio.sleep(FLUSH_DELAY)
        if (await _stored_marks(store))[result.entries[0].id] == (True, 42):
            break
    assert (await _stored_marks(store))[result.entries[0].id] == (True, 42)


async def test_reads_see_noted_marks(store: Storage) -> None:
    result = await store.handle(1, 1, "k1", decide(replies=texts("a", "b")))
    store.note_sent(result.entries[0].id, 7)
    assert await store.unsent() == result.entries[1:]


async def test_marks_of_a_failed_update_are_kept_for_the_next_write(store: Storage) -> None:
    result = await store.handle(1, 1, "k1", decide(replies=texts("a")))
    store.note_sent(result.entries[0].id, 9)

    def broken(view: object) -> object:
        raise RuntimeError("dialogue bug")

    with pytest.raises(RuntimeError):
        await store.handle(2, 2, "k2", broken)  # type: ignore[arg-type]
    assert (await _stored_marks(store))[result.entries[0].id] == (False, None)  # rolled back with it
    await store.handle(3, 3, "k3", decide(replies=texts("c")))
    assert (await _stored_marks(store))[result.entries[0].id] == (True, 9)


async def test_close_writes_noted_marks(db_url: str) -> None:
    store = await Storage.connect(db_url)
    result = await store.handle(1, 1, "k1", decide(replies=texts("a", "b")))
    for entry in result.entries:
        store.note_sent(entry.id, None)
    await store.close()
    reopened = await Storage.connect(db_url)
    try:
        assert await reopened.unsent() == []
    finally:
        await reopened.close()


async def test_many_noted_marks_share_one_transaction(db_url: str) -> None:
    store = await Storage.connect(db_url)
    try:
        results = await asyncio.gather(
            *(store.handle(u, u, f"k{u}", decide(replies=texts("x"))) for u in range(40))
        )
        commits = count_write_commits(_sync_engine(store))
        for result in results:
            store.note_sent(result.entries[0].id)
        assert await store.unsent() == []
        assert len(commits) == 1
    finally:
        await store.close()


async def test_failed_flush_keeps_the_marks_and_the_next_flush_writes_them() -> None:
    written: list[int] = []
    write = _failing_once(written)
    marks = SentMarks(write, delay=3600)
    marks.add(1, None, T0)
    marks.add(2, None, T0)
    with pytest.raises(StorageError):
        await marks.flush()
    assert marks.waiting == 2
    marks.add(3, None, T0)
    await marks.flush()
    assert written == [3] and marks.waiting == 0
    await marks.close()


async def test_a_timer_flush_that_fails_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    written: list[int] = []
    write = _failing_once(written)
    marks = SentMarks(write, delay=0.01)
    marks.add(1, None, T0)
    for _ in range(200):
        await asyncio.sleep(0.01)
        if written:
            break
    assert written == [1]
    assert "writing sent marks failed" in caplog.text
    await marks.close()


def _failing_once(written: list[int]) -> Callable[[Callable[[Connection], None]], Awaitable[None]]:
    """A unit runner whose first unit fails as a locked database would; later ones record rows."""
    calls = 0

    async def write(work: Callable[[Connection], None]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise StorageError("database is locked")
        work(_RecordingConnection(written))  # type: ignore[arg-type]

    return write


class _RecordingConnection:
    """Stands in for a Connection: records how many rows each statement got."""

    dialect = SimpleNamespace(name="recording", driver="recording")

    def __init__(self, written: list[int]) -> None:
        self._written = written

    def execute(self, statement: object, rows: list[object]) -> None:
        self._written.append(len(rows))
