"""Render the OCR fixture screenshots under ``tests/ocr/fixtures/`` (run by hand, outputs are committed).

Each fixture imitates a phone screenshot (order page, rules, bargain progress, assist record,
customer-service chat, payment record, logistics) drawn with a CJK font, then degraded with
scaling, noise and JPEG compression. ``expected.json`` records the kind and facts each image
must yield. The tests read the committed images and never need the font.

    python tests/ocr/make_fixtures.py [--font /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]

Needs a CJK font: ``apt-get install fonts-noto-cjk`` (Debian).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ocr import layouts

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def degrade(image: Image.Image, rng: random.Random, scale: float, quality: int, noise: int) -> bytes:
    """Scale, blur a little, add pixel noise and encode: what a forwarded screenshot looks like."""
    if scale != 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)), Image.Resampling.BILINEAR)
    if noise:
        pixels = image.load()
        assert pixels is not None
        for _ in range(image.width * image.height // 40):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            r, g, b = pixels[x, y]  # type: ignore[misc]
            delta = rng.randint(-noise, noise)
            pixels[x, y] = (
                max(0, min(255, r + delta)),
                max(0, min(255, g + delta)),
                max(0, min(255, b + delta)),
            )
        image = image.filter(ImageFilter.GaussianBlur(0.4))
    buffer = io.BytesIO()
    if quality:
        image.save(buffer, format="JPEG", quality=quality, optimize=True)
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


EXPECTED: dict[str, dict[str, object]] = {
    "order.jpg": {
        "kind": "order",
        "facts": {
            "order_no": "231118-492817365029174",
            "amount": "59.90",
            "date": "2023-11-18 14:32",
            "merchant": "鲜果时光旗舰店",
            "product": "新疆阿克苏冰糖心苹果5斤",
            "activity": "砍价免费拿",
        },
    },
    "order_split.jpg": {
        "kind": "order",
        "facts": {
            "order_no": "231105-330192774651022",
            "amount": "128.50",
            "date": "2023-11-05 20:41",
            "merchant": "优品数码专营店",
            "product": "蓝牙耳机无线降噪超长续航",
        },
    },
    "rules.png": {"kind": "rules", "facts": {"activity": "砍价免费拿", "date": "2023-11-11 00:00"}},
    "bargain.jpg": {
        "kind": "bargain_progress",
        "facts": {
            "activity": "砍价免费拿",
            "shortfall": "0.01",
            "progress": "99.9%",
            "product": "小米移动电源20000毫安",
        },
    },
    "assist.jpg": {
        "kind": "assist_record",
        "facts": {
            "activity": "助力享免单",
            "assist_count": "5",
            "assist_missing": "2",
            "date": "2023-12-01 20:00",
        },
    },
    "chat.png": {
        "kind": "cs_chat",
        "facts": {"platform": "拼多多", "order_no": "231118-492817365029174", "shortfall": "0.01"},
    },
    "payment.jpg": {
        "kind": "payment",
        "facts": {
            "platform": "拼多多",
            "amount": "9.90",
            "date": "2023-11-18 14:32",
            "merchant": "上海寻梦信息技术有限公司",
            "product": "砍价免费拿手机支架",
            "activity": "砍价免费拿",
            "transaction_no": "4200001987202311181234567890",
        },
    },
    "logistics.jpg": {
        "kind": "logistics",
        "facts": {"tracking_no": "78123456789012", "date": "2023-11-20 09:15"},
    },
    "long_chat.jpg": {
        "kind": "cs_chat",
        "facts": {
            "activity": "砍价免费拿",
            "order_no": "231119-661203945517788",
            "shortfall": "0.01",
            "date": "2023-11-19 20:15",
        },
    },
    "english.jpg": {"kind": "other", "facts": {}},
    "blank.png": {"kind": "other", "facts": {}},
}


def main() -> None:
    """Render every fixture and write ``expected.json``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--font", default=DEFAULT_FONT)
    parser.add_argument("--bold", default=DEFAULT_BOLD)
    args = parser.parse_args()
    rng = random.Random(20231118)
    FIXTURES.mkdir(exist_ok=True)
    plans = [
        ("order.jpg", layouts.order_page, 0.9, 72, 18),
        ("order_split.jpg", layouts.order_split_page, 0.75, 60, 24),
        ("rules.png", layouts.rules_page, 0.8, 0, 0),
        ("bargain.jpg", layouts.bargain_page, 0.85, 70, 16),
        ("assist.jpg", layouts.assist_page, 1.0, 75, 12),
        ("chat.png", layouts.chat_page, 0.8, 0, 0),
        ("payment.jpg", layouts.payment_page, 0.9, 70, 16),
        ("logistics.jpg", layouts.logistics_page, 0.8, 65, 20),
        ("english.jpg", layouts.english_page, 0.8, 70, 12),
        ("long_chat.jpg", layouts.long_chat_page, 1.44, 35, 0),
    ]
    for name, draw, scale, quality, noise in plans:
        page = layouts.Page(args.font, args.bold, height=2600 if name == "long_chat.jpg" else 1334)
        draw(page)
        (FIXTURES / name).write_bytes(degrade(page.image, rng, scale, quality, noise))
    blank = Image.new("RGB", (600, 1066), (250, 250, 250))
    (FIXTURES / "blank.png").write_bytes(degrade(blank, rng, 1.0, 0, 0))
    (FIXTURES / "expected.json").write_text(
        json.dumps(EXPECTED, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
