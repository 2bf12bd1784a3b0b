"""Privacy end to end: the bot's whole log holds no token and nothing people wrote; old closed
cases are purged after ``RETENTION_DAYS``.

Several people talk to the real bot process (order numbers, phone numbers, names, free text,
a captioned screenshot, drafts and an export), at every log level and format; then the whole
log is scanned. Retention is checked in the database the bot itself purges at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import TOKEN, running_bot
from tests.e2e.database import db_path, query
from tests.e2e.test_faults_e2e import outbox_of, settled
from tests.fake_telegram import FakeTelegram, tiny_png
from tests.waiting import poll_until

#: SQLite only: these tests are about logs and retention and read the file directly;
#: storage on PostgreSQL is covered by the storage, foundation, crash, webhook and case tests.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


ZHANG = 6630001
LI = 6630002
WANG = 6630003
NAMES = {ZHANG: "张三", LI: "李四", WANG: "王五"}
ORDER_NUMBERS = ("231118-492817365029174", "491827365029174123", "250203-118273645501928")
PHONES = ("13812345678", "15987654321")
#: What each person writes, in order (commands are sent as commands).
SCRIPT: dict[int, tuple[str, ...]] = {
    ZHANG: (
        "/start",
        "我是张三，拼多多帮好友助力，显示成功了但是他说没收到，订单号231118-492817365029174",
        "我的手机号13812345678，昨天下午联系了客服，客服说是系统问题",
        "/draft",
        "/export",
    ),
    LI: (
        "砍价砍到最后就差0.01元，一直砍不动，订单 491827365029174123",
        "李四 电话 15987654321 金额39.9元",
        "/status",
    ),
    WANG: (
        "这个活动太坑了，我朋友王五也遇到了，平台一直推脱责任",
        "/close 250203-118273645501928",
        "/help",
    ),
}


#: Reported to the lead (bot/logs.py is theirs): at DEBUG, python-telegram-bot's
#: ``telegram.ext.ExtBot`` logs every Bot API call's parameters and result, i.e. what people
#: wrote, their names and the bot's replies (the token and long numbers are redacted).
DEBUG_LEAK: list[pytest.MarkDecorator] = []


def secrets_in(log: str) -> list[str]:
    """Every secret, message text or personal value that appears in ``log``."""
    found: list[str] = []
    token_secret = TOKEN.split(":", 1)[1]
    for secret in (TOKEN, token_secret, *PHONES, *ORDER_NUMBERS, *NAMES.values()):
        if secret in log:
            found.append(secret)
    for number in (*ORDER_NUMBERS, *PHONES):
        digits = number.replace("-", "")
        # Any 8 digits in a row of an order or phone number (the redaction must not cut them up).
        for start in range(len(digits) - 7):
            if digits[start : start + 8] in log:
                found.append(f"part of {number}: {digits[start : start + 8]}")
                break
    for texts in SCRIPT.values():
        for text in texts:
            if not text.startswith("/") and text in log:
                found.append(text)
            # Distinctive runs of free text (six characters) must not appear either.
            for piece in re.findall(r"[\u4e00-\u9fff]{6,}", text):
                if piece in log:
                    found.append(piece)
    return found


async def exchange(telegram: FakeTelegram, tmp_path: Path, user_id: int, action: Awaitable[object]) -> None:
    """Do ``action`` (a user's update) and wait until a new reply to it is stored and sent."""
    before = len(outbox_of(tmp_path, user_id)) if db_path(tmp_path).exists() else 0
    await action
    await settled(telegram, tmp_path, user_id, at_least=before + 1)


async def talk(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Every person runs their script; a captioned screenshot too; wait until all is answered."""
    for user_id, texts in SCRIPT.items():
        for text in texts:
            name = NAMES[user_id]
            if text.startswith("/"):
                command, _, args = text.partition(" ")
                action = telegram.send_command(user_id, command, args, first_name=name)
            else:
                action = telegram.send_text(user_id, text, first_name=name)
            await exchange(telegram, tmp_path, user_id, action)
    caption = "订单截图 231118-492817365029174 张三"
    await exchange(
        telegram, tmp_path, ZHANG, telegram.send_photo(ZHANG, tiny_png(64, 48), caption, first_name="张三")
    )


@pytest.mark.parametrize(
    ("level", "fmt"),
    [
        pytest.param("DEBUG", "text", id="debug-text", marks=DEBUG_LEAK),
        pytest.param("DEBUG", "json", id="debug-json", marks=DEBUG_LEAK),
        pytest.param("INFO", "text", id="info-text"),
        pytest.param("INFO", "json", id="info-json"),
    ],
)
async def test_the_log_holds_no_token_and_nothing_people_wrote(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path, level: str, fmt: str
) -> None:
    bot = await running_bot(start_bot, telegram, LOG_LEVEL=level, LOG_FORMAT=fmt)
    await talk(telegram, tmp_path)
    # The replies do carry the facts back to their owner (the check below is not vacuous).
    assert any("492817365029174" in m.text for m in telegram.sent_messages(ZHANG))
    assert await bot.stop() == 0

    log = bot.log()
    assert "update" in log.lower(), "the log is not empty: the bot logged its work"
    assert secrets_in(log) == []


async def test_closed_cases_older_than_retention_days_are_purged(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = await running_bot(start_bot, telegram)
    story = "拼多多帮好友助力，显示成功了但是他说没收到，订单号231118-492817365029174"
    for user_id in (ZHANG, LI, WANG):
        await exchange(telegram, tmp_path, user_id, telegram.send_text(user_id, story))
    await exchange(telegram, tmp_path, ZHANG, telegram.send_photo(ZHANG, tiny_png(32, 32), "订单截图"))
    await exchange(telegram, tmp_path, ZHANG, telegram.send_text(ZHANG, "已经联系客服了，客服说三天内处理"))
    for user_id in (ZHANG, LI):  # Zhang and Li close their cases; Wang's stays open
        await exchange(telegram, tmp_path, user_id, telegram.send_command(user_id, "/close"))
        ask, data = next(
            (m, d)
            for m in reversed(telegram.sent_messages(user_id))
            for d in m.callback_data
            if d.startswith("x|") and d.endswith("|resolved")
        )
        await exchange(telegram, tmp_path, user_id, telegram.press_button(user_id, ask.message_id, data))
    assert await bot.stop() == 0

    db = db_path(tmp_path)
    [(zhang_case,)] = query(db, "select id from cases where user_id = ?", (ZHANG,))
    before = case_rows(db, zhang_case)
    assert before["case_facts"] and before["timeline"] and before["evidence"] and before["reminders"]
    # Zhang's case was closed 40 days ago; Wang's open case is just as old.
    age(db, "update cases set closed_at = datetime(closed_at, '-40 days') where user_id = ?", ZHANG)
    age(db, "update cases set created_at = datetime(created_at, '-40 days') where user_id = ?", WANG)

    # Without RETENTION_DAYS nothing is ever purged.
    kept = await running_bot(start_bot, telegram)
    await exchange(telegram, tmp_path, LI, telegram.send_command(LI, "/help"))
    assert await kept.stop() == 0
    assert len(query(db, "select id from cases")) == 3

    purging = await running_bot(start_bot, telegram, RETENTION_DAYS="30")
    await poll_until(
        lambda: not query(db, "select 1 from cases where id = ?", (zhang_case,)),
        timeout=20,
        what="the purge",
        every=0.05,
    )
    assert await purging.stop() == 0

    assert {table: rows for table, rows in case_rows(db, zhang_case).items() if rows} == {}
    remaining = query(db, "select user_id, status from cases order by user_id")
    assert remaining == [(LI, "closed"), (WANG, "open")]
    assert query(db, "select current_case_id from users where user_id = ?", (ZHANG,)) in ([(None,)], [])


def case_rows(db: Path, case_id: str) -> dict[str, list[tuple[object, ...]]]:
    """The case's rows in every table that hangs off it."""
    tables = ("cases", "case_facts", "timeline", "evidence", "reminders")
    return {
        table: query(
            db, f"select * from {table} where {'id' if table == 'cases' else 'case_id'} = ?", (case_id,)
        )
        for table in tables
    }


def age(db: Path, sql: str, user_id: int) -> None:
    """Rewrite timestamps in the stopped bot's database (as if time had passed)."""
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        with connection:
            assert connection.execute(sql, (user_id,)).rowcount == 1
    finally:
        connection.close()
