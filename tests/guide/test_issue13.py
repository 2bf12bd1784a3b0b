"""Issue 13: the conversation follows the person, not only the script (one table per item)."""

from __future__ import annotations

import pytest

from tests.guide.memory import Conversation

# --- item 1: a problem described after /new always opens a new case holding its facts ------


@pytest.mark.parametrize(
    ("first", "second", "issue_type", "facts"),
    [
        # a different type: a new case, not a switch offer on the old one
        (
            "拼多多助力被吞了",
            "京东买的耳机没发货，付了199元",
            "rights_damaged",
            {"platform": "京东", "amount": "199元"},
        ),
        # the same type: still a new case (the old one is not touched)
        (
            "拼多多助力被吞了",
            "又一个助力被吞了，订单号 231118-492817365029174",
            "zhuli_swallowed",
            {"order_no": "231118-492817365029174"},
        ),
        ("砍价差一点", "砍价又失败了，花了9.9元", "bargain_failed", {"amount": "9.9元"}),
    ],
)
def test_problem_after_new_opens_a_new_case(
    convo: Conversation, first: str, second: str, issue_type: str, facts: dict[str, str]
) -> None:
    convo.text(first)
    old = convo.case
    convo.command("new")
    convo.text(second)
    assert len(convo.view.cases) == 2
    case = convo.case
    assert case.id != old.id and case.issue_type == issue_type and case.status == "open"
    assert case.facts["description"] == second
    for name, value in facts.items():
        assert case.facts[name] == value
    stored_old = next(c for c in convo.view.cases if c.id == old.id)
    assert stored_old.facts == old.facts  # nothing of the new problem went into the old case
    assert "已为你新建案件" in convo.said and "已记录" in convo.said
    assert "new" not in convo.view.pending


def test_new_at_a_fact_prompt_leaves_the_question(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"f|{convo.case.id}|order_no")
    old_id = convo.case.id
    convo.command("new")
    assert next(c for c in convo.view.cases if c.id == old_id).awaiting == ""
    convo.text("砍价失败了，花了9.9元")
    assert len(convo.view.cases) == 2 and convo.case.issue_type == "bargain_failed"
    assert convo.case.facts["amount"] == "9.9元"


def test_unclear_problem_after_new_asks_then_opens_a_new_case(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("new")
    convo.text("这个活动有问题?? 花了12元")
    assert len(convo.view.cases) == 1
    convo.press("砍价失败")
    assert len(convo.view.cases) == 2
    assert convo.case.issue_type == "bargain_failed" and convo.case.facts["amount"] == "12元"


def test_facts_without_a_type_after_new_wait_for_the_type(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    old = convo.case
    convo.command("new")
    convo.text("金额 500元")
    assert len(convo.view.cases) == 1 and "amount" not in convo.view.cases[0].facts
    assert [b.label for b in convo.buttons()] == ["助力被吞", "砍价失败", "权益受损"]
    convo.press("权益受损")
    assert len(convo.view.cases) == 2 and convo.case.id != old.id
    assert convo.case.facts["amount"] == "500元"


def test_new_flag_does_not_outlive_a_button(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("new")
    convo.command("status")
    convo.press("继续")
    convo.text("还有助力被吞，订单号 231118-492817365029174")
    assert len(convo.view.cases) == 1  # the person went back to the old case: facts go there
    assert convo.case.facts["order_no"] == "231118-492817365029174"


def test_switch_offer_new_case_keeps_the_message_facts(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    old = convo.case
    convo.text("砍价也失败了，花了9.9元")
    assert "amount" not in convo.case.facts  # not recorded on the old case while asking
    convo.press("新建")
    assert len(convo.view.cases) == 2 and convo.case.issue_type == "bargain_failed"
    assert convo.case.facts["amount"] == "9.9元"
    assert convo.case.facts["description"] == "砍价也失败了，花了9.9元"
    assert next(c for c in convo.view.cases if c.id == old.id).facts == old.facts
    assert not any(key.startswith("fact:") for key in convo.view.pending)


def test_switch_offer_declined_drops_the_message_facts(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.text("砍价也失败了，花了9.9元")
    convo.press("继续当前案件")
    assert not any(key.startswith("fact:") for key in convo.view.pending)
    convo.command("new")
    convo.press("权益受损")
    assert "amount" not in convo.case.facts
