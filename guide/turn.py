"""One turn of the dialogue: collects replies and effects, and keeps the view they imply."""

from __future__ import annotations

from collections.abc import Sequence

from guide.content import GuideContent
from guide.model import (
    AddTimeline,
    Button,
    CaseState,
    Effect,
    Incoming,
    Outcome,
    Reply,
    SaveCase,
    SetCurrentCase,
    TimelineEntry,
    UserView,
    new_id,
)
from guide.tracking import Tracking

MAX_REPLY = 4096
Rows = Sequence[Sequence[Button]]


def clip(text: str, limit: int = MAX_REPLY) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Turn:
    """The replies and effects of handling one incoming event, and the cases as they now are."""

    def __init__(
        self, content: GuideContent, view: UserView, incoming: Incoming, tracking: Tracking | None = None
    ) -> None:
        self.content = content
        self.tracking = tracking  # the filings content (guide/tracking/ladder.toml), when loaded
        self.view = view
        self.incoming = incoming
        self.at = incoming.at
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self.cases: dict[str, CaseState] = {case.id: case for case in view.cases}
        self.current_id = view.current_case_id
        self.pending: dict[str, str] = dict(view.pending)

    @property
    def current(self) -> CaseState | None:
        """The current case (open or closed) as changed so far in this turn."""
        return self.cases.get(self.current_id) if self.current_id else None

    @property
    def open_current(self) -> CaseState | None:
        """The current case when it is open."""
        case = self.current
        return case if case is not None and case.status == "open" else None

    def say(self, text: str, buttons: Rows = ()) -> None:
        """Queue a text reply with inline keyboard rows."""
        rows = tuple(tuple(row) for row in buttons if row)
        self.replies.append(Reply(clip(text), rows))

    def reply(self, reply: Reply) -> None:
        """Queue a prepared reply."""
        self.replies.append(reply)

    def emit(self, effect: Effect) -> None:
        """Queue an effect."""
        self.effects.append(effect)

    def save(self, case: CaseState) -> CaseState:
        """Store ``case`` (touching ``updated_at``) and return the stored version."""
        case = case.evolve(updated_at=self.at)
        self.cases[case.id] = case
        self.emit(SaveCase(case))
        return case

    def set_current(self, case_id: str | None) -> None:
        """Make ``case_id`` the current case."""
        if case_id != self.current_id:
            self.current_id = case_id
            self.emit(SetCurrentCase(case_id))

    def log(self, case: CaseState, event: str, detail: str = "") -> None:
        """Append a timeline entry to ``case``."""
        self.emit(AddTimeline(TimelineEntry(case.id, self.at, event, detail[:200])))

    def open_case(self, issue_type: str | None) -> CaseState:
        """Create a case (stage one, step one), make it current and log it."""
        case = CaseState(
            id=new_id(),
            user_id=self.view.user_id,
            issue_type=issue_type,
            stage=self.content.stages[0].id,
            step=0,
            status="open",
            created_at=self.at,
            updated_at=self.at,
        )
        case = self.save(case)
        self.set_current(case.id)
        self.log(case, "opened", issue_type or "")
        return case

    def outcome(self) -> Outcome:
        """The collected replies and effects."""
        return Outcome(tuple(self.replies), tuple(self.effects))
