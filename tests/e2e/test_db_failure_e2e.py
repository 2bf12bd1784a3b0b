"""A database that cannot take an update right now: the update stays unconfirmed and is applied once later."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.botproc import WEBHOOK_SECRET as SECRET
from tests.e2e.botproc import BotProcess, start_worker
from tests.e2e.conftest import running_bot
from tests.e2e.database import Database
from tests.factories import text_update
from tests.fake_telegram import FakeTelegram
from tests.waiting import poll_until

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

USER = 7300001
ORDER_NO = "231118-492817365029174"
PHONE = "13812345678"
DEADLINE = 90.0  # generous: each attempt waits out SQLite's 5 s busy timeout on a busy machine


async def test_a_write_lock_past_the_busy_timeout_loses_nothing(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    # DEBUG: the failed statement is logged with everything the bot logs; none of it may carry
    # what the person wrote (issue 11 item 4: SQLAlchemy's error text holds statement values).
    bot = await running_bot(start_bot, telegram, LOG_LEVEL="DEBUG")
    db = Database(database_url)
    path = Path(database_url.split("///", 1)[1])
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        update = await telegram.send_text(
            USER, f"拼多多助力被吞了，朋友都点了没算，订单号 {ORDER_NO}，电话 {PHONE}"
        )
        await poll_until(
            lambda: "not applied" in bot.log(), timeout=DEADLINE, what="the failed attempt", every=0.05
        )
        # The failed attempt left nothing behind: no answer, no confirmation.
        assert telegram.unread_messages(USER) == []
        assert telegram.confirmed_update_id < update["update_id"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    [reply] = await telegram.wait_for_messages(USER, 1, timeout=DEADLINE)
    assert "助力被吞" in reply.text
    await telegram.wait_until(
        lambda: telegram.confirmed_update_id >= update["update_id"], timeout=DEADLINE, what="confirmation"
    )
    cases = await db.rows("select id from cases where user_id = ?", (USER,))
    keys = await db.rows("select update_key from processed_updates")
    assert len(cases) == 1 and len(keys) == 1
    assert len(telegram.sent_messages(USER)) == 1  # answered exactly once
    log = bot.log()
    assert "not applied (update not applied: OperationalError)" in log  # the fault, by its kind only
    for secret in ("拼多多助力被吞了", ORDER_NO, PHONE, "492817365029174", "朋友都点了"):
        assert secret not in log, secret


async def test_the_webhook_answers_503_while_the_database_cannot_take_the_update(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    """Telegram redelivers an update the webhook answered with 5xx: applied once, when it can be."""
    bot, url = await start_worker(start_bot)
    db = Database(database_url)
    path = Path(database_url.split("///", 1)[1])
    await telegram.send_text(USER, "hi")  # lets the bot write to this chat (as on Telegram)
    telegram.mark_read(USER)
    update = text_update(91001, USER, f"拼多多助力被吞了，订单号 {ORDER_NO}")
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert await telegram.deliver_webhook(url, update, secret_token=SECRET) == 503
        assert telegram.unread_messages(USER) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert await telegram.deliver_webhook(url, update, secret_token=SECRET) == 200  # the redelivery
    [reply] = telegram.unread_messages(USER)
    assert "助力被吞" in reply.text
    cases = await db.rows("select id from cases where user_id = ?", (USER,))
    assert len(cases) == 1
    assert ORDER_NO not in bot.log()
