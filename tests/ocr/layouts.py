"""Phone-screen layouts drawn with Pillow for the OCR fixtures (used by ``make_fixtures.py`` only).

Each function draws one kind of screenshot (order page, rules, bargain progress, assist
record, customer-service chat, payment record, logistics, an English page) on a :class:`Page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

WIDTH = 750
SC_INDEX = 2  # Noto Sans CJK SC inside the collection
RED = (225, 37, 27)
GREY = (120, 120, 120)
DARK = (34, 34, 34)
BG = (245, 245, 245)
GREEN = (158, 234, 106)


@dataclass
class Page:
    """A phone page being drawn: a canvas, a cursor and the fonts."""

    regular: str
    bold: str
    height: int = 1334
    y: int = 0
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH, self.height), BG)
        self.draw = ImageDraw.Draw(self.image)

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        """The SC face of the CJK collection at ``size`` px."""
        return ImageFont.truetype(self.bold if bold else self.regular, size, index=SC_INDEX)

    def status_bar(self, clock: str = "14:32") -> None:
        """The phone's status bar and a navigation title bar."""
        self.draw.rectangle((0, 0, WIDTH, 40), fill=(255, 255, 255))
        self.draw.text((24, 8), clock, font=self.font(22, bold=True), fill=DARK)
        self.draw.text((WIDTH - 110, 8), "5G 87%", font=self.font(20), fill=DARK)
        self.y = 40

    def title(self, text: str) -> None:
        """A centred navigation title with a back arrow."""
        self.draw.rectangle((0, self.y, WIDTH, self.y + 88), fill=(255, 255, 255))
        font = self.font(34, bold=True)
        width = self.draw.textlength(text, font=font)
        self.draw.text(((WIDTH - width) / 2, self.y + 22), text, font=font, fill=DARK)
        self.draw.text((24, self.y + 18), "<", font=self.font(40), fill=DARK)
        self.y += 100

    def card(self, height: int) -> tuple[int, int]:
        """A white rounded card; returns its top and the cursor inside it."""
        top = self.y
        self.draw.rounded_rectangle((20, top, WIDTH - 20, top + height), radius=16, fill=(255, 255, 255))
        self.y = top + height + 20
        return top, top + 24

    def row(
        self, y: int, label: str, value: str, size: int = 28, value_color: tuple[int, int, int] = DARK
    ) -> None:
        """A label on the left and its value on the right, as order pages draw them."""
        font = self.font(size)
        self.draw.text((44, y), label, font=font, fill=GREY)
        width = self.draw.textlength(value, font=font)
        self.draw.text((WIDTH - 44 - width, y), value, font=font, fill=value_color)

    def text(
        self,
        x: int,
        y: int,
        text: str,
        size: int = 28,
        color: tuple[int, int, int] = DARK,
        bold: bool = False,
    ) -> None:
        """Plain text at a position."""
        self.draw.text((x, y), text, font=self.font(size, bold), fill=color)

    def bubble(self, y: int, side: str, text: str) -> None:
        """A chat bubble with an avatar: the shop on the left, the person (green) on the right."""
        font = self.font(26)
        width = int(self.draw.textlength(text, font=font)) + 40
        if side == "left":
            self.draw.ellipse((20, y, 80, y + 60), fill=(255, 200, 120))
            box = (96, y, 96 + width, y + 64)
            fill: tuple[int, int, int] = (255, 255, 255)
        else:
            self.draw.ellipse((WIDTH - 80, y, WIDTH - 20, y + 60), fill=(150, 190, 255))
            box = (WIDTH - 96 - width, y, WIDTH - 96, y + 64)
            fill = GREEN
        self.draw.rounded_rectangle(box, radius=14, fill=fill)
        self.draw.text((box[0] + 20, y + 14), text, font=font, fill=DARK)


def order_page(page: Page) -> None:
    """An order detail page with the shop, goods, amount, order number and a phone number."""
    page.status_bar()
    page.title("订单详情")
    _, y = page.card(120)
    page.text(44, y, "交易成功", 36, RED, bold=True)
    page.text(44, y + 50, "收货人 张三 13812345678", 24, GREY)
    _, y = page.card(230)
    page.text(44, y, "鲜果时光旗舰店 >", 30, DARK, bold=True)
    page.draw.rectangle((44, y + 50, 184, y + 190), fill=(230, 200, 160))
    page.text(200, y + 56, "【砍价免费拿】新疆阿克苏冰糖心苹果5斤", 26)
    page.text(200, y + 96, "规格: 5斤装 中果", 22, GREY)
    page.text(WIDTH - 160, y + 150, "¥59.90 x1", 24)
    _, y = page.card(300)
    page.row(y, "商品总价", "¥69.90")
    page.row(y + 50, "店铺优惠", "-¥10.00")
    page.row(y + 100, "实付款", "¥59.90", 32, RED)
    page.row(y + 170, "订单编号", "231118-492817365029174")
    page.row(y + 220, "下单时间", "2023-11-18 14:32:05")
    _, y = page.card(110)
    page.row(y, "支付方式", "微信支付")
    page.row(y + 45, "联系客服", "在线咨询 >")


