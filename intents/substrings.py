"""Finding a fixed set of strings (terms, cues, negators) in a message, overlapping ones included.

One Aho-Corasick automaton (``pyahocorasick``) reports every occurrence in one C pass
(about 10 µs for a 110-character message holding some 30 of them).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import ahocorasick

Span = tuple[int, int]


class SubstringIndex:
    """Which of the indexed strings occur in a text, and where the *marked* ones occur."""

    def __init__(self, strings: Iterable[str], marked: Collection[str] = ()) -> None:
        self._automaton = ahocorasick.Automaton()
        for string in {string for string in strings if string}:
            self._automaton.add_word(string, (string, len(string), string in marked))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def scan(self, text: str) -> tuple[set[str], list[Span]]:
        """The indexed strings present in ``text`` and the sorted spans of every marked occurrence."""
        found: set[str] = set()
        spans: list[Span] = []
        if self._empty:
            return found, spans
        for end, (string, size, is_marked) in self._automaton.iter(text):
            found.add(string)
            if is_marked:
                spans.append((end + 1 - size, end + 1))
        spans.sort()
        return found, spans

    def present(self, text: str) -> set[str]:
        """The indexed strings that occur in ``text``."""
        return self.scan(text)[0]
