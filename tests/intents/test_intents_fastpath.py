"""The fast path changes nothing: jieba's tokens, the same boundaries, hits and decisions.

``classify`` finds terms with one index scan, segments only windows around them, and segments
with :mod:`intents.route` instead of ``Tokenizer.cut``; ``explain`` does none of that. These tests
hold every shortcut to its straightforward reference, on the corpus and on generated text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intents import Classifier, default_intents_dir, load_intents, read_labelled
from intents.normalize import Normalizer, _nfkc
from intents.route import Router
from intents.scoring import Scorer, dictionary_terms
from intents.segment import Segmenter
from intents.substrings import SubstringIndex

DEV_TSV = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.tsv"
_SET = load_intents(default_intents_dir())
EDGE_CASES = [
    "",
    " ",
    "!!!",
    "不是砍价，是助力的问题",
    "我没参加砍价 就是没发货",
    "pdd的zl又不算数了",
    "abc123助力def",
    "订单号 240101-778812349900123 砍到99.7%",
    "差0.01元\r\n砍价失败\t了",
    "砍砍砍砍砍砍",
    "哈囉，請問有人在嗎",
    "助力被吞😭😭了？？？",
    "ＰＤＤ助力！！！",
]
TEXTS = [
    *EDGE_CASES,
    *(text for spec in _SET.intents for text in (*spec.examples, *spec.counter_examples)),
    *((text for _, text in read_labelled(DEV_TSV)) if DEV_TSV.is_file() else ()),
]


def _pieces() -> list[str]:
    """What generated messages are made of: every term, cue and negator, plus filler."""
    pieces = {t for spec in _SET.intents for t in (*spec.keywords, *spec.variants, *spec.exclusions)}
    pieces.update(c for spec in _SET.intents for s in spec.signals for c in (*s.cues, *s.also))
    pieces.update(_SET.settings.negators)
    pieces.update("我的了是没不被帮点价力吞好朋友客服退款一直说")
    pieces.update(
        ["a", "z", "1", "0", "ab", "99", ".", "-", "%", "，", ",", "!", "?", " ", "\t", "\r\n", "😭"]
    )
    return sorted(pieces)


_SCORER = Scorer(_SET.intents, _SET.settings)
MESSAGES = st.lists(st.sampled_from(_pieces()), max_size=30).map("".join)


def _jieba(classifier: Classifier, text: str) -> list[str]:
    return [t for t in classifier.tokenizer.cut(text, HMM=False) if not t.isspace()]


@pytest.fixture(scope="module")
def segmenter(classifier: Classifier) -> Segmenter:
    """A segmenter over the shipped classifier's own tokenizer, keywords segmented up front."""
    return Segmenter(classifier.tokenizer, dictionary_terms(_SET.intents, _SET.settings))


@pytest.fixture(scope="module")
def router(classifier: Classifier) -> Router:
    """A router over the shipped classifier's own tokenizer."""
    return Router(classifier.tokenizer)


def test_router_cuts_like_jieba_on_the_corpus(classifier: Classifier, router: Router) -> None:
    """Same tokens as ``Tokenizer.cut(HMM=False)`` for every known message, raw and normalized."""
    for text in TEXTS:
        for form in (text, classifier.normalize(text)):
            assert router.cut(form) == _jieba(classifier, form), form


@settings(max_examples=300, deadline=None)
@given(text=MESSAGES)
def test_router_cuts_like_jieba_on_generated_text(classifier: Classifier, router: Router, text: str) -> None:
    """Same tokens on keyword-dense text with ASCII runs, digits, blanks and CR LF."""
    assert router.cut(text) == _jieba(classifier, text)


@settings(max_examples=200, deadline=None)
@given(text=MESSAGES)
def test_a_boundary_splits_no_token(
    classifier: Classifier, segmenter: Segmenter, router: Router, text: str
) -> None:
    """Cutting at any boundary and segmenting both sides gives the whole text's tokens."""
    whole = _jieba(classifier, text)
    boundaries = [p for p in range(1, len(text)) if segmenter.is_boundary(text, p)]
    for position in boundaries:
        # The part that runs to the end is exact as it is; the one cut short may report a tie.
        head = router.cut_stretch(text[:position])
        if head is not None:
            assert head + _jieba(classifier, text[position:]) == whole


