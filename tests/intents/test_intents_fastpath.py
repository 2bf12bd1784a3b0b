"""The remaining shortcuts change nothing: the term index and normalization match their references.

``classify`` finds terms with one index scan and normalizes with a NFKC shortcut; these tests
hold each to its straightforward reference, on the corpus and on generated text, and hold
``classify`` to ``explain``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from intents import Classifier, default_intents_dir, load_intents, read_labelled
from intents.normalize import Normalizer, _nfkc
from intents.scoring import Scorer
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


def _brute_force(strings: list[str], marked: set[str], text: str) -> tuple[set[str], list[tuple[int, int]]]:
    present = {s for s in strings if s in text}
    spans = sorted((i, i + len(s)) for s in marked for i in range(len(text)) if text.startswith(s, i))
    return present, spans


_STRINGS = sorted({*_pieces(), "助力", "助力值", "力值", "值"})
_MARKED = {"助力", "助力值", "力值", "砍", "zl"}
_INDEX = SubstringIndex(_STRINGS, _MARKED)


@settings(max_examples=200, deadline=None)
@given(text=MESSAGES)
def test_the_index_finds_every_occurrence(text: str) -> None:
    """The index agrees with a brute-force search, overlaps included."""
    assert _INDEX.scan(text) == _brute_force(_STRINGS, _MARKED, text)


def test_the_index_handles_no_strings_at_all() -> None:
    """An empty index finds nothing."""
    assert SubstringIndex([]).scan("助力") == (set(), [])


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
