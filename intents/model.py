"""The intent engine's data: keyword files as typed objects, settings, and load problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

#: An exclusion either vetoes its intent outright or lowers its score by a number.
VETO = "veto"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a keyword file, located by file and line (0 when unknown)."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """``file:line: severity: message``, the way compilers print it."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


class IntentFileError(Exception):
    """The keyword files cannot be loaded; ``problems`` lists every error (and warning) found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        lines = "\n".join(f"  {p}" for p in errors)
        super().__init__(f"{len(errors)} error(s) in the intent files:\n{lines}")


@dataclass(frozen=True, slots=True)
class Signal:
    """A context rule: adds ``weight`` (may be negative) when its cues appear in the message.

    ``cues`` are plain substrings of the normalized message (any one suffices) and ``regex``
    an optional regular expression on it; ``also`` is a second list of which one must appear
    too. With ``needs_keyword`` the rule only counts when a keyword of the intent fired.
    """

    name: str
    weight: float
    cues: tuple[str, ...] = ()
    regex: str = ""
    also: tuple[str, ...] = ()
    needs_keyword: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class IntentSpec:
    """One intent as its keyword file describes it."""

    id: str
    name: str
    priority: int
    keywords: dict[str, float]
    variants: dict[str, str] = field(default_factory=dict)
    exclusions: dict[str, float | str] = field(default_factory=dict)
    signals: tuple[Signal, ...] = ()
    min_score: float | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    source: str = ""
    core_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    """Engine-wide tuning, from ``_settings.toml`` (the defaults apply when it is absent)."""

    min_score: float = 3.0
    confidence_threshold: float = 0.5
    close_ratio: float = 0.75
    saturation: float = 8.0
    extra_keyword_factor: float = 0.5
    negators: tuple[str, ...] = ()
    negation_window: int = 2
    keyword_freq: int = 100_000
    #: The learned stage decides alone when the keywords found nothing and it is this sure.
    model_accept: float = 0.7
    #: Between ``model_ask`` and ``model_accept`` the bot asks with buttons instead of dropping.
    model_ask: float = 0.55
    #: A core term asks unless an exclusion fired or the model is this sure it is ``other``.
    model_core_other: float = 0.4


@dataclass(frozen=True, slots=True)
class IntentSet:
    """Every intent loaded from a directory, the settings, and the warnings found on the way."""

    intents: tuple[IntentSpec, ...]
    settings: Settings = field(default_factory=Settings)
    warnings: tuple[Problem, ...] = ()
    directory: Path | None = None
    #: Example sentences for the learned stage: ``(label, text, file, line)``.
    training: tuple[tuple[str, str, str, int], ...] = ()

    def get(self, intent_id: str) -> IntentSpec | None:
        """The intent with this id, if loaded."""
        for spec in self.intents:
            if spec.id == intent_id:
                return spec
        return None
