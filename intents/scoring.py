"""Per-intent scoring of one tokenized message: keywords, negation, exclusions and signals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intents.model import VETO, IntentSpec, Settings, Signal
from intents.substrings import SubstringIndex, bigrams


@dataclass(frozen=True, slots=True)
class _Role:
    """What one dictionary term means for one intent."""

    intent: int
    kind: str  # "keyword" or "exclusion"
    canonical: str
    weight: float
    veto: bool = False


@dataclass(slots=True)
class IntentScore:
    """How one intent scored on one message (shown by ``explain``)."""

    intent: str
    score: float = 0.0
    keywords: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    signals: list[tuple[str, float]] = field(default_factory=list)
    vetoed: bool = False


@dataclass(frozen=True, slots=True)
class _CompiledSignal:
    """A signal ready for matching: cue sets and a compiled regex."""

    name: str
    weight: float
    needs_keyword: bool
    cues: frozenset[str]
    also: frozenset[str]
    regex: re.Pattern[str] | None


def _compile(signal: Signal) -> _CompiledSignal:
    regex = re.compile(signal.regex) if signal.regex else None
    return _CompiledSignal(
        signal.name,
        signal.weight,
        signal.needs_keyword,
        frozenset(signal.cues),
        frozenset(signal.also),
        regex,
    )


class Scorer:
    """Scores every intent of a set; built once per loaded set, then pure and thread-safe."""

    def __init__(self, intents: tuple[IntentSpec, ...], settings: Settings) -> None:
        self.intents = intents
        self.settings = settings
        self.negators = frozenset(settings.negators)
        self.roles: dict[str, list[_Role]] = {}
        for index, spec in enumerate(intents):
            for term, weight in spec.keywords.items():
                self.roles.setdefault(term, []).append(_Role(index, "keyword", term, weight))
            for variant, canonical in spec.variants.items():
                role = _Role(index, "keyword", canonical, spec.keywords[canonical])
                self.roles.setdefault(variant, []).append(role)
            for term, effect in spec.exclusions.items():
                veto = effect == VETO
                weight = 0.0 if isinstance(effect, str) else effect
                self.roles.setdefault(term, []).append(_Role(index, "exclusion", term, weight, veto))
        self.signals = tuple(tuple(_compile(s) for s in spec.signals) for spec in intents)
        # One index over every cue: a message only pays for the cues it could contain.
        self.cues = SubstringIndex(
            c for spec in intents for sig in spec.signals for c in (*sig.cues, *sig.also)
        )

    def dictionary_terms(self) -> list[str]:
        """Every term that must segment as one token (keywords, variants, exclusions, negators)."""
        return sorted({*self.roles, *self.negators})

    def score(self, text: str, tokens: list[str]) -> list[IntentScore]:
        """Score every intent (in the set's order) on a normalized text and its tokens."""
        results = [IntentScore(spec.id) for spec in self.intents]
        fired: list[set[str]] = [set() for _ in self.intents]
        weights: list[list[float]] = [[] for _ in self.intents]
        window = self.settings.negation_window
        roles_of = self.roles
        negators = self.negators
        for position in [i for i, token in enumerate(tokens) if token in roles_of]:
            token = tokens[position]
            negated = window > 0 and not negators.isdisjoint(tokens[max(0, position - window) : position])
            for role in roles_of[token]:
                result = results[role.intent]
                if role.kind == "exclusion":
                    result.exclusions.append(role.canonical)
                    result.vetoed = result.vetoed or role.veto
                    result.score += role.weight
                elif negated:
                    result.negated.append(token)
                elif role.canonical not in fired[role.intent]:
                    fired[role.intent].add(role.canonical)
                    result.keywords.append(token)
                    weights[role.intent].append(role.weight)
        # The strongest keyword counts fully, the others partly: several topic words
        # ("砍价", "砍到") are still only a topic, not a complaint.
        factor = self.settings.extra_keyword_factor
        for result, found in zip(results, weights, strict=True):
            if found:
                strongest = max(found)
                result.score += strongest + factor * (sum(found) - strongest)
        present = self.cues.present(text, bigrams(text))
        for index, result in enumerate(results):
            if result.vetoed:
                result.score = 0.0
                continue
            has_keyword = bool(fired[index])
            for compiled in self.signals[index]:
                if compiled.needs_keyword and not has_keyword:
                    continue
                if compiled.cues and compiled.cues.isdisjoint(present):
                    continue
                if compiled.also and compiled.also.isdisjoint(present):
                    continue
                if compiled.regex is not None and compiled.regex.search(text) is None:
                    continue
                result.signals.append((compiled.name, compiled.weight))
                result.score += compiled.weight
            result.score = max(result.score, 0.0)
        return results
