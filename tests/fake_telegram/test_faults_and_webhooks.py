"""The fake Bot API server: error shapes, parameter encodings, fault injection, webhooks,
arbitrary updates, and a real bot running in another process."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot as TelegramBot
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from tests.factories import STICKER, group_chat, telegram_user
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.fixtures import TEST_TOKEN as TOKEN
from tests.fake_telegram.models import JsonDict, Upload

#: Reading RetryAfter.retry_after must not warn (PTB 22): opt in to timedelta durations.
pytestmark = pytest.mark.usefixtures("timedelta_durations")

USER = 4242


# -- unexpected calls and error shapes -----------------------------------------------------


async def test_unknown_method_is_404_and_recorded(tg: FakeTelegram, bot: TelegramBot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": USER})
    assert [call.method for call in tg.unexpected_calls] == ["sendTelepathy"]
    with pytest.raises(AssertionError, match=r"(?i)sendTelepathy"):
        tg.assert_no_unexpected_calls()
    tg.unexpected_calls.clear()


async def test_wrong_token_is_401_and_recorded(tg: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with TelegramBot("654321:WRONG", base_url=tg.api_base_url):
            pass  # initialising calls getMe, which is refused
    assert [(call.method, call.status) for call in tg.unexpected_calls] == [("getMe", 401)]
    tg.unexpected_calls.clear()


async def test_error_bodies_have_telegrams_shape(tg: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{tg.api_base_url}{TOKEN}/sendMessage", json={"chat_id": 1, "text": "x"}
        ) as r:
            assert r.status == 400
            assert await r.json() == {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }
        async with session.get(f"{tg.api_base_url}{TOKEN}/noSuchMethod") as r:
            assert (r.status, await r.json()) == (
                404,
                {"ok": False, "error_code": 404, "description": "Not Found"},
            )
        async with session.get(f"{tg.api_base_url}0:BAD/getMe") as r:
            assert (r.status, (await r.json())["description"]) == (401, "Unauthorized")
        async with session.get(f"{tg.file_base_url}{TOKEN}/documents/missing.pdf") as r:
            assert r.status == 404
        async with session.get(f"{tg.api_base_url}{TOKEN}/getUpdates?timeout=soon") as r:
            assert (r.status, (await r.json())["description"]) == (
                400,
                "Bad Request: invalid timeout specified",
            )
    assert [call.status for call in tg.unexpected_calls] == [404, 401, 404]
    tg.unexpected_calls.clear()


async def test_a_bug_in_the_fake_is_a_500_and_an_unexpected_call(tg: FakeTelegram, bot: TelegramBot) -> None:
    async def broken(params: JsonDict, uploads: dict[str, Upload]) -> object:
        raise KeyError("oops")

    tg.api.handlers["getwebhookinfo"] = broken
    with pytest.raises(NetworkError):
        await bot.get_webhook_info()
    [call] = tg.unexpected_calls
    assert call.status == 500 and call.fault is not None and "KeyError" in call.fault
    tg.unexpected_calls.clear()


@pytest.mark.parametrize("encoding", ["query", "form", "json", "multipart"])
async def test_parameters_are_accepted_in_every_encoding(tg: FakeTelegram, encoding: str) -> None:
    await tg.send_text(USER, "hi")
    params = {
        "chat_id": str(USER),
        "text": "123",
        "reply_markup": '{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}',
    }
    url = f"{tg.api_base_url}{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as session:
        if encoding == "query":
            request = session.get(url, params=params)
        elif encoding == "form":
            request = session.post(url, data=params)
        elif encoding == "json":
            request = session.post(
                url,
                json={
                    **params,
                    "chat_id": USER,
                    "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
                },
            )
        else:
            form = aiohttp.FormData(params)
            form.add_field("unused", b"\x00", filename="x.bin")
            request = session.post(url, data=form)
        async with request as response:
            body = await response.json()
    assert body["ok"] is True and body["result"]["text"] == "123"
    [recorded] = tg.sent_messages(USER)
    assert (recorded.text, recorded.buttons) == ("123", [[("A", "a")]])


async def test_injected_429_is_retry_after(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    tg.inject("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER, "x")
    assert raised.value.retry_after == timedelta(seconds=7)
    await bot.send_message(USER, "x")  # the fault was used up
    assert [m.text for m in tg.sent_messages(USER)] == ["x"]
    assert [c.fault for c in tg.calls_of("sendMessage")] == ["429", None]


@pytest.mark.parametrize(
    ("kind", "error"),
    [("500", NetworkError), ("502", NetworkError), ("403", Forbidden), ("drop", NetworkError)],
)
async def test_injected_failures_raise_telegram_errors(
    tg: FakeTelegram, bot: TelegramBot, kind: str, error: type[TelegramError]
) -> None:
    await tg.send_text(USER, "hi")
    tg.inject("sendMessage", kind, times=2)
    for _ in range(2):
        with pytest.raises(error):
            await bot.send_message(USER, "x")
    await bot.send_message(USER, "y")
    assert [m.text for m in tg.sent_messages(USER)] == ["y"]


async def test_faults_can_be_scoped_to_a_chat_and_processed(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_text(USER, "hi")
    await tg.send_text(USER + 1, "hi")
    tg.inject("sendMessage", "500", chat_id=USER + 1, process=True)
    await bot.send_message(USER, "a")
    with pytest.raises(NetworkError):
        await bot.send_message(USER + 1, "b")
    # process=True: the message was delivered although the bot saw an error.
    assert [m.text for m in tg.sent_messages(USER + 1)] == ["b"]


async def test_a_wildcard_fault_hits_the_next_call_of_any_method(tg: FakeTelegram, bot: TelegramBot) -> None:
    tg.inject("*", "403", description="Forbidden: user is deactivated")
    with pytest.raises(Forbidden, match=r"(?i)user is deactivated"):
        await bot.get_webhook_info()
    assert (await bot.get_webhook_info()).url == ""


async def test_slow_fault_still_answers(tg: FakeTelegram, bot: TelegramBot) -> None:
    tg.inject("getMe", "slow", delay=0.05)
    assert (await bot.get_me()).username == "weiquan_test_bot"
    assert tg.calls_of("getMe")[-1].fault == "slow"


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(ValueError, match=r"(?i)unknown fault kind"):
        FakeTelegram().inject("sendMessage", "explode")


# -- webhook, arbitrary updates, the fixture -------------------------------------------------


async def test_webhook_mode(tg: FakeTelegram, bot: TelegramBot) -> None:
    received: list[tuple[dict[str, object], str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    local_url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        with pytest.raises(BadRequest, match=r"(?i)HTTPS URL"):
            await bot.set_webhook(local_url)
        assert await bot.set_webhook("https://bot.example/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://bot.example/hook"
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates()
        update = await tg.send_text(USER, "排队")  # no delivery URL given: queued
        assert tg.pending_updates_count == 1
        assert await tg.deliver_webhook(local_url, update, secret_token="s3cret") == 200
        tg.webhook_delivery_url = local_url
        pushed = await tg.send_text(USER, "推送")
        assert received == [(update, "s3cret"), (pushed, "s3cret")]
        assert tg.webhook_deliveries == [(pushed["update_id"], 200)]
        assert await bot.delete_webhook(drop_pending_updates=True)
        assert tg.pending_updates_count == 0 and tg.webhook == {}
    finally:
        await runner.cleanup()


async def test_setting_a_webhook_ends_a_waiting_long_poll(tg: FakeTelegram, bot: TelegramBot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
    await tg.wait_for_calls("getUpdates", 1, timeout=5)
    await bot.set_webhook("https://bot.example/hook")
    with pytest.raises(Conflict, match=r"(?i)terminated by setWebhook"):
        await asyncio.wait_for(poll, 5)


async def test_arbitrary_updates_get_ids_and_known_chats(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_update(
        {"message": {"chat": group_chat(-100123), "from": telegram_user(USER), "sticker": STICKER}}
    )
    await tg.send_text(USER, "群里", chat_type="group", chat_id=-5)
    updates = await bot.get_updates()
    assert updates[0].message is not None and updates[0].message.sticker is not None
    assert updates[1].message is not None and updates[1].message.chat.type == "group"
    assert updates[0].update_id < updates[1].update_id
    await bot.send_message(-100123, "群消息")
    assert [m.text for m in tg.sent_messages(-100123)] == ["群消息"]
    with pytest.raises(ValueError, match=r"(?i)explicit chat_id"):
        await tg.send_text(USER, "x", chat_type="group")


async def test_commands_carry_a_bot_command_entity(tg: FakeTelegram, bot: TelegramBot) -> None:
    await tg.send_command(USER, "/start", args="ref_1")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "/start ref_1"
    assert update.message.parse_entities(["bot_command"]) and list(
        update.message.parse_entities().values()
    ) == ["/start"]


async def test_the_fixture_serves_a_fresh_server(fake_telegram: FakeTelegram) -> None:
    async with TelegramBot(TOKEN, base_url=fake_telegram.api_base_url) as client:
        assert (await client.get_me()).id == 123456
    assert fake_telegram.pending_updates_count == 0 and fake_telegram.calls_of("getme")


# -- a real bot in another process ---------------------------------------------------------

ECHO_BOT = '''
"""An echo bot run as its own process against the fake server."""
import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the text back."""
    await update.effective_message.reply_text("回声：" + update.effective_message.text)


app = (
    Application.builder()
    .token(os.environ["TG_TOKEN"])
    .base_url(os.environ["TG_API"])
    .base_file_url(os.environ["TG_FILES"])
    .build()
)
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=1)
'''


@pytest.mark.e2e
async def test_a_bot_process_polls_answers_and_confirms_on_shutdown(tg: FakeTelegram, tmp_path: Path) -> None:
    script = tmp_path / "echo_bot.py"
    script.write_text(ECHO_BOT, encoding="utf-8")
    env = {
        **os.environ,
        "TG_TOKEN": TOKEN,
        "TG_API": tg.api_base_url,
        "TG_FILES": tg.file_base_url,
        "PTB_TIMEDELTA": "true",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await tg.wait_for_calls("getUpdates", 1, timeout=30)
        await tg.send_text(USER, "助力被吞")
        [reply] = await tg.wait_for_messages(USER, 1, timeout=15)
        assert reply.text == "回声：助力被吞"
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode(errors="replace")
    # run_polling confirms the last update with one more getUpdates before it exits.
    assert tg.pending_updates_count == 0
    assert [c.method for c in tg.calls][:2] == ["getMe", "deleteWebhook"]
