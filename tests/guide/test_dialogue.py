"""Free text, commands and files: what the person gets and what is stored."""

from __future__ import annotations

import pytest

from domain.labels import NOTICE
from domain.messages import Incoming
from domain.outcome import AddEvidence, DeleteUser, RecordClassification, SaveCase
from guide import COMMANDS, reads_timeline
from tests.guide.memory import Conversation

ISSUE_LABELS = ("助力被吞", "砍价失败", "权益受损")


def _labels(convo: Conversation) -> list[str]:
    return [b.label for b in convo.buttons()]


def test_start_greets_and_offers_three_types(convo: Conversation) -> None:
    convo.command("start")
    assert "你好" in convo.said
    assert _labels(convo) == list(ISSUE_LABELS)
    assert convo.view.cases == ()


@pytest.mark.parametrize(
    ("text", "issue_type"),
    [("助力被吞了", "zhuli_swallowed"), ("砍价差一点", "bargain_failed"), ("奖品没发货", "rights_damaged")],
)
def test_issue_text_opens_case_at_first_step(convo: Conversation, text: str, issue_type: str) -> None:
    convo.text(text)
    case = convo.case
    assert (case.issue_type, case.stage, case.step, case.status) == (issue_type, "confirm", 0, "open")
    assert "看清规则和承诺" in convo.said or "承诺原文" in convo.said
    assert case.facts["description"] == text
    assert RecordClassification(intent=issue_type) in convo.classifications


def test_facts_in_first_message_are_kept(convo: Conversation) -> None:
    convo.text("拼多多砍价免费拿，还差0.01元，订单 231102-337481920564718")
    facts = convo.case.facts
    assert facts["platform"] == "拼多多"
    assert facts["shortfall"] == "0.01元"
    assert facts["order_no"] == "231102-337481920564718"
    assert "已记录" in convo.said


def test_greeting(convo: Conversation) -> None:
    convo.text("你好")
    assert "你好" in convo.said and _labels(convo) == list(ISSUE_LABELS)
    assert convo.classifications[-1].intent == "greeting"


def test_other_offers_types_and_records_tokens(convo: Conversation) -> None:
    convo.text("天气 怎么样")
    assert _labels(convo) == list(ISSUE_LABELS)
    assert "助力被吞" in convo.said  # says what the bot can help with
    assert convo.classifications[-1] == RecordClassification(
        intent="other", unknown_tokens=("天气", "怎么样")
    )


def test_clarification_round_trip(convo: Conversation) -> None:
    convo.text("这个活动有问题??")
    assert _labels(convo) == ["助力被吞", "砍价失败"]
    assert convo.view.cases == ()
    convo.press("砍价失败")
    assert convo.case.issue_type == "bargain_failed"
    assert convo.case.facts["description"] == "这个活动有问题??"
    assert convo.classifications[-1] == RecordClassification(
        intent="rights_damaged", clarified_as="bargain_failed", needed_clarification=True
    )
    assert "clarify" not in convo.view.pending


def test_clarification_button_cannot_be_replayed(convo: Conversation) -> None:
    convo.text("活动有问题??")
    data = convo.find("助力被吞").data
    convo.data(data)
    cases = len(convo.view.cases)
    convo.data(data)
    assert len(convo.view.cases) == cases and "已过期" in convo.said


def test_old_type_button_does_not_duplicate_the_case(convo: Conversation) -> None:
    convo.command("start")
    data = convo.find("助力被吞").data
    convo.data(data)
    convo.data(data)
    assert len(convo.view.cases) == 1 and "已经有一个进行中的案件" in convo.said
    convo.command("new")
    convo.press("助力被吞")
    assert len(convo.view.cases) == 2


