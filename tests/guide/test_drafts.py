"""Drafts a person pastes as they are: every draft of every issue type and 权益受损 kind, facts
complete, missing and free, checked for what must never be inside the copied text."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from domain.case import CaseState, EvidenceItem, TimelineEntry
from domain.issues import KIND_FACT, RIGHTS_KINDS
from domain.labels import CATEGORY_LABELS, NOTICE
from guide import GuideContent
from guide.drafts import Drafts, placeholder, render_drafts, track_of
from guide.export import CUT, CUT_END, render_export
from guide.script import to_simplified
from tests.guide.memory import Conversation

AT = datetime(2024, 11, 20, 9, 0)
CASE_ID = "c0ffee000001"
#: Every fact any draft can use, each value distinct; some written in Traditional characters.
FULL = {
    "platform": "拼多多",
    "merchant": "好運小店",
    "respondent": "上海好运贸易有限公司",
    "respondent_address": "上海市闵行区示例路2号",
    "activity": "砍價免費拿",
    "product": "藍牙耳機一副",
    "order_no": "231102-337481920564718",
    "date": "2024-11-18",
    "amount": "89元",
    "shortfall": "0.01元",
    "promised": "48小時內發貨",
    "problem": "右耳沒有聲音",
    "demand": "按規則發放商品",
    "cs_contacted": "是",
    "cs_reply": "以頁面顯示為準",
    "complainant_name": "張三",
    "complainant_phone": "13812345678",
    "complainant_address": "上海市长宁区示例路1号",
    # What the person first wrote: a question to the bot, never a line of a draft.
    "description": "东西一直不发货怎么办啊，客服不理我",
}
#: (issue type, kind) of every track.
TRACKS = [
    ("zhuli_swallowed", None),
    ("bargain_failed", None),
    ("rights_damaged", None),
    *[("rights_damaged", kind) for kind in RIGHTS_KINDS],
]
#: The form's lines of each draft (购买时间 or 参与时间 depending on the track).
FIELDS = {
    "customer_service": ("时间", "情况", "我的诉求"),
    "complaint": (
        "投诉人",
        "联系电话",
        "联系地址",
        "被投诉方",
        "被投诉方地址",
        "所在平台",
        "商品或服务",
        "订单号",
        "支付金额",
        "事实经过",
        "投诉诉求",
    ),
    "report": (
        "被举报方",
        "被举报方地址",
        "所在平台",
        "商品或服务",
        "发现时间",
        "举报内容",
        "举报人",
        "联系电话",
    ),
}
_PLACEHOLDER = re.compile(r"【待补充：[^】]+】")


def _case(issue_type: str | None, kind: str | None, facts: dict[str, str]) -> CaseState:
    facts = dict(facts)
    if kind is not None:
        facts[KIND_FACT] = kind
    return CaseState(CASE_ID, 7, issue_type, "complain", 1, "open", AT, AT, facts=facts)


def _evidence(*categories: str) -> tuple[EvidenceItem, ...]:
    return tuple(
        EvidenceItem(f"e{i}", CASE_ID, "photo", f"F{i}", "", AT, category)
        for i, category in enumerate(categories)
    )


def _marks(name: str) -> set[str]:
    """The placeholders fact ``name`` may leave (the platform's operating company has its own)."""
    marks = {placeholder(name)}
    if name == "respondent":
        marks.add(placeholder(name, "平台运营公司全称"))
    if name == "respondent_address":
        marks.add(placeholder(name, "平台运营公司地址"))
    return marks


def check_paste_ready(
    content: GuideContent, drafts: Drafts, case: CaseState, evidence: tuple[EvidenceItem, ...]
) -> None:
    """What every copyable draft must satisfy."""
    received = {item.category for item in evidence}
    track = track_of(content, case)
    for draft in drafts.drafts:
        text = draft.text
        where = (case.issue_type, case.facts.get(KIND_FACT), draft.key)
        # The notice goes next to the draft, never inside it.
        assert NOTICE not in text and "不构成法律意见" not in text, where
        # No instruction left in brackets: the only bracketed text is a whole placeholder,
        # and each placeholder is a fact the bot asks for.
        bare = _PLACEHOLDER.sub("", text)
        assert not re.search(r"[（()）]", bare), (where, text)
        assert "待补充" not in bare, where
        for mark in _PLACEHOLDER.findall(text):
            assert any(mark in _marks(name) for name in drafts.missing), (where, mark)
        # Simplified only, even for facts given in Traditional characters.
        assert to_simplified(text) == text, (where, text)
        # The person's own first message is never pasted, nor a complaint about 客服 to 客服.
        assert "怎么办" not in text and "客服不理我" not in text, where
        # A fact appears once; no line twice.
        for name, value in case.facts.items():
            shown = to_simplified(value)
            if len(shown) >= 2 and name != KIND_FACT:
                assert text.count(shown) <= 1, (where, name, text)
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) == len(set(lines)), where
        # Evidence is named only as received.
        for category, label in CATEGORY_LABELS.items():
            if category not in received:
                assert re.sub(r"（.*?）", "", label) not in text, (where, label)
        if not evidence:
            assert "证据" not in text and "保存了" not in text and "截图" not in text, where
        # Every field of the form is there, with a value or an explicit placeholder.
        labels = [*FIELDS[draft.key]]
        if draft.key == "complaint":
            labels.append("参与时间" if track.activity else "购买时间")
        for label in labels:
            line = next((line for line in lines if line.startswith(f"{label}：")), None)
            assert line is not None, (where, label, text)
            assert line.partition("：")[2].strip(), (where, label)


