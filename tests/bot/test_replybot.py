"""ReplyBot.send_text: the same request as send_message, answered with the message id only."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.replybot import ReplyBot
from bot.updates import keyboard_json
from domain.messages import Button, Reply
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.fixtures import fake_telegram, timedelta_durations  # noqa: F401  (fixtures)

USER = 4242
pytestmark = pytest.mark.usefixtures("timedelta_durations")


@pytest.fixture
async def reply_bot(fake_telegram: FakeTelegram) -> AsyncIterator[ReplyBot]:  # noqa: F811
    async with ReplyBot(
        fake_telegram.token, base_url=fake_telegram.api_base_url, base_file_url=fake_telegram.file_base_url
    ) as bot:
        yield bot


async def test_send_text_sends_text_and_keyboard_and_returns_the_message_id(
    fake_telegram: FakeTelegram,  # noqa: F811
    reply_bot: ReplyBot,
) -> None:
    await fake_telegram.send_text(USER, "你好")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("助力被吞", callback_data="k:help")]])
    first = await reply_bot.send_text(USER, "请选择", markup)
    second = await reply_bot.send_text(USER, "第二条")
    recorded = fake_telegram.sent_messages(USER)
    assert [m.message_id for m in recorded] == [first, second]
    assert [m.text for m in recorded] == ["请选择", "第二条"]
    assert recorded[0].buttons == [[("助力被吞", "k:help")]]
    assert recorded[1].buttons == []
    assert second == first + 1


async def test_send_text_raises_what_send_message_raises(
    fake_telegram: FakeTelegram,  # noqa: F811
    reply_bot: ReplyBot,
) -> None:
    await fake_telegram.send_text(USER, "你好")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await reply_bot.send_text(USER, "维" * 4097)
    fake_telegram.inject("sendMessage", "403", chat_id=USER)
    with pytest.raises(Forbidden):
        await reply_bot.send_text(USER, "hi")
    fake_telegram.inject("sendMessage", "429", chat_id=USER, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await reply_bot.send_text(USER, "hi")
    assert caught.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]
    assert fake_telegram.sent_messages(USER) == []


async def test_a_keyboard_serialised_once_reaches_telegram_like_the_object(
    fake_telegram: FakeTelegram,  # noqa: F811
    reply_bot: ReplyBot,
) -> None:
    reply = Reply(
        text="选一个",
        buttons=((Button("助力被吞", "k:help"), Button("砍价", "k:cut")), (Button("返回", "menu"),)),
    )
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )
    serialised = keyboard_json(reply)
    assert serialised is not None and json.loads(serialised) == markup.to_dict()
    assert keyboard_json(Reply(text="无按钮")) is None
    await fake_telegram.send_text(USER, "你好")
    await reply_bot.send_text(USER, "对象", markup)
    await reply_bot.send_text(USER, "字符串", serialised)
    by_object, by_string = fake_telegram.sent_messages(USER)
    assert (
        by_object.buttons
        == by_string.buttons
        == [[("助力被吞", "k:help"), ("砍价", "k:cut")], [("返回", "menu")]]
    )
