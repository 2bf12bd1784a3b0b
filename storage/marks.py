"""Marks of sent outbox entries, written with the next unit of work instead of one transaction each.

The bot marks every reply right after Telegram accepted it. A transaction per mark would
cost as much as the update itself, so a mark waits here and rides along with the next write
unit (an update, usually moments later), or is written on its own after :data:`FLUSH_DELAY`
when no write comes. A mark still waiting when the process dies is lost: that reply is then
sent again by the redelivery after the restart (the window is at most ``FLUSH_DELAY``).
:meth:`SentMarks.flush` writes everything waiting and returns once it is committed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, update

from storage.models import OUTBOX
from storage.prepared import Prepared
from storage.rows import PAYLOAD_VERSION

log = logging.getLogger(__name__)

#: Longest time a mark waits for a write unit to ride along with (seconds).
FLUSH_DELAY = 0.05

#: What a sent entry keeps of its reply: nothing. The text (drafts with names and phone numbers,
#: exports) must not outlive its delivery; redelivery only ever reads unsent rows, and the
#: idempotency of an update lives in ``processed_updates`` and the row's ``update_key``.
SENT_PAYLOAD: dict[str, Any] = {"v": PAYLOAD_VERSION, "sent": True}

_MARK = Prepared(
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(
        sent_at=bindparam("sent_at"),
        telegram_message_id=bindparam("telegram_message_id"),
        payload=SENT_PAYLOAD,
        document=None,
    )
)

Mark = dict[str, Any]


def write_marks(connection: Connection, marks: list[Mark]) -> None:
    """Write ``marks`` (taken with :meth:`SentMarks.take`) inside the caller's transaction."""
    if marks:
        _MARK.run_many(connection, marks)


class SentMarks:
    """Marks waiting to be written; ``write`` runs a unit of work in its own transaction."""

    def __init__(
        self, write: Callable[[Callable[[Connection], None]], Awaitable[None]], *, delay: float = FLUSH_DELAY
    ) -> None:
        self._write = write
        self._delay = delay
        self._lock = threading.Lock()  # marks may be added from more than one event loop (tests)
        self._waiting: list[Mark] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()
        self._closed = False

    def add(self, entry_id: int, telegram_message_id: int | None, now: datetime) -> None:
        """Note that entry ``entry_id`` was sent; it is written with the next unit or soon after."""
        with self._lock:
            if self._closed:
                log.warning("outbox entry %s sent after storage closed; it may be sent again", entry_id)
                return
            self._waiting.append(
                {"b_id": entry_id, "sent_at": now, "telegram_message_id": telegram_message_id}
            )
        self._schedule()

    def take(self) -> list[Mark]:
        """Hand every waiting mark to the caller, who writes it (or gives it back with :meth:`give_back`)."""
        with self._lock:
            taken, self._waiting = self._waiting, []
        return taken

    def give_back(self, marks: list[Mark]) -> None:
        """Return marks whose unit of work failed; they go with the next one."""
        if not marks:
            return
        with self._lock:
            self._waiting[:0] = marks
        self._schedule()

    def _schedule(self) -> None:
        """Make sure the waiting marks are written on their own within the delay (unless closed)."""
        if self._timer is None and not self._closed:
            self._timer = asyncio.get_running_loop().call_later(self._delay, self._on_timer)

    @property
    def waiting(self) -> int:
        """How many marks are not written yet."""
        return len(self._waiting)

    async def flush(self) -> None:
        """Write every waiting mark now, in a transaction of its own; returns once committed."""
        marks = self.take()
        if not marks:
            return
        try:
            await self._write(lambda connection: write_marks(connection, marks))
        except BaseException:
            self.give_back(marks)
            raise

    def _on_timer(self) -> None:
        """No write unit came along: write the waiting marks on their own."""
        self._timer = None
        if not self._waiting:
            return
        task = asyncio.get_running_loop().create_task(self._flush_logged())
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _flush_logged(self) -> None:
        try:
            await self.flush()
        except Exception as exc:  # the marks were given back and go with the next unit
            log.warning("writing sent marks failed (%s); retrying with the next write", type(exc).__name__)

    async def close(self) -> None:
        """Write what waits (once more if a timer flush was under way) and stop taking marks."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._flushes:
            await asyncio.gather(*self._flushes, return_exceptions=True)
        await self.flush()
        with self._lock:
            self._closed = True
