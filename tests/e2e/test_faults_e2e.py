"""Telegram misbehaving, end to end: the real bot process against the fake server with faults.

Rate limits for one chat, 5xx answers, slow answers and dropped connections, on sending and
on polling. Each message must eventually be answered, none twice: a reply is "settled" when
its outbox row (stored in the update's transaction) is marked sent, and then the messages the
fake server received for the chat must be exactly the stored replies, one each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot
from tests.e2e.database import db_path, query
from tests.factories import private_chat, telegram_user
from tests.fake_telegram import FakeTelegram
from tests.waiting import poll_until

#: SQLite only: these tests are about the Telegram side (faults) and read the file directly;
#: storage on PostgreSQL is covered by the storage, foundation, crash, webhook and case tests.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


ALICE = 6610001
BOB = 6610002
SETTLE_TIMEOUT = 40.0


def outbox_of(tmp_path: Path, chat_id: int) -> list[tuple[int, object, object]]:
    """``(id, sent_at, telegram_message_id)`` of every stored reply for the chat, in order.

    (A sent reply keeps no text: its Telegram message id is what ties it to what arrived.)
    """
    return query(
        db_path(tmp_path),
        "select id, sent_at, telegram_message_id from outbox where chat_id = ? order by id",
        (chat_id,),
    )


async def settled(telegram: FakeTelegram, tmp_path: Path, chat_id: int, at_least: int = 1) -> list[int]:
    """Wait until at least ``at_least`` replies are stored for the chat and all are sent; their message ids."""

    def done() -> bool:
        if not db_path(tmp_path).exists():
            return False
        rows = outbox_of(tmp_path, chat_id)
        return len(rows) >= at_least and all(row[1] is not None for row in rows)

    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_TIMEOUT
    while not done():
        assert loop.time() < deadline, (
            f"replies to chat {chat_id} not settled: {outbox_of(tmp_path, chat_id)}"
        )
        await asyncio.sleep(0.05)
    rows = outbox_of(tmp_path, chat_id)
    assert all(row[2] is not None for row in rows), "a reply was given up instead of delivered"
    return [int(str(row[2])) for row in rows]


def assert_exactly_once(telegram: FakeTelegram, stored: list[int], chat_id: int) -> None:
    """The chat received each stored reply once, in order, and nothing else."""
    received = [message.message_id for message in telegram.sent_messages(chat_id)]
    assert received == stored
    assert all(message.text for message in telegram.sent_messages(chat_id))


async def test_rate_limit_for_one_chat_does_not_hold_up_another(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    # Alice's chat is rate limited for a long window; Bob must not wait for it.
    telegram.inject("sendMessage", "429", times=1, chat_id=ALICE, retry_after=6)
    await telegram.send_command(ALICE, "/start")
    await telegram.wait_until(
        lambda: any(call.fault == "429" for call in telegram.calls_of("sendMessage")), 15, "the 429"
    )

    await telegram.send_command(BOB, "/start")
    await telegram.wait_for_messages(BOB, 1, timeout=15)
    assert telegram.sent_messages(ALICE) == [], "Bob was answered before Alice's window ended"

    await telegram.wait_for_messages(ALICE, 1, timeout=20)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, ALICE), ALICE)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, BOB), BOB)
    rate_limited = [c for c in telegram.calls_of("sendMessage") if c.fault == "429"]
    assert len(rate_limited) == 1


async def test_server_errors_are_retried_and_the_reply_arrives_once(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    telegram.inject("sendMessage", "500", times=2, chat_id=ALICE)
    telegram.inject("sendMessage", "502", times=1, chat_id=ALICE)

    await telegram.send_text(ALICE, "拼多多帮好友助力，显示成功了但是他说没收到")
    stored = await settled(telegram, tmp_path, ALICE)

    assert_exactly_once(telegram, stored, ALICE)
    faults = [c.fault for c in telegram.calls_of("sendMessage") if c.fault]
    assert sorted(faults) == ["500", "500", "502"], "each failure was retried"


async def test_slow_answers_do_not_duplicate_replies(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    telegram.inject("sendMessage", "slow", times=2, chat_id=ALICE, delay=2.0)
    telegram.inject("answerCallbackQuery", "slow", times=1, delay=2.0)

    await telegram.send_command(ALICE, "/start")
    [greeting] = await telegram.wait_for_messages(ALICE, 1, timeout=20)
    await telegram.press_button(ALICE, greeting.message_id, greeting.callback_data[0])
    await telegram.wait_for_messages(ALICE, 1, timeout=20)
    await telegram.send_command(BOB, "/help")
    await telegram.wait_for_messages(BOB, 1, timeout=20)

    assert_exactly_once(telegram, await settled(telegram, tmp_path, ALICE, at_least=2), ALICE)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, BOB), BOB)
    assert len(telegram.answered_callbacks) == 1


async def test_dropped_connections_on_send_lose_nothing(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    telegram.inject("sendMessage", "drop", times=2, chat_id=ALICE)

    await telegram.send_command(ALICE, "/start")
    await telegram.send_text(BOB, "砍价砍到最后就差0.01元，一直砍不动")
    await telegram.send_command(ALICE, "/help")

    assert_exactly_once(telegram, await settled(telegram, tmp_path, ALICE, at_least=2), ALICE)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, BOB), BOB)
    assert [c.fault for c in telegram.calls_of("sendMessage") if c.fault] == ["drop", "drop"]


async def test_dropped_and_failing_polls_lose_no_update(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    # The updates are queued while polling fails: dropped twice, then a gateway error.
    telegram.inject("getUpdates", "drop", times=2)
    telegram.inject("getUpdates", "502", times=1)
    await telegram.send_command(ALICE, "/start")
    await telegram.send_text(BOB, "买的东西和描述不符，商家不给退款")
    last = await telegram.send_command(ALICE, "/help")

    await telegram.wait_for_messages(BOB, 1, timeout=30)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, ALICE, at_least=2), ALICE)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, BOB), BOB)
    await telegram.wait_until(
        lambda: telegram.confirmed_update_id >= last["update_id"], 30, "the updates to be confirmed"
    )
    processed = query(db_path(tmp_path), "select count(*) from processed_updates")[0][0]
    assert processed == 3, "each update was applied exactly once"


async def test_a_poll_answered_after_the_client_gave_up_is_not_applied_twice(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    # The connection drops after the server handed out the updates (as when the answer is
    # lost on the way back): the bot fetches them again and must recognise them.
    await telegram.send_command(ALICE, "/start")
    telegram.inject("getUpdates", "drop", times=1, process=True)
    await telegram.send_text(ALICE, "拼多多帮好友助力，显示成功了但是他说没收到")

    stored = await settled(telegram, tmp_path, ALICE, at_least=2)
    assert_exactly_once(telegram, stored, ALICE)
    cases = query(db_path(tmp_path), "select count(*) from cases where user_id = ?", (ALICE,))[0][0]
    assert cases == 1


async def test_outgoing_messages_are_paced_within_telegrams_limits(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    await running_bot(start_bot, telegram)
    people = [6620000 + i for i in range(120)]
    arrivals: list[float] = []
    loop = asyncio.get_running_loop()

    def count() -> bool:
        total = sum(len(telegram.sent_messages(p)) for p in people)
        arrivals.extend([loop.time()] * (total - len(arrivals)))
        return total >= len(people)

    for person in people:
        await telegram.send_command(person, "/start")
    await telegram.wait_until(count, 60, "a reply for each of the 120 people")

    # A leaky bucket of 30 messages a second with a burst of 30 (PTB's AIORateLimiter), plus a
    # generous margin for measuring at the receiving end.
    for i, start in enumerate(arrivals):
        for window in (1.0, 2.0):
            inside = sum(1 for t in arrivals[i:] if t < start + window)
            assert inside <= 30 * window + 40, f"{inside} messages within {window}s"
    assert arrivals[-1] - arrivals[0] >= (len(people) - 70) / 30
    for person in people:
        assert len(telegram.sent_messages(person)) == 1


async def test_an_update_the_library_cannot_parse_does_not_stop_the_bot(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = await running_bot(start_bot, telegram)
    # A poll without the fields python-telegram-bot 22.8 requires (Bot API 9.6): its parser raises.
    poll = {"id": "p1", "question": "?", "options": [{"text": "a", "voter_count": 0}], "total_voter_count": 0}
    await telegram.send_update(
        {"message": {"from": telegram_user(ALICE), "chat": private_chat(ALICE), "poll": poll}}
    )
    await telegram.send_command(ALICE, "/help")
    await telegram.send_command(BOB, "/help")

    assert bot.proc is not None
    # The process's exit is no server event: poll.
    await poll_until(
        lambda: bot.proc is not None and (bot.proc.poll() is not None or bool(telegram.sent_messages(BOB))),
        timeout=30,
        what="Bob's answer",
        every=0.05,
    )
    assert bot.proc.poll() is None, "the bot process died"
    assert_exactly_once(telegram, await settled(telegram, tmp_path, BOB), BOB)
    assert_exactly_once(telegram, await settled(telegram, tmp_path, ALICE), ALICE)


async def test_replies_to_one_chat_are_paced_to_about_one_a_second(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess]
) -> None:
    await running_bot(start_bot, telegram, CHAT_RATE="1")
    for command in ("/start", "/help", "/status", "/help", "/start"):
        await telegram.send_command(ALICE, command)
    sent = await telegram.wait_for_messages(ALICE, 5, timeout=30)
    arrivals = [
        call.at for call in telegram.calls_of("sendMessage") if str(call.params.get("chat_id")) == str(ALICE)
    ]
    assert len(sent) == 5 and len(arrivals) >= 5
    # A burst of three goes out at once; the 4th and 5th wait for their second each.
    assert arrivals[4] - arrivals[0] >= 1.8


async def test_a_stop_during_a_long_polling_pause_is_not_kept_waiting(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess]
) -> None:
    """Telegram asks the poller to wait an hour; SIGTERM still stops the bot at once, cleanly."""
    bot = await running_bot(start_bot, telegram)
    calls = len(telegram.calls_of("getUpdates"))
    telegram.inject("getUpdates", "429", times=1, retry_after=3600)
    await telegram.send_text(ALICE, "你好")  # answers the waiting long poll, so the next one meets the fault
    await telegram.wait_until(
        lambda: any(call.status == 429 for call in telegram.calls_of("getUpdates")[calls:]),
        timeout=SETTLE_TIMEOUT,
        what="the rate-limited getUpdates",
    )
    assert await bot.stop(timeout=30) == 0
