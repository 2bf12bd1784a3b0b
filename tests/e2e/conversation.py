"""A person talking to the running bot, one action at a time, for the end-to-end tests.

Each action (a text, a command, a button, a photo) waits until the bot has committed the
update and then for exactly the replies it produced: the number is read from the outbox
rows stored with the update's key (``tg:<update_id>``) in the same transaction. So a test
never guesses how many messages an answer has, and never sleeps for a fixed time.

The bot throttles each person to 20 updates per 10 seconds (``bot/throttle.py``); a walk
through a whole case is faster than any human, so :class:`Chat` keeps below that rate by
waiting for the oldest of its recent actions to leave the window when needed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import deque
from pathlib import Path
from typing import Any

from tests.e2e.database import query
from tests.fake_telegram import FakeTelegram, SentMessage

#: Updates per window the bot's throttle allows (``Throttle(limit=20, period=10.0)``), minus a margin.
THROTTLE_LIMIT = 19
THROTTLE_PERIOD = 10.5
TIMEOUT = 20.0


def texts(messages: list[SentMessage]) -> str:
    """The texts of ``messages`` joined by newlines (for ``in`` checks)."""
    return "\n".join(message.text for message in messages)


def find_button(messages: list[SentMessage], label: str) -> tuple[SentMessage, str]:
    """The last message with a button whose label contains ``label``, and that button's data."""
    for message in reversed(messages):
        for row in message.buttons:
            for text, data in row:
                if label in text and data is not None:
                    return message, data
    shown = [text for message in messages for text in message.button_labels]
    raise AssertionError(f"no button {label!r} among {shown}")


class Chat:
    """One private chat with the bot: actions return the replies they produced."""

    def __init__(self, telegram: FakeTelegram, db_path: Path, user_id: int) -> None:
        self.telegram = telegram
        self.db_path = db_path
        self.user_id = user_id
        self._sent: deque[float] = deque()

    async def text(self, text: str) -> list[SentMessage]:
        """Write ``text``; the bot's replies."""
        await self._pace()
        return await self._replies(await self.telegram.send_text(self.user_id, text))

    async def command(self, command: str, args: str = "") -> list[SentMessage]:
        """Send ``/command args``; the bot's replies."""
        await self._pace()
        return await self._replies(await self.telegram.send_command(self.user_id, command, args))

    async def photo(self, image: bytes, caption: str = "") -> list[SentMessage]:
        """Send a photo with ``caption``; the bot's replies."""
        await self._pace()
        return await self._replies(await self.telegram.send_photo(self.user_id, image, caption))

    async def press(self, messages: list[SentMessage], label: str) -> list[SentMessage]:
        """Press the button labelled ``label`` (a part of it) on the last of ``messages`` that has one."""
        message, data = find_button(messages, label)
        await self._pace()
        return await self._replies(await self.telegram.press_button(self.user_id, message.message_id, data))

    def bot_restarted(self) -> None:
        """Forget the recent actions: the throttle lives in the bot process's memory."""
        self._sent.clear()

    async def _pace(self) -> None:
        """Stay under the bot's per-person throttle (it would drop the update, not delay it)."""
        now = time.monotonic()
        while self._sent and self._sent[0] <= now - THROTTLE_PERIOD:
            self._sent.popleft()
        if len(self._sent) >= THROTTLE_LIMIT:
            await asyncio.sleep(self._sent[0] + THROTTLE_PERIOD - now)
            self._sent.popleft()
        self._sent.append(time.monotonic())

    async def _replies(self, update: dict[str, Any]) -> list[SentMessage]:
        """Wait until the update is committed, then for exactly the replies stored with it."""
        key = f"tg:{update['update_id']}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not self._processed(key):
            if loop.time() > deadline:
                raise AssertionError(f"the bot did not process update {key} within {TIMEOUT}s")
            await asyncio.sleep(0.02)
        [(count,)] = query(self.db_path, "select count(*) from outbox where update_key = ?", (key,))
        return await self.telegram.wait_for_messages(self.user_id, int(count), timeout=TIMEOUT)

    def _processed(self, key: str) -> bool:
        if not self.db_path.exists():
            return False
        try:
            rows = query(self.db_path, "select 1 from processed_updates where update_key = ?", (key,))
        except sqlite3.OperationalError:  # the bot is still creating its tables
            return False
        return bool(rows)
