"""The fake Bot API server, exercised through the real python-telegram-bot client.

Messages, keyboards, callbacks, commands, getUpdates, files and a whole Application.
Errors, fault injection, webhooks and a bot in another process are tested in
``tests/fake_telegram/test_faults_and_webhooks.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from telegram import Bot as TelegramBot
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, TelegramError
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.fixtures import TEST_TOKEN as TOKEN
from tests.fake_telegram.users import tiny_png

#: Reading RetryAfter.retry_after must not warn (PTB 22): opt in to timedelta durations.
pytestmark = pytest.mark.usefixtures("timedelta_durations")

USER = 4242


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback_data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


# -- identity, messages, keyboards ---------------------------------------------------------


async def test_get_me_describes_the_bot_from_the_token(tg: FakeTelegram, bot: TelegramBot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "weiquan_test_bot")
    assert tg.calls_of("getMe")


async def test_send_message_with_keyboard_is_recorded_and_parsed(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "你好")
    sent = await bot.send_message(
        USER, "请选择", reply_markup=keyboard([("助力被吞", "k:help"), ("砍价", "k:cut")])
    )
    assert sent.chat.id == USER and sent.from_user is not None and sent.from_user.is_bot
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "k:cut"
    [recorded] = tg.sent_messages(USER)
    assert recorded.message_id == sent.message_id
    assert recorded.text == "请选择"
    assert recorded.buttons == [[("助力被吞", "k:help"), ("砍价", "k:cut")]]
    assert recorded.callback_data == ["k:help", "k:cut"]


async def test_message_ids_are_per_chat_and_shared_with_the_user(tg: FakeTelegram, bot: TelegramBot) -> None:
    first = await tg.send_text(USER, "一")
    reply = await bot.send_message(USER, "二")
    await tg.send_text(USER + 1, "三")
    other = await bot.send_message(USER + 1, "四")
    assert reply.message_id == first["message"]["message_id"] + 1
    assert other.message_id == 2


async def test_sending_to_a_chat_the_bot_never_saw_fails(bot: TelegramBot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hi")


async def test_text_longer_than_4096_characters_is_rejected(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    await bot.send_message(USER, "维" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "维" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, " \n ")
    assert len(tg.sent_messages(USER)) == 1
    assert tg.calls_of("sendMessage")[-1].status == 400


async def test_callback_data_over_64_bytes_is_rejected(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    await bot.send_message(USER, "ok", reply_markup=keyboard([("x", "d" * 64)]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "too long", reply_markup=keyboard([("x", "d" * 65)]))
    # 22 Chinese characters are 66 bytes in UTF-8: the limit is on bytes.
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "too long", reply_markup=keyboard([("x", "维" * 22)]))


async def test_text_is_stored_as_sent_without_entities(tg: FakeTelegram, bot: TelegramBot) -> None:
    """The bot sends plain text: characters that would be markup are kept, no entity is made."""
    await tg.send_text(USER, "hi")
    text = "<b>第1步.</b> *订单号* _12_ [链接](https://x.y) &amp;"
    sent = await bot.send_message(USER, text)
    assert sent.text == text and sent.entities == ()
    [recorded] = tg.sent_messages(USER)
    assert recorded.text == text and "entities" not in recorded.raw


@pytest.mark.parametrize("parse_mode", ["HTML", "MarkdownV2", "Markdown"])
async def test_a_parse_mode_is_refused(tg: FakeTelegram, bot: TelegramBot, parse_mode: str) -> None:
    """The fake parses no markup, so a bot that starts using it fails loudly, not silently."""
    await tg.send_text(USER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode"):
        await bot.send_message(USER, "<b>粗</b>", parse_mode=parse_mode)
    assert tg.sent_messages(USER) == []


# -- callbacks -----------------------------------------------------------------------------


async def test_pressed_button_is_delivered_and_answered_once(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    sent = await bot.send_message(USER, "选一个", reply_markup=keyboard([("是", "yes"), ("否", "no")]))
    update = await tg.press_button(USER, sent.message_id, "no")
    [received] = await bot.get_updates(offset=update["update_id"])
    query = received.callback_query
    assert query is not None and query.data == "no"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await query.answer("收到")
    [answered] = tg.answered_callbacks
    assert (answered.user_id, answered.data, answered.text) == (USER, "no", "收到")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()


async def test_a_user_cannot_press_a_button_that_is_not_there(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    sent = await bot.send_message(USER, "选一个", reply_markup=keyboard([("是", "yes")]))
    with pytest.raises(ValueError, match=r"(?i)no button"):
        await tg.press_button(USER, sent.message_id, "maybe")
    with pytest.raises(LookupError):
        await tg.press_button(USER, sent.message_id + 5, "yes")


# -- commands, and methods the bot never calls-------------------------------------------------------------


async def test_commands_are_stored_per_scope(tg: FakeTelegram, bot: TelegramBot) -> None:
    await bot.set_my_commands([BotCommand("start", "开始"), BotCommand("export", "导出")])
    assert [c["command"] for c in tg.commands] == ["start", "export"]
    got = await bot.get_my_commands()
    assert [(c.command, c.description) for c in got] == [("start", "开始"), ("export", "导出")]
    assert await bot.get_my_commands(language_code="en") == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "大写不行")])
    await bot.set_my_commands([BotCommand("help", "帮助")], scope=BotCommandScopeAllPrivateChats())
    assert tg.commands_for({"type": "all_private_chats"}) == [{"command": "help", "description": "帮助"}]
    assert [c["command"] for c in tg.commands] == ["start", "export"]


NEVER_CALLED: dict[str, Callable[[TelegramBot, int], Awaitable[object]]] = {
    "editMessageText": lambda bot, mid: bot.edit_message_text("x", chat_id=USER, message_id=mid),
    "editMessageReplyMarkup": lambda bot, mid: bot.edit_message_reply_markup(chat_id=USER, message_id=mid),
    "deleteMessage": lambda bot, mid: bot.delete_message(USER, mid),
    "sendChatAction": lambda bot, mid: bot.send_chat_action(USER, "typing"),
    "deleteMyCommands": lambda bot, mid: bot.delete_my_commands(),
}


@pytest.mark.parametrize("method", list(NEVER_CALLED))
async def test_a_method_the_bot_never_calls_is_an_unexpected_call(
    tg: FakeTelegram, bot: TelegramBot, method: str
) -> None:
    """The fake serves what the bot uses; should the bot start editing, deleting or showing
    "typing…", its tests fail on the unexpected call until the fake learns the method."""
    await tg.send_text(USER, "hi")
    sent = await bot.send_message(USER, "第一版")
    with pytest.raises(TelegramError, match=r"(?i)not found"):  # the 404 of an unknown method
        await NEVER_CALLED[method](bot, sent.message_id)
    assert [call.method for call in tg.unexpected_calls] == [method]
    tg.unexpected_calls.clear()


# -- getUpdates ----------------------------------------------------------------------------


async def test_offset_confirms_earlier_updates(tg: FakeTelegram, bot: TelegramBot) -> None:
    ids = [(await tg.send_text(USER, f"m{i}"))["update_id"] for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert tg.pending_updates_count == 3
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert (tg.pending_updates_count, tg.confirmed_update_id) == (2, ids[0])
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert (tg.pending_updates_count, tg.confirmed_update_id) == (0, ids[2])


async def test_negative_offset_keeps_only_the_last_updates(tg: FakeTelegram, bot: TelegramBot) -> None:
    for i in range(4):
        await tg.send_text(USER, f"m{i}")
    [last] = await bot.get_updates(offset=-1)
    assert last.message is not None and last.message.text == "m3"
    assert tg.pending_updates_count == 1


async def test_long_poll_wakes_when_the_user_writes(tg: FakeTelegram, bot: TelegramBot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
    await tg.wait_for_calls("getUpdates", 1, timeout=5)
    assert not poll.done()
    await tg.send_text(USER, "醒醒")
    [update] = await asyncio.wait_for(poll, 5)
    assert update.message is not None and update.message.text == "醒醒"


async def test_long_poll_returns_empty_when_nothing_arrives(bot: TelegramBot) -> None:
    assert await bot.get_updates(timeout=1) == ()


async def test_a_second_poller_terminates_the_first(tg: FakeTelegram, bot: TelegramBot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
    await tg.wait_for_calls("getUpdates", 1, timeout=5)
    # A second bot instance (PTB's own Bot keeps one connection for getUpdates).
    async with TelegramBot(TOKEN, base_url=tg.api_base_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=30, read_timeout=35))
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
            await asyncio.wait_for(first, 5)
        await tg.send_text(USER, "hi")
        assert len(await asyncio.wait_for(second, 5)) == 1


# -- files ---------------------------------------------------------------------------------


async def test_user_photo_can_be_fetched_and_downloaded(tg: FakeTelegram, bot: TelegramBot) -> None:
    image = tiny_png(1000, 500)
    await tg.send_photo(USER, image, caption="截图")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.caption == "截图"
    sizes = update.message.photo
    assert [s.width for s in sizes] == [90, 320, 800, 1000]
    assert (sizes[-1].width, sizes[-1].height) == (1000, 500)
    file = await bot.get_file(sizes[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == image


async def test_user_document_can_be_downloaded(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_document(USER, b"%PDF-1.4 fake", "订单.pdf", "application/pdf")
    [update] = await bot.get_updates()
    document = update.message.document if update.message else None
    assert document is not None and document.file_name == "订单.pdf"
    file = await document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 fake"
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_send_document_keeps_bytes_and_name(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "/export")
    export = "日期,事件\n2024-01-01,助力被吞\n".encode()
    sent = await bot.send_document(USER, export, filename="case.csv", caption="导出")
    assert sent.document is not None and sent.document.file_name == "case.csv"
    [recorded] = tg.sent_messages(USER)
    assert recorded.method == "sendDocument" and recorded.text == "导出"
    assert recorded.document is not None
    assert (recorded.document.data, recorded.document.file_name) == (export, "case.csv")
    [call] = tg.calls_of("sendDocument")
    assert call.uploads["document"].data == export
    again = await bot.get_file(sent.document.file_id)
    assert bytes(await again.download_as_bytearray()) == export
    resent = await bot.send_document(USER, sent.document.file_id)  # by file_id: no upload
    assert resent.document is not None and resent.document.file_id == sent.document.file_id


# -- the whole Application -----------------------------------------------------------------


async def test_application_polling_echoes_a_message(tg: FakeTelegram) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Echo the text back."""
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"回声：{update.effective_message.text}")

    app = Application.builder().token(TOKEN).base_url(tg.api_base_url).base_file_url(tg.file_base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await tg.send_text(USER, "砍价失败")
        [reply] = await tg.wait_for_messages(USER, 1, timeout=10)
        await app.updater.stop()
        await app.stop()
    assert reply.text == "回声：砍价失败"
    assert tg.confirmed_update_id >= 1
    assert tg.calls_of("deleteWebhook")


# -- waiting for messages ------------------------------------------------------------------


async def test_wait_for_messages_reads_in_order_with_a_cursor(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    for text in ("一", "二", "三"):
        await bot.send_message(USER, text)
    assert [m.text for m in await tg.wait_for_messages(USER, 2, timeout=1)] == ["一", "二"]
    assert [m.text for m in tg.unread_messages(USER)] == ["三"]
    assert [m.text for m in await tg.wait_for_messages(USER, 1, timeout=1)] == ["三"]
    with pytest.raises(AssertionError, match=r"(?i)1 new message"):
        await tg.wait_for_messages(USER, 1, timeout=0.05)
    await bot.send_message(USER, "四")
    tg.mark_read(USER)
    assert tg.unread_messages(USER) == []


async def test_wait_for_messages_wakes_on_a_later_message(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    waiting = asyncio.create_task(tg.wait_for_messages(USER, 1, timeout=10))
    await asyncio.sleep(0)
    assert not waiting.done()
    await bot.send_message(USER, "来了")
    [message] = await waiting
    assert message.text == "来了"
