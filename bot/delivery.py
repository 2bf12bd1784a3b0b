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
from collections import OrderedDict
from contextvars import ContextVar
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.pacing import ChatPacer
from bot.updates import keyboard
from storage import OutboxEntry, Storage, StorageError

log = logging.getLogger(__name__)

#: How often one reply is tried before it is left for the redelivery loop.
_ATTEMPTS = 5
#: How many sent entry ids are remembered (a redelivery scan may race with a send finishing).
_REMEMBER_SENT = 10_000


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB 22 returns int or timedelta and warns on access)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class _Lane:
    """The ordered lane of one chat; forgotten when nobody uses or waits for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


#: When set (webhook mode), the delivery tasks started while handling an update are collected
#: here, so the webhook can answer Telegram only after the replies went out: the next update of
#: the same person, possibly handled by another worker, then cannot overtake them.
delivery_bucket: ContextVar[list[asyncio.Task[None]] | None] = ContextVar("delivery_bucket", default=None)


class Deliverer:
    """Sends outbox entries, one ordered lane per chat, many chats at once.

    Every entry is sent at most once by this process: an entry is claimed when submitted and
    stays claimed until it is sent (or given up), and recently sent ids are remembered, so a
    repeated update, a webhook retry or the redelivery loop cannot send it a second time.
    """

    def __init__(self, bot: Bot, storage: Storage, pacer: ChatPacer | None = None) -> None:
        self._bot = bot
        self._storage = storage
        self._pacer = pacer
        self._lanes: dict[int, _Lane] = {}
        self._claimed: set[int] = set()
        self._recently_sent: OrderedDict[int, None] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, entries: list[OutboxEntry], callback_query_id: str | None = None) -> None:
        """Send ``entries`` in the background (in order for their chat), skipping any already in hand."""
        fresh = [e for e in entries if e.id not in self._claimed and e.id not in self._recently_sent]
        self._claimed.update(e.id for e in fresh)
        if not fresh and callback_query_id is None:
            return
        task = asyncio.create_task(self._send_all(fresh, callback_query_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        bucket = delivery_bucket.get()
        if bucket is not None:
            bucket.append(task)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for the replies in hand and their sent marks (used at shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def redeliver(self, older_than: timedelta) -> int:
        """Send replies left unsent (after a crash or a long Telegram outage)."""
        entries = [
            e
            for e in await self._storage.unsent(older_than=older_than)
            if e.id not in self._claimed and e.id not in self._recently_sent
        ]
        by_chat: dict[int, list[OutboxEntry]] = {}
        for entry in entries:
            by_chat.setdefault(entry.chat_id, []).append(entry)
        for chat_entries in by_chat.values():
            self.submit(chat_entries)
        return len(entries)

    async def _send_all(self, entries: list[OutboxEntry], callback_query_id: str | None) -> None:
        try:
            if callback_query_id is not None:
                try:
                    await self._bot.answer_callback_query(callback_query_id)
                except TelegramError as exc:  # an old query cannot be answered; the reply still goes out
                    log.debug("callback query not answered: %s", type(exc).__name__)
            if not entries:
                return
            chat_id = entries[0].chat_id
            lane = self._lanes.setdefault(chat_id, _Lane())
            lane.users += 1
            # Each sent reply is marked beside the next one's sending: a reply never waits for
            # the database to record the one before it (its id is remembered as sent meanwhile).
            marks: list[asyncio.Task[None]] = []
            try:
                async with lane.lock:
                    for entry in entries:
                        if self._pacer is not None:
                            await self._pacer.wait(chat_id)
                        settled, message_id = await self._send_one(entry)
                        if settled:
                            self._remember_sent(entry.id)
                            marks.append(asyncio.create_task(self._mark_sent(entry, message_id)))
                        self._claimed.discard(entry.id)
            finally:
                lane.users -= 1
                if lane.users == 0:
                    self._lanes.pop(chat_id, None)
                if marks:
                    await asyncio.gather(*marks)
        finally:
            self._claimed.difference_update(e.id for e in entries)

    def _remember_sent(self, entry_id: int) -> None:
        self._recently_sent[entry_id] = None
        while len(self._recently_sent) > _REMEMBER_SENT:
            self._recently_sent.popitem(last=False)

    async def _send_one(self, entry: OutboxEntry) -> tuple[bool, int | None]:
        """Send one entry: ``(True, message id)`` once it is settled (sent, or refused for good,
        then without an id), ``(False, None)`` if it is left unsent. The caller marks it sent."""
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
                return True, None
            except BadRequest as exc:
                # A reply Telegram will never accept must not block the lane forever.
                log.error("reply %s for user %s rejected: %s", entry.id, entry.user_id, exc.message)
                return True, None
            except TelegramError as exc:
                log.warning("sending reply %s failed (attempt %s): %s", entry.id, attempt, type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)
                continue
            return True, message_id
        log.error("reply %s for user %s left for redelivery", entry.id, entry.user_id)
        return False, None

    async def _mark_sent(self, entry: OutboxEntry, message_id: int | None) -> None:
        """Record the entry as sent; if that fails, the redelivery after a restart sends it again."""
        try:
            await self._storage.mark_sent(entry.id, message_id)
        except StorageError as exc:
            log.warning(
                "reply %s sent but not marked (%s); it may be sent again", entry.id, type(exc).__name__
            )

    async def _send(self, entry: OutboxEntry) -> int:
        reply = entry.reply
        if reply.document is not None:
            message = await self._bot.send_document(
                entry.chat_id,
                document=reply.document.content,
                filename=reply.document.filename,
                caption=reply.document.caption or None,
            )
            return message.message_id
        message = await self._bot.send_message(entry.chat_id, reply.text, reply_markup=keyboard(reply))
        return message.message_id