def test_a_near_tie_is_reported_not_guessed(classifier: Classifier, router: Router) -> None:
    """Repetitive text has routes of equal score: a stretch cut short says it cannot tell."""
    text = "不动不动不动为什么"  # depends on the dictionary: the keyword files add words to it
    head, rest = text[:6], text[6:]
    assert router.cut_stretch(head) is None
    assert router.cut(head) + router.cut(rest) != _jieba(classifier, text)  # why it must not guess
    assert router.cut(text) == _jieba(classifier, text)  # a whole text has jieba's rounding
    assert classifier.classify(text).tokens == tuple(_jieba(classifier, text))


def test_boundaries_are_found_between_words(segmenter: Segmenter) -> None:
    """Punctuation and word edges are boundaries; inside a keyword or an ASCII run they are not."""
    text = "助力被吞,pdd99"
    assert segmenter.is_boundary(text, 0)
    assert segmenter.is_boundary(text, len(text))
    assert not segmenter.is_boundary(text, 1)  # 助|力
    assert segmenter.is_boundary(text, 4)  # before ","
    assert segmenter.is_boundary(text, 5)  # after ","
    assert not segmenter.is_boundary(text, 6)  # p|d
    assert not segmenter.is_boundary(text, 8)  # d|9 would break jieba's ASCII glue
    assert not segmenter.is_boundary("a\r\nb", 2)


@settings(max_examples=200, deadline=None)
@given(text=MESSAGES, lookback=st.integers(min_value=0, max_value=3))
def test_windows_cover_the_hits_and_rebuild_the_whole(
    classifier: Classifier, segmenter: Segmenter, router: Router, text: str, lookback: int
) -> None:
    """Windows are sorted, disjoint, boundary-aligned, cover every hit, and lose no token."""
    normalized = classifier.normalize(text)
    spans, _ = _SCORER.find(normalized)
    windows = segmenter.windows(normalized, spans, lookback)
    for (_, right), (left, _) in itertools.pairwise(windows):
        assert right < left
    for left, right in windows:
        assert left < right
        assert segmenter.is_boundary(normalized, left)
        assert segmenter.is_boundary(normalized, right)
    for start, end in spans:
        assert any(left <= start and end <= right for left, right in windows)
    pieces = segmenter.cut_windows(normalized, windows)
    whole = _jieba(classifier, normalized)
    if pieces is not None:  # ``None``: a near tie, the caller cuts the whole text instead
        assert segmenter.fill(normalized, windows, pieces) == whole
        for (left, right), piece in zip(windows, pieces, strict=True):
            before = router.cut_stretch(normalized[:left])
            if before is not None:
                assert whole[len(before) : len(before) + len(piece)] == piece, (left, right)


def test_a_window_looks_back_far_enough(segmenter: Segmenter) -> None:
    """With a lookback of 2 the window holds the two tokens before the hit (the negation window)."""
    text = "我今天不是砍价"
    start = text.index("砍价")
    (window,) = segmenter.windows(text, [(start, start + 2)], 2)
    tokens = segmenter.cut(text[window[0] : window[1]])
    assert tokens[-1] == "砍价"
    assert len(tokens) >= 3
    (tight,) = segmenter.windows(text, [(start, start + 2)], 0)
    assert segmenter.cut(text[tight[0] : tight[1]]) == ["砍价"]


def _brute_force(strings: list[str], marked: set[str], text: str) -> tuple[set[str], list[tuple[int, int]]]:
    present = {s for s in strings if s in text}
    spans = sorted((i, i + len(s)) for s in marked for i in range(len(text)) if text.startswith(s, i))
    return present, spans


_STRINGS = sorted({*_pieces(), "助力", "助力值", "力值", "值"})
_MARKED = {"助力", "助力值", "力值", "砍", "zl"}
_INDEXES: dict[bool, SubstringIndex] = {}


@pytest.mark.parametrize("automaton", [True, False], ids=["aho-corasick", "buckets"])
@settings(max_examples=200, deadline=None)
@given(text=MESSAGES)
def test_the_index_finds_every_occurrence(automaton: bool, text: str) -> None:
    """Both index implementations agree with a brute-force search, overlaps included."""
    if automaton:
        pytest.importorskip("ahocorasick")
    if automaton not in _INDEXES:
        _INDEXES[automaton] = SubstringIndex(_STRINGS, _MARKED, automaton=automaton)
    index = _INDEXES[automaton]
    assert index.uses_automaton is automaton
    assert index.scan(text) == _brute_force(_STRINGS, _MARKED, text)


def test_the_index_handles_no_strings_at_all() -> None:
    """An empty index finds nothing (with and without the automaton)."""
    for automaton in (None, False):
        assert SubstringIndex([], automaton=automaton).scan("助力") == (set(), [])