@pytest.mark.parametrize(("issue_type", "kind"), TRACKS)
@pytest.mark.parametrize("facts", ["complete", "missing", "free"])
@pytest.mark.parametrize("evidence", [(), ("order", "order", "chat")])
def test_every_draft_is_paste_ready(
    content: GuideContent, issue_type: str, kind: str | None, facts: str, evidence: tuple[str, ...]
) -> None:
    given = {
        "complete": FULL,
        "missing": {"description": FULL["description"]},
        "free": {**FULL, "amount": "0元"},
    }
    case = _case(issue_type, kind, given[facts])
    items = _evidence(*evidence)
    drafts = render_drafts(content, case, items)
    check_paste_ready(content, drafts, case, items)
    track = track_of(content, case)
    if facts == "complete":
        assert drafts.missing == ()
        assert not any("待补充" in draft.text for draft in drafts.drafts)
    if facts == "missing":
        assert {"complainant_name", "respondent", "date"} <= set(drafts.missing)
        assert ("activity" in drafts.missing) == track.activity  # never asked on an ordinary order
    if facts == "free":
        paid = "无，本次为免费参与的活动，我没有付款" if track.activity else "无，我没有付款"
        assert f"支付金额：{paid}" in drafts.complaint
        assert (drafts.get("report") is not None) == bool(track.report)
    else:
        assert drafts.get("report") is None


@pytest.mark.parametrize(("issue_type", "kind"), TRACKS)
def test_legal_basis_is_the_tracks_and_comes_from_the_list(
    content: GuideContent, issue_type: str, kind: str | None
) -> None:
    case = _case(issue_type, kind, FULL)
    drafts = render_drafts(content, case, ())
    track = track_of(content, case)
    assert content.citations is not None
    for key in track.basis:
        assert content.citations.line(key) in drafts.complaint
    for draft in drafts.drafts:
        assert content.citations.unknown(draft.text) == []


@pytest.mark.parametrize(
    ("kind", "article"),
    [
        ("no_delivery", "《电子商务法》第49条"),
        ("refund", "《消费者权益保护法》第25条"),
        ("quality", "《消费者权益保护法》第24条"),
        ("promo", "《消费者权益保护法实施条例》第12条"),
        ("false_ad", "《消费者权益保护法》第20条"),
    ],
)
def test_each_kind_has_its_own_story_demand_and_basis(content: GuideContent, kind: str, article: str) -> None:
    drafts = render_drafts(content, _case("rights_damaged", kind, FULL), ())
    assert article in drafts.complaint
    others = [k for k in RIGHTS_KINDS if k != kind]
    story = content.tracks[kind].story.split("{")[0]
    assert story in drafts.complaint
    assert all(content.tracks[k].demand not in drafts.complaint for k in others)


def test_platform_activity_names_the_platforms_company_as_respondent(content: GuideContent) -> None:
    facts = {k: v for k, v in FULL.items() if k not in ("respondent", "respondent_address")}
    drafts = render_drafts(content, _case("bargain_failed", None, facts), ())
    assert "被投诉方：【待补充：平台运营公司全称】" in drafts.complaint
    shop = render_drafts(content, _case("rights_damaged", "refund", facts), ())
    assert "被投诉方：【待补充：被投诉方全称】" in shop.complaint


def test_customer_service_message_leaves_out_the_contact_history(content: GuideContent) -> None:
    drafts = render_drafts(content, _case("rights_damaged", "refund", FULL), ())
    assert "以页面显示为准" not in drafts.customer_service
    assert "客服答复：「以页面显示为准」" in drafts.complaint


def test_evidence_of_other_cases_is_not_listed(content: GuideContent) -> None:
    items = (
        *_evidence("order", "order"),
        EvidenceItem("e9", "other0000000", "photo", "F9", "", AT, "chat"),
    )
    drafts = render_drafts(content, _case("rights_damaged", "refund", FULL), items)
    assert "证据：订单详情/交易快照2份。" in drafts.complaint and "客服聊天记录" not in drafts.complaint


