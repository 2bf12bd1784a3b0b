"""Cleaning OCR lines and parsing the values they hold (money, dates, digit runs); pure functions."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation

_SPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_ZERO_LIKE = re.compile(r"(?<=\d)[OoQ〇](?=[\d-])|(?<=[\d-])[OoQ〇](?=\d)")
_ONE_LIKE = re.compile(r"(?<=\d)[lI|丨](?=[\d-])|(?<=[\d-])[lI|丨](?=\d)")
_DATE = re.compile(
    r"(?<!\d)(20\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?"
    r"(?:(\d{1,2})[:点时](\d{2}))?"
)
_MONEY = re.compile(r"(?<![\d.])(\d{1,7}(?:\.\d{1,2})?)(?![\d%])")
_YEN = re.compile(r"[¥](\d{1,7}(?:\.\d{1,2})?)(?![\d%])")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def compact(line: str) -> str:
    """One OCR line normalized for matching.

    NFKC (full-width -> ASCII, ￥ -> ¥), no spaces, no thousands separators, and the look-alikes
    OCR puts inside digit runs fixed (O -> 0, l/I/| -> 1).
    """
    text = unicodedata.normalize("NFKC", line)
    text = text.replace("￥", "¥").replace("Ұ", "¥").replace("：", ":").replace("—", "-").replace("–", "-")
    text = _SPACE.sub("", text)
    text = _THOUSANDS.sub("", text)
    # Run twice: a fix can make the neighbour of the next look-alike a digit ("1OO").
    for _ in range(2):
        text = _ZERO_LIKE.sub("0", text)
        text = _ONE_LIKE.sub("1", text)
    return text


def money(value: str) -> str | None:
    """``"59.9"`` -> ``"59.90"``; ``None`` when not a plausible amount."""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    if amount < 0 or amount >= 10_000_000:
        return None
    return f"{amount.quantize(Decimal('0.01'))}"


def first_money(text: str, need_sign: bool = False) -> str | None:
    """The first amount in ``text`` (after ``¥`` when there is one, or when ``need_sign``)."""
    found = _YEN.search(text)
    if found:
        return money(found.group(1))
    if need_sign:
        return None
    found = _MONEY.search(text)
    return money(found.group(1)) if found else None


def first_date(text: str) -> str | None:
    """The first full date in ``text`` as ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``; ``None`` if none is valid."""
    for found in _DATE.finditer(text):
        year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3))
        hour = found.group(4)
        try:
            if hour is not None:
                stamp = datetime(year, month, day, int(hour), int(found.group(5)))
                return stamp.strftime("%Y-%m-%d %H:%M")
            return datetime(year, month, day).strftime("%Y-%m-%d")
        except ValueError:
            try:
                return datetime(year, month, day).strftime("%Y-%m-%d")
            except ValueError:
                continue
    return None


def is_phone(digits: str) -> bool:
    """True for a mainland mobile number (11 digits starting 13-19)."""
    return PHONE.fullmatch(digits) is not None
