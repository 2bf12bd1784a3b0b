"""Facts from the text of a screenshot (pure: no OCR needed): kind, order number, amount, date...

``read_screenshot(lines)`` takes OCR lines (one per visual row, as :class:`ocr.OcrText` gives
them, or any list of strings) and proposes facts under the dialogue's names. Values are
normalized: amounts ``"59.90"``, dates ``"2023-11-18"`` or ``"2023-11-18 14:32"``, Pinduoduo
order numbers ``"231118-492817365029174"``. Nothing here logs or stores the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.screenshots import Kind
from domain.shops import ACTIVITIES, STORE_NAME, find_platform, shop_name
from ocr.kinds import TITLE_LINES, classify
from ocr.model import ScreenshotReading
from ocr.textnorm import compact, first_date, first_money, is_phone

LABELLED, PATTERN, GUESS = 0.9, 0.75, 0.5

ORDER_LABELS = ("订单编号", "订单号码", "订单号", "订单ID")
AMOUNT_LABELS = (
    "实付款",
    "实付金额",
    "实付",
    "实收",
    "付款金额",
    "支付金额",
    "订单金额",
    "应付",
    "合计",
    "总计",
)
DATE_LABELS = (
    "下单时间", "支付时间", "付款时间", "创建时间", "成交时间", "交易时间",
    "活动时间", "活动期间", "活动截止", "截止时间", "发起时间", "签收时间", "发货时间",
)  # fmt: skip
MERCHANT_LABELS = (
    "商户全称",
    "商户名称",
    "商家名称",
    "店铺名称",
    "收款方",
    "商家:",
    "店铺:",
    "卖家:",
    "商户:",
)
PRODUCT_LABELS = ("商品名称", "商品名", "宝贝名称", "商品:", "商品")
TRACKING_LABELS = ("运单号", "快递单号", "物流单号", "运单编号")
COMPLAINT_LABELS = ("投诉编号", "举报编号", "登记编号", "受理编号", "工单编号", "工单号")
TRANSACTION_LABELS = ("交易单号", "支付单号", "交易号")
_ORDER_VALUE = re.compile(r"^[#:]?([0-9][0-9-]{9,32})(?![0-9A-Za-z])")
_PDD_ORDER = re.compile(r"(?<![\d-])(\d{6})-?(\d{15})(?![\d-])")
_PDD_ANYWHERE = re.compile(r"(?<![\d-])(\d{6}-\d{12,18})(?![\d-])")
_BRACKET = re.compile(r"【([^】]{2,12})】")
_ACTIVITY_WORD = re.compile(r"砍|助力|免单|免费|现金|红包|抽奖|转盘")
_SHORTFALL = re.compile(r"还?差[¥]?(\d{1,7}(?:\.\d{1,2})?)元")
_PROGRESS = re.compile(r"已砍(\d{1,3}(?:\.\d{1,3})?)%")
_ASSIST_COUNT = re.compile(r"已有(\d{1,4})(?:人|位|个|名)(?:好友)?(?:助力|帮|参与)")
_ASSIST_MISSING = re.compile(r"还差(\d{1,4})(?:人|位|个|名)")
_TRACKING = re.compile(r"^([A-Za-z]{0,4}\d{8,24})")
_COMPLAINT_NO = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]{5,39})")
_TRANSACTION = re.compile(r"^(\d{16,32})")
_MONEY_ONLY = re.compile(r"^[-+]?[¥]?(\d{1,7}\.\d{2})$")
_NOT_PRODUCT = re.compile(r"^(?:总价|金额|优惠|信息|详情|合计|数量|规格|价格|原价)|¥")
_NOT_A_TITLE = re.compile(r"订单|时间|编号|单号|支付|付款|收货|地址|电话|客服|规格|^\d")
Accept = Callable[[str], str | None]


def _labelled(lines: list[str], labels: tuple[str, ...], accept: Accept) -> str | None:
    """The first accepted value after one of ``labels`` (on the same line, else on the next one)."""
    for index, line in enumerate(lines):
        for label in labels:
            position = line.find(label)
            if position < 0:
                continue
            rest = line[position + len(label) :].lstrip(":")
            if rest:
                value = accept(rest)
            elif index + 1 < len(lines):
                value = accept(lines[index + 1])
            else:
                value = None
            if value:
                return value
    return None


def _order_no(value: str) -> str | None:
    """A Pinduoduo-style or plain long order number at the start of ``value``; never a phone number."""
    found = _ORDER_VALUE.match(value)
    if not found:
        return None
    candidate = found.group(1).strip("-")
    pdd = _PDD_ORDER.fullmatch(candidate)
    if pdd and 1 <= int(pdd.group(1)[2:4]) <= 12:
        return f"{pdd.group(1)}-{pdd.group(2)}"
    if re.fullmatch(r"\d{6}-\d{12,18}", candidate):
        return candidate
    digits = candidate.replace("-", "")
    if 10 <= len(digits) <= 25 and digits.isdigit() and not is_phone(digits):
        return digits
    return None


def _money_value(value: str) -> str | None:
    """The first amount in a labelled value."""
    return first_money(value)


def _product(value: str) -> str | None:
    """A goods title: not a price row, the activity tag in 【】 dropped."""
    if _NOT_PRODUCT.search(value):
        return None
    title = _BRACKET.sub("", value).strip()
    return title if len(title) >= 3 else None


def _first(lines: list[str], pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``lines``."""
    for line in lines:
        found = pattern.search(line)
        if found:
            return found
    return None


