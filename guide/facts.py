"""Case facts: extraction from free text and validation of answers to a fact question."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

import opencc

from domain.labels import FACT_LABELS
from domain.limits import MAX_MESSAGE_LENGTH
from domain.shops import ACTIVITIES, STORE_NAME, find_platform
from guide import money
from guide.clock import local_date
from guide.dates import relative_date

MAX_FACT = 300

_AMOUNT_NUMBER = r"(\d{1,7}(?:\.\d{1,2})?)"
_PDD_ORDER = re.compile(r"(?<![\d-])(\d{6}-\d{12,18})(?![\d-])")
_DIGITS = re.compile(r"(?<![\d.])(\d{10,25})(?![\d.])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
#: After a number: it counts something else than money (a percentage is progress, 金币 are points).
NOT_MONEY = r"(?![\d.]|\s{0,3}(?:%|％|个|位|次|人|刀|金币|积分|钻石|豆|点|张|份|天|小时|分钟|秒|步|级))"
_SHORTFALL = re.compile(
    r"还?差\s{0,3}[¥￥]?\s{0,3}" + _AMOUNT_NUMBER + NOT_MONEY + r"\s{0,3}(?:元|块|rmb)?", re.I
)
_AMOUNT = re.compile(
    r"[¥￥]\s{0,3}" + _AMOUNT_NUMBER + r"|" + _AMOUNT_NUMBER + r"\s{0,3}(?:元|块钱|块|rmb)(?![a-z])", re.I
)
_FULL_DATE = re.compile(
    r"(?<!\d)(20\d{2})\s{0,3}[-/.年]\s{0,3}(\d{1,2})\s{0,3}[-/.月]\s{0,3}(\d{1,2})\s{0,3}[日号]?"
)
_MONTH_DAY = re.compile(r"(?<![\d/.-])(\d{1,2})\s{0,3}月\s{0,3}(\d{1,2})\s{0,3}[日号]")
_RELATIVE = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "昨晚": 1, "今天": 0, "今日": 0, "今早": 0}
_MERCHANT = re.compile(
    r"(?:商家|店铺|店家|卖家)(?:名称|名字|叫|是|：|:){1,3}\s{0,3}([^\s，。,.!！?？;；]{2,30})"
)
_ACTIVITY = re.compile(r"活动(?:名称|名字|叫|是|：|:){1,3}\s{0,3}[「“\"]?([^\s，。,.!！?？;；」”\"]{2,30})")
_DEMAND = re.compile(r"(?:我要求|要求|希望|我想要|诉求是?[：:]?)\s{0,3}([^。！!？?\n]{2,80})")
_CS_REPLY = re.compile(
    r"客服(?:回复|答复|回答|说|称|表示)(?:了|的是)?[：:，,]?\s{0,3}[「“\"]?([^。！!？?\n」”\"]{2,120})"
)
_CS_CONTACT = re.compile(r"(联系|找|问|咨询|打)(过|了)?\s{0,3}(人工)?客服|客服(回复|答复|回答|说|称|表示)")
_CS_NOT_CONTACTED = re.compile(r"(没|未|还没|不)有?去?(联系|找|问|咨询|打)过?(人工)?客服")
_NAME = re.compile(r"(?:我叫|我的名字是|姓名[：:]?)\s{0,3}([\u4e00-\u9fa5·]{2,8}|[A-Za-z ]{2,30})")
_CONTACT_PHONE = re.compile(r"(?:电话|手机|联系方式)")
_ADDRESS = re.compile(r"(?:地址|住址)(?:是|在|：|:|\s)+\s{0,3}([^\n]{4,120})")
#: An address without the word 地址: province or city, district or county, then a numbered place.
_BARE_ADDRESS = re.compile(
    r"([\u4e00-\u9fa5]{2,8}(?:省|自治区|市)[\u4e00-\u9fa5]{0,8}?(?:市|区|县|州|盟)"
    r"[\u4e00-\u9fa5\dA-Za-z\-]{2,60}?(?:号院|号楼|号|室|栋|幢|单元))"
)
#: Answers meaning "there is no order" / "I paid nothing".
_NO_ORDER = ("无", "没有", "没有订单", "无订单", "没下单", "没有下单")
_NOT_PAID = ("没付钱", "没有付钱", "没付款", "没有付款", "未付款", "未支付", "没花钱", "免费", "无", "没有")
_YES = ("是", "是的", "对", "有", "联系过", "联系了", "已联系", "找过", "嗯", "yes", "y")
_NO = ("否", "不是", "没有", "没", "还没", "未联系", "no", "n")


@cache
def _t2s() -> opencc.OpenCC:
    """The Traditional→Simplified converter, built on first use (never at import)."""
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in Simplified characters, one for one, so positions still match ``text``.

    A conversion that changes the length (rare phrase mappings) is not used: the patterns
    then run on the original text.
    """
    converted: str = _t2s().convert(text)
    return converted if len(converted) == len(text) else text


