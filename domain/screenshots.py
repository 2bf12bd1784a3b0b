"""The kinds of screenshot the OCR tells apart, and their Chinese labels.

``ocr/`` decides the kind of a screenshot; the dialogue (``guide/``) names it to the person and
files the evidence under a category by it, without importing the OCR.
"""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal[
    "order",
    "rules",
    "bargain_progress",
    "assist_record",
    "cs_chat",
    "payment",
    "logistics",
    "complaint",
    "other",
]

#: Screenshot kind -> Chinese label shown to the person.
KIND_LABELS: Final[dict[str, str]] = {
    "order": "订单详情截图",
    "rules": "活动规则截图",
    "bargain_progress": "砍价进度截图",
    "assist_record": "助力记录截图",
    "cs_chat": "客服聊天记录截图",
    "payment": "支付记录截图",
    "logistics": "物流记录截图",
    "complaint": "投诉/举报提交页截图",
    "other": "其他截图",
}
