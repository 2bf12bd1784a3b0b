"""Labels of facts, evidence categories and outcomes, and the notice every draft carries (ids are the contract)."""

from __future__ import annotations

from typing import Final

#: The notice every draft and summary carries (legal-facts.md asks for it verbatim).
NOTICE: Final = "本服务仅提供一般性维权指引，不构成法律意见。"

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
