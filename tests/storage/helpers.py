"""Small builders for storage tests: cases, hand-made ``decide`` functions, a settable clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from domain.case import CaseState, UserView
from domain.messages import Reply
from domain.outcome import Effect, Outcome

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.now += delta


def make_case(user_id: int, case_id: str = "case1", **changes: object) -> CaseState:
    """A fresh open case of ``user_id`` in the confirm stage."""
    case = CaseState(
        id=case_id,
        user_id=user_id,
        issue_type="zhuli_swallowed",
        stage="confirm",
        step=0,
        status="open",
        created_at=T0,
        updated_at=T0,
    )
    return case.evolve(**changes) if changes else case


@dataclass
class Decider:
    """A ``decide`` function returning fixed effects and replies, remembering the views it saw."""

    effects: tuple[Effect, ...] = ()
    replies: tuple[Reply, ...] = ()
    seen: list[UserView] = field(default_factory=list)

    def __call__(self, view: UserView) -> Outcome:
        self.seen.append(view)
        return Outcome(replies=self.replies, effects=self.effects)


def decide(*effects: Effect, replies: tuple[Reply, ...] = ()) -> Decider:
    """A :class:`Decider` for the given effects and replies."""
    return Decider(effects=effects, replies=replies)


def texts(*lines: str) -> tuple[Reply, ...]:
    """Plain text replies."""
    return tuple(Reply(text=line) for line in lines)
