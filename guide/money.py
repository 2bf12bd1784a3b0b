"""Money as people write it: 元角分, 块毛, Chinese numerals (``五十九块九``), before the amount patterns.

:func:`normalize` rewrites those spellings into ``59.9元`` so the amount patterns of
:mod:`guide.facts` find them; everything else is left as it is (lengths change, so it is used
for amounts only, never for spans cut from the original text).
"""

from __future__ import annotations

import re

_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千万"
_CN_DIGIT = "零〇一二两三四五六七八九"
#: ``五十九块九``, ``九块九毛``, ``一百二十元``, ``三块五毛六分``.
_CN_MONEY = re.compile(
    rf"([{_CN}]+)\s{{0,2}}(元|块钱|块)(?:\s{{0,2}}([{_CN_DIGIT}])\s{{0,2}}[角毛]?(?:\s{{0,2}}([{_CN_DIGIT}])\s{{0,2}}分)?)?"
)
#: ``五毛``, ``三角五分`` (no 元 before).
_CN_JIAO = re.compile(
    rf"(?<![{_CN}元块\d])([{_CN_DIGIT}])\s{{0,2}}[角毛](?:\s{{0,2}}([{_CN_DIGIT}])\s{{0,2}}分)?"
)
#: ``59元9角``, ``59块9``, ``59元9角8分`` (a digit after 元 that is no date or count).
_YUAN_JIAO = re.compile(
    r"(\d{1,7})\s{0,2}(?:元|块)\s{0,2}(\d)(?:\s{0,2}[角毛](?:\s{0,2}(\d)\s{0,2}分)?|(?![\d.月日号天个年点]))"
)
#: ``5角``, ``3毛``, ``5角6分``.
_JIAO = re.compile(r"(?<![\d.元块])(\d)\s{0,2}[角毛](?:\s{0,2}(\d)\s{0,2}分)?")


def cn_number(text: str) -> int | None:
    """``五十九`` -> 59, ``一百零五`` -> 105, ``两万`` -> 20000 (``None`` when not a number)."""
    if not text or any(ch not in _CN for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            section += (digit if digit is not None else 1) * _UNIT[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def _yuan(whole: int, jiao: str | None, fen: str | None) -> str:
    cents = int(jiao or 0) * 10 + int(fen or 0)
    if not cents:
        return f"{whole}元"
    return f"{whole}.{cents:02d}".rstrip("0") + "元"


def normalize(text: str) -> str:
    """``text`` with 元角分 and Chinese-numeral amounts written as ``59.9元``."""

    def cn_money(match: re.Match[str]) -> str:
        whole = cn_number(match.group(1))
        if whole is None:
            return match.group(0)
        if match.group(2) == "块" and not match.group(3) and match.group(1) in ("一", "两"):
            return match.group(0)  # 一块 is as often "together" or "a piece" as a yuan
        jiao = str(_DIGIT[match.group(3)]) if match.group(3) else None
        fen = str(_DIGIT[match.group(4)]) if match.group(4) else None
        return _yuan(whole, jiao, fen)

    def cn_jiao(match: re.Match[str]) -> str:
        fen = str(_DIGIT[match.group(2)]) if match.group(2) else None
        return _yuan(0, str(_DIGIT[match.group(1)]), fen)

    text = _CN_MONEY.sub(cn_money, text)
    text = _CN_JIAO.sub(cn_jiao, text)
    text = _YUAN_JIAO.sub(lambda m: _yuan(int(m.group(1)), m.group(2), m.group(3)), text)
    return _JIAO.sub(lambda m: _yuan(0, m.group(1), m.group(2)), text)
