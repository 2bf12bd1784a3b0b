"""The update queue behind getUpdates, and factories for Telegram-shaped update objects.

The queue follows Telegram's rules: update ids increase; a getUpdates ``offset`` confirms
(and forgets) every update with a smaller id; a negative offset keeps only the last
``-offset`` updates; a long poll (``timeout`` > 0) is held until an update arrives or the
timeout passes; a newer getUpdates call terminates an older one still waiting (409).
"""

from __future__ import annotations

import asyncio
import struct
import time
from typing import Any

from tests.fake_telegram.models import ApiError, JsonDict

TERMINATED = ApiError(
    409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)


def user_dict(user_id: int, first_name: str, **extra: Any) -> JsonDict:
    """A ``User`` object for a human user."""
    user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "zh-hans"}
    user.update({key: value for key, value in extra.items() if value is not None})
    return user


def chat_dict(chat_id: int, chat_type: str, user: JsonDict) -> JsonDict:
    """A ``Chat`` object; private chats carry the user's names, others a title."""
    if chat_type == "private":
        chat: JsonDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat
    return {"id": chat_id, "type": chat_type, "title": f"测试群 {chat_id}"}


def now() -> int:
    """The current Unix time, as Telegram dates are."""
    return int(time.time())


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG image, or a plausible default for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                break
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    return 1280, 960


class UpdateQueue:
    """Pending updates with Telegram's getUpdates semantics."""

    def __init__(self) -> None:
        self._pending: list[JsonDict] = []
        self._next_id = 1
        self.confirmed_update_id = 0
        self._arrived = asyncio.Event()
        self._poll_generation = 0
        self._terminated_by = TERMINATED
        self._closing = False

    @property
    def pending_count(self) -> int:
        """How many updates are waiting to be fetched and confirmed."""
        return len(self._pending)

    @property
    def pending(self) -> list[JsonDict]:
        """A copy of the pending updates, oldest first."""
        return list(self._pending)

    def take_id(self) -> int:
        """Reserve the next update_id (for updates delivered by webhook instead of queued)."""
        self._next_id += 1
        return self._next_id - 1

    def push(self, update: JsonDict) -> JsonDict:
        """Give ``update`` the next update_id, queue it and wake a waiting long poll."""
        update = {"update_id": self.take_id(), **{k: v for k, v in update.items() if k != "update_id"}}
        self._pending.append(update)
        self._arrived.set()
        return update

    def confirm(self, offset: int) -> None:
        """Apply a getUpdates ``offset``: forget confirmed updates (or all but the last -offset)."""
        if offset > 0:
            kept = [update for update in self._pending if update["update_id"] >= offset]
            dropped = [update for update in self._pending if update["update_id"] < offset]
            if dropped:
                self.confirmed_update_id = max(self.confirmed_update_id, dropped[-1]["update_id"])
            self._pending = kept
        elif offset < 0:
            keep = -offset
            dropped = self._pending[:-keep] if keep < len(self._pending) else []
            if dropped:
                self.confirmed_update_id = max(self.confirmed_update_id, dropped[-1]["update_id"])
            self._pending = self._pending[len(dropped) :]

    def drop_all(self) -> None:
        """Forget every pending update (deleteWebhook/setWebhook with drop_pending_updates)."""
        if self._pending:
            self.confirmed_update_id = max(self.confirmed_update_id, self._pending[-1]["update_id"])
        self._pending = []

    def close(self) -> None:
        """Release every waiting long poll so the server can shut down promptly."""
        self._closing = True
        self._arrived.set()

    async def get(self, offset: int, limit: int, poll_seconds: float) -> list[JsonDict]:
        """Answer one getUpdates call, holding it up to ``poll_seconds`` for an update."""
        self.confirm(offset)
        self._poll_generation += 1
        self._terminated_by = TERMINATED
        generation = self._poll_generation
        self._arrived.set()  # wake an older long poll so it sees it was terminated
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(poll_seconds, 0.0)
        while not self._pending and not self._closing:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                break
            if generation != self._poll_generation:
                raise self._terminated_by
        if generation != self._poll_generation:
            raise self._terminated_by
        return self._pending[:limit]

    def terminate_waiting_polls(self, error: ApiError = TERMINATED) -> None:
        """Make any long poll in progress fail with ``error`` (409, as a competing call would)."""
        self._poll_generation += 1
        self._terminated_by = error
        self._arrived.set()