def _span(match: re.Match[str] | None, original: str, strip: str = "") -> str | None:
    """Group 1 of ``match`` (found in the simplified text) as the person wrote it in ``original``."""
    if match is None:
        return None
    start, end = match.span(1)
    value = match.group(1)
    start += len(value) - len(value.lstrip(strip))
    return original[start:end]


def _clean(value: str) -> str:
    """Collapse whitespace and cut to MAX_FACT characters."""
    return " ".join(value.split())[:MAX_FACT]


def _money(value: str) -> str:
    """``9.90`` -> ``9.9元``."""
    number = value.rstrip("0").rstrip(".") if "." in value else value
    return f"{number or '0'}元"


def _order_no(text: str) -> str | None:
    found = _PDD_ORDER.search(text)
    if found:
        return found.group(1)
    for match in _DIGITS.finditer(text):
        digits = match.group(1)
        if not _PHONE.fullmatch(digits):
            return digits
    return None


def _date(text: str, now: datetime) -> str | None:
    today = local_date(now)
    found = _FULL_DATE.search(text)
    if found:
        return _valid_date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = _MONTH_DAY.search(text)
    if found:
        month, day = int(found.group(1)), int(found.group(2))
        value = _valid_date(today.year, month, day)
        if value is not None and date.fromisoformat(value) > today:
            value = _valid_date(today.year - 1, month, day)
        return value
    for word, days in _RELATIVE.items():
        if word in text:
            return (today - timedelta(days=days)).isoformat()
    return relative_date(text, today)


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _amounts(text: str) -> tuple[str | None, str | None]:
    """(amount, shortfall) found in ``text``; a shortfall is not also an amount."""
    shortfall_match = _SHORTFALL.search(text)
    shortfall = _money(shortfall_match.group(1)) if shortfall_match else None
    rest = text
    if shortfall_match:
        rest = text[: shortfall_match.start()] + " " + text[shortfall_match.end() :]
    rest = _PDD_ORDER.sub(" ", rest)
    amount_match = _AMOUNT.search(rest)
    amount = None
    if amount_match:
        amount = _money(amount_match.group(1) or amount_match.group(2))
    return amount, shortfall


#: A percentage is progress, never money: ``还差0.5%`` → ``还差0.5%``, ``进度99.9%`` → ``99.9%``.
_PROGRESS = re.compile(
    r"(还差|差|进度条?(?:到了|已经|是|显示)?|砍到了?|已砍|到了|卡在|停在)\s{0,3}(\d{1,3}(?:\.\d{1,4})?)\s{0,3}[%％]"
)


def _progress(text: str) -> str | None:
    """The progress a message gives as a percentage (the first one), as the person put it."""
    found = _PROGRESS.search(text)
    if found is None or float(found.group(2)) > 100:
        return None
    return f"还差{found.group(2)}%" if found.group(1) in ("还差", "差") else f"{found.group(2)}%"


