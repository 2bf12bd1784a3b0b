"""Untrusted button data: forged, stale, malformed or foreign presses get a polite reply."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.outcome import DeleteUser, SaveCase
from guide import GuideContent
from tests.guide.memory import Conversation


def _case(convo: Conversation) -> str:
    convo.text("助力被吞")
    return convo.case.id


@pytest.mark.parametrize(
    "data",
    [
        "",
        "|",
        "s",
        "zz|abc",
        "s|x|confirm.0",
        "s|x|confirm.0|next|extra",
        "t|new|unicorn",
        "x|" + "a" * 80,
        "k|../../etc",
        "d|",
        "m|abc|nowhere",
        "s|abc|confirm.zz|next",
        "助力|被吞",
        "\x00\x01",
    ],
)
def test_malformed_data(convo: Conversation, data: str) -> None:
    _case(convo)
    before = convo.view
    convo.data(data)
    assert convo.replies, "always answered"
    assert "已过期" in convo.said
    assert convo.view.cases == before.cases


def test_stale_step_button_shows_current_step(convo: Conversation) -> None:
    case_id = _case(convo)
    old_next = f"s|{case_id}|confirm.0|next"
    convo.data(old_next)
    assert convo.case.step == 1
    convo.data(old_next)  # pressed again on the old message
    assert convo.case.step == 1
    assert "已过期" in convo.said and "核实订单或活动状态" in convo.said


def test_forged_action_not_on_the_step(convo: Conversation) -> None:
    case_id = _case(convo)
    convo.data(f"s|{case_id}|confirm.0|goto:legal")
    assert convo.case.stage == "confirm" and "已过期" in convo.said
    convo.data(f"s|{case_id}|confirm.0|contacted")
    assert convo.case.facts.get("cs_contacted") is None


def test_button_of_another_case_of_the_person(convo: Conversation) -> None:
    first = _case(convo)
    convo.command("new")
    convo.press("砍价失败")
    second = convo.case.id
    convo.data(f"s|{first}|confirm.0|next")
    assert convo.case.id == second and convo.case.step == 0
    assert "另一个案件" in convo.said and "/cases" in convo.said
    assert not convo.effects(SaveCase)


def test_button_with_someone_elses_case(content: GuideContent) -> None:
    alice, bob = Conversation(content, user_id=1), Conversation(content, user_id=2)
    alice.text("助力被吞")
    bob.text("砍价失败")
    for data in (f"s|{alice.case.id}|confirm.0|next", f"x|{alice.case.id}|resolved", f"k|{alice.case.id}"):
        bob.data(data)
        assert "已过期" in bob.said
        assert [c.id for c in bob.view.cases] != [alice.case.id]
        assert bob.case.status == "open" and bob.case.step == 0


def test_buttons_of_a_closed_case(convo: Conversation) -> None:
    case_id = _case(convo)
    convo.data(f"x|{case_id}|abandoned")
    convo.view = replace(convo.view, current_case_id=case_id)
    convo.data(f"s|{case_id}|confirm.0|next")
    assert "已经结案" in convo.said


def test_delete_token_cannot_be_forged(convo: Conversation) -> None:
    _case(convo)
    convo.command("delete")
    convo.data("d|deadbeef")
    assert not convo.effects(DeleteUser) and convo.view.cases


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.one_of(st.text(max_size=80), st.from_regex(r"[a-z]\|[a-z0-9.|:_-]{0,40}", fullmatch=True)))
def test_fuzzed_button_data_never_crashes(content: GuideContent, data: str) -> None:
    convo = Conversation(content)
    convo.text("助力被吞")
    convo.data(data)
    assert convo.replies
    assert all(len(r.text) <= 4096 for r in convo.replies)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=st.text(max_size=300))
def test_fuzzed_text_never_crashes(content: GuideContent, text: str) -> None:
    convo = Conversation(content)
    convo.text(text)
    convo.text(text)
    assert convo.replies


def test_button_of_closed_case_after_close(convo: Conversation) -> None:
    case_id = _case(convo)
    convo.command("close")
    convo.press("放弃")
    convo.data(f"n|{case_id}|draft")
    assert "已经结案" in convo.said and convo.view.current_case_id is None


def test_button_of_open_case_when_none_is_current(convo: Conversation) -> None:
    case_id = _case(convo)
    convo.view = replace(convo.view, current_case_id=None)
    convo.data(f"s|{case_id}|confirm.0|next")
    assert convo.view.current_case_id == case_id and convo.case.step == 1


def test_stored_position_the_content_no_longer_has(convo: Conversation) -> None:
    _case(convo)
    convo.view = replace(convo.view, cases=(convo.case.evolve(stage="legal", step=17),))
    convo.command("start")
    assert "选择要进入的阶段" in convo.said
    convo.data(f"m|{convo.case.id}|legal")
    assert (convo.case.stage, convo.case.step) == ("legal", 0)
