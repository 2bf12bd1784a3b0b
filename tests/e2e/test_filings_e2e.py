"""A filing's clock end to end (issue 15): a 12315 complaint is recorded, its clock (shortened by
FILING_CLOCK_OVERRIDE) falls due while the bot is down, the restarted bot sends the reminder naming
the rule, "no reply" brings the next step's draft; no log line carries the complaint number."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot
from tests.e2e.conversation import Chat, texts
from tests.e2e.database import Database
from tests.fake_telegram import FakeTelegram

USER = 6660015
NUMBER = "3101150000987654"
CLOCK_SECONDS = 3


async def test_a_12315_complaint_clock_fires_after_a_restart_and_no_reply_brings_the_next_draft(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    env = {
        "FILING_CLOCK_OVERRIDE": f"{CLOCK_SECONDS}s",
        "REMINDER_POLL_INTERVAL": "0.3",
        "LOG_LEVEL": "DEBUG",
    }
    bot = await running_bot(start_bot, telegram, **env)
    db = Database(database_url)
    chat = Chat(telegram, db, USER)
    await chat.text("拼多多砍价免费拿，砍到只差0.01元就砍不动了")
    recorded = await chat.text(f"我在12315投诉了，编号是{NUMBER}")
    due = time.monotonic() + CLOCK_SECONDS
    assert "已记录：12315 投诉" in texts(recorded) and "7个工作日" in texts(recorded)
    rows = await db.rows("select channel, number, status from filings")
    assert rows == [("complaint_12315", NUMBER, "submitted")]
    reminders = await db.rows("select purpose, status from reminders where user_id = ?", (USER,))
    assert [(purpose.startswith("filing:"), status) for purpose, status in reminders] == [(True, "pending")]

    assert await bot.stop() == 0
    log_before = bot.log()
    await asyncio.sleep(max(0.0, due - time.monotonic()))
    restarted = await running_bot(start_bot, telegram, **env)
    chat.bot_restarted()
    [reminder] = await chat.produced("reminder:")
    assert "市场监管部门决定是否受理的期限已到" in reminder.text and NUMBER in reminder.text
    assert "第46条" in reminder.text and "现在可以" in reminder.text
    assert {"📬 有答复了", "🔇 没有回复", "✅ 已解决"} <= set(reminder.button_labels)

    proposal = await chat.press([reminder], "没有回复")
    assert "12315 投诉没有按时答复" in texts(proposal)
    drafts = await chat.press(proposal, "消协 / 消保委调解（草稿）")
    assert "请求调解" in texts(drafts) and NUMBER in texts(drafts)
    assert "本服务仅提供一般性维权指引" in texts(drafts)

    for log in (log_before, restarted.log()):
        assert NUMBER not in log
