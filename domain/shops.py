"""Where people shop: platforms, activity names and shop names, one definition for chat and screenshots.

``guide/facts.py`` reads them in what a person writes, ``ocr/extract.py`` in the lines of a
screenshot; both use these, so a platform or a shop suffix added here is known to both.
Every pattern is bounded (no unbounded repeat before a possible failure), so a 4,096-character
message cannot make one backtrack (``tests/test_redos.py``).
"""

from __future__ import annotations

import re
from typing import Final

#: Canonical platform name -> spellings (ASCII ones match as whole words only), in the order
#: they are tried: 天猫 before 淘宝 (a 天猫 shop mentions both).
PLATFORMS: Final[dict[str, tuple[str, ...]]] = {
    "拼多多": ("拼多多", "拼夕夕", "拼dd", "pdd", "pinduoduo", "多多买菜"),
    "天猫": ("天猫", "tmall"),
    "淘宝": ("淘宝", "taobao", "tb", "淘特"),
    "京东": ("京东", "jd", "jingdong"),
    "抖音": ("抖音", "dy", "douyin"),
    "快手": ("快手", "kuaishou"),
    "美团": ("美团", "meituan"),
    "饿了么": ("饿了么", "饿了吗", "eleme"),
    "唯品会": ("唯品会", "vip.com"),
    "闲鱼": ("闲鱼",),
    "苏宁": ("苏宁",),
    "小红书": ("小红书",),
}
_ASCII_SPELLINGS: Final = {
    name: [re.compile(rf"(?<![a-z]){re.escape(s)}(?![a-z])") for s in spellings if s.isascii()]
    for name, spellings in PLATFORMS.items()
}

#: Activity names, a longer name before any name it contains (the first one found wins). Bare
#: words such as 抽奖 are not names: a screenshot's 【天天抽奖】 tag names the activity better.
ACTIVITIES: Final[tuple[str, ...]] = (
    "砍价免费拿", "助力享免单", "助力免费拿", "助力免费领", "现金大转盘", "天天领现金", "好友助力免单",
    "多多果园", "百亿补贴", "限时秒杀", "新人首单", "拆红包", "0元购", "免费领", "免单", "好评返现",
)  # fmt: skip

#: What a shop's name ends with (旗舰店, 专营店...).
STORE_SUFFIXES: Final[tuple[str, ...]] = (
    "旗舰店", "专营店", "专卖店", "官方店", "自营店", "企业店", "品牌店", "工厂店", "小店", "超市",
)  # fmt: skip
#: A shop named by its suffix anywhere in a text: group 1 is the name (2 to 20 characters before
#: the suffix, the shortest that ends in one).
STORE_NAME: Final = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,20}?(?:" + "|".join(STORE_SUFFIXES) + r"))")
#: What follows a shop name on a screenshot: arrows and buttons (bounded, see :func:`shop_name`).
NAME_TAIL: Final = re.compile(r"(?:>|〉|›|进店|进入店铺|关注){1,8}$")
#: Longest line read as a shop name: 40 characters and a few trailing arrows or buttons.
NAME_LINE: Final = 60
_LETTER: Final = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def find_platform(text: str) -> str | None:
    """The canonical name of the first platform (in :data:`PLATFORMS` order) ``text`` names."""
    lowered = text.lower()
    for name, spellings in PLATFORMS.items():
        if any(not s.isascii() and s in text for s in spellings):
            return name
        if any(pattern.search(lowered) for pattern in _ASCII_SPELLINGS[name]):
            return name
    return None


def shop_name(value: str) -> str | None:
    """``value`` as a shop or merchant name: letters or Chinese, no prices, trailing arrows dropped."""
    if len(value) > NAME_LINE:  # never a name; and the tail pattern would rescan every position
        return None
    cleaned = NAME_TAIL.sub("", value).strip(":")
    if not 2 <= len(cleaned) <= 40 or "¥" in cleaned or not _LETTER.search(cleaned):
        return None
    return cleaned
