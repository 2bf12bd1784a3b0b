"""The guide's content (step texts, buttons, prompts, evidence checklists) as typed objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from domain.issues import KIND_FACT
from domain.stages import STAGE_IDS
from guide.questionbook import QuestionBook, QuestionSpec
from guide.talk import TalkContent

if TYPE_CHECKING:
    from domain.case import CaseState
    from guide.citations import Citations
    from guide.tracks import Track

#: Actions a step button may carry (``goto:``, ``say:`` and ``ask:`` take an argument).
SIMPLE_ACTIONS: tuple[str, ...] = (
    "next",
    "back",
    "menu",
    "status",
    "facts",
    "evidence",
    "draft",
    "contacted",
    "close",
    "export",
)
ARG_ACTIONS: tuple[str, ...] = ("goto", "say", "ask")

#: Message keys the dialogue uses; ``common.toml`` must define each.
REQUIRED_MESSAGES: tuple[str, ...] = (
    "welcome",
    "greeting",
    "choose_type",
    "other",
    "other_in_case",
    "clarify",
    "stale",
    "other_case_button",
    "no_case",
    "case_opened",
    "type_set",
    "same_type_open",
    "switch_offer",
    "facts_saved",
    "fact_invalid",
    "cancelled",
    "nothing_to_cancel",
    "unknown_command",
    "empty_text",
    "unsupported",
    "evidence_saved",
    "evidence_need_type",
    "contacted",
    "reminder_set",
    "reminder_cancelled",
    "follow_up",
    "follow_up_resolved",
    "follow_up_unresolved",
    "follow_up_waiting",
    "close_ask",
    "closed",
    "case_closed_already",
    "closed_shown",
    "delete_ask",
    "deleted",
    "delete_kept",
    "flow_done",
    "first_step",
    "drafts_intro",
    "drafts_missing_ask",
    "drafts_report",
    "kind_ask",
    "kind_set",
    "facts_next",
    "duplicate_evidence",
    "scam_warning",
    # screenshots read by OCR (guide/screenshot_facts.py)
    "reading_kept",
    "reading_gone",
    "reading_blank",
    "reading_kind",
    "reading_found",
    "reading_no_facts",
    "reading_confirm",
    "reading_evidence_missing",
    "reading_evidence_complete",
    "reading_saved",
    "reading_conflicts",
    "reading_kept_fact",
    "reading_dropped_fact",
    "reading_rejected",
    "reading_edit",
    "reading_left",
    "reading_all_done",
    "reading_done",
)


def default_content_dir() -> Path:
    """The directory of the shipped step files (``guide/steps/``)."""
    return Path(__file__).resolve().parent / "steps"


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    """A button of a step: its label and the action it triggers (e.g. ``next``, ``goto:legal``)."""

    label: str
    action: str


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One short message of a stage, with per-issue-type text variants."""

    title: str
    text: str
    buttons: tuple[ButtonSpec, ...] = ()
    variants: dict[str, str] = field(default_factory=dict)
    nav: bool = True

    def text_for(self, issue_type: str | None, kind: str | None = None) -> str:
        """The text for ``issue_type`` and 权益受损 ``kind`` (the most specific variant there is)."""
        if issue_type == "rights_damaged" and kind is not None and kind in self.variants:
            return self.variants[kind]
        if issue_type is not None and issue_type in self.variants:
            return self.variants[issue_type]
        return self.text


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A stage of the flow (``confirm`` ... ``cautions``) and its steps."""

    id: str
    title: str
    summary: str
    steps: tuple[StepSpec, ...]


@dataclass(frozen=True, slots=True)
class EvidenceSpec:
    """An item of the evidence checklist: category id, label, caption keywords, issue types."""

    category: str
    label: str
    keywords: tuple[str, ...]
    types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GuideContent:
    """Everything the dialogue says, loaded and validated from the step files."""

    stages: tuple[StageSpec, ...]
    messages: dict[str, str]
    prompts: dict[str, str]
    evidence: tuple[EvidenceSpec, ...]
    nav_buttons: tuple[ButtonSpec, ...]
    scam_keywords: tuple[str, ...]
    #: While a case is open: words that mean "next step" (``next``), a plain acknowledgement
    #: (``ack``), or point to a stage (key = stage id).
    shortcuts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: What the drafts say per issue type and 权益受损 kind (``tracks.toml``).
    tracks: dict[str, Track] = field(default_factory=dict)
    #: Every article the bot may cite (``citations.toml``).
    citations: Citations | None = None
    #: Off-script words and messages (``talk.toml``).
    talk: TalkContent = field(default_factory=TalkContent)
    #: Common questions and their answers (``questions.toml``).
    question_book: QuestionBook = field(default_factory=QuestionBook)

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        """The common questions, in file order."""
        return self.question_book.questions

    def stage(self, stage_id: str) -> StageSpec | None:
        """The stage with ``stage_id``, or ``None``."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        return None

    def stage_index(self, stage_id: str) -> int:
        """The position of ``stage_id`` in the flow (0 when unknown)."""
        for index, stage in enumerate(self.stages):
            if stage.id == stage_id:
                return index
        return 0

    def step(self, stage_id: str, step: int) -> StepSpec | None:
        """The step at ``stage_id``/``step``, or ``None`` when it does not exist."""
        stage = self.stage(stage_id)
        if stage is None or not 0 <= step < len(stage.steps):
            return None
        return stage.steps[step]

    def shortcut(self, text: str) -> str | None:
        """The shortcut a short message stands for (``next``, ``ack`` or a stage id), if any."""
        compact = "".join(text.split()).lower().strip("。.!！~～")
        for key in ("next", "ack"):
            if compact in self.shortcuts.get(key, ()):
                return key
        for key, words in self.shortcuts.items():
            if key not in ("next", "ack") and any(word in compact for word in words):
                return key
        return None

    def message(self, key: str) -> str:
        """The common message ``key`` (validated at load)."""
        return self.messages[key]

    def checklist(self, issue_type: str | None, kind: str | None = None) -> tuple[EvidenceSpec, ...]:
        """The evidence checklist for ``issue_type`` and 权益受损 ``kind`` (all items when unknown)."""
        if issue_type is None:
            return self.evidence
        if issue_type == "rights_damaged" and kind is not None:
            for_kind = tuple(item for item in self.evidence if kind in item.types)
            if for_kind:
                return for_kind
        return tuple(item for item in self.evidence if issue_type in item.types)

    def case_checklist(self, case: CaseState) -> tuple[EvidenceSpec, ...]:
        """The evidence checklist of ``case`` (its type and, for 权益受损, its kind)."""
        return self.checklist(case.issue_type, case.facts.get(KIND_FACT))


def load_content(directory: Path | None = None) -> GuideContent:
    """Load and validate the step files of ``directory`` (default: the shipped ``guide/steps/``)."""
    from guide.loader import load_directory

    return load_directory(directory if directory is not None else default_content_dir())


__all__ = [
    "ARG_ACTIONS",
    "REQUIRED_MESSAGES",
    "SIMPLE_ACTIONS",
    "STAGE_IDS",
    "ButtonSpec",
    "EvidenceSpec",
    "GuideContent",
    "StageSpec",
    "StepSpec",
    "default_content_dir",
    "load_content",
]
