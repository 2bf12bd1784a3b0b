"""What ``Classifier.explain`` returns: the steps behind one decision, printable in a terminal."""

from __future__ import annotations

from dataclasses import dataclass

from intents.learned import Prediction
from intents.match import IntentMatch
from intents.scoring import IntentScore


@dataclass(frozen=True, slots=True)
class Explanation:
    """Normalization, tokens, hits and score per intent, and the decision."""

    text: str
    normalized: str
    tokens: tuple[str, ...]
    scores: tuple[IntentScore, ...]
    decision: IntentMatch
    min_scores: dict[str, float]
    prediction: Prediction | None = None

    def format(self) -> str:
        """A multi-line report for the terminal (``intents explain``)."""
        d = self.decision
        lines = [
            f"input:      {self.text}",
            f"normalized: {self.normalized}",
            f"tokens:     {' / '.join(self.tokens)}",
            "scores:",
        ]
        for s in sorted(self.scores, key=lambda s: s.score, reverse=True):
            threshold = self.min_scores.get(s.intent, 0.0)
            mark = " (vetoed)" if s.vetoed else ""
            lines.append(f"  {s.intent:<16} {s.score:6.2f}  (needs {threshold:g}){mark}")
            if s.keywords:
                lines.append(f"      keywords:   {', '.join(s.keywords)}")
            if s.negated:
                lines.append(f"      negated:    {', '.join(s.negated)}")
            if s.exclusions:
                lines.append(f"      exclusions: {', '.join(s.exclusions)}")
            for name, weight in s.signals:
                lines.append(f"      signal:     {name} ({weight:+g})")
        if self.prediction is None:
            lines.append("model:      (no example files: keyword stage only)")
        else:
            ranked = ", ".join(f"{label} {p:.2f}" for label, p in self.prediction.ranked)
            lines.append(f"model:      {ranked}")
        lines.append(f"stage:      {d.stage} decided (model p={d.model_probability:.2f})")
        lines.append(
            f"decision:   {d.intent} (confidence {d.confidence:.2f}, score {d.score:g}, "
            f"runner-up {d.runner_up or '-'} {d.runner_up_score:g})"
        )
        if d.needs_clarification:
            lines.append(f"clarify:    ask between {', '.join(d.candidates)}")
        return "\n".join(lines)