def test_draft_command_puts_the_notice_next_to_each_draft(convo: Conversation) -> None:
    convo.text("拼多多助力被吞 订单 231118-492817365029174")
    convo.command("draft")
    intro, customer_service, complaint, missing = convo.replies
    assert NOTICE in intro.text
    assert customer_service.text.startswith("您好") and NOTICE not in customer_service.text
    assert complaint.text.startswith("投诉人：") and NOTICE not in complaint.text
    assert "231118-492817365029174" in complaint.text and "所在平台：拼多多" in complaint.text
    assert "【待补充：投诉人姓名】" in complaint.text
    assert "填写投诉人姓名" in [button.label for row in missing.buttons for button in row]
    convo.press("填写投诉人姓名")
    convo.text("张三")
    convo.command("draft")
    assert "投诉人：张三" in convo.said


def test_nothing_paid_offers_a_report(convo: Conversation) -> None:
    convo.text("拼多多砍价免费拿还差0.01元")
    convo.command("draft")
    convo.press("填写金额")
    convo.text("没付钱")
    convo.command("draft")
    texts = [reply.text for reply in convo.replies]
    assert any(text.startswith("被举报方：") for text in texts)
    assert any("举报是向监管部门反映违法行为" in text for text in texts)
    complaint = next(text for text in texts if text.startswith("投诉人："))
    assert "支付金额：无，本次为免费参与的活动，我没有付款" in complaint


def test_traditional_writer_is_answered_in_traditional_but_drafts_stay_simplified(
    convo: Conversation,
) -> None:
    convo.text("拼多多的返现一直沒給，訂單 231118-492817365029174")
    assert "權益受損" in convo.said  # the answer, in Traditional
    convo.command("draft")
    intro, customer_service, complaint, missing = convo.replies
    assert "草稿" in intro.text and "說明" in intro.text
    for draft in (customer_service, complaint):
        assert to_simplified(draft.text) == draft.text
    assert "补充" in missing.text or "補充" in missing.text
    convo.text("我想用简体")  # a Simplified message: answered in Simplified again
    assert to_simplified(convo.said) == convo.said


def test_export_keeps_the_notice_outside_the_cut_lines(content: GuideContent, convo: Conversation) -> None:
    convo.text("京东砍价失败，还差0.5元")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="规则")
    convo.command("export")
    [reply] = convo.replies
    assert reply.document is not None and reply.document.filename.endswith(".txt")
    text = reply.document.content.decode("utf-8")
    for part in ("京东", "0.5元", "时间线", "证据清单", "活动规则页", "12315 投诉", NOTICE, "创建案件"):
        assert part in text, part
    copied = re.findall(f"{CUT}\n(.*?)\n{CUT_END}", text, re.S)
    assert len(copied) == 2
    assert all(NOTICE not in block and "复制" not in block for block in copied)


def test_render_export_only_uses_this_case(content: GuideContent) -> None:
    case = _case("rights_damaged", "refund", FULL)
    timeline = (
        TimelineEntry(case.id, AT, "opened", "rights_damaged"),
        TimelineEntry("another00000", AT, "closed", "resolved"),
    )
    document = render_export(content, case, (), timeline)
    text = document.content.decode("utf-8")
    assert "创建案件" in text and "结案" not in text.split("三、证据清单")[0].split("二、时间线")[1]
    assert "问题类型：权益受损 · 退款被拒/退款不到账" in text


#: The case whose 12315 draft README.md shows (a 不发货 order; the person wrote partly in Traditional).
README_FACTS = {
    KIND_FACT: "no_delivery",
    "platform": "淘宝",
    "merchant": "示例数码专营店",
    "respondent": "杭州示例数码科技有限公司",
    "respondent_address": "浙江省杭州市示例区示例路8号",
    "product": "藍牙耳機一副",
    "date": "2026-11-11",
    "order_no": "4012345678901234567",
    "amount": "129元",
    "cs_contacted": "是",
    "cs_reply": "倉庫缺貨，請耐心等待",
    "complainant_name": "李四",
    "complainant_phone": "13900000000",
    "complainant_address": "北京市示例区示例街1号",
    "description": "东西一直不发货怎么办啊",
}


def readme_case() -> CaseState:
    """The README's example case."""
    return _case("rights_damaged", None, README_FACTS)


README_EVIDENCE = _evidence("order", "payment", "chat")


def test_readme_shows_a_rendered_12315_draft(content: GuideContent) -> None:
    drafts = render_drafts(content, readme_case(), README_EVIDENCE)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{drafts.complaint}\n```" in readme
    check_paste_ready(content, drafts, readme_case(), README_EVIDENCE)
