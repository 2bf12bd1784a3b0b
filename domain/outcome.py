"""What the dialogue decided for one update: the replies to send and the effects to store.

``guide/`` decides: ``Dialogue.handle(view, incoming) -> Outcome``, a pure function of its
inputs (plus the classifier and the step files), importing neither telegram nor sqlalchemy;
``storage/`` applies the :class:`Effect` objects, in order, in the update's one transaction,
and keeps the replies in its outbox until they are sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.case import CaseState, EvidenceItem, Filing, Reminder, TimelineEntry
from domain.messages import Reply

# --- effects: what storage must do, in order, in the update's transaction -----------------


@dataclass(frozen=True, slots=True)
class SaveCase:
    """Insert or update the case (all columns and its facts, replacing the stored facts)."""

    case: CaseState


@dataclass(frozen=True, slots=True)
class SetCurrentCase:
    """Make ``case_id`` the person's current case (``None``: no current case)."""

    case_id: str | None


@dataclass(frozen=True, slots=True)
class AddTimeline:
    """Append to a case's timeline."""

    entry: TimelineEntry


@dataclass(frozen=True, slots=True)
class AddEvidence:
    """Attach a file to a case."""

    item: EvidenceItem


@dataclass(frozen=True, slots=True)
class UpdateEvidence:
    """Replace a stored evidence item (same id), e.g. its category once the screenshot was read."""

    item: EvidenceItem


@dataclass(frozen=True, slots=True)
class AddFiling:
    """Record a complaint the person filed."""

    filing: Filing


@dataclass(frozen=True, slots=True)
class UpdateFiling:
    """Replace a stored filing (same id): its status, number, answer or dates changed."""

    filing: Filing


@dataclass(frozen=True, slots=True)
class ScheduleReminder:
    """Store a reminder (replacing any pending reminder of the same case and purpose)."""

    reminder: Reminder


@dataclass(frozen=True, slots=True)
class CancelReminders:
    """Cancel the pending reminders of a case (all purposes when ``purpose`` is ``""``)."""

    case_id: str
    purpose: str = ""


@dataclass(frozen=True, slots=True)
class MarkReminderDone:
    """A reminder fired (or was found obsolete); never fire it again."""

    reminder_id: str


@dataclass(frozen=True, slots=True)
class SetPending:
    """Replace the person's scratch values (see :attr:`UserView.pending`)."""

    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class DeleteUser:
    """Erase every row about the person: cases, facts, timeline, evidence, filings, reminders, scratch."""


@dataclass(frozen=True, slots=True)
class RecordClassification:
    """Anonymous statistics: which intent a message got, whether the person had to be asked,
    and, for unmatched messages, its tokens (never the raw text)."""

    intent: str
    clarified_as: str | None = None
    needed_clarification: bool = False
    unknown_tokens: tuple[str, ...] = ()


Effect = (
    SaveCase
    | SetCurrentCase
    | AddTimeline
    | AddEvidence
    | UpdateEvidence
    | AddFiling
    | UpdateFiling
    | ScheduleReminder
    | CancelReminders
    | MarkReminderDone
    | SetPending
    | DeleteUser
    | RecordClassification
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the dialogue decided for one incoming event: messages to send, effects to store."""

    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
