"""Waiting for a condition the test cannot be told about, by polling it until a deadline.

For what has no event to wait on: a server's connection counter, a line in a bot process's
log. The deadline is generous (a busy machine is slow); the wait ends as soon as the
condition holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def poll_until(
    condition: Callable[[], bool], *, timeout: float, what: str, every: float = 0.01
) -> None:
    """Return once ``condition()`` holds, checking every ``every`` seconds; fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"timed out after {timeout}s waiting for {what}"
        await asyncio.sleep(every)
