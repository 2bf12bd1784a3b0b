"""Per-intent scoring of one tokenized message: keywords, negation, exclusions and signals."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from intents.model import VETO, IntentSpec, Settings, Signal
from intents.substrings import Span, SubstringIndex


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
    """A signal ready for matching: cue sets, a compiled regex and its number in the set."""

    key: int
    intent: int
    name: str
    weight: float
    needs_keyword: bool
    cues: frozenset[str]
    also: frozenset[str]
    regex: re.Pattern[str] | None


def _compile(key: int, intent: int, signal: Signal) -> _CompiledSignal:
    regex = re.compile(signal.regex) if signal.regex else None
    return _CompiledSignal(
        key,
        intent,
        signal.name,
        signal.weight,
        signal.needs_keyword,
        frozenset(signal.cues),
        frozenset(signal.also),
        regex,
    )


def dictionary_terms(intents: tuple[IntentSpec, ...], settings: Settings) -> list[str]:
    """Every term that must segment as one token (keywords, variants, exclusions, negators)."""
    terms = {t for spec in intents for t in (*spec.keywords, *spec.variants, *spec.exclusions)}
    return sorted({*terms, *settings.negators})


class Scorer:
    """Scores every intent of a set; built once per loaded set, then pure and thread-safe."""

    def __init__(
        self,
        intents: tuple[IntentSpec, ...],
        settings: Settings,
        commonness: Callable[[str], float] | None = None,
    ) -> None:
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
        # Signals are numbered in the set's order, so sorting keys keeps each intent's order.
        numbered = enumerate((i, s) for i, spec in enumerate(intents) for s in spec.signals)
        self._compiled = tuple(_compile(key, intent, signal) for key, (intent, signal) in numbered)
        self.signals = tuple(tuple(c for c in self._compiled if c.intent == i) for i in range(len(intents)))
        # Which signals each string cues: a message's present strings name the signals to try,
        # instead of every signal testing its (long) cue lists against the message.
        self._cue_of: dict[str, list[int]] = {}
        self._also_of: dict[str, list[int]] = {}
        for signal in self._compiled:
            for cue in signal.cues:
                self._cue_of.setdefault(cue, []).append(signal.key)
            for cue in signal.also:
                self._also_of.setdefault(cue, []).append(signal.key)
        self._uncued = frozenset(c.key for c in self._compiled if not c.cues)
        # One index over every term, cue and negator: one pass over a message finds them all.
        cues = (c for spec in intents for sig in spec.signals for c in (*sig.cues, *sig.also))
        self.index = SubstringIndex((*self.roles, *cues, *self.negators), self.roles, commonness)

    def dictionary_terms(self) -> list[str]:
        """Every term that must segment as one token (keywords, variants, exclusions, negators)."""
        return dictionary_terms(self.intents, self.settings)

    def find(self, text: str) -> tuple[list[Span], set[str]]:
        """Where terms occur in a normalized text (sorted spans) and every term, cue and negator present.

        A term can only fire where it occurs, so these spans are all the segmentation needed.
        """
        present, spans = self.index.scan(text)
        return spans, present

    def score(self, text: str, tokens: list[str], present: set[str] | None = None) -> list[IntentScore]:
        """Score every intent (in the set's order) on a normalized text and its tokens.

        ``tokens`` may be only the stretches around the terms' occurrences (see
        :meth:`find`, whose ``present`` set can be passed on to save a second search).
        """
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
        if present is None:
            present = self.index.present(text)
        self._add_signals(text, present, results, fired)
        for result in results:
            result.score = 0.0 if result.vetoed else max(result.score, 0.0)
        return results

    def _add_signals(
        self, text: str, present: set[str], results: list[IntentScore], fired: list[set[str]]
    ) -> None:
        """Add the weight of every signal that holds (in each intent's order)."""
        tried = set(self._uncued)
        also: set[int] = set()
        cue_of = self._cue_of
        also_of = self._also_of
        for string in present:
            if string in cue_of:
                tried.update(cue_of[string])
            if string in also_of:
                also.update(also_of[string])
        for key in sorted(tried):
            compiled = self._compiled[key]
            result = results[compiled.intent]
            if result.vetoed or (compiled.needs_keyword and not fired[compiled.intent]):
                continue
            if compiled.also and key not in also:
                continue
            if compiled.regex is not None and compiled.regex.search(text) is None:
                continue
            result.signals.append((compiled.name, compiled.weight))
            result.score += compiled.weight
