"""The result of classifying one message: what the rest of the product sees of the intent engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.issues import ISSUE_TYPES

#: Every label the classifier can return (``other`` means no intent matched).
LABELS: tuple[str, ...] = (*ISSUE_TYPES, "greeting", "other")


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """The decision for one message.

    ``intent`` is one of :data:`LABELS`. ``confidence`` is in [0, 1].
    ``keywords`` are the keywords/variants that fired for the winning intent.
    ``runner_up`` is the second-best intent (or ``None``) and ``runner_up_score`` its score.
    ``needs_clarification`` is true when the engine is unsure between issue types and the
    bot should ask the person with buttons instead of guessing.
    ``candidates`` are the issue types worth offering as buttons when clarifying.
    ``tokens`` are the normalized jieba tokens: all of them when ``intent`` is ``other`` (they
    feed the unknown-token statistics; never log or store raw text), otherwise only those around
    the keywords found (``classify`` leaves the rest of the message unsegmented).
    """

    intent: str
    confidence: float = 0.0
    keywords: tuple[str, ...] = ()
    runner_up: str | None = None
    runner_up_score: float = 0.0
    score: float = 0.0
    needs_clarification: bool = False
    candidates: tuple[str, ...] = ()
    tokens: tuple[str, ...] = field(default=(), repr=False)
    #: Which stage decided: ``keywords``, ``model`` or ``core-term`` (a core term asked).
    stage: str = "keywords"
    #: The learned stage's probability for ``intent`` (0 when it was not consulted).
    model_probability: float = 0.0

    @property
    def is_issue(self) -> bool:
        """True when the intent is one of the three issue types."""
        return self.intent in ISSUE_TYPES
