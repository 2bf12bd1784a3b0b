"""Screenshots read by OCR: the evidence is categorised and the facts proposed, then confirmed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from domain.outcome import DeleteUser, SaveCase, SetPending, UpdateEvidence
from domain.screenshots import KIND_LABELS as OCR_KIND_LABELS
from guide import proposals, screenshot_facts
from tests.guide.memory import Conversation

ORDER_NO = "231118-492817365029174"
#: What ``ocr.read_screenshot`` reads from the order-page fixture (tests/ocr/fixtures/order.jpg).
ORDER_FACTS = {
    "activity": "砍价免费拿",
    "amount": "59.90",
    "date": "2023-11-18 14:32",
    "merchant": "鲜果时光旗舰店",
    "order_no": ORDER_NO,
    "product": "新疆阿克苏冰糖心苹果5斤",
}


def _reading(file_unique_id: str, kind: str, facts: dict[str, str], error: str = "") -> str:
    return json.dumps(
        {"file_unique_id": file_unique_id, "kind": kind, "facts": facts, "error": error}, ensure_ascii=False
    )


def _read(
    convo: Conversation, kind: str = "order", facts: dict[str, str] | None = None, uid: str = "U1"
) -> None:
    """The bot hands the dialogue what it read from file ``uid``."""
    convo.send("reading", data=_reading(uid, kind, ORDER_FACTS if facts is None else facts))


def _with_photo(convo: Conversation, text: str = "拼多多助力被吞了", caption: str = "") -> None:
    convo.text(text)
    convo.send("photo", file_id="F1", file_unique_id="U1", caption=caption)


def _ocr_keys(convo: Conversation) -> list[str]:
    return [key for key in convo.view.pending if key.startswith("ocr:")]


def _unconfirmed_values_stored(convo: Conversation, *values: str) -> list[str]:
    """Which of ``values`` (read, never confirmed) sit anywhere in the stored view."""
    stored = repr((convo.view.pending, [case.facts for case in convo.view.cases], convo.view.evidence))
    return [value for value in values if value in stored]


def _labels(convo: Conversation) -> list[str]:
    return [button.label for button in convo.buttons()]


def test_order_screenshot_is_proposed_not_stored(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo)
    said = convo.said
    assert "我从截图里读到" in said and "订单详情截图" in said
    assert f"订单号：{ORDER_NO}" in said and "金额：59.9元" in said and "日期：2023-11-18" in said
    assert "鲜果时光旗舰店" in said and "砍价免费拿" in said
    assert "新疆阿克苏冰糖心苹果5斤（仅供参考" in said  # the case has no product fact
    facts = convo.case.facts
    assert "order_no" not in facts and "amount" not in facts and "date" not in facts
    # Nothing read sits in the database before it is confirmed, not even as a scratch value.
    assert _ocr_keys(convo) == []
    assert _unconfirmed_values_stored(convo, ORDER_NO, "59.9", "鲜果时光", "砍价免费拿", "苹果") == []
    assert "全部采用" in _labels(convo) and "都不对" in _labels(convo)
    assert {"✅ 采用订单号", "✏️ 修改订单号", "✅ 采用金额", "✏️ 修改金额"} <= set(_labels(convo))


def test_adopt_all_sets_facts_and_draft_uses_them(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo)
    convo.press("全部采用")
    facts = convo.case.facts
    assert facts["order_no"] == ORDER_NO and facts["amount"] == "59.9元" and facts["date"] == "2023-11-18"
    assert facts["merchant"] == "鲜果时光旗舰店" and facts["activity"] == "砍价免费拿"
    assert "product" not in facts
    assert "已记录" in convo.said and "都处理完了" in convo.said
    convo.command("draft")
    assert ORDER_NO in convo.said and "59.9元" in convo.said and "鲜果时光旗舰店" in convo.said


def test_adopt_one_fact_leaves_the_others_waiting(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo, facts={"order_no": ORDER_NO, "amount": "59.90"})
    amount = convo.find("采用金额").data
    convo.press("采用订单号")
    assert convo.case.facts["order_no"] == ORDER_NO and "amount" not in convo.case.facts
    assert _unconfirmed_values_stored(convo, "59.9") == []
    assert "还有 1 项" in convo.said
    convo.data(amount)  # read back from the first message, whose buttons are still there
    assert convo.case.facts["amount"] == "59.9元" and "都处理完了" in convo.said


def test_modify_asks_and_the_answer_is_parsed(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo, facts={"order_no": ORDER_NO, "amount": "59.90"})
    proposal = convo.find("修改金额").data
    convo.data(proposal)
    assert convo.case.awaiting == "amount" and "59.9元" in convo.said
    assert _unconfirmed_values_stored(convo, "59.9") == []
    convo.text("49.9")
    assert convo.case.facts["amount"] == "49.9元" and convo.case.awaiting == ""
    convo.data(proposal)  # the old button again: nothing left to decide
    assert "已经处理过" in convo.said and convo.case.facts["amount"] == "49.9元"


def test_none_right_drops_every_proposal(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo)
    before = dict(convo.case.facts)
    convo.press("都不对")
    assert convo.case.facts == before and not convo.effects(SaveCase)
    assert _unconfirmed_values_stored(convo, ORDER_NO, "59.9") == []
    convo.data(proposals.button_data(convo.case.id, "all", "y"))
    assert "已经处理过" in convo.said and convo.case.facts == before


def test_conflict_with_a_given_fact_asks_instead_of_overwriting(convo: Conversation) -> None:
    _with_photo(convo, text="拼多多助力被吞了，订单 231102-337481920564718")
    _read(convo)
    assert "已有「231102-337481920564718」" in convo.said and f"截图「{ORDER_NO}」" in convo.said
    assert convo.case.facts["order_no"] == "231102-337481920564718"
    assert "↩️ 保留原订单号" in _labels(convo)
    convo.press("全部采用")  # adopts what contradicts nothing, asks again about the rest
    assert convo.case.facts["order_no"] == "231102-337481920564718"
    assert convo.case.facts["amount"] == "59.9元"
    assert "不一样" in convo.said and "✅ 用截图的订单号" in _labels(convo)
    assert "全部采用" not in _labels(convo)
    convo.press("用截图的订单号")
    assert convo.case.facts["order_no"] == ORDER_NO and "都处理完了" in convo.said


def test_conflict_keep_the_old_value(convo: Conversation) -> None:
    _with_photo(convo, text="拼多多助力被吞了，订单 231102-337481920564718")
    _read(convo, facts={"order_no": ORDER_NO})
    convo.press("保留原订单号")
    assert convo.case.facts["order_no"] == "231102-337481920564718"
    assert _unconfirmed_values_stored(convo, ORDER_NO) == []
    assert "保留原来的" in convo.said and "231102-337481920564718" in convo.said


def test_equal_value_needs_no_question(convo: Conversation) -> None:
    _with_photo(convo, text=f"拼多多助力被吞了，订单 {ORDER_NO}")
    _read(convo, facts={"order_no": ORDER_NO})
    assert "和已记录的一致" in convo.said
    assert _ocr_keys(convo) == [] and not any("订单号" in label for label in _labels(convo))


def test_category_from_kind_ticks_the_checklist(convo: Conversation) -> None:
    _with_photo(convo)
    convo.command("evidence")
    assert "订单详情" in convo.said.split("还缺")[1]
    _read(convo)
    [update] = convo.effects(UpdateEvidence)
    assert update.item.category == "order" and update.item.file_unique_id == "U1"
    assert "已归入证据「订单详情 / 交易快照」" in convo.said and "证据还缺" in convo.said
    convo.command("evidence")
    missing = convo.said.split("还缺")[1]
    assert "订单详情" not in missing and "活动规则" in missing


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        ("bargain_progress", "progress"),
        ("assist_record", "progress"),
        ("cs_chat", "chat"),
        ("order", "order"),
        ("rules", "rules"),
        ("payment", "payment"),
        ("logistics", "logistics"),
    ],
)
def test_kind_to_category(convo: Conversation, kind: str, category: str) -> None:
    _with_photo(convo)
    _read(convo, kind=kind, facts={"amount": "9.90"})
    [update] = convo.effects(UpdateEvidence)
    assert update.item.category == category
    assert convo.view.evidence[0].category == category


def test_other_kind_keeps_the_caption_category(convo: Conversation) -> None:
    _with_photo(convo, caption="活动规则")
    _read(convo, kind="other", facts={"amount": "9.90"})
    assert not convo.effects(UpdateEvidence) and convo.view.evidence[0].category == "rules"
    assert "金额：9.9元" in convo.said


def test_error_reading_keeps_the_evidence(convo: Conversation) -> None:
    _with_photo(convo)
    message = "这个文件不是图片或已损坏，请发送手机截图（JPG 或 PNG 格式）。"
    convo.send("reading", data=_reading("U1", "other", {}, error=message))
    assert message in convo.said and "已经作为证据保存" in convo.said
    assert not convo.effects(UpdateEvidence)
    # Nothing proposed; the scratch only forgets the keyboard of the message before (none now).
    assert all(set(e.values) <= {"kb"} for e in convo.effects(SetPending))
    assert not any(key.startswith("ocr:") for key in convo.view.pending)
    assert len(convo.view.evidence) == 1 and len(convo.replies) == 1


def test_blank_reading(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo, kind="other", facts={})
    assert "没有读到" in convo.said and "证据" in convo.said
    assert not convo.effects(UpdateEvidence) and _ocr_keys(convo) == []


def test_known_kind_without_facts(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo, kind="rules", facts={})
    assert "活动规则截图" in convo.said and "没有读到订单号" in convo.said
    assert convo.view.evidence[0].category == "rules" and _ocr_keys(convo) == []


@pytest.mark.parametrize(
    "data", ["", "not json", "[1]", '{"kind": "order"}', _reading("U-unknown", "order", {})]
)
def test_stale_or_malformed_reading_is_ignored(convo: Conversation, data: str) -> None:
    _with_photo(convo)
    before = convo.view
    outcome = convo.send("reading", data=data)
    assert outcome.replies == () and outcome.effects == () and convo.view == before


def test_reading_of_a_closed_case_is_ignored(convo: Conversation) -> None:
    _with_photo(convo)
    convo.command("close")
    convo.press("已解决")
    outcome = convo.send("reading", data=_reading("U1", "order", ORDER_FACTS))
    assert outcome.replies == () and outcome.effects == ()


def test_buttons_reference_the_proposal_never_the_value(convo: Conversation) -> None:
    _with_photo(convo, text="拼多多助力被吞了，订单 231102-337481920564718")
    _read(convo, facts={**ORDER_FACTS, "shortfall": "0.01", "platform": "拼多多"})
    datas = [button.data for button in convo.buttons()]
    assert datas and all(len(data.encode("utf-8")) <= 64 for data in datas)
    for value in (ORDER_NO, "59.9", "鲜果", "0.01"):
        assert not any(value in data for data in datas)


def test_forged_buttons_change_nothing(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo)
    view = convo.view
    for data in (
        "ocr|x",
        "ocr|nocase000000|order_no|y",
        f"ocr|{convo.case.id}|product|y",
        f"ocr|{convo.case.id}|order_no|z",
    ):
        convo.data(data)
        assert "已经处理过" in convo.said and convo.view.cases == view.cases


def test_closing_the_case_drops_its_proposals(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo)
    convo.press("修改金额")
    assert _ocr_keys(convo)  # which facts of the message were answered (names only)
    convo.command("close")
    convo.press("未解决")
    assert _ocr_keys(convo) == []


def test_delete_erases_and_sets_no_scratch_afterwards(convo: Conversation) -> None:
    _with_photo(convo)
    _read(convo)
    convo.command("delete")
    # A leftover proposal of a case that no longer exists must not be rewritten after the erase.
    stale = {**convo.view.pending, "ocr:gone00000000:amount": "9.9元"}
    convo.view = replace(convo.view, pending=stale)
    convo.press("确认删除")
    effects = list(convo.last.effects)
    assert any(isinstance(e, DeleteUser) for e in effects)
    after = effects[effects.index(next(e for e in effects if isinstance(e, DeleteUser))) :]
    assert not any(isinstance(e, SetPending) for e in after)
    assert convo.view.pending == {} and convo.view.cases == ()


def test_reading_before_the_issue_type(convo: Conversation) -> None:
    convo.send("photo", file_id="F1", file_unique_id="U1")
    _read(convo, facts={"order_no": ORDER_NO})
    assert convo.case.issue_type is None and "证据还缺" not in convo.said
    convo.press("全部采用")
    assert convo.case.facts["order_no"] == ORDER_NO


def test_reading_of_another_open_case_goes_to_that_case(convo: Conversation) -> None:
    _with_photo(convo)
    first = convo.case.id
    convo.command("new")
    convo.press("砍价失败")
    second = convo.case.id
    assert second != first
    _read(convo, facts={"order_no": ORDER_NO, "amount": "59.90"})
    assert "全部采用" in _labels(convo)
    convo.press("采用订单号")
    cases = {case.id: case for case in convo.view.cases}
    assert cases[first].facts["order_no"] == ORDER_NO and "order_no" not in cases[second].facts
    convo.data(proposals.button_data(first, "amount", "e"))  # correcting takes that case up again
    assert convo.case.id == first and convo.case.awaiting == "amount"


def test_chat_screenshot_proposes_the_shortfall(convo: Conversation) -> None:
    _with_photo(convo, text="拼多多砍价失败了")
    _read(convo, kind="cs_chat", facts={"order_no": ORDER_NO, "platform": "拼多多", "shortfall": "0.01"})
    assert "还差金额：0.01元" in convo.said and convo.view.evidence[0].category == "chat"
    assert "和已记录的一致" in convo.said  # the platform came with the first message
    convo.press("全部采用")
    assert convo.case.facts["shortfall"] == "0.01元" and convo.case.facts["order_no"] == ORDER_NO


def test_parse_reading_cleans_values() -> None:
    parsed = screenshot_facts.parse_reading(
        json.dumps({"file_unique_id": "U1", "kind": "weird", "facts": {"amount": " 9.90 ", "x": 3, "y": ""}})
    )
    assert parsed is not None
    assert parsed.kind == "other" and parsed.facts == {"amount": "9.90"} and parsed.error == ""


def test_kind_labels_match_the_ocr_package() -> None:
    assert set(screenshot_facts.KIND_CATEGORIES) == set(OCR_KIND_LABELS) - {"other"}


def test_a_rejected_fact_is_not_adopted_by_adopt_all_later(convo: Conversation) -> None:
    """都不对 for one fact, then 全部采用 on the same message: the rejected one stays out."""
    _with_photo(convo)
    _read(convo, facts={"order_no": ORDER_NO, "amount": "59.90"})
    message = convo.last.replies[0]
    adopt_all = proposals.button_data(convo.case.id, "all", "y")
    convo.send(
        "button",
        data=proposals.button_data(convo.case.id, "amount", "n"),
        message_text=message.text,
        message_id=7,
    )
    assert "没有记录" in convo.said and _ocr_keys(convo) == [f"ocr:{convo.case.id}:7"]
    assert convo.view.pending[f"ocr:{convo.case.id}:7"] == "amount"  # the name, never the value
    convo.send("button", data=adopt_all, message_text=message.text, message_id=7)
    assert convo.case.facts["order_no"] == ORDER_NO and "amount" not in convo.case.facts


def test_a_press_on_a_message_telegram_no_longer_shows_asks_for_the_screenshot(convo: Conversation) -> None:
    """Past 48 hours Telegram sends the press without the message: nothing to read back, say so."""
    _with_photo(convo)
    _read(convo)
    convo.send("button", data=proposals.button_data(convo.case.id, "order_no", "y"))
    assert "重新发送截图" in convo.said and "order_no" not in convo.case.facts


def test_a_traditional_message_is_read_back_in_simplified(convo: Conversation) -> None:
    """A proposal shown in Traditional characters (to a Traditional writer) adopts the same value."""
    shown = "我從截圖裡讀到：\n• 訂單號：231118-492817365029174\n• 金額：59.9元\n• 商品：蘋果（僅供參考，不會記錄）"
    assert proposals.shown(shown) == {"order_no": ORDER_NO, "amount": "59.9元"}


def test_proposals_kept_by_an_older_version_are_dropped(convo: Conversation) -> None:
    """Proposed values an older version kept as scratch values disappear at the next message."""
    _with_photo(convo)
    convo.view = replace(convo.view, pending={f"ocr:{convo.case.id}:order_no": ORDER_NO})
    convo.text("你好")
    assert _unconfirmed_values_stored(convo, ORDER_NO) == []
