"""Pacing replies per chat: Telegram asks bots for about one message per second in a chat.

A token bucket per chat lets a reply of two or three messages go out at once (Telegram
tolerates short bursts) and then spaces further messages to one a second, so a long
conversation never runs into 429s. The overall 30/s limit is PTB's rate limiter's job.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class ChatPacer:
    """One token bucket per chat: ``burst`` messages at once, then ``rate`` a second."""

    def __init__(
        self,
        rate: float = 1.0,
        burst: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)

    def delay(self, chat_id: int) -> float:
        """Take a token for one message now; return how long to wait before sending it."""
        now = self._clock()
        tokens, at = self._buckets.get(chat_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.rate) - 1.0
        self._buckets[chat_id] = (tokens, now)
        if len(self._buckets) > 10_000:
            self._forget_full(now)
        return 0.0 if tokens >= 0 else -tokens / self.rate

    async def wait(self, chat_id: int) -> None:
        """Wait until one more message may go to ``chat_id`` (callers are serialised per chat)."""
        pause = self.delay(chat_id)
        if pause > 0:
            await self._sleep(pause)

    def _forget_full(self, now: float) -> None:
        full = [c for c, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.burst]
        for chat_id in full:
            del self._buckets[chat_id]
