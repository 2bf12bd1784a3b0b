"""The three issue types (问题类型) and the kinds of 权益受损, with their Chinese labels.

The ids are the contract: the classifier returns them (``intents/keywords/*.toml``), the step
files and tracks are keyed by them, and stored cases hold them.
"""

from __future__ import annotations

from typing import Final

#: Issue type ids, in the order they are offered; ``greeting`` and ``other`` are intents, not issue types.
ISSUE_TYPES: Final[tuple[str, ...]] = ("zhuli_swallowed", "bargain_failed", "rights_damaged")

#: Issue type id -> Chinese label (the keys are :data:`ISSUE_TYPES`).
ISSUE_LABELS: Final[dict[str, str]] = {
    "zhuli_swallowed": "助力被吞",
    "bargain_failed": "砍价失败",
    "rights_damaged": "权益受损",
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


def issue_label(issue_type: str | None, kind: str | None = None) -> str:
    """The Chinese label of an issue type (with its 权益受损 kind when known), or 未选择类型."""
    if issue_type is None:
        return "未选择类型"
    label = ISSUE_LABELS.get(issue_type, issue_type)
    if issue_type == "rights_damaged" and kind in RIGHTS_KINDS:
        label += f" · {RIGHTS_KINDS[kind]}"
    return label
