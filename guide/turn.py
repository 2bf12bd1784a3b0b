"""One turn of the dialogue: collects replies and effects, and keeps the view they imply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domain.case import CaseState, TimelineEntry, UserView, new_id
from domain.limits import MAX_CAPTION_LENGTH, MAX_MESSAGE_LENGTH
from domain.messages import Button, Incoming, Reply
from domain.outcome import AddTimeline, Effect, Outcome, SaveCase, SetCurrentCase, SetPending
from guide import script
from guide.content import GuideContent
from guide.tracking import Tracking

Rows = Sequence[Sequence[Button]]


def clip(text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
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
        #: Indexes of replies meant to be copied as they are (drafts): never converted.
        self.verbatim: set[int] = set()
        self._note_script(incoming)

    def _note_script(self, incoming: Incoming) -> None:
        """Remember whether the person writes Traditional characters (answered in Traditional)."""
        if incoming.kind != "text":
            return
        written = script.written_script(incoming.text[:500])
        if written is None:
            return
        pending = dict(self.pending)
        if written == script.TRADITIONAL:
            pending[script.SCRIPT_KEY] = script.TRADITIONAL
        else:
            pending.pop(script.SCRIPT_KEY, None)
        if pending != self.pending:
            self.pending = pending
            self.emit(SetPending(dict(pending)))

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

    def say_verbatim(self, text: str) -> None:
        """Queue text the person copies as it is (a draft): sent in Simplified, never converted."""
        self.verbatim.add(len(self.replies))
        self.replies.append(Reply(clip(text)))

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
        """The collected replies (in Traditional for a Traditional writer, drafts excepted) and effects."""
        replies = tuple(self.replies)
        if self.pending.get(script.SCRIPT_KEY) == script.TRADITIONAL:
            replies = tuple(
                reply if index in self.verbatim else _traditional(reply)
                for index, reply in enumerate(replies)
            )
        return Outcome(replies, tuple(self.effects))


def _traditional(reply: Reply) -> Reply:
    """``reply`` with its text, button labels and document caption in Traditional characters."""
    rows = tuple(
        tuple(Button(script.to_traditional(button.label), button.data) for button in row)
        for row in reply.buttons
    )
    document = reply.document
    if document is not None:
        document = replace(
            document, caption=clip(script.to_traditional(document.caption), MAX_CAPTION_LENGTH)
        )
    return Reply(clip(script.to_traditional(reply.text)), rows, document)


def msg(turn: Turn, key: str, **values: str) -> str:
    """The common message ``key`` with ``{name}`` placeholders filled in."""
    text = turn.content.message(key)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
