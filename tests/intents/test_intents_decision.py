"""Decision rules: negation, issue beats greeting, clarification, confidence, normalization, tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import ISSUE_TYPES, Classifier, IntentSet, load_intents, unknown_tokens
from intents.normalize import Normalizer
from tests.intents.conftest import WriteFiles


@pytest.mark.parametrize(
    ("text", "expected", "not_fired"),
    [
        ("不是砍价的问题，好友助力一直没算", "zhuli_swallowed", "砍价"),
        ("我没参加砍价，就是买的耳机一直不发货", "rights_damaged", "砍价"),
    ],
)
def test_a_negated_keyword_does_not_count(
    classifier: Classifier, text: str, expected: str, not_fired: str
) -> None:
    """ "不是砍价" removes 砍价 from the evidence."""
    explanation = classifier.explain(text)
    bargain = next(s for s in explanation.scores if s.intent == "bargain_failed")
    assert not_fired in bargain.negated
    assert not_fired not in bargain.keywords
    assert explanation.decision.intent == expected


@pytest.mark.parametrize(
    "text", ["你好，我的助力被吞了", "在吗？砍价差0.01就过期了", "您好，优惠券一直用不了"]
)
def test_an_issue_beats_a_polite_opening(classifier: Classifier, text: str) -> None:
    """A complaint that opens with 你好/在吗 is the complaint, not a greeting."""
    match = classifier.classify(text)
    assert match.intent in ISSUE_TYPES
    assert match.runner_up == "greeting"


def test_clear_message_needs_no_clarification(classifier: Classifier) -> None:
    """A clear complaint is decided with high confidence and no question back."""
    match = classifier.classify("拼多多助力被吞了，朋友都点了，助力人数一直是0")
    assert match.intent == "zhuli_swallowed"
    assert not match.needs_clarification
    assert match.candidates == ()
    assert match.confidence >= 0.9
    assert "助力" in match.keywords


def test_close_issue_types_ask_for_clarification(classifier: Classifier) -> None:
    """Evidence for two issue types at once makes the engine ask, offering both first."""
    match = classifier.classify("砍价差0.01没成功，朋友帮我助力也没算")
    assert match.needs_clarification
    assert set(match.candidates[:2]) == {"zhuli_swallowed", "bargain_failed"}
    assert match.intent in match.candidates[:2]
    assert match.runner_up in match.candidates[:2]
    assert set(match.candidates) <= set(ISSUE_TYPES)


def test_thresholds_come_from_the_settings_file(shipped_copy: Path, cache_dir: Path) -> None:
    """Raising the saturation score in _settings.toml lowers confidence, so the engine asks."""
    text = "助力没算"
    relaxed = Classifier(load_intents(shipped_copy), cache_dir).classify(text)
    settings = shipped_copy / "_settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("saturation = 6.0", "saturation = 60.0"))
    strict = Classifier(load_intents(shipped_copy), cache_dir).classify(text)
    assert relaxed.intent == strict.intent == "zhuli_swallowed"
    assert not relaxed.needs_clarification
    assert strict.confidence < relaxed.confidence
    assert strict.needs_clarification
    assert strict.candidates[0] == "zhuli_swallowed"


def test_unmatched_message_is_other_with_tokens(classifier: Classifier) -> None:
    """No intent reaching its threshold gives ``other``; tokens are still there for statistics."""
    match = classifier.classify("明天上海会下雨吗")
    assert match.intent == "other"
    assert not match.is_issue
    assert not match.needs_clarification
    assert "上海" in match.tokens
    assert "上海" in unknown_tokens(match.tokens)


def test_keywords_segment_as_units(classifier: Classifier) -> None:
    """Added keywords win segmentation: 求助力 → 求 / 助力 (jieba alone says 求助 / 力)."""
    tokens = classifier.tokenize(classifier.normalize("我在群里求助力"))
    assert "助力" in tokens or "求助力" in tokens
    assert "求助" not in tokens
    # exclusions are units too, so the keyword inside them does not fire on its own
    bike = classifier.tokenize("电助力自行车")
    assert "助力" not in bike
    assert {"电助力", "助力自行车"} & set(bike)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("ＰＤＤ助力！！！", "pdd助力!"),
        ("砍價失敗了", "砍价失败了"),
        ("助力被吞😭😭了", "助力被吞 了"),
        ("什么？？？！！", "什么?"),
        ("  多个   空格  ", "多个 空格"),
        ("差０．０１元", "差0.01元"),
    ],
)
def test_normalization(raw: str, normalized: str) -> None:
    """Full width → half width, lower case, Traditional → Simplified, emoji gone, punctuation collapsed."""
    assert Normalizer().normalize(raw) == normalized


@pytest.mark.parametrize(
    ("tokens", "kept"),
    [
        (["我", "想", "问", "天气", "怎么样", "?"], ["天气"]),
        (["订单", "231118", "-", "492817365029174", "13800138000"], ["订单"]),
        (["a", "ok", "猫", "猫", "的", "天气", "天气"], ["天气"]),
        (["12", "3.5", "%", "..."], []),
        (["朝阳区", "中山路", "北京市", "3号楼", "幸福里", "投诉"], ["投诉"]),
        (["zhangwei", "wx123", "二维码"], ["二维码"]),
    ],
)
def test_unknown_tokens_drop_noise(tokens: list[str], kept: list[str]) -> None:
    """Stopwords, punctuation, digits, latin, single characters and place names are dropped."""
    assert unknown_tokens(tokens) == kept


@pytest.mark.parametrize(
    "text",
    [
        "我叫王小明，住在朝阳区幸福路18号",
        "张伟说明天去上海",
        "联系李秀英13800138000",
        "我的微信是zhangwei888",
    ],
)
def test_unknown_tokens_keep_no_name_address_or_number(classifier: Classifier, text: str) -> None:
    """Only dictionary words survive: names, streets, numbers and nicknames never reach statistics."""
    match = classifier.classify(text)
    kept = unknown_tokens(match.tokens, classifier.is_dictionary_word)
    for personal in (
        "王小明",
        "小明",
        "朝阳",
        "幸福路",
        "18",
        "张伟",
        "李秀英",
        "秀英",
        "13800138000",
        "zhangwei",
    ):
        assert all(personal not in token for token in kept), (personal, kept)
    assert all(classifier.is_dictionary_word(token) for token in kept)


def test_a_minimal_set_classifies(write_files: WriteFiles, cache_dir: Path) -> None:
    """A folder with a single intent file works, and other intents simply never match."""
    folder = write_files(
        {
            "greeting.toml": 'id = "greeting"\nname = "问候"\npriority = 0\n[keywords]\n"你好" = 3.0\n',
        }
    )
    intent_set: IntentSet = load_intents(folder)
    classifier = Classifier(intent_set, cache_dir)
    assert classifier.classify("你好").intent == "greeting"
    assert classifier.classify("助力被吞了").intent == "other"


def test_topic_words_alone_are_not_a_complaint(classifier: Classifier) -> None:
    """Several bargain words without any sign of failure stay below the threshold."""
    explanation = classifier.explain("砍价能砍到多少")
    bargain = next(s for s in explanation.scores if s.intent == "bargain_failed")
    assert set(bargain.keywords) == {"砍价", "砍到"}
    assert bargain.score < 3.0
    assert explanation.decision.intent == "other"
    # the same words with a sign of failure are a complaint
    assert classifier.classify("砍价砍到最后砍不动了").intent == "bargain_failed"
