"""The learned second stage: a linear model trained at load time on the example sentences.

Features (one sparse matrix, hashed so nothing grows with the vocabulary):

* character 1–3-grams of the normalized text (survive unseen wording and typos),
* jieba tokens (the classifier's own tokenizer, keywords included),
* pinyin syllables without tones and their bigrams (``组力``/``助理`` read like ``助力``),
  and the raw latin words, so a message typed in pinyin meets the same features.

The model is scikit-learn's ``LogisticRegression`` (liblinear, one-vs-rest), which trains on a few
thousand examples in well under a second and gives calibrated-enough probabilities to gate on.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pypinyin import Style, lazy_pinyin
from scipy.sparse import hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

_LATIN = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def pinyin_words(text: str) -> list[str]:
    """Toneless pinyin syllables of the Han characters plus the latin words already in ``text``."""
    syllables: list[str] = []
    for piece in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: chars):
        syllables.extend(_LATIN.findall(piece.lower()))
    return syllables


#: Characters of a message the model reads (see :meth:`LearnedModel.predict`).
MODEL_CHARS = 400


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's view of one message: every label with its probability, best first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def label(self) -> str:
        """The most probable label."""
        return self.ranked[0][0]

    @property
    def probability(self) -> float:
        """Probability of the most probable label."""
        return self.ranked[0][1]

    def of(self, label: str) -> float:
        """Probability of ``label`` (0 when unknown)."""
        return dict(self.ranked).get(label, 0.0)


class LearnedModel:
    """Hashed features + logistic regression, trained once from ``(label, normalized text)`` pairs."""

    def __init__(
        self, examples: Sequence[tuple[str, str]], tokenize: Callable[[str], list[str]], c: float = 4.0
    ) -> None:
        self._tokenize = tokenize
        self._chars = HashingVectorizer(
            analyzer="char", ngram_range=(1, 3), n_features=2**16, alternate_sign=False, norm="l2"
        )
        self._words = HashingVectorizer(
            analyzer=self._word_features, n_features=2**15, alternate_sign=False, norm="l2"
        )
        self._pinyin = HashingVectorizer(
            analyzer=self._pinyin_features, n_features=2**15, alternate_sign=False, norm="l2"
        )
        labels = sorted({label for label, _ in examples})
        self.labels: tuple[str, ...] = tuple(labels)
        self.size = len(examples)
        self._model: Any = None
        self._weights: Any = None
        self._bias: Any = None
        if len(labels) >= 2:
            x = self._features([text for _, text in examples])
            y = [label for label, _ in examples]
            model = OneVsRestClassifier(
                LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=200)
            )
            model.fit(x, y)
            self._model = model
            self.labels = tuple(str(label) for label in model.classes_)
            # One dense weight matrix: predicting is then one sparse product, without
            # scikit-learn's per-call validation (the dominant cost on a single message).
            self._weights = np.vstack([e.coef_[0] for e in model.estimators_]).T
            self._bias = np.array([e.intercept_[0] for e in model.estimators_])

    @property
    def ready(self) -> bool:
        """True when there were examples of at least two labels to learn from."""
        return self._model is not None

    def _word_features(self, text: str) -> list[str]:
        tokens = [t for t in self._tokenize(text) if t.strip()]
        return tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]

    def _pinyin_features(self, text: str) -> list[str]:
        words = pinyin_words(text)
        return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]

    def _features(self, texts: list[str]) -> Any:
        return hstack(
            [self._chars.transform(texts), self._words.transform(texts), self._pinyin.transform(texts)]
        ).tocsr()

    def predict(self, normalized: str) -> Prediction:
        """Probabilities of every label for one normalized message."""
        if self._model is None:
            return Prediction(((self.labels[0] if self.labels else "other", 0.0),))
        # The model reads the start of a long message only: the problem is named early, and the
        # features of 4,096 characters would cost ~40 ms (one person's rant stalling everyone).
        scores = np.asarray(self._features([normalized[:MODEL_CHARS]]) @ self._weights).ravel() + self._bias
        ovr = 1.0 / (1.0 + np.exp(-scores))
        # One-vs-rest probabilities normalized to sum to 1, as scikit-learn's predict_proba does.
        probs = ovr / ovr.sum()
        order = np.argsort(-probs)
        return Prediction(tuple((self.labels[i], float(probs[i])) for i in order))
