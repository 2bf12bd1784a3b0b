"""The content loader: the shipped files load, and each kind of error names its file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from domain.labels import FACT_LABELS
from domain.stages import STAGE_IDS
from guide import GuideContent, GuideFileError, default_content_dir, load_content
from guide.content import REQUIRED_MESSAGES
from intents.match import ISSUE_TYPES


def test_shipped_content_is_complete(content: GuideContent) -> None:
    assert [stage.id for stage in content.stages] == list(STAGE_IDS)
    assert all(stage.steps for stage in content.stages)
    assert set(REQUIRED_MESSAGES) <= set(content.messages)
    assert set(content.prompts) == set(FACT_LABELS)
    for issue in ISSUE_TYPES:
        categories = {item.category for item in content.checklist(issue)}
        assert {"rules", "order", "chat"} <= categories


def test_every_text_is_short(content: GuideContent) -> None:
    for stage in content.stages:
        for step in stage.steps:
            for text in (step.text, *step.variants.values()):
                assert len(text) <= 700
                assert len(text.splitlines()) <= 8, step.title


def test_contact_stage_demands_are_tailored(content: GuideContent) -> None:
    step = content.step("contact", 1)
    assert step is not None
    assert "恢复助力记录" in step.text_for("zhuli_swallowed")
    assert "兑现砍价结果" in step.text_for("bargain_failed")
    assert "补偿或退款" in step.text_for("rights_damaged")
    where = content.step("contact", 0)
    assert where is not None and "「我的」→「客服中心」" in where.text


def test_default_dir_is_the_shipped_one() -> None:
    assert (default_content_dir() / "common.toml").is_file()


@pytest.fixture
def steps(tmp_path: Path) -> Path:
    """A writable copy of the shipped step files."""
    target = tmp_path / "steps"
    shutil.copytree(default_content_dir(), target)
    return target


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(directory: Path) -> list[str]:
    with pytest.raises(GuideFileError) as caught:
        load_content(directory)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert re.match(r"^[\w.]+\.toml:\d+: ", problem), problem
    return list(caught.value.problems)


def test_copy_loads(steps: Path) -> None:
    assert load_content(steps).stage("legal") is not None


def test_malformed_toml(steps: Path) -> None:
    path = steps / "legal.toml"
    _edit(path, 'title = "咨询律师"', 'title = "咨询律师')
    line = _line_of(path, 'title = "咨询律师')
    assert any(p.startswith(f"legal.toml:{line}: malformed TOML") for p in _problems(steps))


def test_unknown_field(steps: Path) -> None:
    path = steps / "confirm.toml"
    _edit(path, 'title = "核实订单或活动状态"', 'title = "核实订单或活动状态"\ncolour = "red"')
    line = _line_of(path, "colour")
    assert f"confirm.toml:{line}: unknown field 'colour'" in _problems(steps)


def test_unknown_issue_type_variant(steps: Path) -> None:
    path = steps / "confirm.toml"
    _edit(path, "text_bargain_failed =", "text_bargain =")
    line = _line_of(path, "text_bargain =")
    assert f"confirm.toml:{line}: unknown field 'text_bargain'" in _problems(steps)


def test_missing_text(steps: Path) -> None:
    path = steps / "cautions.toml"
    _edit(path, 'title = "合理预期"\ntext = """', 'title = "合理预期"\nnote = """')
    header = _line_of(path, 'title = "合理预期"') - 1
    problems = _problems(steps)
    assert f"cautions.toml:{header}: missing text 'text'" in problems


def test_missing_message(steps: Path) -> None:
    path = steps / "common.toml"
    _edit(path, "first_step = ", "first_steps = ")
    line = _line_of(path, "[messages]")
    assert f"common.toml:{line}: missing text 'messages.first_step'" in _problems(steps)


def test_button_to_unknown_stage(steps: Path) -> None:
    path = steps / "contact.toml"
    _edit(path, 'action = "goto:complain"', 'action = "goto:court"')
    line = _line_of(path, "buttons = [")  # first buttons line is before; take the right one
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("buttons")]
    assert line in lines
    problems = _problems(steps)
    assert any(
        re.match(r"contact\.toml:\d+: action 'goto:court' points to an unknown stage", p) for p in problems
    )
    number = int(next(p for p in problems if "goto:court" in p).split(":")[1])
    assert number == max(lines)


def test_button_to_unknown_step(steps: Path) -> None:
    path = steps / "contact.toml"
    _edit(path, 'action = "goto:complain"', 'action = "goto:complain.9"')
    problems = _problems(steps)
    assert any("'goto:complain.9' points to an unknown step" in p for p in problems)


def test_unknown_action_and_message(steps: Path) -> None:
    path = steps / "confirm.toml"
    _edit(path, 'action = "say:rules_unclear"', 'action = "say:nothing_here"')
    _edit(path, 'action = "ask:order_no"', 'action = "jump"')
    problems = _problems(steps)
    assert any("'say:nothing_here' points to an unknown message" in p for p in problems)
    assert any("unknown action 'jump'" in p for p in problems)


def test_text_too_long(steps: Path) -> None:
    path = steps / "legal.toml"
    _edit(path, 'title = "整理证据"\ntext = """', 'title = "整理证据"\ntext = """' + "很长" * 400)
    line = _line_of(path, 'title = "整理证据"') + 1
    assert any(p.startswith(f"legal.toml:{line}: 'text' is ") and "over 700" in p for p in _problems(steps))


def test_callback_data_too_long(steps: Path) -> None:
    path = steps / "common.toml"
    key = "a_message_key_with_a_very_long_name_for_the_callback_data"
    _edit(path, "[messages]\n", f'[messages]\n{key} = "hi"\n')
    _edit(steps / "confirm.toml", 'action = "say:rules_unclear"', f'action = "say:{key}"')
    problems = _problems(steps)
    assert any(p.startswith("confirm.toml:") and "over 64 bytes" in p for p in problems)


def test_bad_evidence_category(steps: Path) -> None:
    path = steps / "common.toml"
    _edit(path, 'category = "logistics"', 'category = "parcel"')
    line = _line_of(path, 'category = "parcel"')
    assert any(p.startswith(f"common.toml:{line}: category must be") for p in _problems(steps))


def test_missing_stage_file(steps: Path) -> None:
    (steps / "legal.toml").unlink()
    assert "legal.toml:1: no step file defines stage 'legal'" in _problems(steps)


def test_duplicate_stage(steps: Path) -> None:
    shutil.copy(steps / "legal.toml", steps / "legal2.toml")
    assert any(p.startswith("legal2.toml:") and "also defined in legal.toml" in p for p in _problems(steps))


def test_several_problems_reported_together(steps: Path) -> None:
    _edit(steps / "confirm.toml", 'title = "看清规则和承诺"', 'title = "看清规则和承诺"\nfoo = 1')
    _edit(steps / "cautions.toml", 'id = "cautions"', 'id = "warnings"')
    problems = _problems(steps)
    assert any(p.startswith("confirm.toml:") for p in problems)
    assert any(p.startswith("cautions.toml:") for p in problems)


def test_bad_shortcut(steps: Path) -> None:
    path = steps / "common.toml"
    _edit(path, "cautions = [", "nowhere = [")
    line = _line_of(path, "nowhere = [")
    assert f"common.toml:{line}: unknown field 'nowhere'" in _problems(steps)
