"""Per-intent scoring of one tokenized message: keywords, negation, exclusions and signals."""

from __future__ import annotations

import re
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
        # Which signals each string cues, as bit masks (bit ``key``): a message's present strings
        # name the signals to try, instead of every signal testing its long cue lists.
        self._cue_bits: dict[str, int] = {}
        self._also_bits: dict[str, int] = {}
        for signal in self._compiled:
            for cue in signal.cues:
                self._cue_bits[cue] = self._cue_bits.get(cue, 0) | 1 << signal.key
            for cue in signal.also:
                self._also_bits[cue] = self._also_bits.get(cue, 0) | 1 << signal.key
        self._uncued = sum(1 << c.key for c in self._compiled if not c.cues)
        # The roles again as plain tuples: the per-token loop unpacks them cheaper than it reads fields.
        self._rows = {
            term: tuple((r.intent, r.kind == "exclusion", r.canonical, r.weight, r.veto) for r in roles)
            for term, roles in self.roles.items()
        }
        # One index over every term, cue and negator: one pass over a message finds them all.
        cues = (c for spec in intents for sig in spec.signals for c in (*sig.cues, *sig.also))
        self.index = SubstringIndex((*self.roles, *cues, *self.negators), self.roles)

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
        if present is None:
            present = self.index.present(text)
        results = [IntentScore(spec.id) for spec in self.intents]
        fired: list[set[str]] = [set() for _ in self.intents]
        weights: list[list[float]] = [[] for _ in self.intents]
        negators = self.negators
        # A negator token needs the negator in the text; most messages have none.
        window = self.settings.negation_window if not negators.isdisjoint(present) else 0
        rows_of = self._rows
        for position in [i for i, token in enumerate(tokens) if token in rows_of]:
            token = tokens[position]
            negated = window > 0 and not negators.isdisjoint(tokens[max(0, position - window) : position])
            for intent, exclusion, canonical, weight, veto in rows_of[token]:
                result = results[intent]
                if exclusion:
                    result.exclusions.append(canonical)
                    result.vetoed = result.vetoed or veto
                    result.score += weight
                elif negated:
                    result.negated.append(token)
                elif canonical not in fired[intent]:
                    fired[intent].add(canonical)
                    result.keywords.append(token)
                    weights[intent].append(weight)
        # The strongest keyword counts fully, the others partly: several topic words
        # ("砍价", "砍到") are still only a topic, not a complaint.
        factor = self.settings.extra_keyword_factor
        for result, found in zip(results, weights, strict=True):
            if found:
                strongest = max(found)
                result.score += strongest + factor * (sum(found) - strongest)
        self._add_signals(text, present, results, fired)
        for result in results:
            result.score = 0.0 if result.vetoed else max(result.score, 0.0)
        return results

    def _add_signals(
        self, text: str, present: set[str], results: list[IntentScore], fired: list[set[str]]
    ) -> None:
        """Add the weight of every signal that holds (in each intent's order)."""
        tried = self._uncued
        also = 0
        cue_bits = self._cue_bits
        also_bits = self._also_bits
        for string in present:
            tried |= cue_bits.get(string, 0)
            also |= also_bits.get(string, 0)
        while tried:
            lowest = tried & -tried  # lowest key first: each intent's signals in file order
            tried ^= lowest
            key = lowest.bit_length() - 1
            compiled = self._compiled[key]
            result = results[compiled.intent]
            if result.vetoed or (compiled.needs_keyword and not fired[compiled.intent]):
                continue
            if compiled.also and not (also & lowest):
                continue
            if compiled.regex is not None and compiled.regex.search(text) is None:
                continue
            result.signals.append((compiled.name, compiled.weight))
            result.score += compiled.weight
