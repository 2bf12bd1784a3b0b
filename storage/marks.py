"""Coalescing ``mark_sent`` calls: marks waiting at the same time are written by one statement.

The bot marks every reply right after Telegram accepted it; with many people at once those
tiny transactions add up. Here the first caller ("leader") queues one unit of work; whatever
marks arrive before that unit runs are written with it, and every caller waits for its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, update

from storage.models import OUTBOX

_MARK = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(sent_at=bindparam("sent_at"), telegram_message_id=bindparam("telegram_message_id"))
)

_Mark = tuple[dict[str, Any], asyncio.Future[None]]


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    """Resolve a waiting caller (on its own loop), unless it gave up."""
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


class SentMarks:
    """Buffers ``(entry id, message id)`` marks and writes them together."""

    def __init__(self, write: Callable[[Callable[[Connection], None]], Awaitable[None]]) -> None:
        self._write = write
        self._lock = threading.Lock()  # the unit runs in the storage thread on SQLite
        self._pending: list[_Mark] = []
        self._flushes: set[asyncio.Future[None]] = set()

    async def mark(self, entry_id: int, telegram_message_id: int | None, now: datetime) -> None:
        """Record that entry ``entry_id`` was sent; returns once it is committed."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        row = {"b_id": entry_id, "sent_at": now, "telegram_message_id": telegram_message_id}
        with self._lock:
            self._pending.append((row, future))
            leader = len(self._pending) == 1
        if leader:
            # A task of its own: if the leader is cancelled, the others still get their answer.
            taken: list[_Mark] = []
            flush = asyncio.ensure_future(self._write(lambda connection: self._flush(connection, taken)))
            self._flushes.add(flush)
            flush.add_done_callback(lambda done: self._finished(done, taken))
        await future

    def _finished(self, flush: asyncio.Future[None], taken: list[_Mark]) -> None:
        """Wake the callers whose marks were in a finished flush."""
        self._flushes.discard(flush)
        error = asyncio.CancelledError() if flush.cancelled() else flush.exception()
        if error is not None and not taken:
            # Failed before reaching the buffer (e.g. storage closed): fail what waits there,
            # so the next caller leads a fresh flush instead of queueing behind nobody.
            with self._lock:
                taken.extend(self._pending)
                self._pending = []
        for _, future in taken:
            future.get_loop().call_soon_threadsafe(_settle, future, error)

    def _flush(self, connection: Connection, taken: list[_Mark]) -> None:
        """Write every buffered mark (inside the unit of work); remember which were taken."""
        with self._lock:
            taken.extend(self._pending)
            self._pending = []
        if taken:
            connection.execute(_MARK, [row for row, _ in taken])
