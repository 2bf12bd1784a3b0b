"""A screenshot becomes case facts end to end (issue #7): OCR in the real bot, confirmation by buttons.

The person sends the order-page fixture as a photo; the bot attaches it, reads it in the
background and proposes what it read; nothing reaches the case until the person presses the
buttons, and then ``/draft`` carries the confirmed order number and amount.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

import ocr
from guide.facts import parse_fact
from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot, stored_view
from tests.e2e.conversation import Chat, texts
from tests.e2e.database import Database
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.skipif(
    not ocr.is_available(),
    reason="OCR engine (rapidocr-onnxruntime) not installed: the bot cannot read screenshots",
)

FIXTURES = Path(__file__).resolve().parents[1] / "ocr" / "fixtures"
ORDER_IMAGE = "order.jpg"
USER = 7770001
#: The first reading loads the recognition models; allow for a slow machine.
READING_TIMEOUT = 90.0


async def _facts(database_url: str) -> dict[str, str]:
    """The stored facts of the person's current case (read through the storage layer)."""
    case = (await stored_view(database_url, USER)).current_case
    assert case is not None
    return case.facts


async def _eventually_absent(db: Database, value: str, timeout: float = 30.0) -> bool:
    """Whether ``value`` is gone from every table within ``timeout`` (the sent mark may lag the send)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while value in await db.dump_text():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def test_order_screenshot_facts_confirmed_reach_the_draft(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))[ORDER_IMAGE]
    assert expected["kind"] == "order"
    order_no = expected["facts"]["order_no"]
    amount = parse_fact("amount", expected["facts"]["amount"], datetime.now())
    assert amount is not None
    await running_bot(start_bot, telegram)
    chat = Chat(telegram, Database(database_url), USER)

    await chat.text("拼多多帮好友助力，显示成功了但是他说没收到")
    attached = await chat.photo((FIXTURES / ORDER_IMAGE).read_bytes())
    assert "已保存证据" in texts(attached)

    # The reading comes on its own: the kind, the facts read, buttons to confirm each.
    proposal = await chat.produced("ocr:", timeout=READING_TIMEOUT)
    shown = texts(proposal)
    assert "我从截图里读到" in shown and "订单详情截图" in shown, shown
    assert order_no in shown and amount in shown, shown
    before = await stored_view(database_url, USER)
    assert before.current_case is not None
    assert "order_no" not in before.current_case.facts and "amount" not in before.current_case.facts
    assert [item.category for item in before.evidence] == ["order"]
    # What was read sits nowhere in the database before it is confirmed (issue 11 item 5): not in
    # the scratch values, and not in the reply row, whose text is cleared once it is delivered.
    assert await _eventually_absent(Database(database_url), order_no), "an unconfirmed reading was stored"

    adopted = await chat.press(proposal, "采用订单号")
    assert order_no in texts(adopted) and "已记录" in texts(adopted)
    adopted = await chat.press(proposal, "采用金额")
    assert amount in texts(adopted)
    stored = await _facts(database_url)
    assert stored["order_no"] == order_no and stored["amount"] == amount

    drafts = texts(await chat.command("draft"))
    assert order_no in drafts and amount in drafts

    # The evidence list no longer asks for the order screenshot.
    evidence = texts(await chat.command("evidence"))
    assert "订单详情" not in evidence.split("还缺")[-1]
