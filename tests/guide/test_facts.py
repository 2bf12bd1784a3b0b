"""Extraction of case facts from messy free text, and validation of answers."""

from __future__ import annotations

from datetime import datetime

import pytest

from guide import extract_facts
from guide.facts import parse_fact

NOW = datetime(2024, 11, 20, 15, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("订单号231118-492817365029174 助力没了", "231118-492817365029174"),
        ("订单编号 231102-337481920564718 的砍价", "231102-337481920564718"),
        ("单号：123456789012345678，麻烦看看", "123456789012345678"),
        ("京东订单 3245678901234", "3245678901234"),
        ("我的手机13812345678，订单 240305-118392047716352", "240305-118392047716352"),
    ],
)
def test_order_numbers(text: str, expected: str) -> None:
    assert extract_facts(text, NOW)["order_no"] == expected


@pytest.mark.parametrize(
    "text",
    ["我的电话是13812345678", "联系我 15900001111 谢谢", "差0.01元", "2024-11-18 买的", "金额 12345.67元"],
)
def test_no_order_number(text: str) -> None:
    assert "order_no" not in extract_facts(text, NOW)


@pytest.mark.parametrize(
    ("text", "amount", "shortfall"),
    [
        ("付了¥9.9", "9.9元", None),
        ("花了 9.90元 买的", "9.9元", None),
        ("￥ 59，付款时变成了￥69", "59元", None),
        ("砍价还差0.01元就成功", None, "0.01元"),
        ("差0.01", None, "0.01"),
        ("商品¥89，还差 0.04 元", "89元", "0.04元"),
        ("返现5块钱没到账", "5元", None),
        ("找了20个人都砍不掉", None, None),
    ],
)
def test_amounts(text: str, amount: str | None, shortfall: str | None) -> None:
    facts = extract_facts(text, NOW)
    assert facts.get("amount") == amount
    expected_shortfall = shortfall if shortfall is None or shortfall.endswith("元") else shortfall + "元"
    assert facts.get("shortfall") == expected_shortfall


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-18 参加的活动", "2024-11-18"),
        ("2024年11月8日下单", "2024-11-08"),
        ("2024/1/5", "2024-01-05"),
        ("11月18日砍的", "2024-11-18"),
        ("12月25号买的", "2023-12-25"),  # in the future this year -> last year
        ("昨天助力还在", "2024-11-19"),
        ("前天开始砍价", "2024-11-18"),
        ("今天早上一看清零了", "2024-11-20"),
        ("2024-02-30 这天", None),
    ],
)
def test_dates(text: str, expected: str | None) -> None:
    assert extract_facts(text, NOW).get("date") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("拼多多助力被吞", "拼多多"),
        ("PDD砍价", "拼多多"),
        ("拼夕夕又吞我助力", "拼多多"),
        ("淘宝的助力活动", "淘宝"),
        ("天猫旗舰店没发货", "天猫"),
        ("京东那个助力领京豆", "京东"),
        ("dy上的助力活动", "抖音"),
        ("抖音0元购", "抖音"),
        ("快手极速版", "快手"),
        ("美团外卖的助力红包", "美团"),
        ("饿了么红包", "饿了么"),
        ("唯品会的券", "唯品会"),
        ("today is ready", None),  # "dy" inside an English word is not 抖音
    ],
)
def test_platforms(text: str, expected: str | None) -> None:
    assert extract_facts(text, NOW).get("platform") == expected


def test_customer_service_and_demand() -> None:
    facts = extract_facts("客服说以页面显示为准。我要求恢复助力记录", NOW)
    assert facts["cs_contacted"] == "是"
    assert facts["cs_reply"] == "以页面显示为准"
    assert facts["demand"] == "恢复助力记录"


def test_merchant_activity_and_complainant() -> None:
    facts = extract_facts(
        "商家：好运小店，活动名称：砍价免费拿。我叫李四，手机13912345678，地址：上海市长宁区某路1号", NOW
    )
    assert facts["merchant"] == "好运小店"
    assert facts["activity"] == "砍价免费拿"
    assert facts["complainant_name"] == "李四"
    assert facts["complainant_phone"] == "13912345678"
    assert facts["complainant_address"] == "上海市长宁区某路1号"
    assert "order_no" not in facts


def test_store_name_and_known_activity() -> None:
    facts = extract_facts("在某某旗舰店参加现金大转盘", NOW)
    assert facts["merchant"] == "某某旗舰店"
    assert facts["activity"] == "现金大转盘"


@pytest.mark.parametrize("text", ["", "   ", "😡😡😡", "a" * 10000, "1" * 5000])
def test_messy_input_never_crashes(text: str) -> None:
    facts = extract_facts(text, NOW)
    assert all(len(value) <= 300 for value in facts.values())


@pytest.mark.parametrize(
    ("name", "answer", "expected"),
    [
        ("order_no", "231118-492817365029174", "231118-492817365029174"),
        ("order_no", "13812345678", None),
        ("order_no", "不知道", None),
        ("date", "昨天", "2024-11-19"),
        ("date", "哪天来着", None),
        ("amount", "9.9", "9.9元"),
        ("amount", "¥12", "12元"),
        ("amount", "很多钱", None),
        ("shortfall", "0.01", "0.01元"),
        ("complainant_phone", "138 1234 5678", "13812345678"),
        ("complainant_phone", "12345", None),
        ("cs_contacted", "是的", "是"),
        ("cs_contacted", "还没", "否"),
        ("cs_contacted", "也许吧", None),
        ("complainant_name", "王五", "王五"),
        ("complainant_name", "123", None),
        ("platform", "pdd", "拼多多"),
        ("cs_reply", "客服说让我等通知", "让我等通知"),
        ("description", "  好友助力显示成功但没记录  ", "好友助力显示成功但没记录"),
    ],
)
def test_parse_fact(name: str, answer: str, expected: str | None) -> None:
    assert parse_fact(name, answer, NOW) == expected
