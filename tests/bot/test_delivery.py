"""The deliverer: a chat's replies go out in order, each marked sent, none waiting for the marks."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.error import Forbidden
from telegram.ext import ExtBot

from bot.delivery import Deliverer
from domain.messages import Reply
from storage import OutboxEntry
from tests.offline import OfflineRequest
from tests.waiting import poll_until


class SlowMarks:
    """The part of ``Storage`` the deliverer uses to mark sends; each mark waits for ``release``."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.marked: list[tuple[int, int | None]] = []

    async def mark_sent(self, entry_id: int, telegram_message_id: int | None = None) -> None:
        await self.release.wait()
        self.marked.append((entry_id, telegram_message_id))


def _entries(*texts: str, chat_id: int = 42) -> list[OutboxEntry]:
    return [
        OutboxEntry(id=i, chat_id=chat_id, user_id=chat_id, reply=Reply(t)) for i, t in enumerate(texts, 1)
    ]


async def _deliverer(storage: Any, request: OfflineRequest) -> tuple[Deliverer, ExtBot[None]]:
    bot: ExtBot[None] = ExtBot("1:offline", request=request, get_updates_request=request)
    await bot.initialize()
    return Deliverer(bot, storage), bot


async def test_the_next_reply_does_not_wait_for_the_previous_ones_sent_mark() -> None:
    storage, request = SlowMarks(), OfflineRequest()
    deliverer, bot = await _deliverer(storage, request)
    deliverer.submit(_entries("one", "two", "three"))

    # Every reply is out, in order, while no mark has been recorded yet.
    await poll_until(lambda: len(request.sent()) == 3, timeout=30, what="three replies")
    assert [p["text"] for p in request.sent()] == ["one", "two", "three"]
    assert storage.marked == []

    storage.release.set()
    await deliverer.drain()
    # Each entry with the id Telegram gave its message (the fake numbers them 1, 2, 3).
    assert sorted(storage.marked) == [(1, 1), (2, 2), (3, 3)]
    await bot.shutdown()


async def test_a_reply_sent_but_not_yet_marked_is_not_sent_again() -> None:
    storage, request = SlowMarks(), OfflineRequest()
    deliverer, bot = await _deliverer(storage, request)
    entries = _entries("one")
    deliverer.submit(entries)
    await poll_until(lambda: len(request.sent()) == 1, timeout=30, what="the reply")

    deliverer.submit(entries)  # a repeated update, or the redelivery loop, while the mark is pending
    storage.release.set()
    await deliverer.drain()
    assert len(request.sent()) == 1
    assert storage.marked == [(1, 1)]
    await bot.shutdown()


async def test_a_reply_refused_for_good_is_marked_without_a_message_id() -> None:
    class Blocked(OfflineRequest):
        async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
            if url.endswith("/sendMessage"):
                raise Forbidden("Forbidden: bot was blocked by the user")
            return await super().do_request(url, method, *args, **kwargs)

    storage = SlowMarks()
    storage.release.set()
    deliverer, bot = await _deliverer(storage, Blocked())
    deliverer.submit(_entries("one", "two"))
    await deliverer.drain()
    assert storage.marked == [(1, None), (2, None)]
    await bot.shutdown()
