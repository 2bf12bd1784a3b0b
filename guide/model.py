"""The dialogue's data: what comes in, what goes out, the case, and the effects on storage.

This module is the contract between the layers:

* ``bot/`` (Telegram) and the terminal chat turn what a person does into an :class:`Incoming`;
* ``storage/`` loads a :class:`UserView` (everything the dialogue may read about one person)
  and applies the :class:`Effect` objects the dialogue returns, in one transaction;
* ``guide/`` decides: ``Dialogue.handle(view, incoming) -> Outcome``, a pure function of its
  inputs (plus the classifier and the step files), importing neither telegram nor sqlalchemy.

Everything here is plain data; ids are strings made by the guide, so no layer waits on the
database to name a thing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

IncomingKind = Literal["text", "command", "button", "photo", "document", "reminder", "reading", "other"]
CaseStatus = Literal["open", "closed"]
CaseOutcome = Literal["resolved", "unresolved", "abandoned"]
#: Where a complaint was filed (labels and clocks in ``guide/tracking/ladder.toml``).
FilingChannel = Literal[
    "customer_service",
    "platform",
    "complaint_12315",
    "odr_12315",
    "report_12315",
    "consumer_assoc",
    "heimao",
    "court",
]
FilingStatus = Literal["submitted", "accepted", "rejected", "mediation", "settled", "closed"]


def new_id() -> str:
    """A short random id for a case, evidence item or reminder (12 hex digits)."""
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a person did, already stripped of Telegram specifics.

    * ``text``: free text in ``text``;
    * ``command``: ``command`` without the slash (``"start"``), ``args`` the rest of the line;
    * ``button``: ``data`` is the callback data of the pressed button, ``message_text`` the text
      of the bot's message that holds it and ``message_id`` that message's id (``""`` / ``0``
      when Telegram no longer shows the message);
    * ``photo`` / ``document``: ``file_id`` (Telegram's), ``caption`` may be empty,
      ``file_name`` / ``mime_type`` for documents;
    * ``reminder``: a stored reminder fell due, ``data`` is the reminder id;
    * ``reading``: a screenshot the person sent was read (OCR); ``data`` is a JSON object
      ``{"file_unique_id": ..., "kind": ..., "facts": {name: value}, "error": ""}`` where
      ``kind`` is one of ``ocr.KIND_LABELS`` and ``error`` a message for the person when the
      image could not be read (the raw recognised text never reaches the dialogue);
    * ``other``: anything else (sticker, voice, location...), ``data`` names the kind.
    """

    kind: IncomingKind
    at: datetime
    text: str = ""
    command: str = ""
    args: str = ""
    data: str = ""
    file_id: str = ""
    file_unique_id: str = ""
    caption: str = ""
    file_name: str = ""
    mime_type: str = ""
    message_text: str = ""
    message_id: int = 0
    is_operator: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button; ``data`` is at most 64 bytes (Telegram's limit)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Document:
    """A file the bot sends (e.g. the case export)."""

    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message the bot sends: text with optional inline keyboard rows, or a document."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """A screenshot or document attached to a case (the file stays with Telegram)."""

    id: str
    case_id: str
    kind: Literal["photo", "document"]
    file_id: str
    caption: str
    received_at: datetime
    category: str = ""  # e.g. "order", "rules", "chat"; "" when not known
    file_unique_id: str = ""
    file_name: str = ""
    sha256: str = ""  # hex digest of the file's bytes, once the bot downloaded it ("" until then)


@dataclass(frozen=True, slots=True)
class Filing:
    """A complaint the person filed somewhere (see :mod:`guide.filings`).

    ``filed_on`` and ``accepted_on`` are China calendar days; ``promised_until`` is the
    answer time the platform itself promised, when the person told us one.
    """

    id: str
    case_id: str
    channel: FilingChannel
    filed_on: date
    created_at: datetime
    updated_at: datetime
    number: str = ""  # complaint or ticket number ("" when not known)
    status: FilingStatus = "submitted"
    answer: str = ""  # what the answer said, in the person's words
    accepted_on: date | None = None
    promised_until: datetime | None = None

    def evolve(self, **changes: object) -> Filing:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Reminder:
    """A follow-up the bot will send at ``due_at`` unless cancelled."""

    id: str
    case_id: str
    due_at: datetime
    purpose: str = "follow_up"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """Something that happened in a case, for the export and the status view."""

    case_id: str
    at: datetime
    event: str  # a short machine name, e.g. "stage", "fact", "evidence", "contacted"
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CaseState:
    """A case as the dialogue sees it; the stored row is the only copy of the current step.

    ``stage`` is a stage id from the step files (``confirm``, ``contact``, ``complain``,
    ``legal``, ``cautions``), ``step`` an index inside it. ``awaiting`` names the question
    the bot asked and is waiting for (a fact name such as ``order_no``), or ``""``.
    ``facts`` maps fact names to the person's confirmed values.
    """

    id: str
    user_id: int
    issue_type: str | None
    stage: str
    step: int
    status: CaseStatus
    created_at: datetime
    updated_at: datetime
    facts: dict[str, str] = field(default_factory=dict)
    awaiting: str = ""
    outcome: CaseOutcome | None = None
    closed_at: datetime | None = None

    def evolve(self, **changes: object) -> CaseState:
        """A copy with ``changes`` applied (the state is immutable)."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class UserView:
    """Everything the dialogue may read about one person, loaded once per update."""

    user_id: int
    cases: tuple[CaseState, ...] = ()
    current_case_id: str | None = None
    evidence: tuple[EvidenceItem, ...] = ()  # of all the person's cases
    reminders: tuple[Reminder, ...] = ()  # pending ones
    timeline: tuple[TimelineEntry, ...] = ()  # of the current case; loaded only if reads_timeline()
    filings: tuple[Filing, ...] = ()  # of all the person's cases, oldest first
    pending: dict[str, str] = field(
        default_factory=dict
    )  # small per-user scratch (e.g. facts proposed, awaiting confirmation)

    @property
    def current_case(self) -> CaseState | None:
        """The case the person is working on, if any."""
        for case in self.cases:
            if case.id == self.current_case_id:
                return case
        return None


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