@settings(max_examples=300, deadline=None)
@given(text=MESSAGES)
def test_classify_decides_like_explain_on_generated_text(classifier: Classifier, text: str) -> None:
    """Same decision as the full segmentation and scoring; same tokens when nothing matched."""
    _assert_same_decision(classifier, text)


def test_classify_decides_like_explain_on_the_corpus(classifier: Classifier) -> None:
    """Same decision on every known message."""
    for text in TEXTS:
        _assert_same_decision(classifier, text)


def _assert_same_decision(classifier: Classifier, text: str) -> None:
    fast = classifier.classify(text)
    reference = classifier.explain(text).decision
    assert repr(fast) == repr(reference), text  # every field but the tokens
    if fast.intent == "other":
        assert fast.tokens == reference.tokens
    else:
        assert set(fast.tokens) <= set(reference.tokens)
        assert set(fast.keywords) <= set(fast.tokens)


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        st.one_of(
            st.characters(),
            st.sampled_from("，。！？：；（）％＋－\u3000ＡＢＣａｂｃ１２３ｶﾞ\u0301\u0308가각①㎏ﬁ"),
        )
    )
)
def test_the_nfkc_shortcut_is_nfkc(text: str) -> None:
    """The full-width shortcut gives exactly ``unicodedata.normalize("NFKC", ...)``."""
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U00002b00-\U00002bff\U0000fe00-\U0000fe0f"
    "\U0000200d\U000020e3\U000e0000-\U000e007f\U0001f1e6-\U0001f1ff]+"
)
_NORMALIZER = Normalizer()


def _plain_normalize(text: str) -> str:
    """The normalization step by step, as it was written before the shortcuts."""
    text = _NORMALIZER.normalize_term(text)  # NFKC, lower case, Traditional → Simplified
    text = _EMOJI.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"([^\w\s])[^\w\s]+", r"\1", text)


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        st.one_of(
            st.characters(codec="utf-8"),  # OpenCC takes UTF-8 only: no lone surrogates
            st.sampled_from("，。！？…（）％\u3000 \t\r\nＡａ１😭😤\u200d\ufe0f👍🏻助力被吞說幫記錄裡沒"),
        )
    )
)
def test_normalize_equals_the_plain_steps(text: str) -> None:
    """The one-pass blanks and the NFKC shortcut change no output."""
    assert _NORMALIZER.normalize(text) == _plain_normalize(text)


def test_a_term_segmented_up_front_is_what_segmenting_it_gives(classifier: Classifier) -> None:
    """The table of terms' tokens holds what cutting each term as a stretch gives."""
    terms = dictionary_terms(_SET.intents, _SET.settings)
    with_table = Segmenter(classifier.tokenizer, terms)
    without = Segmenter(classifier.tokenizer)
    text = "，".join(terms)
    windows = [(text.index(term), text.index(term) + len(term)) for term in terms[:50]]
    windows = sorted(set(windows))
    assert with_table.cut_windows(text, windows) == without.cut_windows(text, windows)


def test_only_dictionary_words_are_remembered(classifier: Classifier) -> None:
    """The word memory never keeps other text of a message (an order number, a phone number)."""
    segmenter = Segmenter(classifier.tokenizer)
    text = "订单号240101778812349900手机13800138000助力被吞了,砍价失败"
    assert segmenter.cut_windows(text, [(0, len(text))]) == [_jieba(classifier, text)]
    remembered = set(segmenter._words)  # white box: what stays in memory after the message
    assert remembered, "the dictionary words were remembered"
    assert all(classifier.tokenizer.FREQ.get(word) for word in remembered)
    assert not any(any(ch.isdigit() for ch in word) for word in remembered)


def test_what_is_remembered_changes_no_answer(classifier: Classifier) -> None:
    """The same windows give the same tokens with a fresh, a warm and an emptied memory."""
    texts = [classifier.normalize(text) for text in TEXTS[:120]]
    fresh = Segmenter(classifier.tokenizer, dictionary_terms(_SET.intents, _SET.settings))
    every = [(text, [(0, len(text))]) for text in texts]
    first = [fresh.cut_windows(text, windows) for text, windows in every]
    again = [fresh.cut_windows(text, windows) for text, windows in every]
    fresh.forget_words()
    emptied = [fresh.cut_windows(text, windows) for text, windows in every]
    assert first == again == emptied
    assert first == [[_jieba(classifier, text)] for text in texts]  # the corpus has no near tie
