"""Telegram updates become the dialogue's events: what a button press carries."""

from __future__ import annotations

from telegram import Bot, Update

from bot.updates import to_incoming
from tests.factories import as_update, callback_query, now

BOT = Bot("1:offline")
USER = 7
DATA = "ocr|c1|all|y"


def _press(date: int, text: str) -> Update:
    """A press on the bot's message 31, sent at ``date`` and showing ``text``."""
    return as_update(
        {"update_id": 1, "callback_query": callback_query(USER, DATA, message_id=31, date=date, text=text)},
        BOT,
    )


def test_a_press_carries_the_text_and_id_of_the_message_holding_the_button() -> None:
    """The proposals a screenshot reply shows are read back from the pressed message, not stored."""
    incoming = to_incoming(_press(now(), "我从截图里读到：\n• 订单号：123\u200b"), operator_ids=frozenset())
    assert incoming is not None and incoming.kind == "button"
    assert incoming.message_text == "我从截图里读到：\n• 订单号：123" and incoming.message_id == 31


def test_a_press_on_a_message_telegram_no_longer_shows_carries_no_text() -> None:
    """Past 48 hours Telegram sends an inaccessible message (date 0); inline messages have none."""
    inline = as_update({"update_id": 2, "callback_query": callback_query(USER, DATA, inline=True)}, BOT)
    for update in (_press(0, ""), inline):
        incoming = to_incoming(update, operator_ids=frozenset())
        assert incoming is not None and incoming.kind == "button" and incoming.message_text == ""
