"""Issue 13: the conversation follows the person, not only the script (one table per item)."""

from __future__ import annotations

import pytest

from domain.outcome import DeleteUser
from guide import GuideContent
from guide.facts import simplified
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


# --- item 6: a typed button label (or a close variant) acts like the press -----------------


def _position(convo: Conversation) -> str:
    return f"{convo.case.stage}.{convo.case.step}"


@pytest.mark.parametrize(
    ("typed", "expected_text", "position"),
    [
        ("规则没写清楚啊", "规则没写清楚也是重要线索", "confirm.0"),
        ("規則沒寫清楚啊", "规则没写清楚也是重要线索", "confirm.0"),  # Traditional
        ("规则没写清楚", "规则没写清楚也是重要线索", "confirm.0"),
        ("❓ 规则没写清楚", "规则没写清楚也是重要线索", "confirm.0"),
        ("看完了", "", "confirm.1"),
        ("1", "", "confirm.1"),  # numbers count the buttons in the order shown
        ("2", "规则没写清楚也是重要线索", "confirm.0"),
        ("查看进度", "📊 案件", "confirm.0"),
    ],
)
def test_typed_step_button_label(convo: Conversation, typed: str, expected_text: str, position: str) -> None:
    convo.text("拼多多助力被吞了")
    assert [b.label for b in convo.buttons()][:2] == ["✅ 看完了", "❓ 规则没写清楚"]
    convo.text(typed)
    said = simplified(convo.said)  # a Traditional writer is answered in Traditional (issue 12)
    assert "没太明白" not in said
    assert expected_text in said
    assert _position(convo) == position


@pytest.mark.parametrize("typed", ["返回", "返回上一步", "上一步", "⬅️返回", "返回。"])
def test_typed_back(convo: Conversation, typed: str) -> None:
    convo.text("拼多多助力被吞了")
    convo.press("看完了")
    assert _position(convo) == "confirm.1"
    convo.text(typed)
    assert _position(convo) == "confirm.0" and "没太明白" not in convo.said


