"""Transition tables: button presses move a case through the five stages, for every issue type."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.case import CaseState
from domain.labels import NOTICE
from domain.messages import Document
from domain.outcome import AddTimeline, ScheduleReminder
from guide import GuideContent
from intents.match import ISSUE_TYPES
from tests.guide.memory import Conversation

#: (position, action of the pressed step button, position afterwards)
FORWARD = [
    ("confirm.0", "next", "confirm.1"),
    ("confirm.1", "next", "confirm.2"),
    ("confirm.2", "next", "contact.0"),
    ("contact.0", "next", "contact.1"),
    ("contact.1", "next", "contact.2"),
    ("contact.2", "goto:complain", "complain.0"),
    ("complain.0", "next", "complain.1"),
    ("complain.1", "next", "complain.2"),
    ("complain.2", "next", "legal.0"),
    ("legal.0", "next", "legal.1"),
    ("legal.1", "next", "legal.2"),
    ("legal.2", "next", "cautions.0"),
    ("cautions.0", "next", "cautions.1"),
    ("cautions.1", "next", "cautions.2"),
]
#: (position, position after the 返回 navigation button)
BACKWARD = [
    ("confirm.0", "confirm.0"),
    ("confirm.1", "confirm.0"),
    ("confirm.2", "confirm.1"),
    ("contact.0", "confirm.2"),
    ("contact.1", "contact.0"),
    ("contact.2", "contact.1"),
    ("complain.0", "contact.2"),
    ("complain.1", "complain.0"),
    ("complain.2", "complain.1"),
    ("legal.0", "complain.2"),
    ("legal.1", "legal.0"),
    ("legal.2", "legal.1"),
    ("cautions.0", "legal.2"),
    ("cautions.1", "cautions.0"),
    ("cautions.2", "cautions.1"),
]


def _start(convo: Conversation, issue_type: str, position: str = "confirm.0") -> CaseState:
    """Open a case of ``issue_type`` and put it at ``position`` (as if stored days ago)."""
    convo.data(f"t|new|{issue_type}")
    stage, step = position.split(".")
    case = convo.case.evolve(stage=stage, step=int(step))
    convo.view = replace(convo.view, cases=(case,))
    convo.command("status")
    convo.press("继续")
    return case


def _position(convo: Conversation) -> str:
    return f"{convo.case.stage}.{convo.case.step}"


def _with_evidence(convo: Conversation) -> None:
    """Send a screenshot, keeping the step's keyboard as the last one (证据存好了 needs evidence)."""
    keyboard = convo.last
    convo.send("photo", file_id="F1", file_unique_id=f"U{len(convo.view.evidence)}", caption="订单截图")
    convo.last = keyboard


def _press_action(convo: Conversation, action: str) -> None:
    if _position(convo) == "confirm.2" and action == "next" and not convo.view.evidence:
        _with_evidence(convo)
    for button in convo.buttons():
        if button.data.endswith("|" + action):
            convo.data(button.data)
            return
    raise AssertionError(f"no {action} button in {[b.data for b in convo.buttons()]}")


@pytest.mark.parametrize("issue_type", ISSUE_TYPES)
@pytest.mark.parametrize(("before", "action", "after"), FORWARD)
def test_forward(convo: Conversation, issue_type: str, before: str, action: str, after: str) -> None:
    _start(convo, issue_type, before)
    _press_action(convo, action)
    assert _position(convo) == after
    assert convo.said.count("【") >= 1 and "第" in convo.said
    changed_stage = before.split(".")[0] != after.split(".")[0]
    stage_logs = [e for e in convo.effects(AddTimeline) if e.entry.event == "stage"]
    assert bool(stage_logs) == changed_stage


@pytest.mark.parametrize("issue_type", ISSUE_TYPES)
@pytest.mark.parametrize(("before", "after"), BACKWARD)
def test_backward(convo: Conversation, issue_type: str, before: str, after: str) -> None:
    _start(convo, issue_type, before)
    _press_action(convo, "back")
    assert _position(convo) == after
    if before == "confirm.0":
        assert "已经是第一步" in convo.said


@pytest.mark.parametrize("issue_type", ISSUE_TYPES)
@pytest.mark.parametrize("stage", ["confirm", "contact", "complain", "legal", "cautions"])
def test_stage_menu_jumps(convo: Conversation, issue_type: str, stage: str) -> None:
    _start(convo, issue_type, "legal.1" if stage != "legal" else "confirm.2")
    convo.press("阶段菜单")
    assert len(convo.buttons()) == 5
    convo.data(f"m|{convo.case.id}|{stage}")
    assert _position(convo) == f"{stage}.0"


@pytest.mark.parametrize("issue_type", ISSUE_TYPES)
def test_end_of_flow(convo: Conversation, issue_type: str) -> None:
    _start(convo, issue_type, "cautions.2")
    assert not any(b.data.endswith("|next") for b in convo.buttons())
    convo.data(f"n|{convo.case.id}|next")
    assert "五个阶段都看完了" in convo.said
    assert _position(convo) == "cautions.2"


def test_whole_walk_shows_every_step_once(convo: Conversation, content: GuideContent) -> None:
    _start(convo, "bargain_failed")
    seen = [_position(convo)]
    for _, action, _ in FORWARD:
        _press_action(convo, action)
        seen.append(_position(convo))
    expected = [f"{s.id}.{i}" for s in content.stages for i in range(len(s.steps))]
    assert seen == expected


@pytest.mark.parametrize("issue_type", ISSUE_TYPES)
def test_every_step_button_answers(convo: Conversation, content: GuideContent, issue_type: str) -> None:
    """Each button of each step does what its action says (no stale answer, no crash)."""
    for stage in content.stages:
        for index, step in enumerate(stage.steps):
            for spec in step.buttons:
                convo.view = replace(convo.view, cases=(), current_case_id=None, reminders=())
                _start(convo, issue_type, f"{stage.id}.{index}")
                _press_action(convo, spec.action)
                said = convo.said
                assert "已过期" not in said, (stage.id, index, spec.action)
                name, _, arg = spec.action.partition(":")
                if name == "say":
                    assert content.messages[arg] in said
                elif name == "ask":
                    assert convo.case.awaiting == arg
                elif name == "draft":
                    assert NOTICE in said and "12315" in said
                elif name == "contacted":
                    assert convo.effects(ScheduleReminder)
                elif name == "export":
                    assert isinstance(convo.replies[0].document, Document)
                elif name == "close":
                    assert "结案" in said


def test_variants_follow_the_issue_type(convo: Conversation) -> None:
    _start(convo, "bargain_failed", "contact.1")
    assert "兑现砍价结果" in convo.said
    other = Conversation(convo.dialogue.content)
    _start(other, "rights_damaged", "contact.1")
    assert "补偿或退款" in other.said and "兑现砍价结果" not in other.said


def test_state_survives_a_break(convo: Conversation) -> None:
    """Only CaseState holds the position: a new Dialogue over the same view continues."""
    _start(convo, "zhuli_swallowed", "complain.1")
    later = Conversation(convo.dialogue.content)
    later.view = convo.view
    later.command("start")
    assert "欢迎回来" in later.said and "投诉要写什么" in later.said
