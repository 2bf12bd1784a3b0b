"""Accuracy of a classifier on a labelled TSV (header ``label<TAB>text[<TAB>note]``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from intents.match import LABELS, IntentMatch


class TsvError(ValueError):
    """A malformed labelled TSV; the message names the file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


class _Classifies(Protocol):
    """Anything with ``classify`` (the real classifier, or a stub in tests)."""

    def classify(self, text: str) -> IntentMatch:
        """The decision for one message."""
        ...


def read_labelled(tsv_path: Path) -> list[tuple[str, str]]:
    """``(label, text)`` rows of a labelled TSV; raises :class:`TsvError` when malformed."""
    try:
        raw = tsv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TsvError(tsv_path, 0, f"cannot read the file: {exc}") from exc
    lines = raw.splitlines()
    if not lines:
        raise TsvError(tsv_path, 1, "empty file: expected a header 'label<TAB>text'")
    header = [h.strip().lower() for h in lines[0].split("\t")]
    if "label" not in header or "text" not in header:
        raise TsvError(tsv_path, 1, f"the header must name the columns 'label' and 'text', got {lines[0]!r}")
    label_at, text_at = header.index("label"), header.index("text")
    rows: list[tuple[str, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) <= max(label_at, text_at):
            raise TsvError(
                tsv_path, number, f"expected at least {max(label_at, text_at) + 1} tab-separated columns"
            )
        label, text = cells[label_at].strip(), cells[text_at].strip()
        if label not in LABELS:
            raise TsvError(tsv_path, number, f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
        if not text:
            raise TsvError(tsv_path, number, "empty text")
        rows.append((label, text))
    if not rows:
        raise TsvError(tsv_path, len(lines), "no labelled rows")
    return rows


@dataclass(frozen=True, slots=True)
class LabelStats:
    """Precision, recall, F1 and support of one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The outcome of :func:`evaluate`: accuracy, per-label figures, confusion and misses."""

    total: int
    correct: int
    per_label: dict[str, LabelStats]
    confusion: dict[str, dict[str, int]]
    misses: list[dict[str, str]] = field(default_factory=list)
    clarified: int = 0

    @property
    def accuracy(self) -> float:
        """Share of rows whose predicted intent equals the label."""
        return self.correct / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (keys ``accuracy``, ``per_label``, ``confusion``, ``misses``...)."""
        return {
            "accuracy": round(self.accuracy, 4),
            "total": self.total,
            "correct": self.correct,
            "clarified": self.clarified,
            "per_label": {
                label: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for label, s in self.per_label.items()
            },
            "confusion": self.confusion,
            "misses": self.misses,
        }

    def format(self, show_misses: bool = False) -> str:
        """Accuracy, a per-label table and the confusion matrix (and the misses if asked)."""
        labels = list(self.per_label)
        out = [
            f"accuracy: {self.accuracy:.2%} ({self.correct}/{self.total}), asked to clarify: {self.clarified}",
            "",
            f"{'label':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}",
        ]
        for label in labels:
            s = self.per_label[label]
            out.append(f"{label:<16} {s.precision:>9.2%} {s.recall:>7.2%} {s.f1:>6.2f} {s.support:>8}")
        short = {label: label[:8] for label in labels}
        out += ["", "confusion (rows: true label, columns: predicted)"]
        out.append(f"{'':<16}" + "".join(f"{short[p]:>9}" for p in labels))
        for true in labels:
            row = self.confusion.get(true, {})
            out.append(f"{true:<16}" + "".join(f"{row.get(p, 0):>9}" for p in labels))
        if show_misses and self.misses:
            out += ["", f"misses ({len(self.misses)}):"]
            out += [
                f"  {m['label']} -> {m['predicted']} [{m.get('stage', '?')}]: {m['text']}"
                for m in self.misses
            ]
        return "\n".join(out)


def evaluate(classifier: _Classifies, tsv_path: Path) -> EvalReport:
    """Classify every row of a labelled TSV and compare with its label."""
    rows = read_labelled(Path(tsv_path))
    confusion: dict[str, dict[str, int]] = {label: {} for label in LABELS}
    misses: list[dict[str, str]] = []
    predicted_count: Counter[str] = Counter()
    support: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    clarified = 0
    for label, text in rows:
        match = classifier.classify(text)
        clarified += match.needs_clarification
        predicted = match.intent
        confusion[label][predicted] = confusion[label].get(predicted, 0) + 1
        support[label] += 1
        predicted_count[predicted] += 1
        if predicted == label:
            hits[label] += 1
        else:
            stage = (
                f"{match.stage} p={match.model_probability:.2f}" if match.stage != "keywords" else "keywords"
            )
            if match.needs_clarification:
                stage += ", asked"
            misses.append({"label": label, "predicted": predicted, "stage": stage, "text": text})
    per_label: dict[str, LabelStats] = {}
    for label in LABELS:
        precision = hits[label] / predicted_count[label] if predicted_count[label] else 0.0
        recall = hits[label] / support[label] if support[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = LabelStats(precision, recall, f1, support[label])
    return EvalReport(len(rows), sum(hits.values()), per_label, confusion, misses, clarified)
