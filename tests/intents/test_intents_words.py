"""Everyday complaint words survive segmentation whole (issue 14: the cut-down dictionary split 客服)."""

from __future__ import annotations

from intents import Classifier
from intents.lexicon import everyday_words


def test_the_list_holds_at_least_200_distinct_words() -> None:
    """The list is the one the issue asks for: 200 or more distinct words."""
    words = everyday_words()
    assert len(set(words)) >= 200
    assert {"客服", "退款", "发货", "优惠券", "到账"} <= set(words)


def test_every_word_stays_whole_alone_and_in_a_sentence(classifier: Classifier) -> None:
    """Each word is one token on its own and inside a short complaint."""
    broken = []
    for word in everyday_words():
        alone = classifier.tokenize(classifier.normalize(word))
        framed = classifier.tokenize(classifier.normalize(f"{word}，怎么办"))
        if alone != [word] or word not in framed:
            broken.append((word, alone, framed))
    assert broken == []
