"""jieba's ``cut(text, HMM=False)``, computed in one pass over the owned tokenizer's dictionary.

jieba builds a dict of candidate words per position (``get_DAG``), then a dict of best routes
with a generator and ``math.log`` per candidate (``calc``), then yields through two generators:
~1.3 µs per character, nearly all interpreter overhead. This module runs the same algorithm on
the same dictionary (``FREQ`` and ``total`` of the :class:`jieba.Tokenizer` the classifier owns,
keywords included) with the log-probabilities computed once, lists instead of dicts, and
jieba's exact float expressions and tie-breaking, so the tokens are identical; the tests compare
it with ``Tokenizer.cut`` on every corpus message and on generated text.

Segmenting a stretch cut out of a longer text (:meth:`Router.cut_stretch`, see
:mod:`intents.segment`) is exact too, with one caveat that it detects: jieba's route scores add up
from the end of each block, so a stretch that stops before its block's end sums the same words
with a different rounding. Two routes of the same score (repetitive text such as "不动不动不动",
whose routes hold the same words in another order) can then tie the other way; when two
candidates come within :data:`NEAR_TIE` of each other the stretch reports that it cannot tell,
and the caller segments the whole text instead.

The tokenizer must not change after a :class:`Router` is built over it (the classifier never
changes its own).
"""

from __future__ import annotations

import re
from math import log
from typing import Any

#: Route scores closer than this may compare the other way once rounded differently. Each
#: addition rounds off at most 1.1e-16 of a score, and scores grow by at most ~20 a character, so
#: even a 10 000-character block (the bot classifies 2 000 at most) drifts by less than 5e-7.
NEAR_TIE = 1e-6
# Markers in the step table: log-probabilities are never positive, so these cannot be one.
_PREFIX_ONLY = float("inf")  # in the dictionary as the start of longer words only
_ABSENT = 1.0  # not even the start of a word: the walk stops


class Router:
    """Segments text exactly as ``tokenizer.cut(text, HMM=False)`` does, without blanks."""

    def __init__(self, tokenizer: Any) -> None:
        import jieba  # already imported by whoever built the tokenizer

        logtotal = log(tokenizer.total)
        # One lookup per step of the walk: jieba's ``log(FREQ.get(word) or 1) - logtotal`` for
        # a word, or a marker for a mere prefix of longer words.
        self._steps: dict[str, float] = {
            word: log(freq) - logtotal if freq else _PREFIX_ONLY for word, freq in tokenizer.FREQ.items()
        }
        self._unknown = log(1) - logtotal
        self._blocks: re.Pattern[str] = jieba.re_han_default
        self._skip: re.Pattern[str] = jieba.re_skip_default

    def cut(self, text: str) -> list[str]:
        """The tokens of ``text``, blanks (spaces, newlines) left out."""
        tokens: list[str] = []
        self._cut(text, tokens, -1.0)
        return tokens

    def cut_stretch(self, text: str) -> list[str] | None:
        """The tokens of ``text`` as part of a longer text that continues after it.

        ``None`` when two routes nearly tie, so the longer text's rounding could pick the other.
        """
        tokens: list[str] = []
        return tokens if self._cut(text, tokens, NEAR_TIE) else None

    def _cut(self, text: str, tokens: list[str], tolerance: float) -> bool:
        """Append the tokens of ``text``; False when routes came within ``tolerance`` of a tie."""
        blocks = self._blocks
        if blocks.fullmatch(text):  # the usual window: one run of block characters
            return self._cut_block(text, tokens, tolerance)
        clear = True
        for block in blocks.split(text):
            if not block:
                continue
            if blocks.match(block):
                clear = self._cut_block(block, tokens, tolerance) and clear
            else:
                for piece in self._skip.split(block):
                    if piece and not self._skip.match(piece):
                        tokens.extend(piece)  # jieba yields other characters one by one
        return clear

    def _cut_block(self, block: str, tokens: list[str], tolerance: float) -> bool:
        """Append the best route through one run of block characters (jieba's DAG, no HMM)."""
        steps = self._steps
        unknown = self._unknown
        size = len(block)
        score = [0.0] * (size + 1)
        ends = [0] * size
        clear = True
        best = 0.0  # the score of the route from ``start + 1`` to the end
        start = size
        for char in reversed(block):
            start -= 1
            following = best
            weight = steps.get(char, _ABSENT)
            if weight <= 0.0:
                best = weight + following
                end = start + 1
            else:
                best = unknown + following  # no word starts here: the character alone, frequency 1
                end = 0
            if weight != _ABSENT:
                stop = start + 2
                while stop <= size:
                    weight = steps.get(block[start:stop], _ABSENT)
                    if weight == _ABSENT:
                        break
                    if weight <= 0.0:
                        candidate = weight + score[stop]
                        if end and -tolerance < candidate - best < tolerance:
                            clear = False
                        # ``max`` over (score, end) pairs: on a tie the longer word wins
                        if end == 0 or candidate >= best:
                            best = candidate
                            end = stop
                    stop += 1
            score[start] = best
            ends[start] = end or start + 1
        glued = ""  # jieba glues runs of single ASCII letters and digits into one token
        position = 0
        while position < size:
            end = ends[position]
            word = block[position:end]
            if end - position == 1 and word.isascii() and word.isalnum():
                glued += word
            else:
                if glued:
                    tokens.append(glued)
                    glued = ""
                tokens.append(word)
            position = end
        if glued:
            tokens.append(glued)
        return clear
