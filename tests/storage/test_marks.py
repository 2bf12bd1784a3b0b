"""mark_sent: concurrent marks share writes, and every caller learns its own outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import Connection, event

from storage import Storage, StorageError
from storage.marks import SentMarks

from .helpers import T0, decide, texts


async def test_many_concurrent_marks_all_recorded(store: Storage) -> None:
    results = await asyncio.gather(
        *(store.handle(u, u, f"k{u}", decide(replies=texts("a", "b"))) for u in range(30))
    )
    entries = [entry for result in results for entry in result.entries]
    await asyncio.gather(*(store.mark_sent(entry.id, 1000 + entry.id) for entry in entries))
    assert await store.unsent() == []
    for entry in entries:  # each got its own message id
        counts = await store.user_row_counts(entry.user_id)
        assert counts["outbox"] == 2


async def test_marks_arriving_together_share_one_statement() -> None:
    written: list[int] = []
    gate = asyncio.Event()

    async def write(work: Callable[[Connection], None]) -> None:
        await gate.wait()  # hold the first flush so the others pile up behind it
        connection = _RecordingConnection(written)
        work(connection)  # type: ignore[arg-type]

    marks = SentMarks(write)
    waiting = [asyncio.ensure_future(marks.mark(i, None, T0)) for i in range(5)]
    await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*waiting)
    assert written == [5]  # one executemany with five rows


async def test_failed_flush_fails_its_callers_and_the_next_one_leads_again() -> None:
    calls = 0

    async def write(work: Callable[[Connection], None]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise StorageError("storage is closed")
        work(_RecordingConnection([]))  # type: ignore[arg-type]

    marks = SentMarks(write)
    first = asyncio.ensure_future(marks.mark(1, None, T0))
    second = asyncio.ensure_future(marks.mark(2, None, T0))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert all(isinstance(result, StorageError) for result in results)
    await asyncio.wait_for(marks.mark(3, None, T0), timeout=5)  # not stuck behind the failure
    assert calls == 2


async def test_cancelled_leader_does_not_strand_the_others(store: Storage) -> None:
    result = await store.handle(1, 1, "k", decide(replies=texts("a", "b")))
    first, second = result.entries
    leader = asyncio.ensure_future(store.mark_sent(first.id))
    follower = asyncio.ensure_future(store.mark_sent(second.id))
    await asyncio.sleep(0)
    leader.cancel()
    await asyncio.wait_for(follower, timeout=5)
    assert second.id not in [entry.id for entry in await store.unsent()]


async def test_marks_use_few_statements_under_load(db_url: str) -> None:
    store = await Storage.connect(db_url)
    try:
        results = await asyncio.gather(
            *(store.handle(u, u, f"k{u}", decide(replies=texts("x"))) for u in range(40))
        )
        updates: list[int] = []
        if store.dialect_name == "sqlite":
            engine = store._runner._engine  # type: ignore[attr-defined]
        else:
            engine = store._runner._engine.sync_engine  # type: ignore[attr-defined]
        event.listen(
            engine,
            "before_cursor_execute",
            lambda *args: updates.append(1) if "UPDATE outbox" in args[2] else None,
        )
        await asyncio.gather(*(store.mark_sent(result.entries[0].id) for result in results))
        assert await store.unsent() == []
        assert len(updates) < 40
    finally:
        await store.close()


class _RecordingConnection:
    """Stands in for a Connection: records how many rows each statement got."""

    def __init__(self, written: list[int]) -> None:
        self._written = written

    def execute(self, statement: object, rows: list[object]) -> None:
        self._written.append(len(rows))