def test_awaited_fact_answer_and_reask(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.data(f"f|{convo.case.id}|order_no")
    assert convo.case.awaiting == "order_no"
    convo.text("13812345678")
    assert "没认出来" in convo.said and convo.case.awaiting == "order_no"
    assert "order_no" not in convo.case.facts
    convo.text("单号 231118-492817365029174")
    assert convo.case.facts["order_no"] == "231118-492817365029174"
    assert convo.case.awaiting == ""


def test_cancel_leaves_the_question(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.data(f"f|{convo.case.id}|date")
    convo.command("cancel")
    assert convo.case.awaiting == "" and "跳过" in convo.said
    convo.command("cancel")
    assert "没有需要取消" in convo.said


def test_facts_during_a_case_are_acknowledged(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.text("是在拼多多 11月18日 ¥9.9")
    facts = convo.case.facts
    assert (facts["platform"], facts["date"], facts["amount"]) == ("拼多多", "2024-11-18", "9.9元")
    assert "已记录" in convo.said and "看清规则和承诺" in convo.said


def test_different_type_offers_switch_instead_of_changing(convo: Conversation) -> None:
    convo.text("助力被吞")
    first = convo.case
    convo.text("还有砍价也失败了")
    assert convo.case.issue_type == "zhuli_swallowed"
    assert any("新建" in label for label in _labels(convo))
    convo.press("把当前案件改为")
    assert convo.case.id == first.id and convo.case.issue_type == "bargain_failed"


def test_different_type_can_start_a_new_case(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.text("砍价也失败了")
    convo.press("新建")
    assert len(convo.view.cases) == 2 and convo.case.issue_type == "bargain_failed"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "😡😡😡", "？？？"])
def test_empty_or_emoji_text(convo: Conversation, text: str) -> None:
    convo.text(text)
    assert "请用文字描述" in convo.said
    assert not convo.effects(SaveCase)


def test_very_long_text(convo: Conversation) -> None:
    convo.text("助力被吞" + "啊" * 10000)
    assert all(len(reply.text) <= 4096 for reply in convo.replies)
    assert len(convo.case.facts["description"]) <= 300


@pytest.mark.parametrize(
    "text",
    [
        "有个退款专员加我微信",
        "对方让我提供验证码",
        "他让我开屏幕共享",
        "要我把钱转到安全账户",
        "说要交钱解冻退款",
        "有人说可以职业代退",
    ],
)
def test_scam_warning_first_then_normal_reply(convo: Conversation, text: str) -> None:
    convo.text("助力被吞")
    convo.text(text)
    assert "防骗提醒" in convo.replies[0].text and "免费" in convo.replies[0].text
    assert len(convo.replies) >= 2
    assert convo.case.status == "open"


@pytest.mark.parametrize(
    "text",
    ["有人说可以帮我代维权，要先交500元手续费", "拼多多助力被吞了，有个退款专员加我微信让我交300元保证金"],
)
def test_scam_warning_never_opens_a_case_or_records_a_fact(convo: Conversation, text: str) -> None:
    outcome = convo.text(text)
    assert "防骗提醒" in outcome.replies[0].text
    assert convo.effects(SaveCase) == [] and convo.view.cases == ()
    assert _labels(convo) == list(ISSUE_LABELS)  # the way on


def test_scam_warning_mid_case_keeps_the_facts_and_shows_the_step(convo: Conversation) -> None:
    convo.text("助力被吞")
    before = convo.case
    convo.text("客服说要先交500元解冻费才能退款")
    assert "防骗提醒" in convo.replies[0].text
    assert convo.case.facts == before.facts and convo.effects(SaveCase) == []
    assert "第1/" in convo.said


def test_scam_caption_attaches_the_file_but_records_no_fact(convo: Conversation) -> None:
    convo.text("助力被吞")
    before = dict(convo.case.facts)
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="对方让我提供验证码，再转账500元")
    assert "防骗提醒" in convo.replies[0].text
    assert convo.effects(AddEvidence) and convo.case.facts == before


def test_scam_warning_while_awaiting(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.data(f"f|{convo.case.id}|order_no")
    convo.text("客服让我报验证码")
    assert "防骗提醒" in convo.replies[0].text
    assert convo.case.awaiting == "order_no"


def test_photo_without_case_opens_one_and_asks_type(convo: Conversation) -> None:
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="订单截图")
    [added] = convo.effects(AddEvidence)
    assert added.item.category == "order" and added.item.case_id == convo.case.id
    assert convo.case.issue_type is None
    assert _labels(convo) == list(ISSUE_LABELS)
    convo.press("权益受损")
    assert convo.case.issue_type == "rights_damaged" and len(convo.view.cases) == 1


def test_evidence_confirms_and_lists_missing(convo: Conversation) -> None:
    convo.text("砍价失败")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="砍价规则")
    assert "活动规则" in convo.said and "还缺" in convo.said and "支付记录" in convo.said
    convo.send("document", file_id="F2", file_unique_id="U2", file_name="chat.pdf", caption="客服聊天")
    convo.command("evidence")
    assert "2 份" in convo.said and "客服聊天记录" not in convo.said.split("还缺")[1]


