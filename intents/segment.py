"""Segmenting only what a decision needs: exact jieba tokens for stretches of a message.

jieba segments each run of "block" characters (CJK, ASCII letters and digits, ``+#&._%-``) on
its own, and inside a run its best path must pass every position that no dictionary word spans.
Such a position is a *boundary*: segmenting the text on either side of it gives exactly the
tokens of segmenting the whole. A position counts as a boundary here when

* a character beside it is not a block character (jieba splits there itself), or
* the two characters around it never stand side by side inside a dictionary word (so no word
  can span it), unless both are ASCII letters or digits (jieba glues runs of single ASCII
  characters back into one token).

The check is conservative: a missed boundary only makes a window longer, never different. What
it cannot promise is the rounding of jieba's route scores in a stretch cut short; the stretches
are segmented with :meth:`intents.route.Router.cut_stretch`, which reports the rare near tie, and
the caller then segments the whole text.

Measured on the benchmark's messages (110 characters on average, keyword-dense): the terms occur
on 21% of the characters and the windows cover 27%; two windows in three are exactly one term,
whose tokens are computed once, when the segmenter is built.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from typing import Any

from intents.route import Router

Span = tuple[int, int]

#: How many new words one run of unknown segments teaches the word memory at most.
LEARN_PER_RUN = 8

_ASCII_ALNUM = string.ascii_letters + string.digits
# jieba's ``re_han_default``: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]
_BLOCK_ASCII = frozenset(_ASCII_ALNUM + "+#&._%-")


def _in_block(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fd5" or char in _BLOCK_ASCII


def joined_pairs(words: Iterable[tuple[str, int]]) -> frozenset[str]:
    """The character pairs that are *not* boundaries, from jieba's ``FREQ`` items.

    Every pair of block characters found inside a word of non-zero frequency, every pair of
    ASCII letters and digits, and CR LF; so a boundary test is one slice and one set lookup.
    """
    pairs: set[str] = {"\r\n", *(a + b for a in _ASCII_ALNUM for b in _ASCII_ALNUM)}
    for word, freq in words:
        if freq and len(word) > 1:
            pairs.update(
                pair
                for pair in (word[i : i + 2] for i in range(len(word) - 1))
                if _in_block(pair[0]) and _in_block(pair[1])
            )
    return frozenset(pairs)


class Segmenter:
    """Segments whole texts or only windows around spans, with the tokenizer's dictionary.

    ``cut(text)`` gives the jieba tokens of ``text`` without blanks (see :mod:`intents.route`).
    Build it once per tokenizer; it remembers the tokens of the dictionary words it meets.
    """

    def __init__(self, tokenizer: Any, terms: Iterable[str] = ()) -> None:
        """Segment with ``tokenizer``'s dictionary; ``terms`` are segmented once, up front."""
        self._freq: dict[str, int] = tokenizer.FREQ
        self._joined = joined_pairs(self._freq.items())
        router = Router(tokenizer)
        self.cut = router.cut
        self._cut_stretch = router.cut_stretch
        # The tokens of a dictionary word standing between two boundaries, remembered once
        # computed: a stretch's tokens depend on its text alone, most segments between boundaries
        # are single words, and everyday words recur in every message. Only dictionary words are
        # kept (never other text from a message), so it holds at most the dictionary's ~52k words.
        self._words: dict[str, tuple[str, ...] | None] = {}
        for term in terms:
            self._segment(term)
        self._term_words = dict(self._words)

    def forget_words(self) -> None:
        """Drop the remembered words but the terms' (to measure the first sight of every word)."""
        self._words = dict(self._term_words)

    def commonness(self, char: str) -> float:
        """How common ``char`` is as a word of its own (jieba's frequency; 0 when unknown)."""
        return float(self._freq.get(char, 0))

    def is_boundary(self, text: str, position: int) -> bool:
        """True when segmenting ``text[:position]`` and ``text[position:]`` apart changes no token."""
        return position <= 0 or text[position - 1 : position + 1] not in self._joined

    def windows(self, text: str, spans: Sequence[Span], lookback: int) -> list[Span]:
        """Disjoint stretches between boundaries covering ``spans`` (sorted by start).

        Each stretch also holds at least ``lookback`` tokens before its first span (fewer only
        at the start of the text), so a token inside it sees the same predecessors as in the
        whole text (the negation window).
        """
        joined = self._joined
        size = len(text)
        out: list[Span] = []
        right = -1
        for start, end in spans:
            if start >= right:
                # A new stretch: back to the boundary at or before the span, then ``lookback``
                # non-blank segments further (spans inside a stretch already look back enough).
                left = start
                while left > 0 and text[left - 1 : left + 1] in joined:
                    left -= 1
                counted = 0
                while left > 0 and counted < lookback:
                    previous = left - 1
                    while previous > 0 and text[previous - 1 : previous + 1] in joined:
                        previous -= 1
                    if not text[previous:left].isspace():
                        counted += 1
                    left = previous
                if out and left <= right:
                    left = out.pop()[0]
            elif end <= right:
                continue
            else:
                left = out.pop()[0]
            right = end
            while right < size and text[right - 1 : right + 1] in joined:
                right += 1
            out.append((left, right))
        return out

    def cut_windows(self, text: str, windows: Sequence[Span]) -> list[list[str]] | None:
        """The tokens of each window (what a full cut gives for that stretch).

        ``None`` in the rare case where a window cannot be told apart from a tie (see
        :meth:`intents.route.Router.cut_stretch`): then only a full cut is exact.
        """
        return self._cut_stretches(text, windows)

    def fill(self, text: str, windows: Sequence[Span], pieces: Sequence[list[str]]) -> list[str]:
        """All tokens of ``text``: the windows' tokens plus the segmented gaps between them."""
        edges = [0, *(edge for window in windows for edge in window), len(text)]
        gaps = [(left, right) for left, right in zip(edges[::2], edges[1::2], strict=True)]
        cut = self._cut_stretches(text, gaps)
        if cut is None:
            return self.cut(text)
        tokens = cut[0]
        for piece, gap in zip(pieces, cut[1:], strict=True):
            tokens += piece
            tokens += gap
        return tokens

    def _cut_stretches(self, text: str, stretches: Sequence[Span]) -> list[list[str]] | None:
        """The tokens of each stretch (``None`` on a near tie)."""
        pieces: list[list[str]] = []
        for left, right in stretches:
            piece = self._cut_span(text, left, right)
            if piece is None:
                return None
            pieces.append(piece)
        return pieces

    def _cut_span(self, text: str, left: int, right: int) -> list[str] | None:
        """The tokens of ``text[left:right]``: remembered words looked up, the rest segmented.

        The stretch is split at every boundary inside it; a segment that is a remembered word
        costs a lookup, and each run of other segments is segmented in one go (then its
        dictionary words are remembered).
        """
        words = self._words
        whole = text[left:right]
        if whole in words:  # two windows in three are exactly one term
            known = words[whole]
            return None if known is None else list(known)
        joined = self._joined
        tokens: list[str] = []
        run: list[int] = [left]  # the pending run of unknown segments: its start, then their ends
        start = left
        for position in range(left + 1, right + 1):
            if position < right and text[position - 1 : position + 1] in joined:
                continue
            segment = text[start:position]
            if segment in words:
                if len(run) > 1 and not self._cut_run(text, run, tokens):
                    return None
                known = words[segment]
                if known is None:
                    return None
                tokens += known
                run = [position]
            else:
                run.append(position)
            start = position
        if len(run) > 1 and not self._cut_run(text, run, tokens):
            return None
        return tokens

    def _cut_run(self, text: str, run: list[int], tokens: list[str]) -> bool:
        """Segment a run of consecutive segments (its start, then each end) into ``tokens``.

        Returns False on a near tie. Tokens never cross a boundary, so they fall into the
        segments in order; among the run's first :data:`LEARN_PER_RUN` segments, the dictionary
        words are remembered (learning costs ~1 µs a word: a message of new words pays it a few
        times, not once per word).
        """
        found = self._cut_stretch(text[run[0] : run[-1]])
        if found is None:
            return False
        tokens += found
        freq = self._freq
        words = self._words
        index = 0
        position = run[0]
        for end in run[1 : LEARN_PER_RUN + 1]:
            segment = text[position:end]
            first = index
            while position < end:
                if text[position].isspace():  # blanks are no tokens
                    position += 1
                else:
                    position += len(found[index])
                    index += 1
            if freq.get(segment):
                words[segment] = tuple(found[first:index])
        return True

    def _segment(self, segment: str) -> None:
        """Segment one stretch between boundaries and remember it (a term, at start-up)."""
        tokens = self._cut_stretch(segment)
        self._words[segment] = None if tokens is None else tuple(tokens)
