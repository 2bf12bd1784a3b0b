"""Fixed domain names shared by the dialogue, the drafts and the export (ids are the contract)."""

from __future__ import annotations

from typing import Final

#: The notice every draft and summary carries (legal-facts.md asks for it verbatim).
NOTICE: Final = "本服务仅提供一般性维权指引，不构成法律意见。"

#: Issue type id -> Chinese label (ids as in ``intents.match.ISSUE_TYPES``).
ISSUE_LABELS: Final[dict[str, str]] = {
    "zhuli_swallowed": "助力被吞",
    "bargain_failed": "砍价失败",
    "rights_damaged": "权益受损",
}

#: Stage ids in order; the step files must define exactly these.
STAGE_IDS: Final[tuple[str, ...]] = ("confirm", "contact", "complain", "legal", "cautions")

#: Stage id -> short Chinese name (the step files give the displayed titles).
STAGE_NAMES: Final[dict[str, str]] = {
    "confirm": "一、确认问题",
    "contact": "二、联系平台客服",
    "complain": "三、投诉",
    "legal": "四、法律途径",
    "cautions": "五、注意事项",
}

#: Fact name -> Chinese label, in the order the facts menu shows them.
FACT_LABELS: Final[dict[str, str]] = {
    "platform": "平台",
    "merchant": "店铺名称",
    "respondent": "被投诉方全称",
    "respondent_address": "被投诉方地址",
    "activity": "活动名称",
    "product": "商品或服务",
    "order_no": "订单号",
    "date": "日期",
    "amount": "金额",
    "shortfall": "还差金额",
    "progress": "进度",
    "description": "事情经过",
    "promised": "承诺的内容",
    "problem": "具体问题",
    "demand": "诉求",
    "cs_contacted": "是否已联系客服",
    "cs_reply": "客服答复",
    "complainant_name": "投诉人姓名",
    "complainant_phone": "投诉人电话",
    "complainant_address": "投诉人地址",
}

#: 权益受损 kind id -> Chinese label (stored as the case fact ``rights_kind``).
RIGHTS_KINDS: Final[dict[str, str]] = {
    "no_delivery": "不发货/延迟发货",
    "refund": "退款被拒/退款不到账",
    "quality": "货不对板/质量问题",
    "promo": "优惠券·返现·奖品不兑现",
    "false_ad": "虚假宣传/价格欺诈",
}
#: The case fact holding the 权益受损 kind (not a question: it is set by the message or a button).
KIND_FACT: Final = "rights_kind"

#: Evidence category id -> Chinese label.
CATEGORY_LABELS: Final[dict[str, str]] = {
    "rules": "活动规则页",
    "order": "订单详情/交易快照",
    "payment": "支付记录",
    "progress": "活动进度截图（带时间）",
    "chat": "客服聊天记录",
    "logistics": "物流记录",
    "promise": "承诺/宣传页面截图",
    "goods": "商品实物照片或视频",
    "refund": "退款/售后记录",
    "other": "其他材料",
}

#: Case outcome id -> Chinese label.
OUTCOME_LABELS: Final[dict[str, str]] = {
    "resolved": "已解决",
    "unresolved": "未解决",
    "abandoned": "放弃",
}


def issue_label(issue_type: str | None, kind: str | None = None) -> str:
    """The Chinese label of an issue type (with its 权益受损 kind when known), or 未选择类型."""
    if issue_type is None:
        return "未选择类型"
    label = ISSUE_LABELS.get(issue_type, issue_type)
    if issue_type == "rights_damaged" and kind in RIGHTS_KINDS:
        label += f" · {RIGHTS_KINDS[kind]}"
    return label
