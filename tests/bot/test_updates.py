"""Telegram updates become the dialogue's events: what a button press carries."""

from __future__ import annotations

import time
from typing import Any

from telegram import Bot, Update

from bot.updates import to_incoming

BOT = Bot("1:offline")
USER = {"id": 7, "is_bot": False, "first_name": "A"}


def _press(message: dict[str, Any] | None) -> Update:
    query: dict[str, Any] = {"id": "q1", "from": USER, "chat_instance": "ci", "data": "ocr|c1|all|y"}
    if message is not None:
        query["message"] = message
    else:
        query["inline_message_id"] = "AAAA"
    return Update.de_json({"update_id": 1, "callback_query": query}, BOT)


def _message(date: int, text: str) -> dict[str, Any]:
    chat = {"id": 7, "type": "private", "first_name": "A"}
    return {
        "message_id": 31,
        "date": date,
        "chat": chat,
        "from": {"id": 1, "is_bot": True, "first_name": "B"},
        "text": text,
    }


def test_a_press_carries_the_text_and_id_of_the_message_holding_the_button() -> None:
    """The proposals a screenshot reply shows are read back from the pressed message, not stored."""
    incoming = to_incoming(
        _press(_message(int(time.time()), "我从截图里读到：\n• 订单号：123\u200b")), operator_ids=frozenset()
    )
    assert incoming is not None and incoming.kind == "button"
    assert incoming.message_text == "我从截图里读到：\n• 订单号：123" and incoming.message_id == 31


def test_a_press_on_a_message_telegram_no_longer_shows_carries_no_text() -> None:
    """Past 48 hours Telegram sends an inaccessible message (date 0); inline messages have none."""
    for update in (_press(_message(0, "")), _press(None)):
        incoming = to_incoming(update, operator_ids=frozenset())
        assert incoming is not None and incoming.kind == "button" and incoming.message_text == ""