def test_same_file_twice_is_not_added_again(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.send("photo", file_id="F1", file_unique_id="U1")
    convo.send("photo", file_id="F1b", file_unique_id="U1")
    assert not convo.effects(AddEvidence) and "已经保存过" in convo.said


def test_unsupported_kind(convo: Conversation) -> None:
    convo.send("other", data="sticker")
    assert "只能处理文字" in convo.said


def test_help_lists_every_command(convo: Conversation) -> None:
    convo.command("help")
    for name, _ in COMMANDS:
        assert f"/{name}" in convo.said
    assert NOTICE in convo.said


def test_commands_table() -> None:
    names = [name for name, _ in COMMANDS]
    assert names == [
        "start",
        "help",
        "status",
        "new",
        "cases",
        "evidence",
        "draft",
        "filings",
        "export",
        "close",
        "delete",
        "cancel",
    ]
    assert all(description for _, description in COMMANDS)


def test_unknown_command(convo: Conversation) -> None:
    convo.command("reload")
    assert "/help" in convo.said


def test_status_shows_the_case(convo: Conversation) -> None:
    convo.text("拼多多助力被吞")
    convo.send("photo", file_id="F1", file_unique_id="U1")
    convo.command("status")
    assert "助力被吞" in convo.said and "确认问题" in convo.said and "证据：1 份" in convo.said
    assert "拼多多" in convo.said


def test_status_facts_menu_corrects_a_fact(convo: Conversation) -> None:
    convo.text("拼多多助力被吞")
    convo.command("status")
    convo.press("修改信息")
    convo.press("修改平台")
    convo.text("淘宝")
    assert convo.case.facts["platform"] == "淘宝"


def test_delete_needs_confirmation(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.command("delete")
    assert not convo.effects(DeleteUser) and convo.view.cases
    convo.press("确认删除")
    assert convo.effects(DeleteUser) and "已删除" in convo.said
    assert convo.view.cases == ()


def test_delete_can_be_declined_and_old_confirmation_is_stale(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.command("delete")
    confirm = convo.find("确认删除").data
    convo.press("取消")
    assert "没有删除" in convo.said
    convo.data(confirm)
    assert not convo.effects(DeleteUser) and convo.view.cases


@pytest.mark.parametrize(
    ("text", "expected"),
    [("下一步", "confirm.1"), ("好的", "confirm.0"), ("嗯嗯。", "confirm.0"), ("随便说说", "confirm.0")],
)
def test_short_messages_during_a_case(convo: Conversation, text: str, expected: str) -> None:
    convo.text("助力被吞")
    convo.text(text)
    assert f"{convo.case.stage}.{convo.case.step}" == expected
    if text == "随便说说":
        assert "没太明白" in convo.said


@pytest.mark.parametrize(("text", "stage"), [("我想投诉", "complain"), ("能起诉吗", "legal")])
def test_stage_words_offer_a_jump(convo: Conversation, text: str, stage: str) -> None:
    convo.text("助力被吞")
    convo.text(text)
    assert convo.case.stage == "confirm"
    convo.press("去「")
    assert (convo.case.stage, convo.case.step) == (stage, 0)


def test_contacted_answer_schedules_follow_up(convo: Conversation) -> None:
    convo.text("助力被吞")
    convo.data(f"f|{convo.case.id}|cs_contacted")
    convo.text("是的")
    assert convo.case.facts["cs_contacted"] == "是" and len(convo.view.reminders) == 1


def test_not_contacted_text_schedules_nothing(convo: Conversation) -> None:
    convo.text("助力被吞，还没联系客服")
    assert "cs_contacted" not in convo.case.facts and not convo.view.reminders


def test_facts_before_any_case_are_kept_for_it(convo: Conversation) -> None:
    convo.text("订单号 231118-492817365029174")
    assert convo.view.cases == ()
    convo.press("助力被吞")
    assert convo.case.facts["order_no"] == "231118-492817365029174"
    assert not any(key.startswith("fact:") for key in convo.view.pending)


def test_only_the_export_reads_the_timeline(convo: Conversation) -> None:
    at = convo.now
    assert reads_timeline(Incoming(kind="command", at=at, command="export"))
    assert not reads_timeline(Incoming(kind="command", at=at, command="status"))
    assert reads_timeline(Incoming(kind="button", at=at, data="n|abc123|export"))
    assert reads_timeline(Incoming(kind="button", at=at, data="s|abc123|confirm.0|export"))
    assert not reads_timeline(Incoming(kind="button", at=at, data="n|abc123|draft"))
    assert not reads_timeline(Incoming(kind="button", at=at, data="export"))  # malformed
    assert not reads_timeline(Incoming(kind="text", at=at, text="/export"))
    # The export itself, with the timeline loaded, lists what happened in the case.
    convo.text("拼多多助力被吞了")
    convo.command("export")
    [document] = [reply.document for reply in convo.replies if reply.document is not None]
    timeline = document.content.decode("utf-8").split("二、时间线")[1].split("三、证据清单")[0]
    assert "（无）" not in timeline and timeline.strip()
