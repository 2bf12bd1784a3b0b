"""The examples written in the keyword files classify as their file says (and counter-examples do not)."""

from __future__ import annotations

import pytest

from intents import Classifier, default_intents_dir, load_intents

_SET = load_intents(default_intents_dir())
EXAMPLES = [(spec.id, text) for spec in _SET.intents for text in spec.examples]
COUNTER = [(spec.id, text) for spec in _SET.intents for text in spec.counter_examples]


def test_every_intent_file_has_examples_and_counter_examples() -> None:
    """Operators see what each intent is for, and what it must not catch."""
    assert {spec.id for spec in _SET.intents} == {
        "zhuli_swallowed",
        "bargain_failed",
        "rights_damaged",
        "greeting",
    }
    for spec in _SET.intents:
        assert len(spec.examples) >= 5, spec.id
        assert spec.counter_examples, spec.id


@pytest.mark.parametrize(("intent", "text"), EXAMPLES)
def test_example_gets_its_intent(classifier: Classifier, intent: str, text: str) -> None:
    """An example of a keyword file is classified as that file's intent."""
    assert classifier.classify(text).intent == intent, classifier.explain(text).format()


@pytest.mark.parametrize(("intent", "text"), COUNTER)
def test_counter_example_does_not_get_the_intent(classifier: Classifier, intent: str, text: str) -> None:
    """A counter-example (a trap) is not classified as the file's intent."""
    assert classifier.classify(text).intent != intent, classifier.explain(text).format()


def test_shipped_files_load_without_warnings() -> None:
    """The shipped keyword files are clean: no overlapping keywords, nothing missing."""
    assert _SET.warnings == ()
