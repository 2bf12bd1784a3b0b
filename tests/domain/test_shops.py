"""The one definition of platforms and shop names, as chat (guide/facts.py) and screenshots (ocr/extract.py) read them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.shops import ACTIVITIES, find_platform, shop_name
from guide.facts import extract_facts
from ocr.extract import read_screenshot

NOW = datetime(2024, 11, 20, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("拼夕夕", "拼多多"),
        ("淘宝天猫旗舰店", "天猫"),  # 天猫 is tried before 淘宝
        ("饿了么订单", "饿了么"),
        ("小红书笔记", "小红书"),
        ("today", None),
    ],
)
def test_platform_in_chat_and_on_screenshots(text: str, expected: str | None) -> None:
    assert find_platform(text) == expected
    assert extract_facts(text, NOW).get("platform") == expected
    assert read_screenshot([text]).facts.get("platform") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("鲜果时光旗舰店", "鲜果时光旗舰店"), ("好物工厂店", "好物工厂店"), ("百货超市", "百货超市")],
)
def test_store_suffixes_are_shared(text: str, expected: str) -> None:
    assert extract_facts(f"在{text}买的", NOW).get("merchant") == expected
    assert read_screenshot([text]).facts.get("merchant") == expected


def test_shop_name_drops_trailing_arrows_and_refuses_prices() -> None:
    assert shop_name("小王的杂货铺 >".replace(" ", "")) == "小王的杂货铺"
    assert shop_name("¥59.90") is None
    assert shop_name("x" * 61) is None


def test_a_longer_activity_name_comes_before_any_it_contains() -> None:
    for index, name in enumerate(ACTIVITIES):
        assert not any(name in later for later in ACTIVITIES[index + 1 :]), name
