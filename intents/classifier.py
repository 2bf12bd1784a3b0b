"""The classifier: normalize, tokenize with an owned jieba tokenizer, score, decide.

One path for every caller: the message is cut whole with the tokenizer's public ``cut``, the
keyword stage scores the tokens, and the learned stage (:mod:`intents.learned`) reads the same
tokens when the keywords name no issue type. ``explain`` shows that same path step by step.
An earlier version cut only windows around the keywords, with its own copy of jieba's route
search over jieba's internal tables, to save ~150 µs a message; at Telegram's 30 messages a
second it bought nothing a person could notice (see ``bench/bench_intents.py``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from domain.issues import ISSUE_TYPES
from intents.explain import Explanation
from intents.learned import LearnedModel, Prediction
from intents.lexicon import build_tokenizer, default_cache_dir, tokenizer_fingerprint
from intents.match import IntentMatch
from intents.model import IntentSet
from intents.normalize import Normalizer
from intents.scoring import IntentScore, Scorer, dictionary_terms

OTHER = "other"


class Classifier:
    """Classifies one message at a time; build it once (it loads a dictionary) and share it."""

    def __init__(self, intent_set: IntentSet, cache_dir: Path | None = None) -> None:
        self.intent_set = intent_set
        self._settings = intent_set.settings
        self._normalizer = Normalizer()
        terms = dictionary_terms(intent_set.intents, intent_set.settings)
        self._tokenizer: Any = build_tokenizer(terms, cache_dir, intent_set.settings.keyword_freq)
        self._scorer = Scorer(intent_set.intents, intent_set.settings)
        self._priority = {spec.id: spec.priority for spec in intent_set.intents}
        self._min_score = {
            spec.id: self._settings.min_score if spec.min_score is None else spec.min_score
            for spec in intent_set.intents
        }
        self._core = {spec.id: spec.core_terms for spec in intent_set.intents if spec.core_terms}
        normalize = self._normalizer.normalize
        self.model = LearnedModel(
            [(label, normalize(text)) for label, text, _, _ in intent_set.training],
            self.tokenize,
            cache_dir=cache_dir or default_cache_dir(),
            tokenizer_fingerprint=tokenizer_fingerprint(terms, intent_set.settings.keyword_freq),
        )

    @property
    def tokenizer(self) -> Any:
        """The owned ``jieba.Tokenizer`` (keywords included); changing it would stale the classifier."""
        return self._tokenizer

    def is_dictionary_word(self, token: str) -> bool:
        """Whether ``token`` is one word of the tokenizer's dictionary (it segments as itself)."""
        return list(self._tokenizer.cut(token, HMM=False)) == [token]

    def normalize(self, text: str) -> str:
        """The normalized form of ``text`` (what keywords are matched against)."""
        return self._normalizer.normalize(text)

    def tokenize(self, normalized: str) -> list[str]:
        """jieba tokens of an already normalized text, without blanks (jieba's own ``cut``)."""
        return [t for t in self._tokenizer.cut(normalized, HMM=False) if not t.isspace()]

    def classify(self, text: str) -> IntentMatch:
        """Decide the intent of one message; ``tokens`` of the result are all its tokens."""
        normalized = self.normalize(text)
        tokens = self.tokenize(normalized)
        scores = self._scorer.score(normalized, tokens)
        return self._second(normalized, tokens, scores, self._decide(scores, tokens))

    def keyword_intent(self, text: str) -> str:
        """What the keyword stage alone decides for ``text`` (``other`` when it finds nothing)."""
        normalized = self.normalize(text)
        tokens = self.tokenize(normalized)
        return self._decide(self._scorer.score(normalized, tokens), tokens).intent

    def predict(self, normalized: str, tokens: list[str] | None = None) -> Prediction | None:
        """The learned stage's probabilities for a normalized message (``None`` without examples)."""
        return self.model.predict(normalized, tokens) if self.model.ready else None

    def _second(
        self, normalized: str, tokens: list[str], scores: list[IntentScore], match: IntentMatch
    ) -> IntentMatch:
        """The combination rule: the keywords decide when they name an issue type; otherwise
        the model decides alone at ``model_accept`` or above, asks between ``model_ask`` and it,
        and a core term of an intent (not excluded, the model not sure it is ``other``) asks too."""
        if match.is_issue:
            return match
        prediction = self.predict(normalized, tokens)
        settings = self._settings
        best, p = OTHER, 0.0
        if prediction is not None:
            best, p = max(((i, prediction.of(i)) for i in ISSUE_TYPES), key=lambda pair: pair[1])
        if p >= settings.model_accept:
            return replace(
                match,
                intent=best,
                confidence=round(p, 3),
                stage="model",
                model_probability=round(p, 3),
                keywords=(),
                score=0.0,
            )
        # An exclusion that vetoed an intent marks an everyday use: the model may then decide, not ask.
        if p >= settings.model_ask and not any(s.vetoed for s in scores):
            return self._ask(match, best, p, prediction, "model")
        if match.intent != OTHER:  # a greeting the keywords found stays one unless the model is sure
            return match
        excluded = {s.intent for s in scores if s.vetoed or s.exclusions}
        cores = [
            i
            for i in ISSUE_TYPES
            if i not in excluded and any(t in normalized for t in self._core.get(i, ()))
        ]
        if cores and (prediction is None or prediction.of(OTHER) < settings.model_core_other):
            first = max(cores, key=lambda i: prediction.of(i) if prediction else 0.0)
            return self._ask(
                match, first, prediction.of(first) if prediction else 0.0, prediction, "core-term"
            )
        if prediction is not None:
            return replace(match, model_probability=round(prediction.of(OTHER), 3))
        return match

    def _ask(
        self, match: IntentMatch, best: str, p: float, prediction: Prediction | None, stage: str
    ) -> IntentMatch:
        """Best guess ``best`` with the clarification buttons, most probable issue types first."""
        order = sorted(ISSUE_TYPES, key=lambda i: prediction.of(i) if prediction else 0.0, reverse=True)
        order.remove(best)
        return replace(
            match,
            intent=best,
            confidence=round(p, 3),
            needs_clarification=True,
            candidates=(best, *order),
            stage=stage,
            model_probability=round(p, 3),
            keywords=(),
            score=0.0,
        )

    def explain(self, text: str) -> Explanation:
        """Everything behind a decision: normalization, tokens, hits and scores per intent."""
        normalized = self.normalize(text)
        tokens = self.tokenize(normalized)
        scores = self._scorer.score(normalized, tokens)
        match = self._second(normalized, tokens, scores, self._decide(scores, tokens))
        return Explanation(
            text,
            normalized,
            tuple(tokens),
            tuple(scores),
            match,
            self._min_score,
            self.predict(normalized, tokens),
        )

    def _rank_key(self, score: IntentScore) -> tuple[float, int]:
        return (score.score, self._priority.get(score.intent, 0))

    def _decide(self, scores: list[IntentScore], tokens: list[str]) -> IntentMatch:
        settings = self._settings
        ranked = sorted((s for s in scores if s.score > 0), key=self._rank_key, reverse=True)
        qualified = [s for s in ranked if s.score >= self._min_score[s.intent]]
        issues = [s for s in qualified if s.intent in ISSUE_TYPES]
        # An issue type beats a greeting: "你好，助力被吞了" is a complaint that opens politely.
        winner = issues[0] if issues else (qualified[0] if qualified else None)
        if winner is None:
            best = ranked[0].score if ranked else 0.0
            closest = min(best / settings.min_score, 1.0) if settings.min_score > 0 else 0.0
            return IntentMatch(
                intent=OTHER,
                confidence=round(1.0 - 0.5 * closest, 3),
                runner_up=ranked[0].intent if ranked else None,
                runner_up_score=round(best, 3),
                tokens=tuple(tokens),
            )
        others = [s for s in ranked if s is not winner]
        runner = others[0] if others else None
        second = runner.score if runner else 0.0
        strength = min(winner.score / settings.saturation, 1.0)
        confidence = strength * winner.score / (winner.score + second)
        needs = False
        candidates: tuple[str, ...] = ()
        if winner.intent in ISSUE_TYPES:
            close = (
                runner is not None
                and runner.intent in ISSUE_TYPES
                and second >= settings.close_ratio * winner.score
            )
            needs = close or confidence < settings.confidence_threshold
            if needs:
                candidates = self._candidates(ranked)
        return IntentMatch(
            intent=winner.intent,
            confidence=round(confidence, 3),
            keywords=tuple(winner.keywords),
            runner_up=runner.intent if runner else None,
            runner_up_score=round(second, 3),
            score=round(winner.score, 3),
            needs_clarification=needs,
            candidates=candidates,
            tokens=tuple(tokens),
        )

    def _candidates(self, ranked: list[IntentScore]) -> tuple[str, ...]:
        """Issue types to offer: those that scored, best first, then the rest by priority."""
        scored = [s.intent for s in ranked if s.intent in ISSUE_TYPES]
        rest = sorted(
            (i for i in ISSUE_TYPES if i not in scored), key=lambda i: self._priority.get(i, 0), reverse=True
        )
        return tuple(scored + rest)
