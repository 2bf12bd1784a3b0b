"""A tiny in-memory applier of effects and a conversation driver for dialogue tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from domain.case import CaseState, UserView
from domain.messages import Button, Incoming, Reply
from domain.outcome import (
    AddEvidence,
    AddFiling,
    AddTimeline,
    CancelReminders,
    DeleteUser,
    Effect,
    MarkReminderDone,
    Outcome,
    RecordClassification,
    SaveCase,
    ScheduleReminder,
    SetCurrentCase,
    SetPending,
    UpdateEvidence,
    UpdateFiling,
)
from guide import Dialogue, GuideContent, reads_timeline
from guide.facts import simplified
from intents.match import ISSUE_TYPES, IntentMatch

START = datetime(2024, 11, 20, 10, 0, 0)


class _NotLoaded(tuple):  # type: ignore[type-arg]
    """The timeline storage did not load (``guide.reads_timeline`` said no): reading it is a bug."""

    def _fail(self, *args: object) -> Any:
        raise AssertionError(
            "the dialogue read the timeline for an event guide.reads_timeline() does not name"
        )

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = _fail


def apply(view: UserView, effects: tuple[Effect, ...] | list[Effect]) -> UserView:
    """The view after storage applied ``effects`` in order (what storage/ does, in memory)."""
    for effect in effects:
        if isinstance(effect, SaveCase):
            others = tuple(case for case in view.cases if case.id != effect.case.id)
            view = replace(view, cases=(*others, effect.case))
        elif isinstance(effect, SetCurrentCase):
            view = replace(view, current_case_id=effect.case_id)
        elif isinstance(effect, AddTimeline):
            view = replace(view, timeline=(*view.timeline, effect.entry))
        elif isinstance(effect, AddEvidence):
            view = replace(view, evidence=(*view.evidence, effect.item))
        elif isinstance(effect, UpdateEvidence):
            new_item = effect.item
            view = replace(
                view, evidence=tuple(new_item if e.id == new_item.id else e for e in view.evidence)
            )
        elif isinstance(effect, AddFiling):
            view = replace(view, filings=(*view.filings, effect.filing))
        elif isinstance(effect, UpdateFiling):
            new_filing = effect.filing
            view = replace(
                view, filings=tuple(new_filing if f.id == new_filing.id else f for f in view.filings)
            )
        elif isinstance(effect, ScheduleReminder):
            new = effect.reminder
            kept = tuple(
                r for r in view.reminders if not (r.case_id == new.case_id and r.purpose == new.purpose)
            )
            view = replace(view, reminders=(*kept, new))
        elif isinstance(effect, CancelReminders):
            kept = tuple(
                r
                for r in view.reminders
                if not (r.case_id == effect.case_id and effect.purpose in ("", r.purpose))
            )
            view = replace(view, reminders=kept)
        elif isinstance(effect, MarkReminderDone):
            view = replace(view, reminders=tuple(r for r in view.reminders if r.id != effect.reminder_id))
        elif isinstance(effect, SetPending):
            view = replace(view, pending=dict(effect.values))
        elif isinstance(effect, DeleteUser):
            view = UserView(user_id=view.user_id)
        elif isinstance(effect, RecordClassification):
            pass
        else:  # pragma: no cover - a new effect type must be handled here
            raise AssertionError(f"unknown effect {effect!r}")
    return view


def keyword_classify(text: str) -> IntentMatch:
    """A fake classifier: a few keywords per intent, ``??`` asks for clarification."""
    if "??" in text:
        return IntentMatch("rights_damaged", 0.4, needs_clarification=True, candidates=ISSUE_TYPES[:2])
    table = (
        ("zhuli_swallowed", ("助力",)),
        ("bargain_failed", ("砍价", "砍")),
        ("rights_damaged", ("没发货", "优惠券", "退款", "返现")),
        ("greeting", ("你好", "hello")),
    )
    for intent, words in table:
        if any(word in text for word in words):
            return IntentMatch(intent, 0.9, keywords=words)
    return IntentMatch("other", 0.0, tokens=tuple(text.split()))


class Conversation:
    """Plays a conversation against the dialogue, applying effects to an in-memory view."""

    def __init__(
        self,
        content: GuideContent,
        classify: Callable[[str], IntentMatch] = keyword_classify,
        user_id: int = 42,
        delay: timedelta = timedelta(days=3),
    ) -> None:
        self.dialogue = Dialogue(content, classify, follow_up_delay=delay)
        self.view = UserView(user_id=user_id)
        self.now = START
        self.last: Outcome = Outcome()
        self.classifications: list[RecordClassification] = []
        #: Every reply the bot sent, as the chat shows them (a message id is the list index + 1).
        self.sent: list[Reply] = []

    def send(self, kind: str, **fields: Any) -> Outcome:
        """Handle one incoming event (the clock advances a minute each time)."""
        self.now += timedelta(minutes=1)
        incoming = Incoming(kind=kind, at=self.now, **fields)  # type: ignore[arg-type]
        # As storage does: the timeline only for the events that read it, and reading it anyway fails.
        view = self.view if reads_timeline(incoming) else replace(self.view, timeline=_NotLoaded())
        outcome = self.dialogue.handle(view, incoming)
        for reply in outcome.replies:
            assert len(reply.text) <= 4096
            for row in reply.buttons:
                for button in row:
                    assert len(button.data.encode()) <= 64, button.data
        self.classifications += [e for e in outcome.effects if isinstance(e, RecordClassification)]
        self.view = apply(self.view, outcome.effects)
        self.last = outcome
        self.sent += outcome.replies
        return outcome

    def text(self, text: str) -> Outcome:
        """Send free text."""
        return self.send("text", text=text)

    def command(self, name: str, args: str = "") -> Outcome:
        """Send ``/name``."""
        return self.send("command", command=name, args=args)

    def data(self, data: str) -> Outcome:
        """Press a button with raw callback ``data``.

        As Telegram does, the press carries the text and id of the latest message that holds
        such a button (none when no message of the chat has it, as for forged data).
        """
        for index in range(len(self.sent) - 1, -1, -1):
            reply = self.sent[index]
            if any(button.data == data for row in reply.buttons for button in row):
                return self.send("button", data=data, message_text=reply.text, message_id=index + 1)
        return self.send("button", data=data)

    def buttons(self) -> list[Button]:
        """All buttons of the last outcome's replies."""
        return [button for reply in self.last.replies for row in reply.buttons for button in row]

    def find(self, label: str) -> Button:
        """The button of the last outcome whose label contains ``label``."""
        for button in self.buttons():
            # A Traditional writer sees Traditional labels (issue 12): match in Simplified.
            if simplified(label) in simplified(button.label):
                return button
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.buttons()]}")

    def press(self, label: str) -> Outcome:
        """Press the button of the last outcome whose label contains ``label``."""
        return self.data(self.find(label).data)

    @property
    def case(self) -> CaseState:
        """The current case (must exist)."""
        case = self.view.current_case
        assert case is not None
        return case

    @property
    def replies(self) -> tuple[Reply, ...]:
        """The replies of the last outcome."""
        return self.last.replies

    @property
    def said(self) -> str:
        """All reply texts of the last outcome, joined."""
        return "\n".join(reply.text for reply in self.last.replies)

    def effects(self, kind: type) -> list[Any]:
        """The effects of ``kind`` in the last outcome."""
        return [e for e in self.last.effects if isinstance(e, kind)]