def order_split_page(page: Page) -> None:
    """A second order page where the order number sits on the line below its label."""
    page.status_bar("09:05")
    page.title("订单详情")
    _, y = page.card(200)
    page.text(44, y, "待收货", 36, RED, bold=True)
    page.text(44, y + 56, "优品数码专营店", 30, DARK, bold=True)
    page.text(44, y + 104, "蓝牙耳机 无线降噪 超长续航", 26)
    _, y = page.card(300)
    page.text(44, y, "订单号:", 28, GREY)
    page.text(44, y + 44, "231105 3301927746 51022", 28)
    page.text(44, y + 100, "实付: ￥128.5", 30, RED)
    page.text(44, y + 156, "下单时间: 2023/11/05 20:41", 26, GREY)


def rules_page(page: Page) -> None:
    """The rules page of a bargain activity."""
    page.status_bar()
    page.title("活动规则")
    _, y = page.card(760)
    page.text(44, y, "砍价免费拿 活动规则", 32, DARK, bold=True)
    lines = [
        "1. 活动时间: 2023年11月11日 00:00 至",
        "   2023年11月20日 23:59。",
        "2. 用户发起砍价后, 需在24小时内邀请",
        "   好友助力, 砍至0元即可免费领取商品。",
        "3. 每位好友每天可帮砍1次, 新用户助力",
        "   砍价幅度更大。",
        "4. 砍价失败或超时, 已砍金额不予保留。",
        "5. 如有疑问请联系在线客服。",
        "6. 本活动最终解释权在法律允许范围内",
        "   归平台所有。",
    ]
    for index, line in enumerate(lines):
        page.text(44, y + 64 + index * 62, line, 26)


def bargain_page(page: Page) -> None:
    """The bargain progress page: goods, progress bar, shortfall, countdown."""
    page.status_bar("22:18")
    page.title("砍价免费拿")
    _, y = page.card(520)
    page.draw.rectangle((44, y, 224, y + 180), fill=(200, 220, 240))
    page.text(244, y + 10, "小米移动电源 20000毫安", 28, DARK, bold=True)
    page.text(244, y + 60, "原价 ¥129.00", 24, GREY)
    page.text(44, y + 210, "已砍99.9%", 40, RED, bold=True)
    page.draw.rounded_rectangle((44, y + 280, WIDTH - 44, y + 304), radius=12, fill=(250, 210, 200))
    page.draw.rounded_rectangle((44, y + 280, WIDTH - 50, y + 304), radius=12, fill=RED)
    page.text(44, y + 330, "还差0.01元即可免费拿", 32, DARK)
    page.text(44, y + 390, "剩余时间 05:41:22 后结束", 26, GREY)
    _, y = page.card(110)
    page.text(170, y + 14, "邀请好友帮砍一刀", 36, RED, bold=True)


def assist_page(page: Page) -> None:
    """An assist (助力) record with helper list and the missing count."""
    page.status_bar("19:47")
    page.title("助力享免单")
    _, y = page.card(200)
    page.text(44, y, "已有5人助力", 36, RED, bold=True)
    page.text(44, y + 60, "还差2人即可免单", 30)
    page.text(44, y + 110, "活动截止 2023-12-01 20:00", 24, GREY)
    _, y = page.card(420)
    page.text(44, y, "好友助力记录", 28, DARK, bold=True)
    for index, name in enumerate(["小明", "阿花", "王**", "开心果", "Lily"]):
        page.text(44, y + 60 + index * 66, f"{name}  为你助力成功", 26)
        page.text(WIDTH - 170, y + 60 + index * 66, f"11-2{index} 1{index}:0{index}", 22, GREY)


