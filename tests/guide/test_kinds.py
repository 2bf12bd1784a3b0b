"""权益受损 by kind: the kind from the message or one question, and its own steps and checklist."""

from __future__ import annotations

import pytest

from domain.issues import KIND_FACT, RIGHTS_KINDS
from guide import GuideContent
from guide.facts import simplified
from guide.render import missing_evidence
from guide.tracks import detect_kind
from tests.guide.memory import Conversation


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("拼多多买的东西一直不发货", "no_delivery"),
        ("付款三天了还没发货，商家说缺货", "no_delivery"),
        ("申请退款被拒了", "refund"),
        ("退款一直没到账", "refund"),
        ("收到的衣服质量太差了，和描述不符", "quality"),
        ("好评返现说好的5元没给", "promo"),
        ("奖品没发货", "promo"),  # a prize not sent is a promise not honoured
        ("优惠券领了用不了", "promo"),
        ("先涨后降，价格欺诈", "false_ad"),
        ("不發貨，一直拖著", "no_delivery"),  # Traditional, checked on the simplified text
        ("东西不发货，我要退款", None),  # two kinds, equally clear: ask
        ("我的权益受损了", None),
    ],
)
def test_kind_from_the_message(content: GuideContent, text: str, kind: str | None) -> None:
    assert detect_kind(content.tracks, simplified(text)) == kind


def test_a_clear_message_sets_the_kind_and_its_step(convo: Conversation) -> None:
    convo.text("淘宝买的东西没发货，订单 231118-492817365029174")
    assert convo.case.facts[KIND_FACT] == "no_delivery"
    assert "不发货/延迟发货" in convo.said
    assert "发货承诺" in convo.said  # the step written for this kind
    assert "权益受损具体是哪一种" not in convo.said


def test_an_unclear_message_asks_once_with_buttons(convo: Conversation) -> None:
    convo.command("new")
    convo.press("权益受损")
    assert KIND_FACT not in convo.case.facts
    question = convo.replies[-1]
    assert "权益受损具体是哪一种" in question.text
    assert [row[0].label for row in question.buttons] == list(RIGHTS_KINDS.values())
    convo.press("货不对板")
    assert convo.case.facts[KIND_FACT] == "quality"
    assert "权益受损 · 货不对板/质量问题" in convo.said
    assert "对照商品页的描述" in convo.said
    convo.text("下一步")
    assert "权益受损具体是哪一种" not in convo.said  # asked once


def test_kind_button_of_a_forged_kind_is_stale(convo: Conversation) -> None:
    convo.text("退款不到账")
    case_id = convo.case.id
    convo.data(f"g|{case_id}|lottery")
    assert "已过期" in convo.said


@pytest.mark.parametrize(
    ("kind", "needed", "not_needed"),
    [
        ("no_delivery", {"promise", "order", "payment", "logistics"}, {"rules", "progress", "goods"}),
        ("refund", {"refund", "order", "payment"}, {"rules", "progress"}),
        ("quality", {"goods", "order", "promise"}, {"rules", "progress"}),
        ("promo", {"rules", "progress", "order"}, {"logistics", "goods"}),
        ("false_ad", {"promise", "goods", "order"}, {"rules", "progress"}),
    ],
)
def test_each_kind_has_its_own_checklist(
    content: GuideContent, convo: Conversation, kind: str, needed: set[str], not_needed: set[str]
) -> None:
    convo.command("new")
    convo.press("权益受损")
    convo.press(RIGHTS_KINDS[kind])
    categories = {spec.category for spec in missing_evidence(content, convo.case, ())}
    assert needed <= categories and not (not_needed & categories)


@pytest.mark.parametrize("kind", list(RIGHTS_KINDS))
def test_each_kind_has_its_own_step_texts(content: GuideContent, kind: str) -> None:
    for stage, index in (("confirm", 0), ("confirm", 1), ("confirm", 2), ("contact", 1)):
        step = content.step(stage, index)
        assert step is not None
        own = step.text_for("rights_damaged", kind)
        assert own != step.text_for("rights_damaged"), (stage, index)
        others = {step.text_for("rights_damaged", k) for k in RIGHTS_KINDS if k != kind}
        assert own not in others
    contact = content.step("contact", 1)
    assert contact is not None
    if kind != "promo":
        assert "申请平台介入" in contact.text_for("rights_damaged", kind)


def test_an_ordinary_order_is_never_asked_for_an_activity(convo: Conversation) -> None:
    convo.text("买的耳机没发货")
    convo.command("draft")
    asked = [button.label for reply in convo.replies for row in reply.buttons for button in row]
    assert "填写商品或服务" in asked and "填写活动名称" not in asked
    assert "活动" not in "\n".join(reply.text for reply in convo.replies[1:3])


def test_a_later_message_settles_the_kind(convo: Conversation) -> None:
    convo.command("new")
    convo.press("权益受损")
    assert KIND_FACT not in convo.case.facts
    convo.text("商家申请退款一直不给退")  # the fake classifier: 退款 -> rights_damaged
    assert convo.case.facts[KIND_FACT] == "refund"
    assert "售后页面" in convo.said  # the step written for refunds


def test_the_facts_menu_of_an_ordinary_order_has_no_activity(convo: Conversation) -> None:
    convo.text("买的耳机没发货")
    convo.command("status")
    convo.press("修改信息")
    labels = [button.label for row in convo.replies[0].buttons for button in row]
    assert "填写商品或服务" in labels and "填写订单号" in labels
    assert not any("活动名称" in label or "还差金额" in label for label in labels)
    convo.command("new")
    convo.press("砍价失败")
    convo.command("status")
    convo.press("修改信息")
    labels = [button.label for row in convo.replies[0].buttons for button in row]
    assert "填写活动名称" in labels and "填写还差金额" in labels
