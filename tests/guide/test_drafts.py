"""Drafts and the export: the facts given appear, missing ones are placeholders, the notice is there."""

from __future__ import annotations

from datetime import datetime

import pytest

from guide.drafts import LEGAL_BASIS, placeholder, render_drafts
from guide.export import render_export
from guide.labels import NOTICE
from guide.model import CaseState, EvidenceItem, TimelineEntry
from tests.guide.memory import Conversation

AT = datetime(2024, 11, 20, 9, 0)
FULL = {
    "platform": "拼多多",
    "merchant": "好运小店",
    "activity": "砍价免费拿",
    "order_no": "231102-337481920564718",
    "date": "2024-11-18",
    "amount": "89元",
    "shortfall": "0.01元",
    "description": "砍到只差0.01元时倒计时结束，活动失败",
    "demand": "按规则发放商品",
    "cs_contacted": "是",
    "cs_reply": "以页面显示为准",
    "complainant_name": "张三",
    "complainant_phone": "13812345678",
    "complainant_address": "上海市长宁区某路1号",
}


def _case(issue_type: str | None, facts: dict[str, str]) -> CaseState:
    return CaseState("c0ffee000001", 7, issue_type, "complain", 1, "open", AT, AT, facts=facts)


def test_full_facts_fill_every_field() -> None:
    drafts = render_drafts(_case("bargain_failed", FULL), ())
    assert drafts.missing == ()
    for value in FULL.values():
        if value != "是":
            assert value in drafts.complaint, value
    for key in ("platform", "activity", "order_no", "date", "demand"):
        assert FULL[key] in drafts.customer_service
    assert "待补充" not in drafts.complaint + drafts.customer_service
    for label in ("投诉人", "联系电话", "联系地址", "被投诉方", "事实经过", "投诉诉求"):
        assert label in drafts.complaint
    assert NOTICE in drafts.complaint and NOTICE in drafts.customer_service


def test_missing_facts_become_placeholders() -> None:
    drafts = render_drafts(_case("zhuli_swallowed", {"platform": "淘宝"}), ())
    assert "淘宝" in drafts.complaint
    for name in (
        "order_no",
        "date",
        "complainant_name",
        "complainant_phone",
        "complainant_address",
        "merchant",
    ):
        assert name in drafts.missing
        assert placeholder(name) in drafts.complaint
    assert "【订单号：待补充】" in drafts.customer_service
    assert "platform" not in drafts.missing
    assert "恢复丢失的助力记录" in drafts.complaint  # default demand of the type


@pytest.mark.parametrize(
    ("issue_type", "article"),
    [
        ("zhuli_swallowed", "《电子商务法》第17条"),
        ("bargain_failed", "第26条"),
        ("rights_damaged", "《电子商务法》第20条"),
        ("rights_damaged", "第44条"),
    ],
)
def test_legal_basis_fits_the_type(issue_type: str, article: str) -> None:
    drafts = render_drafts(_case(issue_type, FULL), ())
    assert article in drafts.complaint
    assert all(item in drafts.complaint for item in LEGAL_BASIS[issue_type])


def test_evidence_is_listed_in_the_complaint() -> None:
    items = (
        EvidenceItem("e1", "c0ffee000001", "photo", "F1", "", AT, "order"),
        EvidenceItem("e2", "c0ffee000001", "photo", "F2", "", AT, "order"),
        EvidenceItem("e3", "other0000000", "photo", "F3", "", AT, "chat"),
    )
    drafts = render_drafts(_case("rights_damaged", FULL), items)
    assert "订单详情/交易快照2份" in drafts.complaint and "客服聊天记录" not in drafts.complaint


def test_draft_command_sends_separate_messages_with_fill_buttons(convo: Conversation) -> None:
    convo.text("拼多多助力被吞 订单 231118-492817365029174")
    convo.command("draft")
    texts = [reply.text for reply in convo.replies]
    assert any(text.startswith("您好") for text in texts)
    assert any(text.startswith("【12315 投诉】") for text in texts)
    complaint = next(text for text in texts if text.startswith("【12315"))
    assert "231118-492817365029174" in complaint and "拼多多" in complaint
    convo.press("填写投诉人姓名")
    convo.text("张三")
    convo.command("draft")
    assert "投诉人：张三" in convo.said


def test_export_document(convo: Conversation) -> None:
    convo.text("京东砍价失败，还差0.5元")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="规则")
    convo.command("export")
    [reply] = convo.replies
    assert reply.document is not None and reply.document.filename.endswith(".txt")
    text = reply.document.content.decode("utf-8")
    for part in ("京东", "0.5元", "时间线", "证据清单", "活动规则页", "12315", NOTICE, "创建案件"):
        assert part in text, part


def test_render_export_only_uses_this_case() -> None:
    case = _case("rights_damaged", FULL)
    timeline = (
        TimelineEntry(case.id, AT, "opened", "rights_damaged"),
        TimelineEntry("another00000", AT, "closed", "resolved"),
    )
    document = render_export(case, (), timeline)
    text = document.content.decode("utf-8")
    assert "创建案件" in text and "结案" not in text.split("三、证据清单")[0].split("二、时间线")[1]
