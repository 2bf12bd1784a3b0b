"""Drafts the person copies as they are: a message to customer service, the 12315 complaint, a 举报.

A draft holds only what goes to the recipient. The not-legal-advice notice, hints and the list of
facts still missing travel next to it, never inside it. The story is built from the case facts
and the track's neutral first-person sentence (``tracks.toml``), never from the person's own
message; a fact appears once; evidence is listed only as received; everything is Simplified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.case import CaseState, EvidenceItem
from domain.issues import KIND_FACT, RIGHTS_KINDS
from domain.labels import CATEGORY_LABELS, FACT_LABELS
from guide.content import GuideContent
from guide.script import to_simplified
from guide.tracks import FALLBACK, Track

#: Drafts the bot can write, in the order they are sent.
DRAFT_TITLES: dict[str, str] = {
    "customer_service": "给客服的消息",
    "complaint": "12315 投诉",
    "report": "12315 举报",
}
#: Amounts that mean nothing was paid.
_NOTHING_PAID = {"0元", "0", "无", "没有", "未付款", "免费"}
_NO_ORDER = {"无", "没有"}
_FIELD = re.compile(r"\{([a-z_]+)\}")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True, slots=True)
class Draft:
    """One text to copy: its key (``complaint``...), a title for the note above it, the text."""

    key: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Drafts:
    """The drafts of a case, the facts still missing (asked for) and whether anything was paid."""

    drafts: tuple[Draft, ...]
    missing: tuple[str, ...]
    nothing_paid: bool = False

    def get(self, key: str) -> Draft | None:
        """The draft ``key``, if it was written."""
        return next((draft for draft in self.drafts if draft.key == key), None)

    @property
    def customer_service(self) -> str:
        """The message to customer service."""
        draft = self.get("customer_service")
        return draft.text if draft is not None else ""

    @property
    def complaint(self) -> str:
        """The 12315 complaint."""
        draft = self.get("complaint")
        return draft.text if draft is not None else ""


def placeholder(name: str, label: str = "") -> str:
    """``【待补充：订单号】``: an unfilled field, one clear mark the person replaces."""
    return f"【待补充：{label or FACT_LABELS[name]}】"


def track_of(content: GuideContent, case: CaseState) -> Track:
    """The track of ``case``: its 权益受损 kind when known, else its issue type."""
    kind = case.facts.get(KIND_FACT)
    if case.issue_type == "rights_damaged" and kind in RIGHTS_KINDS and kind in content.tracks:
        return content.tracks[kind]
    return content.tracks.get(case.issue_type or "", content.tracks[FALLBACK])


def case_facts(content: GuideContent, case: CaseState) -> tuple[str, ...]:
    """The fact names that matter for ``case``, in the menu's order (never 活动名称 for an ordinary
    order, 还差金额 only for a bargain); a fact the person gave is always included."""
    track = track_of(content, case)
    skip = {name for name in ("shortfall", "promised", "problem") if name not in track.story_facts}
    if not track.activity:
        skip.add("activity")
    return tuple(name for name in FACT_LABELS if name not in skip or case.facts.get(name))


def value(case: CaseState, name: str) -> str:
    """Fact ``name`` as a draft prints it: Simplified, one line, no closing full stop ("" if unset)."""
    raw = case.facts.get(name, "")
    text = " ".join(to_simplified(raw).split()).strip().rstrip("。.！!；;，,")
    return text


def nothing_paid(case: CaseState) -> bool:
    """True when the person said they paid nothing."""
    return value(case, "amount") in _NOTHING_PAID


@dataclass
class _Fill:
    """Fills fields from the case and remembers, in order, the facts that were missing."""

    case: CaseState
    #: Placeholder labels that say more than the fact's label (the platform's operating company).
    labels: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def __call__(self, name: str) -> str:
        found = value(self.case, name)
        if found:
            return found
        if name not in self.missing:
            self.missing.append(name)
        return placeholder(name, self.labels.get(name, ""))

    def quoted(self, name: str) -> str:
        """``「砍价免费拿」``, or the bare placeholder when the fact is missing."""
        found = value(self.case, name)
        return f"「{found}」" if found else self(name)

    def template(self, text: str) -> str:
        """``text`` with each ``{fact}`` filled or replaced by its placeholder."""
        return _FIELD.sub(lambda match: self(match.group(1)), text)


def _story(track: Track, fill: _Fill, case: CaseState, *, to_customer_service: bool) -> str:
    """What happened, in the first person, each fact once."""
    story = fill.template(track.story)
    if not to_customer_service and case.facts.get("cs_contacted") == "是":
        reply = value(case, "cs_reply")
        if reply:
            story += f"我联系了客服，客服答复：「{reply}」，问题没有解决。"
        else:
            story += "我联系了客服，问题没有解决。"
    return story


def _demand(track: Track, case: CaseState) -> str:
    return value(case, "demand") or track.demand


def _evidence(case: CaseState, evidence: Sequence[EvidenceItem]) -> str:
    """``订单详情/交易快照2份、客服聊天记录1份``, of the items actually received ("" if none)."""
    counts: dict[str, int] = {}
    for item in evidence:
        if item.case_id == case.id:
            label = _BRACKETED.sub("", CATEGORY_LABELS.get(item.category or "other", "其他材料"))
            counts[label] = counts.get(label, 0) + 1
    return "、".join(f"{label}{count}份" for label, count in counts.items())


def _subject_lines(track: Track, fill: _Fill, case: CaseState) -> list[str]:
    """商品或服务 (or the activity) line of a complaint or report."""
    if track.activity:
        product = value(case, "product")
        extra = f"，商品为{product}" if product else ""
        return [f"商品或服务：{fill.quoted('activity')}活动{extra}"]
    return [f"商品或服务：{fill('product')}"]


def _basis_lines(content: GuideContent, keys: Sequence[str]) -> list[str]:
    assert content.citations is not None  # the loader always sets it
    return [content.citations.line(key) for key in keys]


def _customer_service(track: Track, fill: _Fill, case: CaseState, evidence: str) -> str:
    lines = ["您好，我遇到一个问题，请帮忙核实处理。"]
    order_no = value(case, "order_no")
    if track.activity:
        lines.append(f"活动：{fill.quoted('activity')}")
        if order_no and order_no not in _NO_ORDER:
            lines.append(f"订单号：{order_no}")
    else:
        lines.append(f"订单号：{fill('order_no')}")
        lines.append(f"商品：{fill('product')}")
    lines.append(f"时间：{fill('date')}")
    lines.append(f"情况：{_story(track, fill, case, to_customer_service=True)}")
    lines.append(f"我的诉求：{_demand(track, case)}。")
    if evidence:
        lines.append(f"我这边保存了{evidence}，需要的话可以发给你们。")
    lines.append("请核实后告诉我处理结果和处理时限，谢谢。")
    return "\n".join(lines)


def _complaint(content: GuideContent, track: Track, fill: _Fill, case: CaseState, evidence: str) -> str:
    lines = [
        f"投诉人：{fill('complainant_name')}",
        f"联系电话：{fill('complainant_phone')}",
        f"联系地址：{fill('complainant_address')}",
        f"被投诉方：{fill('respondent')}",
        f"被投诉方地址：{fill('respondent_address')}",
        f"所在平台：{fill('platform')}",
    ]
    merchant = value(case, "merchant")
    if merchant:
        lines.append(f"店铺名称：{merchant}")
    lines += _subject_lines(track, fill, case)
    lines.append(f"{'参与时间' if track.activity else '购买时间'}：{fill('date')}")
    lines.append(f"订单号：{fill('order_no')}")
    free = "无，本次为免费参与的活动，我没有付款" if track.activity else "无，我没有付款"
    paid = free if nothing_paid(case) else fill("amount")
    lines.append(f"支付金额：{paid}")
    lines.append(f"事实经过：{_story(track, fill, case, to_customer_service=False)}")
    lines.append(f"投诉诉求：{_demand(track, case)}。")
    lines.append("依据：")
    lines += _basis_lines(content, track.basis)
    if evidence:
        lines.append(f"证据：{evidence}。")
    return "\n".join(lines)


def _report(content: GuideContent, track: Track, fill: _Fill, case: CaseState, evidence: str) -> str:
    lines = [
        f"被举报方：{fill('respondent')}",
        f"被举报方地址：{fill('respondent_address')}",
        f"所在平台：{fill('platform')}",
        *_subject_lines(track, fill, case),
        f"发现时间：{fill('date')}",
        f"举报内容：{_story(track, fill, case, to_customer_service=True)}{track.report}",
        "相关规定：",
        *_basis_lines(content, track.report_basis),
        f"举报人：{fill('complainant_name')}",
        f"联系电话：{fill('complainant_phone')}",
    ]
    if evidence:
        lines.append(f"证据：{evidence}。")
    return "\n".join(lines)


def render_drafts(content: GuideContent, case: CaseState, evidence: Sequence[EvidenceItem]) -> Drafts:
    """The drafts of ``case`` (a 举报 too when nothing was paid) and the facts still missing."""
    track = track_of(content, case)
    fill = _Fill(case)
    if track.respondent == "platform":
        fill.labels["respondent"] = "平台运营公司全称"
        fill.labels["respondent_address"] = "平台运营公司地址"
    received = _evidence(case, evidence)
    drafts = [
        Draft(
            "customer_service",
            DRAFT_TITLES["customer_service"],
            _customer_service(track, fill, case, received),
        ),
        Draft("complaint", DRAFT_TITLES["complaint"], _complaint(content, track, fill, case, received)),
    ]
    free = nothing_paid(case)
    if free and track.report:
        drafts.append(Draft("report", DRAFT_TITLES["report"], _report(content, track, fill, case, received)))
    return Drafts(tuple(drafts), tuple(fill.missing), free)
