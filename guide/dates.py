"""Dates people give relative to today: ``上个月25号``, ``这个月3号``, ``25号``, ``3天前``, ``上周三``."""

from __future__ import annotations

import re
from datetime import date, timedelta

_CN_DAY = "一二两三四五六七八九十"
_MONTH_DAY = re.compile(r"(上上个?月|上个?月|这个?月|本月)\s{0,2}(\d{1,2})\s{0,2}[日号]")
_DAY_ONLY = re.compile(r"(?<![\d月/.\-路街道巷弄村楼])(\d{1,2})\s{0,2}[日号](?![楼院栋室线门店])")
_DAYS_AGO = re.compile(r"(\d{1,3}|[" + _CN_DAY + r"]{1,3})\s{0,2}天(?:以)?前")
_LAST_WEEK = re.compile(r"上(?:个)?(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _months_back(today: date, months: int, day: int) -> date | None:
    year, month = today.year, today.month - months
    while month < 1:
        year, month = year - 1, month + 12
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _SMALL.get(text)
    if text.startswith("十"):  # 十三
        rest = _SMALL.get(text[1:], 0)
        return 10 + rest if len(text) == 2 else None
    if len(text) in (2, 3) and text[1] == "十":  # 二十, 二十五
        tens = _SMALL.get(text[0])
        ones = _SMALL.get(text[2], 0) if len(text) == 3 else 0
        return tens * 10 + ones if tens else None
    return None


def relative_date(text: str, today: date) -> str | None:
    """The ISO date ``text`` names relative to ``today``, or ``None`` (never a date in the future)."""
    found = _MONTH_DAY.search(text)
    if found:
        prefix = found.group(1)
        back = 2 if prefix.startswith("上上") else 1 if prefix.startswith("上") else 0
        value = _months_back(today, back, int(found.group(2)))
        return value.isoformat() if value is not None and value <= today else None
    found = _LAST_WEEK.search(text)
    if found:
        monday = today - timedelta(days=today.weekday() + 7)
        return (monday + timedelta(days=_WEEKDAY[found.group(1)])).isoformat()
    found = _DAYS_AGO.search(text)
    if found:
        days = _small_number(found.group(1))
        if days is not None and days <= 366:
            return (today - timedelta(days=days)).isoformat()
    found = _DAY_ONLY.search(text)
    if found:
        day = int(found.group(1))
        value = _months_back(today, 0, day)
        if value is None or value > today:  # "25号" said on the 3rd: last month's
            value = _months_back(today, 1, day)
        return value.isoformat() if value is not None else None
    return None
