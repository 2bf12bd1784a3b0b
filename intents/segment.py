"""Segmenting only what a decision needs: exact jieba tokens for stretches of a message.

jieba segments each run of "block" characters (CJK, ASCII letters and digits, ``+#&._%-``) on
its own, and inside a run its best path must pass every position that no dictionary word spans.
Such a position is a *boundary*: segmenting the text on either side of it gives exactly the
tokens of segmenting the whole. A position counts as a boundary here when

* a character beside it is not a block character (jieba splits there itself), or
* the two characters around it never stand side by side inside a dictionary word (so no word
  can span it), unless both are ASCII letters or digits (jieba glues runs of single ASCII
  characters back into one token).

The check is conservative: a missed boundary only makes a window longer, never different.
(The one theoretical difference: two paths whose scores differ by less than a float's rounding
error may tie differently. The equality tests over the corpus have never met one.)

Measured: segmenting costs ~1.3 µs per character, so a message whose keywords sit in a few short
windows costs a fraction of a full ``cut``.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from typing import Any

from intents.route import Router

Span = tuple[int, int]

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
    """

    def __init__(self, tokenizer: Any) -> None:
        self._freq: dict[str, int] = tokenizer.FREQ
        self._joined = joined_pairs(self._freq.items())
        router = Router(tokenizer)
        self.cut = router.cut
        self._cut_stretch = router.cut_stretch

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
        out: list[Span] = []
        for start, end in spans:
            if out and start < out[-1][1]:
                # Inside the current stretch, whose left end already looks back far enough.
                if end > out[-1][1]:
                    out[-1] = (out[-1][0], self._next_boundary(text, end))
                continue
            left = self._back(text, start, lookback)
            right = self._next_boundary(text, end)
            if out and left <= out[-1][1]:
                out[-1] = (out[-1][0], max(right, out[-1][1]))
            else:
                out.append((left, right))
        return out

    def cut_windows(self, text: str, windows: Sequence[Span]) -> list[list[str]] | None:
        """The tokens of each window (what a full cut gives for that stretch).

        ``None`` in the rare case where a window cannot be told apart from a tie (see
        :meth:`intents.route.Router.cut_stretch`): then only a full cut is exact.
        """
        pieces: list[list[str]] = []
        for left, right in windows:
            piece = self._cut_stretch(text[left:right])
            if piece is None:
                return None
            pieces.append(piece)
        return pieces

    def fill(self, text: str, windows: Sequence[Span], pieces: Sequence[list[str]]) -> list[str]:
        """All tokens of ``text``: the windows' tokens plus the segmented gaps between them."""
        tokens: list[str] = []
        position = 0
        for (left, right), piece in zip(windows, pieces, strict=True):
            if position < left:
                gap = self._cut_stretch(text[position:left])
                if gap is None:
                    return self.cut(text)
                tokens += gap
            tokens += piece
            position = right
        if position < len(text):
            tokens += self.cut(text[position:])  # runs to the end: exact as it is
        return tokens

    def _next_boundary(self, text: str, position: int) -> int:
        end = len(text)
        joined = self._joined
        while position < end and text[position - 1 : position + 1] in joined:
            position += 1
        return position

    def _back(self, text: str, position: int, lookback: int) -> int:
        """The boundary ``lookback`` non-blank segments before the one at or before ``position``."""
        joined = self._joined
        while position > 0 and text[position - 1 : position + 1] in joined:
            position -= 1
        counted = 0
        while position > 0 and counted < lookback:
            previous = position - 1
            while previous > 0 and text[previous - 1 : previous + 1] in joined:
                previous -= 1
            if not text[previous:position].isspace():
                counted += 1
            position = previous
        return position
