"""Sending what the dialogue decided: outbox entries become Telegram messages, in order per chat.

An update's replies are committed to the outbox together with its state change; this module
sends them afterwards and marks them sent. A crash between the two leaves them unsent, and
:meth:`Deliverer.redeliver` sends them after the restart, so no reply is lost. Each chat has its
own ordered lane, so a chat that Telegram slows down (429 ``retry_after``) never holds up others.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.convert import keyboard
from storage import OutboxEntry, Storage

log = logging.getLogger(__name__)

#: How often one reply is tried before it is left for the redelivery loop.
_ATTEMPTS = 5


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB 22 returns int or timedelta and warns on access)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Deliverer:
    """Sends outbox entries, one ordered lane per chat, many chats at once."""

    def __init__(self, bot: Bot, storage: Storage) -> None:
        self._bot = bot
        self._storage = storage
        self._lanes: dict[int, asyncio.Lock] = {}
        self._in_flight: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, entries: list[OutboxEntry], callback_query_id: str | None = None) -> None:
        """Send ``entries`` in the background (in order for their chat)."""
        if not entries and callback_query_id is None:
            return
        task = asyncio.create_task(self._send_all(entries, callback_query_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for the replies in hand (used at shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def redeliver(self, older_than: timedelta) -> int:
        """Send replies left unsent (after a crash or a long Telegram outage)."""
        entries = [
            e for e in await self._storage.unsent(older_than=older_than) if e.id not in self._in_flight
        ]
        for entry in entries:
            self._in_flight.add(entry.id)
        by_chat: dict[int, list[OutboxEntry]] = {}
        for entry in entries:
            by_chat.setdefault(entry.chat_id, []).append(entry)
        for chat_entries in by_chat.values():
            self.submit(chat_entries)
        return len(entries)

    async def _send_all(self, entries: list[OutboxEntry], callback_query_id: str | None) -> None:
        if callback_query_id is not None:
            try:
                await self._bot.answer_callback_query(callback_query_id)
            except TelegramError as exc:  # an old query cannot be answered; the reply still goes out
                log.debug("callback query not answered: %s", type(exc).__name__)
        if not entries:
            return
        lane = self._lanes.setdefault(entries[0].chat_id, asyncio.Lock())
        async with lane:
            for entry in entries:
                self._in_flight.add(entry.id)
                try:
                    await self._send_one(entry)
                finally:
                    self._in_flight.discard(entry.id)
        if not lane.locked():
            self._lanes.pop(entries[0].chat_id, None)

    async def _send_one(self, entry: OutboxEntry) -> None:
        delay = 0.5
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                message_id = await self._send(entry)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                log.warning("telegram asked to wait %.1fs before writing to chat (entry %s)", wait, entry.id)
                await asyncio.sleep(float(wait))
                continue
            except Forbidden:
                log.info("user %s blocked the bot; reply %s dropped", entry.user_id, entry.id)
                await self._storage.mark_sent(entry.id, None)
                return
            except BadRequest as exc:
                # A reply Telegram will never accept must not block the lane forever.
                log.error("reply %s for user %s rejected: %s", entry.id, entry.user_id, exc.message)
                await self._storage.mark_sent(entry.id, None)
                return
            except TelegramError as exc:
                log.warning("sending reply %s failed (attempt %s): %s", entry.id, attempt, type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)
                continue
            await self._storage.mark_sent(entry.id, message_id)
            return
        log.error("reply %s for user %s left for redelivery", entry.id, entry.user_id)

    async def _send(self, entry: OutboxEntry) -> int:
        reply = entry.reply
        if reply.document is not None:
            message = await self._bot.send_document(
                entry.chat_id,
                document=reply.document.content,
                filename=reply.document.filename,
                caption=reply.document.caption or None,
            )
        else:
            message = await self._bot.send_message(entry.chat_id, reply.text, reply_markup=keyboard(reply))
        return message.message_id
