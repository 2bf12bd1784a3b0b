"""A per-person incoming throttle: a flood gets one polite notice, then silence for a while.

Kept in memory per process: it protects the process from one person's flood without slowing
anyone else (each person has their own window), and it is cheap enough to run on every update.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    """What to do with one incoming update."""

    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit: tell the person once
    DROP = "drop"  # still cooling down: ignore


@dataclass
class _Window:
    times: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class Throttle:
    """Allows ``limit`` updates per ``period`` seconds per person; then blocks for ``cooldown``."""

    def __init__(
        self,
        limit: int = 20,
        period: float = 10.0,
        cooldown: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.period = period
        self.cooldown = cooldown
        self._clock = clock
        self._windows: dict[int, _Window] = {}

    def check(self, user_id: int) -> Verdict:
        """Count one update of ``user_id`` and say whether to handle it."""
        now = self._clock()
        window = self._windows.setdefault(user_id, _Window())
        if window.blocked_until > now:
            return Verdict.DROP
        times = window.times
        while times and times[0] <= now - self.period:
            times.popleft()
        times.append(now)
        if len(times) > self.limit:
            window.blocked_until = now + self.cooldown
            times.clear()
            return Verdict.NOTIFY
        if len(self._windows) > 10_000:
            self._forget_idle(now)
        return Verdict.ALLOW

    def _forget_idle(self, now: float) -> None:
        idle = [
            uid
            for uid, w in self._windows.items()
            if w.blocked_until <= now and (not w.times or w.times[-1] <= now - self.period)
        ]
        for uid in idle:
            del self._windows[uid]


FLOOD_NOTICE = "你发消息太快了，请稍等一分钟再继续。你的案件已保存，不会丢失。"
