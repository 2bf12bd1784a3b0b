"""Facts and kinds from OCR-like text: tables of messy lines (noise, split lines, full-width)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocr import KIND_LABELS, ScreenshotReading, read_screenshot
from ocr.textnorm import compact, first_date, first_money, money

KIND_CASES: list[tuple[list[str], str]] = [
    (["订单详情", "交易成功", "实付款 ￥59.90", "订单编号 231118-492817365029174"], "order"),
    (["订 单 详 情", "待发货", "实 付：１２８.５", "订单号：", "231105330192774651022"], "order"),
    (
        [
            "活动规则",
            "1.活动时间：2023年11月11日至11月20日",
            "2.邀请好友助力",
            "3.砍价失败不退还",
            "4.最终解释权",
        ],
        "rules",
    ),
    (["规则说明", "一、参与方式", "二、活动对象", "三、奖励发放"], "rules"),
    (["砍价免费拿", "已砍 99.9 %", "还差0.01元即可免费拿", "邀请好友帮砍一刀"], "bargain_progress"),
    (["助力享免单", "已有5人助力", "还差2人", "小明 为你助力成功"], "assist_record"),
    (["拼多多官方客服", "亲，您好，请问有什么可以帮您？", "我要转人工客服", "请输入消息 发送"], "cs_chat"),
    (["在线客服", "亲，很高兴为您服务", "我的订单怎么还没到"], "cs_chat"),
    (["账单详情", "-9.90", "支付成功", "交易单号 4200001987202311181234567890"], "payment"),
    (["付款成功", "付款方式 零钱", "商户单号 XP2311181432098765"], "payment"),
    (["物流详情", "中通快递 运单号：78123456789012", "已签收"], "logistics"),
    (["【杭州市】快件派送中", "2023-11-20 07:30", "圆通快递"], "logistics"),
    (["Order Details", "Delivered", "Order total $19.99"], "other"),
    ([], "other"),
    (["今天天气不错"], "other"),
]


@pytest.mark.parametrize(("lines", "kind"), KIND_CASES)
def test_kind_is_recognised(lines: list[str], kind: str) -> None:
    reading = read_screenshot(lines)
    assert reading.kind == kind
    assert reading.label == KIND_LABELS[kind]
    assert 0.0 <= reading.confidence["kind"] <= 1.0


FACT_CASES: list[tuple[list[str], dict[str, str]]] = [
    # label and value on one row, value on the next row, full-width digits, spaces inside numbers
    (["订单编号 231118-492817365029174"], {"order_no": "231118-492817365029174"}),
    (["订单编号：", "２３１１１８－４９２８１７３６５０２９１７４"], {"order_no": "231118-492817365029174"}),
    (["订单号", "231105 3301927746 51022"], {"order_no": "231105-330192774651022"}),
    (["订单号:23111O-49281736SO29174"], {}),  # S is not fixed: an unsure number is not proposed
    (["订单号:231118-4928l7365O29174"], {"order_no": "231118-492817365029174"}),
    (["订单编号 4200000123456789"], {"order_no": "4200000123456789"}),
    (["实付款", "¥ 59. 90"], {"amount": "59.90"}),
    (["实付 59.9"], {"amount": "59.90"}),
    (["实付款 ¥1,299.00"], {"amount": "1299.00"}),
    (["订单编号：231118－492817365029174 复制"], {"order_no": "231118-492817365029174"}),
    (["实付：￥128.5"], {"amount": "128.50"}),
    (["商品总价 ¥69.90", "店铺优惠 -¥10.00", "实付款 ¥59.90"], {"amount": "59.90"}),
    (["下单时间 2023-11-1814:32:05"], {"date": "2023-11-18 14:32"}),
    (["支付时间", "2023年11月18日 14:32:10"], {"date": "2023-11-18 14:32"}),
    (["下单时间：2023/11/05"], {"date": "2023-11-05"}),
    (["活动截止2023-12-0120:00"], {"date": "2023-12-01 20:00"}),
    (["下单时间 2023-13-45"], {}),
    (["店铺：小王的杂货铺 >"], {"merchant": "小王的杂货铺"}),
    (["商户全称 上海寻梦信息技术有限公司"], {"merchant": "上海寻梦信息技术有限公司"}),
    (["鲜果时光旗舰店>"], {"merchant": "鲜果时光旗舰店"}),
    (["店铺优惠 -¥10.00"], {}),
    (["还差0.01元即可免费拿"], {"shortfall": "0.01"}),
    (["还差 ￥0.3 元"], {"shortfall": "0.30"}),
    (["已砍 99.9%"], {"progress": "99.9%"}),
    (["已有5人助力", "还差2人即可免单"], {"assist_count": "5", "assist_missing": "2"}),
    (["已有 12 位好友助力"], {"assist_count": "12"}),
    (["中通快递 运单号：78123456789012"], {"tracking_no": "78123456789012"}),
    (["快递单号", "SF1234567890123"], {"tracking_no": "SF1234567890123"}),
    (["交易单号 4200001987202311181234567890"], {"transaction_no": "4200001987202311181234567890"}),
    (["【砍价免费拿】新疆苹果5斤"], {"activity": "砍价免费拿"}),
    (["【天天抽奖】"], {"activity": "天天抽奖"}),
    (["现金大转盘活动规则"], {"activity": "现金大转盘"}),
    (["商品名称：无线蓝牙耳机"], {"product": "无线蓝牙耳机"}),
]


@pytest.mark.parametrize(("lines", "facts"), FACT_CASES)
def test_facts_from_messy_lines(lines: list[str], facts: dict[str, str]) -> None:
    found = read_screenshot(lines).facts
    for name, value in facts.items():
        assert found.get(name) == value, (name, found)
    if not facts:
        wanted = {"order_no", "amount", "date", "merchant"}
        assert not wanted & found.keys(), found


def test_a_phone_number_is_never_an_order_number() -> None:
    reading = read_screenshot(["收货人 张三 13812345678", "订单号 13812345678", "联系电话：138 1234 5678"])
    assert "order_no" not in reading.facts
    assert "13812345678" not in reading.facts.values()


def test_an_order_number_next_to_a_phone_number_is_found() -> None:
    reading = read_screenshot(["收货人 张三 13812345678", "订单编号", "231118-492817365029174"])
    assert reading.facts["order_no"] == "231118-492817365029174"


def test_shortfall_is_not_the_amount() -> None:
    reading = read_screenshot(["砍价免费拿", "已砍99.9%", "还差0.01元", "原价¥129.00"])
    assert reading.facts["shortfall"] == "0.01"
    assert "amount" not in reading.facts


@pytest.mark.parametrize(
    ("lines", "product"),
    [
        (["订单详情", "好物旗舰店>", "【百亿补贴】保温杯500ml", "实付款 ¥39.00"], "保温杯500ml"),
        (["订单详情", "店铺:好物小店", "订单编号 231118-492817365029174"], None),
        (["砍价免费拿", "电动牙刷 声波款", "原价¥199.00", "已砍98%"], "电动牙刷声波款"),
        (["砍价免费拿", "2023-11-18 10:00", "原价¥199.00"], None),
    ],
)
def test_product_title_is_guessed_only_from_a_title_line(lines: list[str], product: str | None) -> None:
    assert read_screenshot(lines).facts.get("product") == product


def test_confidence_is_given_for_every_fact() -> None:
    reading = read_screenshot(
        ["订单详情", "实付款 ¥59.90", "订单编号 231118-492817365029174", "鲜果时光旗舰店"]
    )
    assert set(reading.facts) <= set(reading.confidence)
    assert reading.confidence["order_no"] > reading.confidence["merchant"]


def test_reading_is_plain_data() -> None:
    reading = ScreenshotReading(kind="order", facts={"amount": "1.00"})
    assert reading.label == "订单详情截图"
    assert set(KIND_LABELS) == {
        "order", "rules", "bargain_progress", "assist_record", "cs_chat", "payment", "logistics",
        "complaint", "other",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "number", "kind_of_filing"),
    [
        (
            ["全国12315平台", "投诉提交成功", "投诉编号：32011500020241118000123", "提交时间：2024-11-18 10:23",
             "被投诉方：上海寻梦信息技术有限公司", "状态：待受理"],
            "32011500020241118000123",
            "投诉",
        ),
        (["举报提交成功", "举报编号 JB2024111800045", "举报时间 2024年11月19日"], "JB2024111800045", "举报"),
    ],
)  # fmt: skip
def test_a_complaint_confirmation_page_gives_its_number(
    lines: list[str], number: str, kind_of_filing: str
) -> None:
    """A 12315 confirmation page is its own kind, with the complaint number and the date filed."""
    reading = read_screenshot(lines)
    assert reading.kind == "complaint"
    assert reading.facts["complaint_no"] == number and reading.facts["complaint_type"] == kind_of_filing
    assert reading.facts["date"].startswith("2024-11-1")


def test_an_order_page_has_no_complaint_number() -> None:
    """Order numbers are never read as complaint numbers."""
    reading = read_screenshot(["订单详情", "订单编号：231118-492817365029174", "实付款 ¥59.90"])
    assert reading.kind == "order" and "complaint_no" not in reading.facts


COMPACT_CASES = [
    ("订 单 号：２３１１１８", "订单号:231118"),
    ("￥ 59. 90", "¥59.90"),
    ("1O0l5", "10015"),
    ("Lily为你助力", "Lily为你助力"),
    ("23111O-49", "231110-49"),
]


@pytest.mark.parametrize(("raw", "expected"), COMPACT_CASES)
def test_compact(raw: str, expected: str) -> None:
    assert compact(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("59.9", "59.90"), ("0.01", "0.01"), ("128", "128.00"), ("x", None), ("99999999", None)],
)
def test_money(text: str, expected: str | None) -> None:
    assert money(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-1814:32:05", "2023-11-18 14:32"),
        ("2023年1月5日", "2023-01-05"),
        ("2023.02.30", None),
        ("2023-11-18 25:61", "2023-11-18"),
        ("11-20 10:00", None),
    ],
)
def test_first_date(text: str, expected: str | None) -> None:
    assert first_date(compact(text)) == expected


@given(st.integers(min_value=3, max_value=9), st.integers(min_value=0, max_value=999_999_999))
def test_no_mobile_number_becomes_an_order_number(second: int, rest: int) -> None:
    phone = f"1{second}{rest:09d}"
    for lines in (["订单号 " + phone], ["订单编号", phone], [phone]):
        assert read_screenshot(lines).facts.get("order_no") is None


@given(st.integers(min_value=0, max_value=9_999_999), st.integers(min_value=0, max_value=99))
def test_any_labelled_amount_is_normalized(units: int, cents: int) -> None:
    reading = read_screenshot([f"实付款 ￥{units}.{cents:02d}"])
    assert reading.facts["amount"] == f"{units}.{cents:02d}"
    assert first_money(f"¥{units}.{cents:02d}") == f"{units}.{cents:02d}"


@given(st.lists(st.text(max_size=60), max_size=30))
def test_any_text_gives_a_reading(lines: list[str]) -> None:
    reading = read_screenshot(lines)
    assert reading.kind in KIND_LABELS
    assert all(isinstance(value, str) and value for value in reading.facts.values())
    assert set(reading.facts) <= set(reading.confidence)


def test_whole_noisy_order_page() -> None:
    lines = [
        "14:32 5G 87%",
        "<   订 单 详 情",
        "交易成功",
        "鲜果时光旗舰店 >",
        "【砍价免费拿】 新疆阿克苏冰糖心苹果 5斤",
        "商品总价  ￥69.90",
        "实付款",
        "￥ 59. 9O",
        "订单编号：２３１１１８－４９２８１７３６５O２９１７４  复制",
        "下单时间：2023－11－18  14：32：05",
        "口",
    ]
    reading = read_screenshot(lines)
    assert reading.kind == "order"
    assert reading.facts["order_no"] == "231118-492817365029174"
    assert reading.facts["amount"] == "59.90"
    assert reading.facts["date"] == "2023-11-18 14:32"
    assert reading.facts["merchant"] == "鲜果时光旗舰店"
    assert reading.facts["activity"] == "砍价免费拿"
    assert reading.facts["product"] == "新疆阿克苏冰糖心苹果5斤"
