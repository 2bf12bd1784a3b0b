"""Per-chat pacing: a short burst goes out at once, then about one message a second per chat."""

from __future__ import annotations

from bot.pacing import ChatPacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_per_second() -> None:
    clock = Clock()
    pacer = ChatPacer(rate=1.0, burst=3, clock=clock)
    delays = [pacer.delay(1) for _ in range(6)]
    assert delays[:3] == [0.0, 0.0, 0.0]
    assert delays[3:] == [1.0, 2.0, 3.0]  # each further message waits for its own second


def test_tokens_come_back_with_time() -> None:
    clock = Clock()
    pacer = ChatPacer(rate=1.0, burst=3, clock=clock)
    for _ in range(3):
        pacer.delay(1)
    clock.now += 2.0
    assert pacer.delay(1) == 0.0
    assert pacer.delay(1) == 0.0
    assert pacer.delay(1) == 1.0


def test_chats_are_paced_independently() -> None:
    clock = Clock()
    pacer = ChatPacer(rate=1.0, burst=1, clock=clock)
    assert pacer.delay(1) == 0.0
    assert pacer.delay(1) == 1.0
    assert pacer.delay(2) == 0.0


async def test_wait_sleeps_for_the_delay() -> None:
    clock = Clock()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    pacer = ChatPacer(rate=2.0, burst=1, clock=clock, sleep=sleep)
    await pacer.wait(9)
    await pacer.wait(9)
    assert slept == [0.5]
