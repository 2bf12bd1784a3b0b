"""Fast "which of these strings occur in this text" for a fixed set of strings (cues, terms)."""

from __future__ import annotations

from collections.abc import Iterable


def bigrams(text: str) -> set[str]:
    """Every two-character window of ``text`` (computed once per message, shared by indexes)."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


class SubstringIndex:
    """Strings indexed by their first two characters, so a text only pays for the ones it could hold."""

    def __init__(self, strings: Iterable[str]) -> None:
        by_bigram: dict[str, set[str]] = {}
        single: set[str] = set()
        for string in strings:
            if len(string) == 1:
                single.add(string)
            elif string:
                by_bigram.setdefault(string[:2], set()).add(string)
        self._single = frozenset(single)
        self._by_bigram = {key: tuple(values) for key, values in by_bigram.items()}
        self._keys = frozenset(self._by_bigram)

    def present(self, text: str, text_bigrams: set[str]) -> set[str]:
        """The indexed strings that occur in ``text`` (``text_bigrams`` is ``bigrams(text)``)."""
        found = set(text).intersection(self._single)
        index = self._by_bigram
        for key in text_bigrams.intersection(self._keys):
            for string in index[key]:
                if string in text:
                    found.add(string)
        return found
