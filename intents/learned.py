"""The learned second stage: a linear model trained from the example sentences.

Features of a message (three blocks, each counted then scaled to unit length):

* character 1–3-grams of the normalized text (survive unseen wording and typos),
* jieba tokens and their bigrams (the classifier's own tokenizer, keywords included),
* toneless pinyin syllables and their bigrams (``组力``/``助理`` read like ``助力``), and the raw
  latin words, so a message typed in pinyin meets the same features.

The model is scikit-learn's ``LogisticRegression`` (liblinear), one binary model per label
(one-vs-rest), which trains on a few thousand examples in well under a second. Training needs
scikit-learn and SciPy, whose import alone costs ~1–2.5 s and ~110 MB; predicting needs neither.
So the trained weights are kept in the cache folder under a digest of everything they depend on
(the examples, the tokenizer's fingerprint, this module's feature version): a start with the same
examples loads them in a few milliseconds, and a change to any example file trains again.

Predicting is a handful of dictionary lookups and one small NumPy product (no sparse matrices and
no scikit-learn validation, which cost ~5 ms per message): features the examples never had carry
no weight and are skipped, but still count towards their block's length.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

#: Characters of a message the model reads (see :meth:`LearnedModel.predict`).
MODEL_CHARS = 400
#: Bump when the features change: it is part of the cached weights' digest.
FEATURE_VERSION = "2"

_LATIN = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BLANKS = re.compile(r"\s+")


@cache
def _syllable(char: str) -> str:
    """The toneless reading of one Han character (its most common reading) or ``""``."""
    # pypinyin's documented way to save memory: without its phrase dictionary (~45 MB, ~0.25 s
    # to load) every character gets its most common reading, the same in training and use.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return reading[0] if reading else ""


def pinyin_words(text: str) -> list[str]:
    """Toneless pinyin syllables of the Han characters plus the latin words already in ``text``."""
    words: list[str] = []
    latin: list[str] = []
    for char in text.lower():
        if "a" <= char <= "z":
            latin.append(char)
            continue
        if latin:
            words.append("".join(latin))
            latin.clear()
        if _HAN.match(char):
            syllable = _syllable(char)
            if syllable:
                words.append(syllable)
    if latin:
        words.append("".join(latin))
    return words


def _with_bigrams(prefix: str, units: list[str]) -> Iterable[str]:
    """``units`` and their adjacent pairs as feature names of one block."""
    yield from (prefix + unit for unit in units)
    yield from (f"{prefix}{a}_{b}" for a, b in itertools.pairwise(units))


def _char_grams(text: str) -> Iterable[str]:
    """Character 1–3-grams of ``text`` with blanks folded to one space."""
    folded = _BLANKS.sub(" ", text)
    for n in (1, 2, 3):
        for i in range(len(folded) - n + 1):
            yield "c" + folded[i : i + n]


def _unit_block(features: Iterable[str]) -> list[tuple[str, float]]:
    """Each distinct feature with its count scaled so the block has length 1."""
    counts = Counter(features)
    length = math.sqrt(sum(c * c for c in counts.values()))
    return [(name, count / length) for name, count in counts.items()] if length else []


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


@dataclass(frozen=True, slots=True)
class _Weights:
    """A trained model: feature name → row of ``weights`` (one column per label), and biases."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: Any  # float64 array, features × labels
    bias: Any  # float64 array, labels