def _find_order_no(lines: list[str]) -> tuple[str, float] | None:
    """The order number: labelled first, else a Pinduoduo-shaped number anywhere."""
    value = _labelled(lines, ORDER_LABELS, _order_no)
    if value:
        return value, LABELLED
    found = _first(lines, _PDD_ANYWHERE)
    return (found.group(1), PATTERN) if found else None


def _find_amount(lines: list[str], kind: Kind) -> tuple[str, float] | None:
    """The amount paid: labelled first; a payment's big amount line; an order's first ¥ price."""
    value = _labelled(lines, AMOUNT_LABELS, _money_value)
    if value:
        return value, LABELLED
    if kind == "payment":
        for line in lines:
            found = _MONEY_ONLY.match(line)
            if found:
                return first_money(found.group(1)) or found.group(1), PATTERN
    if kind in ("order", "payment"):
        for line in lines:
            if not re.search("原价|总价|优惠|运费|红包|券", line):
                value = first_money(line, need_sign=True)
                if value:
                    return value, GUESS
    return None


def _find_date(lines: list[str]) -> tuple[str, float] | None:
    """The order, payment or activity time: labelled first, else the first full date."""
    value = _labelled(lines, DATE_LABELS, first_date)
    if value:
        return value, LABELLED
    for line in lines:
        value = first_date(line)
        if value:
            return value, PATTERN
    return None


def _find_merchant(lines: list[str]) -> tuple[str, float] | None:
    """The shop or merchant: labelled first, else a name ending in 旗舰店/专营店..."""
    value = _labelled(lines, MERCHANT_LABELS, shop_name)
    if value:
        return value, LABELLED
    found = _first(lines, STORE_NAME)
    return (found.group(1), PATTERN) if found else None


def _find_product(lines: list[str], kind: Kind, merchant: str | None) -> tuple[str, float] | None:
    """The goods title: labelled; on an order the line under the shop; on a bargain the line above 原价."""
    value = _labelled(lines, PRODUCT_LABELS, _product)
    if value:
        return value, LABELLED
    for index, line in enumerate(lines[:-1]):
        below = lines[index + 1]
        title = None
        if kind == "order" and merchant and merchant in line:
            title = below
        elif kind in ("bargain_progress", "assist_record") and "原价" in below:
            title = line
        value = _product(title) if title and not _NOT_A_TITLE.search(title) else None
        if value:
            return value, GUESS
    return None


def _find_activity(lines: list[str]) -> tuple[str, float] | None:
    """The activity name: a known one (title lines first), else a 【tag】 or ``xx活动规则`` heading."""
    for block in (lines[:TITLE_LINES], lines):
        for line in block:
            for name in ACTIVITIES:
                if name in line:
                    return name, PATTERN
    for line in lines:
        bracket = _BRACKET.search(line)
        if bracket and _ACTIVITY_WORD.search(bracket.group(1)):
            return bracket.group(1), GUESS
        heading = re.match(r"^(.{2,10}?)活动规则$", line)
        if heading and _ACTIVITY_WORD.search(heading.group(1)):
            return heading.group(1), GUESS
    return None


def _find_platform(lines: list[str]) -> tuple[str, float] | None:
    """A platform named on the screenshot (拼多多, 淘宝...)."""
    for line in lines:
        name = find_platform(line)
        if name:
            return name, GUESS
    return None


def _found(
    pattern: re.Pattern[str], lines: list[str], convert: Callable[[str], str | None]
) -> tuple[str, float] | None:
    """A value captured by ``pattern`` anywhere, converted."""
    found = _first(lines, pattern)
    value = convert(found.group(1)) if found else None
    return (value, PATTERN) if value else None


def _labelled_only(
    lines: list[str], labels: tuple[str, ...], pattern: re.Pattern[str]
) -> tuple[str, float] | None:
    """A value right after one of ``labels`` matching ``pattern``."""

    def accept(value: str) -> str | None:
        found = pattern.match(value)
        return found.group(1) if found else None

    value = _labelled(lines, labels, accept)
    return (value, LABELLED) if value else None


def read_screenshot(lines: list[str]) -> ScreenshotReading:
    """The kind of a screenshot and the facts its text proposes (values normalized, to be confirmed)."""
    rows = [row for row in (compact(line) for line in lines) if row]
    kind, kind_confidence = classify(rows)
    merchant = _find_merchant(rows)
    candidates: dict[str, tuple[str, float] | None] = {
        "platform": _find_platform(rows),
        "order_no": _find_order_no(rows),
        "amount": _find_amount(rows, kind),
        "date": _find_date(rows),
        "merchant": merchant,
        "product": _find_product(rows, kind, merchant[0] if merchant else None),
        "activity": _find_activity(rows),
        "shortfall": _found(_SHORTFALL, rows, first_money),
        "progress": _found(_PROGRESS, rows, lambda value: f"{value}%"),
        "assist_count": _found(_ASSIST_COUNT, rows, str),
        "assist_missing": _found(_ASSIST_MISSING, rows, str),
        "tracking_no": _labelled_only(rows, TRACKING_LABELS, _TRACKING),
        "transaction_no": _labelled_only(rows, TRANSACTION_LABELS, _TRANSACTION),
        "complaint_no": _labelled_only(rows, COMPLAINT_LABELS, _COMPLAINT_NO)
        if kind == "complaint"
        else None,
        "complaint_type": (("举报" if any("举报" in row for row in rows) else "投诉"), 1.0)
        if kind == "complaint"
        else None,
    }
    facts = {name: found[0] for name, found in candidates.items() if found}
    confidence = {name: found[1] for name, found in candidates.items() if found}
    confidence["kind"] = kind_confidence
    return ScreenshotReading(kind=kind, facts=facts, confidence=confidence)
