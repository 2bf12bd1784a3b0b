"""A case as the dialogue sees it and the records attached to it (plain data, no behaviour).

``storage/`` loads a :class:`UserView` (everything the dialogue may read about one person) from
its rows and writes these records back when the dialogue's effects say so
(:mod:`domain.outcome`). Ids are strings made by the guide (:func:`new_id`), so no layer
waits on the database to name a thing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

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
