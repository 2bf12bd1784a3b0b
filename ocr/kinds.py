"""Recognising the kind of screenshot from its text: weighted keyword signals, titles count double."""

from __future__ import annotations

import re
from typing import Final

from domain.screenshots import Kind

#: Kind -> (pattern, weight); patterns run on compacted lines (no spaces, ASCII digits).
SIGNALS: Final[dict[Kind, tuple[tuple[str, float], ...]]] = {
    "order": (
        ("订单详情", 4),
        ("订单编号", 3),
        ("订单号", 2),
        ("实付款", 3),
        ("实付", 1),
        ("下单时间", 2),
        ("商品总价", 2),
        ("交易快照", 2),
        ("收货人", 1),
        ("交易成功|待收货|待发货|已发货|待付款|退款成功", 1),
    ),
    "rules": (
        ("活动规则|规则说明|活动说明|玩法说明|规则详情", 4),
        ("活动时间|活动期间", 1),
        ("解释权", 2),
        ("参与条件|参与方式|活动对象", 1),
    ),
    "bargain_progress": (
        (r"已砍\d", 3),
        (r"还差[¥]?\d+(?:\.\d+)?元", 2),
        ("帮砍|砍一刀|帮我砍", 2),
        ("砍价", 1),
        ("剩余时间|后结束|后失效", 1),
    ),
    "assist_record": (
        (r"已有\d+(?:人|位|个)", 3),
        (r"还差\d+(?:人|位|个)", 2),
        ("助力记录|好友助力|为你助力|帮你助力", 2),
        ("助力", 1),
    ),
    "cs_chat": (
        ("人工客服|官方客服|在线客服|客服小", 2),
        ("客服", 1),
        ("^亲[,，!]?", 1),
        ("有什么可以帮您|很高兴为您服务|为您转接|感谢您的耐心", 2),
        ("请输入|^发送$", 2),
    ),
    "payment": (
        ("支付成功|付款成功|账单详情|账单明细", 3),
        ("交易单号|商户单号|支付单号", 3),
        ("商户全称|收款方", 2),
        ("支付时间|付款时间", 1),
        ("付款方式|支付方式", 1),
    ),
    "logistics": (
        ("物流详情|物流信息|查看物流", 3),
        ("运单号|快递单号|物流单号", 3),
        ("已签收|派送中|已揽收|揽件|运输中|转运中心|中转", 2),
        ("快递|物流", 1),
    ),
    # A 12315 (or platform) complaint / report confirmation page.
    "complaint": (
        ("投诉编号|举报编号|登记编号|受理编号|工单编号|工单号", 4),
        ("提交成功|已提交|登记成功|受理成功|待受理|已受理|处理中", 2),
        ("12315|市场监管|消费者协会|消协", 2),
        ("投诉时间|举报时间|提交时间|登记时间", 1),
        ("被投诉方|被投诉人|被举报方|投诉人|举报人", 1),
    ),
}
_COMPILED: Final = {kind: [(re.compile(p), w) for p, w in signals] for kind, signals in SIGNALS.items()}
_NUMBERED = re.compile(r"^(?:\d{1,2}[.、)]|[一二三四五六七八九十][、.])")
TITLE_LINES = 4
MIN_SCORE = 3.0


def scores(lines: list[str]) -> dict[Kind, float]:
    """Each kind's score for compacted ``lines``; a signal counts once per line, double in the title area."""
    total: dict[Kind, float] = dict.fromkeys(_COMPILED, 0.0)
    for index, line in enumerate(lines):
        factor = 2.0 if index < TITLE_LINES else 1.0
        for kind, signals in _COMPILED.items():
            total[kind] += factor * sum(weight for pattern, weight in signals if pattern.search(line))
    numbered = sum(1 for line in lines if _NUMBERED.match(line))
    if numbered >= 3:
        total["rules"] += 1.5 * numbered
    return total


def classify(lines: list[str]) -> tuple[Kind, float]:
    """The most likely kind of a screenshot and a confidence in [0, 1] (``other`` when nothing is clear)."""
    ranked = sorted(scores(lines).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE:
        return "other", 0.5 if top == 0 else 0.3
    margin = (top - second) / top
    return best, round(min(1.0, 0.4 + 0.4 * margin + min(top, 20) / 100), 2)
