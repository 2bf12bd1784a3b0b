"""The frozen held-out set (issue 14) is guarded, and the learned stage's contracts hold."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from intents import Classifier, IntentFileError, load_intents
from intents.learned import pinyin_words
from intents.normalize import Normalizer

DATA = Path(__file__).resolve().parent / "data"
#: The frozen test set was split ONCE from the blind-written messages (tests/intents/split_heldout.py)
#: and must never be edited or used to tune keyword/example files: a changed file would silently
#: turn the README's held-out figure into a tuned one. If it really must change, re-split from
#: scratch, say so in the commit, and update this checksum. A NEW blind batch may be appended with
#: ``split_heldout.py --append`` (earlier rows stay where they are); set_c was, on 2026-12-04.
FROZEN_SHA256 = "714d9abf371491ce20cfa2519fa346c47b727c3bb14902211f1dc9582e46aacf"


def test_frozen_set_is_unchanged() -> None:
    """The frozen held-out file still has the checksum it was split with."""
    digest = hashlib.sha256((DATA / "heldout_frozen.tsv").read_bytes()).hexdigest()
    assert digest == FROZEN_SHA256


def test_frozen_and_pool_are_disjoint() -> None:
    """No pool message (usable for examples) is also in the frozen set."""

    def texts(name: str) -> set[str]:
        return {line.split("\t")[1] for line in (DATA / name).read_text(encoding="utf-8").splitlines()[1:]}

    assert texts("heldout_frozen.tsv").isdisjoint(texts("heldout_pool.tsv"))


def test_pinyin_features_read_homophones_alike() -> None:
    """组力, 助理 and 住力 share syllables with 助力; latin pinyin is kept as typed."""
    assert pinyin_words("组力")[1:] == pinyin_words("助力")[1:] == ["li"]
    assert pinyin_words("助理") == pinyin_words("助力") == ["zhu", "li"]
    assert pinyin_words("kan yi dao") == ["kan", "yi", "dao"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("组力被吞了，好友点了都不算", "zhuli_swallowed"), ("kan yi dao kan bu xia qu le", "bargain_failed")],
)
def test_typos_and_pinyin_reach_their_intent(classifier: Classifier, text: str, intent: str) -> None:
    """Homophone typos and pinyin land in the right issue type (decided or asked)."""
    match = classifier.classify(text)
    assert match.intent == intent, classifier.explain(text).format()


@pytest.mark.parametrize(
    "text", ["电助力自行车哪个牌子好", "助力高考，我们在行动", "在菜市场跟大妈砍价砍了五毛"]
)
def test_hard_negatives_stay_other(classifier: Classifier, text: str) -> None:
    """Exclusions and the model keep everyday uses of the core terms in ``other`` without buttons."""
    match = classifier.classify(text)
    assert match.intent == "other" and not match.needs_clarification, classifier.explain(text).format()


def test_explain_names_the_deciding_stage(classifier: Classifier) -> None:
    """``explain`` shows the model's probabilities and which stage decided."""
    report = classifier.explain("助力呢？？").format()
    assert "model:" in report and "stage:" in report


def _copy_keywords(tmp_path: Path) -> Path:
    source = Path(__file__).resolve().parents[2] / "intents" / "keywords"
    target = tmp_path / "kw"
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_example_in_two_intents_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    """The same example under two labels names both files and lines."""
    folder = _copy_keywords(tmp_path)
    (folder / "other.examples.txt").write_text("# c\n\n我的助力被吞了\n", encoding="utf-8")
    (folder / "greeting.examples.txt").write_text("你好\n我的助力被吞了\n", encoding="utf-8")
    with pytest.raises(IntentFileError) as info:
        load_intents(folder)
    text = str(info.value)
    assert "other.examples.txt:3" in text and "greeting.examples.txt:2" in text


def test_unknown_example_label_is_an_error(tmp_path: Path) -> None:
    """An examples file for no known label is reported by name."""
    folder = _copy_keywords(tmp_path)
    (folder / "refund.examples.txt").write_text("退款\n", encoding="utf-8")
    with pytest.raises(IntentFileError, match=r"refund\.examples\.txt"):
        load_intents(folder)


def test_check_reports_an_example_the_keyword_stage_sends_elsewhere(tmp_path: Path) -> None:
    """An example of one issue type that the keywords file under another is a warning at its line."""
    from intents import check_intents

    folder = _copy_keywords(tmp_path)
    (folder / "bargain_failed.examples.txt").write_text(
        "# x\n砍价差一刀\n好友助力全被吞了一个没算\n", encoding="utf-8"
    )
    problems = check_intents(folder, tmp_path / "cache")
    found = [p for p in problems if p.file == "bargain_failed.examples.txt"]
    assert [(p.line, p.severity) for p in found] == [(3, "warning")]
    assert "zhuli_swallowed" in found[0].message


def test_each_blind_batch_is_in_the_frozen_set_or_the_pool() -> None:
    """Every message of the kept blind batch went to exactly one side of the split (none lost)."""
    normalize = Normalizer().normalize

    def texts(name: str) -> set[str]:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()[1:]
        return {normalize(line.split("\t")[1]) for line in lines}

    frozen, pool = texts("heldout_frozen.tsv"), texts("heldout_pool.tsv")
    batch = texts("blind/set_c.tsv")
    assert batch <= frozen | pool and len(batch & frozen) > len(batch & pool)