def chat_page(page: Page) -> None:
    """A customer-service chat with bubbles on both sides."""
    page.status_bar("10:02")
    page.title("拼多多官方客服")
    bubbles = [
        ("left", "亲，您好，请问有什么可以帮您？"),
        ("right", "我砍价还差0.01元，活动就结束了"),
        ("right", "订单号 231118-492817365029174"),
        ("left", "亲，活动规则以页面说明为准哦"),
        ("right", "我要转人工客服"),
        ("left", "已为您转接人工客服，请稍候"),
    ]
    y = page.y + 20
    page.text(WIDTH // 2 - 50, y, "10:01", 22, GREY)
    y += 50
    for side, text in bubbles:
        page.bubble(y, side, text)
        y += 100
    page.draw.rectangle((0, page.height - 100, WIDTH, page.height), fill=(255, 255, 255))
    page.text(40, page.height - 70, "请输入消息", 26, GREY)
    page.text(WIDTH - 110, page.height - 70, "发送", 28, (40, 160, 40))


def payment_page(page: Page) -> None:
    """A wallet payment record (账单详情)."""
    page.status_bar("14:33")
    page.title("账单详情")
    _, y = page.card(560)
    page.text(300, y + 10, "拼多多", 30, DARK)
    page.text(270, y + 60, "-9.90", 56, DARK, bold=True)
    page.text(300, y + 140, "支付成功", 28, (40, 160, 40))
    page.row(y + 210, "商品", "砍价免费拿 手机支架")
    page.row(y + 260, "商户全称", "上海寻梦信息技术有限公司")
    page.row(y + 310, "支付时间", "2023年11月18日 14:32:10")
    page.row(y + 360, "支付方式", "零钱")
    page.row(y + 410, "交易单号", "4200001987202311181234567890", 24)
    page.row(y + 460, "商户单号", "XP2311181432098765", 24)


def logistics_page(page: Page) -> None:
    """A logistics page: carrier, tracking number, signed-for event."""
    page.status_bar("09:15")
    page.title("物流详情")
    _, y = page.card(150)
    page.text(44, y, "中通快递  运单号: 78123456789012", 26)
    page.text(44, y + 56, "已签收", 34, (40, 160, 40), bold=True)
    _, y = page.card(520)
    events = [
        ("2023-11-20 09:15", "【杭州市】已签收，签收人: 本人"),
        ("2023-11-20 07:30", "【杭州市】快件派送中，派送员 李师傅"),
        ("2023-11-19 18:02", "【杭州转运中心】已发出"),
        ("2023-11-18 21:40", "【金华市】商家已发货"),
    ]
    for index, (when, what) in enumerate(events):
        page.text(70, y + index * 120, what, 26, DARK if index == 0 else GREY)
        page.text(70, y + 44 + index * 120, when, 22, GREY)
        page.draw.ellipse(
            (36, y + index * 120 + 8, 52, y + index * 120 + 24), fill=RED if index == 0 else GREY
        )


def long_chat_page(page: Page) -> None:
    """A long (scrolling) screenshot of a customer-service chat: the order number is at the very end."""
    page.status_bar("21:40")
    page.title("商家客服")
    y = page.y + 20
    page.text(WIDTH // 2 - 110, y, "2023-11-19 20:15", 22, GREY)
    y += 60
    talk = [
        ("right", "你好，我参加了砍价免费拿"),
        ("left", "亲，您好，请问有什么可以帮您？"),
        ("right", "砍到最后一直显示还差0.01元"),
        ("left", "亲，砍价进度以页面显示为准哦"),
        ("right", "我已经邀请了二十多个好友"),
        ("left", "亲，每位好友每天只能帮砍一次哦"),
        ("right", "那为什么一直不动？"),
        ("left", "亲，您可以继续邀请新用户帮砍"),
        ("right", "这是不是虚假宣传？"),
        ("left", "亲，活动规则在页面底部有说明"),
        ("right", "我要求转人工客服"),
        ("left", "亲，人工客服繁忙，请您耐心等待"),
        ("right", "我会保留截图作为证据"),
        ("left", "好的亲，还有其他问题吗？"),
        ("right", "请帮我查一下这个订单"),
        ("left", "亲，请提供一下订单号哦"),
    ]
    for side, text in [*talk, *talk[:4]]:
        page.bubble(y, side, text)
        y += 110
    page.bubble(y, "right", "订单号 231119-661203945517788")


def english_page(page: Page) -> None:
    """An English-only order page (text in another language)."""
    page.status_bar()
    page.title("Order Details")
    _, y = page.card(330)
    page.text(44, y, "Delivered", 34, RED, bold=True)
    page.text(44, y + 60, "Wireless Mouse, Black", 28)
    page.row(y + 120, "Order total", "$19.99")
    page.row(y + 170, "Order placed", "November 18, 2023")
    page.row(y + 220, "Ship to", "John Smith")
