"""Drafts the person can copy: a message to customer service and a 12315 complaint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guide.labels import CATEGORY_LABELS, FACT_LABELS, NOTICE, issue_label
from guide.model import CaseState, EvidenceItem

#: The demand proposed for each issue type when the person gave none.
DEFAULT_DEMANDS: dict[str, str] = {
    "zhuli_swallowed": "恢复丢失的助力记录，或按活动规则完成活动",
    "bargain_failed": "按活动规则兑现砍价结果，或书面说明砍价失败的具体原因",
    "rights_damaged": "兑现承诺的权益，给予补偿或退款",
}

#: Legal basis per issue type (only articles from the shared legal-facts list).
LEGAL_BASIS: dict[str, tuple[str, ...]] = {
    "zhuli_swallowed": (
        "《消费者权益保护法》第8条（消费者享有知悉真实情况的权利）",
        "《消费者权益保护法》第20条（经营者应提供真实、全面的信息，不得作虚假或引人误解的宣传）",
        "《电子商务法》第17条（应全面、真实、准确、及时地披露商品或服务信息）",
        "《电子商务法》第62条（发生争议时，经营者应提供原始交易记录）",
    ),
    "bargain_failed": (
        "《消费者权益保护法》第8条（消费者享有知悉真实情况的权利）",
        "《消费者权益保护法》第20条（经营者应提供真实、全面的信息，不得作虚假或引人误解的宣传）",
        "《消费者权益保护法》第26条（排除或限制消费者权利的格式条款无效）",
        "《电子商务法》第17条（应全面、真实、准确、及时地披露商品或服务信息）",
    ),
    "rights_damaged": (
        "《消费者权益保护法》第8条、第20条（知情权；经营者应提供真实、全面的信息）",
        "《电子商务法》第20条（应按承诺或约定的方式、时限交付）",
        "《消费者权益保护法》第44条（平台不能提供销售者真实名称、地址和联系方式的，由平台承担责任；平台更有利于消费者的承诺应当履行）",
    ),
}
GENERIC_BASIS: tuple[str, ...] = (
    "《消费者权益保护法》第8条、第20条（知情权；经营者应提供真实、全面的信息）",
    "《电子商务法》第17条（应全面、真实地披露商品或服务信息）",
)

#: Facts each draft needs; missing ones become 【…：待补充】 placeholders.
CS_FACTS: tuple[str, ...] = ("platform", "activity", "order_no", "date", "description")
COMPLAINT_FACTS: tuple[str, ...] = (
    "complainant_name",
    "complainant_phone",
    "complainant_address",
    "merchant",
    "platform",
    "activity",
    "order_no",
    "date",
    "amount",
    "description",
)


@dataclass(frozen=True, slots=True)
class Drafts:
    """The customer-service message, the 12315 complaint text and the fact names still missing."""

    customer_service: str
    complaint: str
    missing: tuple[str, ...]


def placeholder(name: str) -> str:
    """``【订单号：待补充】``."""
    return f"【{FACT_LABELS[name]}：待补充】"


def _fact(case: CaseState, name: str) -> str:
    return case.facts.get(name) or placeholder(name)


def _demand(case: CaseState) -> str:
    if case.facts.get("demand"):
        return case.facts["demand"]
    return DEFAULT_DEMANDS.get(case.issue_type or "", placeholder("demand"))


def _evidence_line(case: CaseState, evidence: Sequence[EvidenceItem]) -> str:
    counts: dict[str, int] = {}
    for item in evidence:
        if item.case_id == case.id:
            label = CATEGORY_LABELS.get(item.category or "other", "其他材料")
            counts[label] = counts.get(label, 0) + 1
    if not counts:
        return "活动规则页、订单详情、进度及客服聊天记录截图（整理后附上）"
    return "、".join(f"{label}{count}份" for label, count in counts.items())


def _customer_service(case: CaseState) -> str:
    kind = issue_label(case.issue_type)
    amount = f"，涉及金额{case.facts['amount']}" if case.facts.get("amount") else ""
    shortfall = f"，砍价还差{case.facts['shortfall']}" if case.facts.get("shortfall") else ""
    return (
        f"您好，我在{_fact(case, 'platform')}参加「{_fact(case, 'activity')}」活动时遇到问题（{kind}）。\n"
        f"订单号：{_fact(case, 'order_no')}；日期：{_fact(case, 'date')}{amount}{shortfall}。\n"
        f"经过：{_fact(case, 'description')}\n"
        f"我的诉求：{_demand(case)}。\n"
        "相关截图我已保存，可以随时提供。请核实后给出处理结果和处理时限，谢谢。"
    )


def _complaint(case: CaseState, evidence: Sequence[EvidenceItem]) -> str:
    basis = LEGAL_BASIS.get(case.issue_type or "", GENERIC_BASIS)
    contact = ""
    if case.facts.get("cs_contacted") == "是" or case.facts.get("cs_reply"):
        reply = case.facts.get("cs_reply")
        contact = (
            f"我已联系平台客服，客服答复：{reply}，问题未得到解决。"
            if reply
            else "我已联系平台客服，问题未得到解决。"
        )
    amount = case.facts.get("amount") or placeholder("amount")
    shortfall = f"（砍价还差{case.facts['shortfall']}）" if case.facts.get("shortfall") else ""
    lines = [
        "【12315 投诉】",
        f"投诉人：{_fact(case, 'complainant_name')}",
        f"联系电话：{_fact(case, 'complainant_phone')}",
        f"联系地址：{_fact(case, 'complainant_address')}",
        f"被投诉方：{_fact(case, 'merchant')}（经营者名称/店铺），所在平台：{_fact(case, 'platform')}",
        "被投诉方地址：（查看店铺资质信息后填写；不清楚的，可要求平台提供）",
        "",
        "事实经过：",
        f"{_fact(case, 'date')}，我在{_fact(case, 'platform')}参加「{_fact(case, 'activity')}」活动"
        f"（{issue_label(case.issue_type)}），订单号{_fact(case, 'order_no')}，涉及金额{amount}{shortfall}。",
        _fact(case, "description") + (f"\n{contact}" if contact else ""),
        "",
        f"投诉诉求：{_demand(case)}。",
        "",
        "依据：",
        *[f"• {item}" for item in basis],
        "",
        f"证据：{_evidence_line(case, evidence)}。",
        "",
        NOTICE,
    ]
    return "\n".join(lines)


def render_drafts(case: CaseState, evidence: Sequence[EvidenceItem]) -> Drafts:
    """The two drafts of ``case`` with placeholders for missing facts, and the missing fact names."""
    needed = dict.fromkeys((*CS_FACTS, *COMPLAINT_FACTS))
    missing = tuple(name for name in needed if not case.facts.get(name))
    customer_service = _customer_service(case) + "\n\n" + NOTICE
    return Drafts(customer_service, _complaint(case, evidence), missing)