class LearnedModel:
    """Logistic regression on character, token and pinyin features of ``(label, normalized text)`` pairs."""

    def __init__(
        self,
        examples: Sequence[tuple[str, str]],
        tokenize: Callable[[str], list[str]],
        c: float = 4.0,
        cache_dir: Path | None = None,
        tokenizer_fingerprint: str = "",
    ) -> None:
        self._tokenize = tokenize
        labels = tuple(sorted({label for label, _ in examples}))
        self.labels: tuple[str, ...] = labels
        self.size = len(examples)
        self._trained: _Weights | None = None
        if len(labels) < 2:
            return
        digest = _digest(examples, c, tokenizer_fingerprint)
        path = cache_dir / f"learned-{digest[:24]}.npz" if cache_dir is not None else None
        trained = _load(path) if path is not None else None
        if trained is None:
            trained = self._train(examples, labels, c)
            if path is not None:
                _save(path, trained)
        self._trained = trained
        self.labels = trained.labels

    @property
    def ready(self) -> bool:
        """True when there were examples of at least two labels to learn from."""
        return self._trained is not None

    def features(self, normalized: str, tokens: list[str] | None = None) -> list[tuple[str, float]]:
        """The named, scaled features of one normalized text (all three blocks).

        ``tokens`` are the text's jieba tokens when the caller has them already.
        """
        tokens = [t for t in (self._tokenize(normalized) if tokens is None else tokens) if t.strip()]
        return [
            *_unit_block(_char_grams(normalized)),
            *_unit_block(_with_bigrams("w", tokens)),
            *_unit_block(_with_bigrams("p", pinyin_words(normalized))),
        ]

    def _train(self, examples: Sequence[tuple[str, str]], labels: tuple[str, ...], c: float) -> _Weights:
        """Fit one binary logistic regression per label (needs scikit-learn and SciPy)."""
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        vocabulary: dict[str, int] = {}
        data: list[float] = []
        columns: list[int] = []
        row_starts = [0]
        for _, text in examples:
            for name, value in self.features(text):
                columns.append(vocabulary.setdefault(name, len(vocabulary)))
                data.append(value)
            row_starts.append(len(columns))
        x = csr_matrix((data, columns, row_starts), shape=(len(examples), len(vocabulary)))
        y = np.array([label for label, _ in examples])
        weights = np.zeros((len(vocabulary), len(labels)))
        bias = np.zeros(len(labels))
        for j, label in enumerate(labels):
            model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=200)
            model.fit(x, y == label)
            weights[:, j] = model.coef_[0]
            bias[j] = model.intercept_[0]
        log.info("learned stage trained on %d examples, %d features", len(examples), len(vocabulary))
        return _Weights(labels, vocabulary, weights, bias)

    def predict(self, normalized: str, tokens: list[str] | None = None) -> Prediction:
        """Probabilities of every label for one normalized message (``tokens``: its jieba tokens)."""
        trained = self._trained
        if trained is None:
            return Prediction(((self.labels[0] if self.labels else "other", 0.0),))
        # The model reads the start of a long message only: the problem is named early, and the
        # features of 4,096 characters would cost tens of milliseconds (one rant stalling everyone).
        rows: list[int] = []
        values: list[float] = []
        if len(normalized) > MODEL_CHARS:  # the tokens of the whole text are not the start's
            normalized, tokens = normalized[:MODEL_CHARS], None
        for name, value in self.features(normalized, tokens):
            row = trained.vocabulary.get(name)
            if row is not None:
                rows.append(row)
                values.append(value)
        scores = trained.bias + (np.asarray(values) @ trained.weights[rows] if rows else 0.0)
        ovr = 1.0 / (1.0 + np.exp(-scores))
        # One-vs-rest probabilities normalized to sum to 1, as scikit-learn's predict_proba does.
        probs = ovr / ovr.sum()
        order = np.argsort(-probs)
        return Prediction(tuple((trained.labels[i], float(probs[i])) for i in order))


def _digest(examples: Sequence[tuple[str, str]], c: float, tokenizer_fingerprint: str) -> str:
    """What the trained weights depend on, as one hex digest."""
    h = hashlib.sha256()
    versions = [_version("scikit-learn"), _version("pypinyin"), _version("numpy")]
    h.update(f"{FEATURE_VERSION}\x00{c!r}\x00{tokenizer_fingerprint}\x00{versions}\x00".encode())
    for label, text in examples:
        h.update(f"{label}\x1f{text}\x1e".encode())
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def _load(path: Path) -> _Weights | None:
    """Weights saved by :func:`_save`, or ``None`` when missing or unreadable (then train again)."""
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as saved:
            labels = tuple(bytes(saved["labels"]).decode().split("\n"))
            names = bytes(saved["vocabulary"]).decode().split("\n")
            weights, bias = saved["weights"], saved["bias"]
    except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile):
        return None
    if weights.shape != (len(names), len(labels)) or bias.shape != (len(labels),):
        return None
    return _Weights(labels, {name: i for i, name in enumerate(names)}, weights, bias)


def _save(path: Path, trained: _Weights) -> None:
    """Write the weights atomically (a concurrent start reads the old file or the new, never half)."""
    names = sorted(trained.vocabulary, key=trained.vocabulary.__getitem__)
    if any("\n" in name for name in (*names, *trained.labels)):
        return  # not representable one per line; such a model is simply trained at each start
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(
            partial,
            labels=np.frombuffer("\n".join(trained.labels).encode(), dtype=np.uint8),
            vocabulary=np.frombuffer("\n".join(names).encode(), dtype=np.uint8),
            weights=trained.weights,
            bias=trained.bias,
        )
        os.replace(partial, path)
    except OSError as exc:  # a read-only cache only costs the next start a training
        log.warning("could not keep the trained model in the cache: %s", type(exc).__name__)
