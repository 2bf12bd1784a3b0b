"""A person talking to the running bot, one action at a time, for the end-to-end tests.

Each action (a text, a command, a button, a photo) returns exactly the replies it produced.
The bot stores an update's replies in its outbox table with the update's key
(``tg:<update_id>``), in the same transaction as the state change, and records the Telegram
message id of each once sent; so the helper waits for those rows and picks those messages.
Messages the bot sends on its own meanwhile (a reminder, the reading of a screenshot) are
not mixed in: :meth:`Chat.produced` collects them by their own keys. No fixed sleeps.

The bot throttles each person to ``FLOOD_LIMIT`` updates per 10 seconds (``bot/throttle.py``;
20 by default). A walk through a whole case is faster than any human, so the suite's bots get
:data:`FLOOD_LIMIT` (the limit itself has its own tests), and :class:`Chat` still keeps below
it by waiting for the oldest of its recent actions to leave the window when needed.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from tests.e2e.database import Database, Row
from tests.fake_telegram import FakeTelegram, SentMessage

#: The suite's bots' ``FLOOD_LIMIT``: updates per person per 10 s (``Throttle.period``).
FLOOD_LIMIT = 60
#: What :class:`Chat` allows itself per window, with a margin.
THROTTLE_LIMIT = FLOOD_LIMIT - 1
THROTTLE_PERIOD = 10.5
TIMEOUT = 20.0
POLL = 0.02

_ROWS_OF_KEY = (
    "select update_key, seq, sent_at, telegram_message_id from outbox"
    " where user_id = ? and update_key like ? escape '\\' order by id"
)


def _like(prefix: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching keys that start with ``prefix``."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


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

    def __init__(self, telegram: FakeTelegram, db: Database, user_id: int) -> None:
        self.telegram = telegram
        self.db = db
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
        """Send a photo with ``caption``; the bot's immediate replies (its reading comes later)."""
        await self._pace()
        return await self._replies(await self.telegram.send_photo(self.user_id, image, caption))

    async def press(self, messages: list[SentMessage], label: str) -> list[SentMessage]:
        """Press the button labelled ``label`` (a part of it) on the last of ``messages`` that has one."""
        message, data = find_button(messages, label)
        await self._pace()
        return await self._replies(await self.telegram.press_button(self.user_id, message.message_id, data))

    async def produced(self, key_prefix: str, timeout: float = TIMEOUT) -> list[SentMessage]:
        """The messages the bot sent this person on its own under keys starting with ``key_prefix``
        (``reminder:``, ``ocr:``), once there is at least one and all of them are sent."""
        pattern = _like(key_prefix)
        return await self._delivered(pattern, timeout, f"a message under {key_prefix!r}")

    async def committed(self, key_prefix: str, timeout: float = TIMEOUT) -> None:
        """Wait until the bot has committed an event of this person under a key starting with
        ``key_prefix`` (e.g. ``ocr:``, the reading of a screenshot), whether or not it said anything."""
        pattern = _like(key_prefix)
        sql = "select 1 from processed_updates where user_id = ? and update_key like ? escape '\\'"
        await self._wait(
            lambda: self.db.rows(sql, (self.user_id, pattern)), f"an event under {key_prefix!r}", timeout
        )

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
        """Wait until the update is committed, then until each reply stored with it is sent."""
        key = f"tg:{update['update_id']}"
        sql = "select 1 from processed_updates where update_key = ?"
        await self._wait(lambda: self.db.rows(sql, (key,)), f"the bot to process update {key}")
        return await self._delivered(key, TIMEOUT, f"the replies to {key}", allow_none=True)

    async def _delivered(
        self,
        pattern: str,
        timeout: float,
        what: str,
        *,
        allow_none: bool = False,
    ) -> list[SentMessage]:
        """The messages of the outbox rows matching ``pattern``, once all are sent."""
        rows: list[Row] = []

        async def ready() -> bool:
            nonlocal rows
            rows = await self.db.rows(_ROWS_OF_KEY, (self.user_id, pattern))
            return (allow_none or bool(rows)) and all(row[2] is not None for row in rows)

        try:
            await self._wait(ready, f"{what} to be sent", timeout)
        except AssertionError as error:
            recent = [m.text[:60] for m in self.telegram.sent_messages(self.user_id)[-5:]]
            states = [(row[0], "sent" if row[2] else "unsent") for row in rows]
            raise AssertionError(f"{error}; outbox rows {states}; last messages {recent}") from None
        missing = [row for row in rows if row[3] is None]
        assert not missing, f"Telegram refused {len(missing)} repl(ies) for {what}"
        return [self.telegram.message(self.user_id, int(row[3])) for row in rows]

    @staticmethod
    async def _wait(done: Callable[[], Awaitable[object]], what: str, timeout: float = TIMEOUT) -> None:
        """Poll ``done()`` until it is truthy; AssertionError naming ``what`` after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not await done():
            if loop.time() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            await asyncio.sleep(POLL)