def test_typed_label_of_the_current_step_after_another_keyboard(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.press("看完了")
    convo.press("看不出问题在哪")  # its reply has only 继续
    convo.text("返回")
    assert _position(convo) == "confirm.0"


@pytest.mark.parametrize("typed", ["确认", "确认删除", "確認"])
def test_typed_confirm_after_delete_deletes(convo: Conversation, typed: str) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("delete")
    convo.text(typed)
    assert convo.effects(DeleteUser) and "已删除" in simplified(convo.said)
    assert convo.view.cases == () and convo.view.pending == {}


def test_typed_cancel_after_delete_keeps_the_data(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("delete")
    convo.text("取消")
    assert not convo.effects(DeleteUser) and "没有删除" in convo.said and convo.view.cases


def test_typed_label_of_an_old_keyboard_is_not_pressed(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("delete")
    convo.command("status")  # a newer keyboard without the delete buttons
    convo.text("确认")
    assert not convo.effects(DeleteUser) and convo.view.cases


def test_typed_number_picks_the_issue_type_in_order_shown(convo: Conversation) -> None:
    convo.command("start")
    assert [b.label for b in convo.buttons()] == ["助力被吞", "砍价失败", "权益受损"]
    convo.text("2")
    assert convo.case.issue_type == "bargain_failed"


def test_typed_number_out_of_range_is_not_a_press(convo: Conversation) -> None:
    convo.command("start")
    convo.text("7")
    assert convo.view.cases == ()


def test_number_at_a_fact_prompt_is_an_answer(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"f|{convo.case.id}|amount")
    convo.text("2")
    assert convo.case.facts["amount"] == "2元"


def test_typed_export_label_offers_the_button(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"n|{convo.case.id}|menu")
    convo.press("四、法律途径")
    convo.press("下一步")
    convo.press("下一步")
    assert any("导出案件摘要" in b.label for b in convo.buttons())
    convo.text("导出案件摘要")
    assert not [r for r in convo.replies if r.document is not None]  # the timeline was not loaded
    convo.press("导出")
    assert [r for r in convo.replies if r.document is not None]


def test_issue_types_always_listed_in_the_same_order(convo: Conversation) -> None:
    from intents.match import IntentMatch

    def reversed_candidates(text: str) -> IntentMatch:
        return IntentMatch(
            "rights_damaged", 0.4, needs_clarification=True, candidates=("rights_damaged", "zhuli_swallowed")
        )

    other = Conversation(convo.dialogue.content, classify=reversed_candidates)
    other.text("有问题")
    assert [b.label for b in other.buttons()] == ["助力被吞", "权益受损"]


# --- item 5: free text at a fact question never loops -------------------------------------


def _asking(convo: Conversation, fact: str = "order_no") -> str:
    convo.text("拼多多助力被吞了")
    convo.data(f"f|{convo.case.id}|{fact}")
    assert convo.case.awaiting == fact
    return convo.case.id


@pytest.mark.parametrize("typed", ["不知道", "跳过", "不填了", "算了不填了", "我也不知道", "跳過"])
def test_skip_words_skip_the_question(convo: Conversation, typed: str) -> None:
    _asking(convo)
    convo.text(typed)
    assert convo.case.awaiting == "" and "order_no" not in convo.case.facts
    said = simplified(convo.said)
    assert "先跳过" in said and "没认出来" not in said
    assert "【一、确认问题" in said  # back at the step
    assert not any(key == "miss" for key in convo.view.pending)


def test_skip_word_at_the_complain_step_is_not_the_merchant_button(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"n|{convo.case.id}|menu")
    convo.press("三、投诉")
    convo.press("下一步")
    assert any("不知道商家信息" in b.label for b in convo.buttons())
    convo.press("补充信息")
    convo.press("店铺名称")
    convo.text("不知道")
    assert convo.case.awaiting == "" and "先跳过" in convo.said


def test_new_problem_at_a_fact_question_asks_then_switches(convo: Conversation) -> None:
    old_id = _asking(convo)
    convo.text("算了不填了，我其实是砍价砍不动的问题")
    assert convo.case.id == old_id and convo.case.awaiting == ""
    assert "order_no" not in convo.case.facts and "没认出来" not in convo.said
    assert any("新建「砍价失败」" in b.label for b in convo.buttons())  # asks first: a case is open
    convo.press("新建")
    assert len(convo.view.cases) == 2 and convo.case.issue_type == "bargain_failed"
    assert convo.case.facts["description"] == "算了不填了，我其实是砍价砍不动的问题"


def test_two_unrecognised_answers_offer_skip_and_cancel(convo: Conversation) -> None:
    _asking(convo)
    convo.text("13812345678")
    assert "没认出来" in convo.said and not convo.buttons()
    convo.text("嗯我看看")
    assert convo.case.awaiting == "order_no"
    assert [b.label for b in convo.buttons()] == ["⏭ 跳过这个问题", "✖️ 不填了"]
    convo.press("跳过这个问题")
    assert convo.case.awaiting == "" and "【一、确认问题" in convo.said


def test_stuck_question_cancel_button(convo: Conversation) -> None:
    _asking(convo, "date")
    convo.text("啊啊啊")
    convo.text("哦哦哦")
    convo.press("不填了")
    assert convo.case.awaiting == "" and "date" not in convo.case.facts and "已跳过" in convo.said


def test_a_new_question_starts_counting_again(convo: Conversation) -> None:
    case_id = _asking(convo)
    convo.text("啊啊啊")
    convo.command("cancel")
    convo.data(f"f|{case_id}|order_no")
    convo.text("啊啊啊")
    assert not convo.buttons() and "没认出来" in convo.said


def test_a_good_answer_after_a_miss_is_taken(convo: Conversation) -> None:
    _asking(convo)
    convo.text("啊啊啊")
    convo.text("231118-492817365029174")
    assert convo.case.facts["order_no"] == "231118-492817365029174" and convo.case.awaiting == ""
    assert not any(key == "miss" for key in convo.view.pending)


# --- item 3: "it's solved" closes with one button; a closed case can be reopened ----------


@pytest.mark.parametrize(
    "typed", ["商家已经给我退款了，谢谢你", "已经解决了，谢谢", "钱退回来了", "商家補發了", "问题搞定了！"]
)
def test_solved_message_offers_to_close_as_resolved(convo: Conversation, typed: str) -> None:
    convo.text("拼多多助力被吞了")
    case_id = convo.case.id
    convo.text(typed)
    assert "太好了" in simplified(convo.said) and "【" not in convo.said  # no step pushed
    assert (convo.case.stage, convo.case.step, convo.case.status) == ("confirm", 0, "open")
    assert simplified(next(b.label for b in convo.buttons())) == "🏁 结案（已解决）"
    convo.press("结案（已解决）")  # one press closes
    case = next(c for c in convo.view.cases if c.id == case_id)
    assert (case.status, case.outcome) == ("closed", "resolved")
    assert convo.view.current_case_id is None


@pytest.mark.parametrize("typed", ["还没退款", "商家拒绝退款了", "退款了吗？", "我申请退款了但是没人理"])
def test_not_solved_messages_are_not_taken_as_solved(convo: Conversation, typed: str) -> None:
    convo.text("拼多多助力被吞了")
    convo.text(typed)
    assert "太好了" not in convo.said
    assert not any("结案（已解决）" in b.label for b in convo.buttons())


def test_solved_without_a_case_opens_nothing(convo: Conversation) -> None:
    convo.text("退款到账了，谢谢")
    assert "太好了" in convo.said and convo.view.cases == ()


def _closed(convo: Conversation) -> str:
    convo.text("拼多多助力被吞了")
    case_id = convo.case.id
    convo.text("商家已经给我退款了，谢谢你")
    convo.press("结案（已解决）")
    return case_id


def test_message_about_a_closed_case_offers_to_reopen(convo: Conversation) -> None:
    case_id = _closed(convo)
    convo.text("刚才那个案子平台又回我了")
    assert "重新打开" in convo.said and len(convo.view.cases) == 1
    assert next(c for c in convo.view.cases if c.id == case_id).status == "closed"
    convo.press("重新打开")
    case = convo.case
    assert case.id == case_id and (case.status, case.outcome, case.closed_at) == ("open", None, None)
    assert "已重新打开" in convo.said and "【" in convo.said
    assert convo.view.timeline[-1].event == "reopened"


def test_reopen_offer_can_start_a_new_case_instead(convo: Conversation) -> None:
    _closed(convo)
    convo.text("之前那个案子商家又不认了")
    convo.press("新建案件")
    convo.press("权益受损")
    assert len(convo.view.cases) == 2 and convo.case.status == "open"


def test_cases_can_reopen_a_closed_case(convo: Conversation) -> None:
    case_id = _closed(convo)
    convo.command("cases")
    convo.press("已结案")
    assert "重新打开" in next(b.label for b in convo.buttons())
    convo.press("重新打开")
    assert convo.case.id == case_id and convo.case.status == "open"


def test_old_reopen_button_of_an_open_case_is_stale(convo: Conversation) -> None:
    _closed(convo)
    convo.text("刚才那个案子平台又回我了")
    data = convo.find("重新打开").data
    convo.data(data)
    cases = convo.view.cases
    convo.data(data)
    assert convo.view.cases == cases and "已重新打开" not in convo.said


# --- item 4: common questions get a short sourced answer, then the way back ---------------

QUESTIONS = [
    ("这种算不算欺诈？能要三倍赔偿吗？", "fraud", "第55条"),
    ("我应该投诉还是举报？", "complaint_or_report", "举报"),
    ("12315打不通怎么办", "hotline_busy", "全国12315平台"),
    ("会不会泄露我的个人信息？", "privacy", "/delete"),
    ("投诉要多久才有结果？", "how_long", "7个工作日"),
    ("维权要花钱吗？", "cost", "免费"),
    ("需要找律师吗？", "lawyer", "12348"),
    ("這種算不算欺詐？", "fraud", "第55条"),  # Traditional
]


@pytest.mark.parametrize(("typed", "question", "expected"), QUESTIONS)
def test_question_without_a_case_is_answered(
    convo: Conversation, typed: str, question: str, expected: str
) -> None:
    convo.text(typed)
    said = simplified(convo.said)
    assert expected in said and "没太明白" not in said
    spec = next(q for q in convo.dialogue.content.questions if q.id == question)
    assert simplified(spec.answer) in said
    assert convo.view.cases == ()
    assert [simplified(b.label) for b in convo.buttons()] == [
        "助力被吞",
        "砍价失败",
        "权益受损",
    ]  # the way on


@pytest.mark.parametrize(("typed", "question", "expected"), QUESTIONS)
def test_question_mid_flow_keeps_the_place(
    convo: Conversation, typed: str, question: str, expected: str
) -> None:
    convo.text("拼多多助力被吞了")
    convo.press("看完了")
    before = convo.case
    keyboard = [b.data for b in convo.buttons()]
    convo.text(typed)
    assert expected in simplified(convo.said)
    assert convo.case == before  # nothing moved, nothing recorded
    assert [b.data for b in convo.buttons()] == keyboard  # the way back: the buttons they had
    convo.text("返回")  # and they still work typed
    assert (convo.case.stage, convo.case.step) == ("confirm", 0)


def test_question_at_a_fact_prompt_is_answered_and_the_question_asked_again(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"f|{convo.case.id}|complainant_phone")
    convo.text("填手机号会不会泄露个人信息？")
    assert "/delete" in convo.said and convo.case.awaiting == "complainant_phone"
    assert "complainant_phone" not in convo.case.facts
    assert convo.dialogue.content.prompts["complainant_phone"] in convo.said
    convo.text("13812345678")
    assert convo.case.facts["complainant_phone"] == "13812345678"


def test_question_after_new_keeps_the_new_case_coming(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("new")
    convo.text("要花钱吗")
    assert "免费" in convo.said and len(convo.view.cases) == 1
    convo.text("京东买的耳机没发货，付了199元")
    assert len(convo.view.cases) == 2 and convo.case.facts["amount"] == "199元"


def test_every_answer_is_short_and_names_its_source(content: GuideContent) -> None:
    assert {q.id for q in content.questions} >= {q for _, q, _ in QUESTIONS}
    for spec in content.questions:
        assert len(spec.answer.splitlines()) <= 6 and len(spec.answer) <= 400, spec.id
        assert spec.source, spec.id


# --- item 7: facts are read as people write them, echoed in one line, never silently overwritten


@pytest.mark.parametrize(
    ("typed", "expected", "absent"),
    [
        ("助力被吞了，花了59元9角", {"amount": "59.9元"}, ()),
        ("助力被吞了，五十九块九", {"amount": "59.9元"}, ()),
        ("助力被吞了，花了59块9毛8分", {"amount": "59.98元"}, ()),
        ("砍价还差0.5%", {"progress": "还差0.5%"}, ("shortfall", "amount")),  # progress, not money
        ("拼多多砍价进度99.99%，我真的服了", {"progress": "99.99%"}, ("shortfall", "amount")),
        ("砍价卡在99.9%不动了", {"progress": "99.9%"}, ("shortfall", "amount")),
        ("助力还差1个金币", {}, ("shortfall", "amount")),  # points, not money
        ("砍价还差0.01元", {"shortfall": "0.01元"}, ("amount",)),
        ("助力被吞，上个月25号的事", {"date": "2024-10-25"}, ()),
        ("助力被吞，3天前发现的", {"date": "2024-11-17"}, ()),
        ("助力被吞，我住北京市朝阳区建国路88号", {"complainant_address": "北京市朝阳区建国路88号"}, ()),
    ],
)
def test_facts_as_people_write_them(
    convo: Conversation, typed: str, expected: dict[str, str], absent: tuple[str, ...]
) -> None:
    convo.text(typed)
    facts = convo.case.facts
    for name, value in expected.items():
        assert facts[name] == value
    for name in absent:
        assert name not in facts
    if expected:  # every recorded fact echoed in one short line
        [line] = [line for line in convo.said.splitlines() if line.startswith("已记录")]
        for value in expected.values():
            assert value in line


def test_amount_answer_in_chinese_numerals(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"f|{convo.case.id}|amount")
    convo.text("五十九块九")
    assert convo.case.facts["amount"] == "59.9元"


def test_a_different_value_is_not_overwritten_without_asking(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了，花了9.9元")
    convo.text("助力的事，花了19.9元")
    assert convo.case.facts["amount"] == "9.9元"
    assert "9.9元" in convo.said and "19.9元" in convo.said
    convo.press("改成")
    assert convo.case.facts["amount"] == "19.9元"
    assert not any(key.startswith("ow:") for key in convo.view.pending)


def test_keeping_the_earlier_value(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了，花了9.9元")
    convo.text("助力的事，是淘宝，花了19.9元")
    assert convo.case.facts["platform"] == "拼多多"
    keep_platform = convo.find("保留「拼多多」").data
    convo.press("保留「9.9元」")
    assert convo.case.facts["amount"] == "9.9元" and "保留原来的「9.9元」" in convo.said
    convo.data(keep_platform)
    assert convo.case.facts["platform"] == "拼多多"
    assert not any(key.startswith("ow:") for key in convo.view.pending)


def test_an_explicit_answer_corrects_without_asking(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了，花了9.9元")
    convo.data(f"f|{convo.case.id}|amount")
    convo.text("19.9")
    assert convo.case.facts["amount"] == "19.9元"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们一块去买的", {}),  # 一块 = together
        ("两块五", {"amount": "2.5元"}),
        ("五毛钱", {"amount": "0.5元"}),
        ("一百二十元", {"amount": "120元"}),
        ("59元9月1日买的", {"amount": "59元", "date": "2024-09-01"}),
        ("我在5号楼", {}),
        ("建国路25号", {}),
        ("上周三", {"date": "2024-11-13"}),
        ("25号下的单", {"date": "2024-10-25"}),  # said on the 20th: last month's 25th
    ],
)
def test_fact_extraction_table(text: str, expected: dict[str, str]) -> None:
    from datetime import datetime

    from guide.facts import extract_facts

    assert extract_facts(text, datetime(2024, 11, 20, 10)) == expected


# --- item 10: other languages get a short note in Chinese and English, not silence --------


@pytest.mark.parametrize(
    "typed", ["my order never arrived", "Hola, necesito ayuda", "Привет, помогите", "help please"]
)
def test_other_language_without_a_case(convo: Conversation, typed: str) -> None:
    convo.text(typed)
    assert "only help in Chinese" in convo.said and "中文" in convo.said
    assert [b.label for b in convo.buttons()] == ["助力被吞", "砍价失败", "权益受损"]
    assert convo.view.cases == ()


def test_other_language_mid_case_keeps_the_place(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    before = convo.case
    convo.text("where is my refund")
    assert "only help in Chinese" in convo.said and convo.case == before
    assert any("继续" in b.label for b in convo.buttons())


@pytest.mark.parametrize(("typed", "position"), [("ok", "confirm.0"), ("next", "confirm.1")])
def test_short_latin_shortcuts_still_work(convo: Conversation, typed: str, position: str) -> None:
    convo.text("拼多多助力被吞了")
    convo.text(typed)
    assert "only help in Chinese" not in convo.said
    assert f"{convo.case.stage}.{convo.case.step}" == position


def test_latin_text_with_facts_is_not_a_language_note(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.text("order 231118-492817365029174")
    assert convo.case.facts["order_no"] == "231118-492817365029174"


# --- item 9: phone-sized replies ------------------------------------------------------------

MAX_LINES = 6


def _lines(text: str) -> int:
    return len([line for line in text.splitlines() if line.strip()])


def test_recording_a_fact_does_not_resend_the_whole_step(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    step_buttons = [b.data for b in convo.buttons()]
    convo.text("11月18日 花了9.9元")
    [reply] = convo.replies
    assert _lines(reply.text) <= 3 and "已记录" in reply.text and "9.9元" in reply.text
    assert "一、确认问题 · 第1/" in reply.text  # where they are, in one line
    assert [b.data for row in reply.buttons for b in row] == step_buttons  # the step's buttons stay


@pytest.mark.parametrize(
    ("first", "absent", "present"),
    [
        ("拼多多助力被吞了", "还差金额", "活动名称"),
        ("京东买的耳机没发货", "还差金额", "金额"),
        ("砍价还差一点", "", "还差金额"),
    ],
)
def test_facts_menu_shows_only_what_fits_the_case(
    convo: Conversation, first: str, absent: str, present: str
) -> None:
    convo.text(first)
    convo.data(f"n|{convo.case.id}|facts")
    labels = [b.label for b in convo.buttons()]
    assert len(labels) == len(set(labels))  # each fact once; which ones is the case's track's choice
    assert any(present in label for label in labels)
    if absent:
        assert not any(absent in label for label in labels) and absent not in convo.said


def test_stage_menu_names_each_stage_once(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"n|{convo.case.id}|menu")
    [reply] = convo.replies
    for title in ("一、确认问题", "二、联系平台客服", "三、投诉", "四、法律途径", "五、注意事项"):
        shown = reply.text.count(title) + sum(title in b.label for row in reply.buttons for b in row)
        assert shown == 1, title
    assert any(b.label.startswith("👉") for row in reply.buttons for b in row)


def test_evidence_done_with_no_evidence_is_questioned(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.press("看完了")
    convo.press("核实好了")
    assert any("证据存好了" in b.label for b in convo.buttons())
    convo.press("证据存好了")
    assert (convo.case.stage, convo.case.step) == ("confirm", 2)
    assert "还没收到" in convo.said
    convo.press("先不传，下一步")
    assert convo.case.stage == "contact"


def test_evidence_done_with_evidence_moves_on(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.press("看完了")
    convo.press("核实好了")
    keyboard = convo.last
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="订单截图")
    convo.last = keyboard
    convo.press("证据存好了")
    assert convo.case.stage == "contact"


def test_cancel_with_nothing_open(convo: Conversation) -> None:
    convo.command("cancel")
    assert "没有需要取消" in convo.said and "跳过" not in convo.said
    convo.command("delete")
    convo.command("cancel")
    assert "已跳过这个问题" not in convo.said and "取消" in convo.said
    assert "delete" not in convo.view.pending


def test_close_unresolved_suggests_the_next_way(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    case_id = convo.case.id
    convo.command("close")
    convo.press("未解决")
    assert "12315" in convo.said
    convo.press("重新打开")
    assert convo.case.id == case_id and convo.case.stage == "complain"


def test_cases_never_shows_two_identical_labels(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了")
    convo.command("new")
    convo.text("拼多多又一个助力被吞了")
    convo.command("cases")
    labels = [b.label for b in convo.buttons()]
    assert len(labels) == len(set(labels))
    assert _lines(convo.said) <= MAX_LINES + 1


# --- item 8: a long message: brief ack, its facts, its questions answered, no reminder unasked

RANT = (
    "我真的气死了！！上周在拼多多参加砍价免费拿，一开始说很快就能免费拿到，结果砍到还差0.01元就怎么也砍不动了，"
    "拉了二十多个好友帮我砍，每个人都只砍掉一点点，后来干脆显示砍不动了。我已经联系过客服了，"
    "客服说是正常现象，让我继续邀请好友，可是我把能找的人都找遍了，家里人、同事、同学全都帮我砍过了，"
    "这根本就是骗人的吧，活动规则里也没写清楚到底要多少人才能砍成功，页面上只写着“邀请好友帮砍即可免费拿”。"
    "这种算不算欺诈？能要三倍赔偿吗？投诉要多久才有结果？我现在每天都在想这件事，真的很烦，"
    "时间也花了，人情也欠了，东西还没拿到。我希望平台按规则兑现砍价结果，要不然就给我一个合理的解释。"
    "说实话我对这个平台已经很失望了，以前还经常在上面买东西，现在觉得它就是靠这种活动骗人拉新用户。"
)


def test_long_message_brief_ack_facts_answers_and_no_reminder_unasked(convo: Conversation) -> None:
    assert len(RANT) > 250
    convo.text(RANT)
    case = convo.case
    assert case.issue_type == "bargain_failed"
    assert case.facts["shortfall"] == "0.01元" and case.facts["platform"] == "拼多多"
    assert case.facts["cs_contacted"] == "是"
    first = convo.replies[0].text
    assert "收到" in first and _lines(first) <= 2  # a brief acknowledgement first
    assert "第55条" in convo.said and "7个工作日" in convo.said  # both questions answered
    assert not convo.view.reminders  # nothing scheduled unasked...
    assert "提醒" in convo.said
    convo.press("好，提醒我")  # ...until the person says yes
    assert len(convo.view.reminders) == 1


def test_long_message_reminder_can_be_declined(convo: Conversation) -> None:
    convo.text(RANT)
    convo.press("不用提醒")
    assert not convo.view.reminders


def test_short_contacted_message_still_schedules(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了，我已经联系过客服了")
    assert len(convo.view.reminders) == 1


@pytest.mark.parametrize("typed", ["我不想结案", "先别结案", "没看完"])
def test_a_negated_label_is_not_a_press(convo: Conversation, typed: str) -> None:
    convo.text("拼多多助力被吞了")
    convo.data(f"n|{convo.case.id}|menu")
    convo.press("五、注意事项")
    convo.press("明白了")
    convo.press("下一步")
    assert any("结案" in b.label for b in convo.buttons())
    convo.text(typed)
    assert "结案前，请选择处理结果" not in convo.said
    assert (convo.case.stage, convo.case.step) == ("cautions", 2)


def test_an_unanswered_overwrite_question_leaves_with_its_case(convo: Conversation) -> None:
    convo.text("拼多多助力被吞了，花了9.9元")
    convo.text("助力的事，花了19.9元")
    assert any(key.startswith("ow:") for key in convo.view.pending)
    convo.command("close")
    convo.press("放弃")
    assert not any(key.startswith("ow:") for key in convo.view.pending)
