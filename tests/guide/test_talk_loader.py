"""``talk.toml`` (and ``questions.toml``): loaded with the step files, errors name file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guide import GuideContent, default_content_dir, load_content
from guide.talk import TALK_MESSAGES, WORD_LISTS
from tests.guide.test_loader import _edit, _line_of, _problems


@pytest.fixture
def steps(tmp_path: Path) -> Path:
    """A writable copy of the shipped step files."""
    target = tmp_path / "steps"
    shutil.copytree(default_content_dir(), target)
    return target


def test_shipped_talk_is_complete(content: GuideContent) -> None:
    assert set(TALK_MESSAGES) <= set(content.talk.messages)
    assert set(WORD_LISTS) == set(content.talk.words)
    assert any(alias.label == "返回" for alias in content.talk.aliases)


def test_missing_talk_file(steps: Path) -> None:
    (steps / "talk.toml").unlink()
    assert any(p.startswith("talk.toml:1: missing file") for p in _problems(steps))


def test_bad_word_list_names_its_line(steps: Path) -> None:
    talk = steps / "talk.toml"
    line = _line_of(talk, "skip = [")
    _edit(talk, 'skip = ["不知道"', 'skip = [""')
    assert f"talk.toml:{line}: 'skip' must be a non-empty list of words (1..20 characters)" in _problems(
        steps
    )


def test_word_claimed_by_two_lists_is_reported(steps: Path) -> None:
    talk = steps / "talk.toml"
    _edit(talk, 'not_solved = [\n  "没",', 'not_solved = [\n  "解决了", "没",')
    line = _line_of(talk, "not_solved = [")
    assert f"talk.toml:{line}: '解决了' is in both words.solved and words.not_solved" in _problems(steps)


def test_missing_message_and_unknown_key(steps: Path) -> None:
    talk = steps / "talk.toml"
    _edit(talk, "skipped =", "skipped_typo =")
    line = _line_of(talk, "skipped_typo =")
    problems = _problems(steps)
    assert f"talk.toml:{line}: unknown message 'skipped_typo'" in problems
    assert any(p.startswith("talk.toml:") and "missing text 'messages.skipped'" in p for p in problems)


def test_bad_alias(steps: Path) -> None:
    talk = steps / "talk.toml"
    _edit(talk, 'label = "返回"', 'label = ""')
    line = _line_of(talk, 'label = ""')
    assert f"talk.toml:{line}: 'label' must be 1..20 characters" in _problems(steps)


def test_copy_loads(steps: Path) -> None:
    assert load_content(steps).talk.message("skipped")


def test_missing_questions_file(steps: Path) -> None:
    (steps / "questions.toml").unlink()
    assert any(p.startswith("questions.toml:1: missing file") for p in _problems(steps))


def test_keyword_of_two_questions_is_reported(steps: Path) -> None:
    questions = steps / "questions.toml"
    _edit(questions, 'keywords = ["律师"]', 'keywords = ["律师", "欺诈"]')
    line = _line_of(questions, 'keywords = ["律师", "欺诈"]')
    assert f"questions.toml:{line}: keyword '欺诈' also belongs to question 'fraud'" in _problems(steps)


def test_keyword_hidden_in_another_is_reported(steps: Path) -> None:
    questions = steps / "questions.toml"
    _edit(questions, 'keywords = ["律师"]', 'keywords = ["律师", "打不"]')
    line = _line_of(questions, 'keywords = ["律师", "打不"]')
    assert f"questions.toml:{line}: keyword '打不' overlaps '打不通' of question 'hotline_busy'" in _problems(
        steps
    )


def test_question_without_source_or_too_long(steps: Path) -> None:
    questions = steps / "questions.toml"
    _edit(questions, 'source = "《消费者权益保护法实施条例》第26条"\n', "")
    _edit(questions, "想拿回钱或权益，选投诉", "想拿回钱或权益，选投诉" + "。" * 400)
    problems = _problems(steps)
    section = _line_of(questions, 'id = "complaint_or_report"') - 1
    assert f"questions.toml:{section}: 'source' must be a non-empty text" in problems
    assert any(p.startswith("questions.toml:") and "over 400" in p for p in problems)


def test_edited_answer_is_what_a_reload_gives(steps: Path) -> None:
    questions = steps / "questions.toml"
    _edit(questions, "都是免费的。", "都是免费的（已核实）。")
    book = load_content(steps).question_book
    [cost] = book.asked("要花钱吗")
    assert "已核实" in cost.answer
