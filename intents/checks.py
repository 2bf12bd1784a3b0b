"""``check_intents``: every load problem plus the keyword files' own examples that fail."""

from __future__ import annotations

from pathlib import Path

from datafiles.toml import TomlLines
from domain.issues import ISSUE_TYPES
from intents.loader import collect_problems
from intents.model import Problem


def check_intents(directory: Path, cache_dir: Path | None = None) -> list[Problem]:
    """All problems of the keyword files in ``directory``, errors and warnings.

    When the files load, each intent's ``examples`` must classify as that intent and its
    ``counter_examples`` must not; a failing one is reported as a warning at its line.
    """
    intent_set, problems = collect_problems(Path(directory))
    if intent_set is None:
        return problems
    from intents.classifier import Classifier  # deferred: building it loads the dictionary

    classifier = Classifier(intent_set, cache_dir)
    for spec in intent_set.intents:
        path = Path(directory) / spec.source
        lines = TomlLines(path.read_text(encoding="utf-8"))
        for key, wanted in (("examples", True), ("counter_examples", False)):
            for example in getattr(spec, key):
                got = classifier.classify(example).intent
                if (got == spec.id) != wanted:
                    expectation = f"should be {spec.id}" if wanted else f"should not be {spec.id}"
                    problems.append(
                        Problem(
                            spec.source,
                            lines.value("", example),
                            f"{key[:-1].replace('_', '-')} {example!r} {expectation}, got {got}",
                            "warning",
                        )
                    )
    for label, example, source, line in intent_set.training:
        got = classifier.keyword_intent(example)
        if got != label and got in ISSUE_TYPES:
            problems.append(
                Problem(source, line, f"example of {label} is sent to {got} by the keyword stage", "warning")
            )
    return problems