def extract_facts(text: str, now: datetime) -> dict[str, str]:
    """Facts found in free ``text`` (dates relative to ``now``), keyed by fact name."""
    original = text[:MAX_MESSAGE_LENGTH]
    # Patterns match the simplified text; free-text values are cut from the original.
    text = simplified(original)
    facts: dict[str, str] = {}
    found: dict[str, str | None] = {
        "platform": find_platform(text),
        "order_no": _order_no(text),
        "date": _date(text, now),
    }
    found["amount"], found["shortfall"] = _amounts(money.normalize(text))
    found["progress"] = _progress(text)
    merchant = _MERCHANT.search(text) or STORE_NAME.search(text)
    found["merchant"] = _span(merchant, original, "在从去到于是的了买家个那这")
    activity = _ACTIVITY.search(text)
    found["activity"] = _span(activity, original) or next((a for a in ACTIVITIES if a in text), None)
    found["demand"] = _span(_DEMAND.search(text), original)
    found["cs_reply"] = _span(_CS_REPLY.search(text), original)
    contacted = _CS_CONTACT.search(text) and not _CS_NOT_CONTACTED.search(text)
    found["cs_contacted"] = "是" if contacted else None
    name = _span(_NAME.search(text), original)
    found["complainant_name"] = name.strip() if name else None
    phone = _PHONE.search(text)
    found["complainant_phone"] = phone.group(1) if phone and _CONTACT_PHONE.search(text) else None
    address = _span(_ADDRESS.search(text), original) or _span(
        _BARE_ADDRESS.search(text), original, "我住在家是寄到收货的"
    )
    found["complainant_address"] = address
    for key, value in found.items():
        if value:
            facts[key] = _clean(value)
    return facts


def parse_fact(name: str, text: str, now: datetime) -> str | None:
    """The value of fact ``name`` in an answer ``text``, or ``None`` when it is not valid."""
    answer = _clean(text)
    if not answer or name not in FACT_LABELS:
        return None
    found = extract_facts(answer, now)
    bare_answer = simplified(answer).strip("。.!！ ")
    if name == "order_no":
        return "无" if bare_answer in _NO_ORDER else found.get("order_no")
    if name == "date":
        return found.get("date")
    if name == "amount" and bare_answer in _NOT_PAID:
        return "0元"
    if name in ("amount", "shortfall"):
        answer = money.normalize(answer)
        bare = re.fullmatch(r"[¥￥]?\s{0,3}" + _AMOUNT_NUMBER + r"\s{0,3}(元|块)?", answer)
        if bare:
            return _money(bare.group(1))
        return found.get(name) or found.get("shortfall" if name == "amount" else "amount")
    if name == "cs_reply":
        return found.get("cs_reply") or (answer if len(answer) >= 2 else None)
    if name == "platform":
        return found.get("platform") or (answer if len(answer) <= 20 else None)
    if name == "complainant_phone":
        phone = re.fullmatch(r"\+?(?:86)?[\s-]*(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})", answer.replace(" ", ""))
        return phone.group(1) if phone else None
    if name == "cs_contacted":
        lowered = simplified(answer).lower().strip("。.!！ ")
        if lowered in _YES:
            return "是"
        if lowered in _NO:
            return "否"
        return None
    if name == "complainant_name":
        return answer if 1 < len(answer) <= 30 and not any(ch.isdigit() for ch in answer) else None
    if name == "complainant_address":
        return answer if len(answer) >= 4 else None
    return answer if len(answer) >= 2 else None


#: What to tell the person when an answer does not parse.
FACT_HINTS: dict[str, str] = {
    "order_no": "订单号一般是一串数字，如 231118-492817365029174（不是手机号）；没有订单就回复「无」。",
    "date": "日期可以写 2024-11-18、11月18日、昨天。",
    "amount": "金额请写数字，如 9.9 或 9.9元；没有付钱就回复 0。",
    "shortfall": "请写数字，如 0.01 或 0.01元。",
    "complainant_phone": "请写 11 位手机号或带区号的电话。",
    "cs_contacted": "请回答「是」或「否」。",
    "complainant_name": "请写姓名（不含数字）。",
}


def fact_hint(name: str) -> str:
    """A short hint of the expected format of fact ``name``."""
    return FACT_HINTS.get(name, "请写得具体一点。")
