"""The per-person throttle: a flood gets one notice, then silence; others are not affected."""

from __future__ import annotations

from bot.throttle import Throttle, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_flood_gets_one_notice_then_is_dropped_and_recovers() -> None:
    clock = Clock()
    throttle = Throttle(limit=20, period=10, cooldown=60, clock=clock)
    verdicts = []
    for _ in range(25):
        verdicts.append(throttle.check(1))
        clock.now += 0.1
    assert verdicts[:20] == [Verdict.ALLOW] * 20
    assert verdicts[20] == Verdict.NOTIFY
    assert verdicts[21:] == [Verdict.DROP] * 4
    clock.now += 61
    assert throttle.check(1) == Verdict.ALLOW


def test_other_people_are_not_slowed() -> None:
    clock = Clock()
    throttle = Throttle(limit=5, period=10, cooldown=60, clock=clock)
    for _ in range(10):
        throttle.check(1)
    assert throttle.check(2) == Verdict.ALLOW


def test_steady_pace_is_never_throttled() -> None:
    clock = Clock()
    throttle = Throttle(limit=20, period=10, cooldown=60, clock=clock)
    for _ in range(200):
        assert throttle.check(7) == Verdict.ALLOW
        clock.now += 0.6
