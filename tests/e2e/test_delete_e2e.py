"""``/delete`` end to end (issue #4): after confirmation no row of the person is left in the
database, whatever the bot was still doing for them, and nobody else's data is touched."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot
from tests.e2e.conversation import Chat, texts
from tests.e2e.database import Database, Row, case_rows, dump, rows_of, user_tables
from tests.fake_telegram import FakeTelegram, tiny_png

ORDER_NO = "231118-492817365029174"
OTHER_ORDER_NO = "231120-118273645501928"
USER = 6680001
OTHER_USER = 6680002
#: Tables where the deletion's own bookkeeping (its update key, its confirmation) may stay.
BOOKKEEPING = ("outbox", "processed_updates")


async def open_case_with_evidence(chat: Chat, order_no: str) -> None:
    """A case with facts, a pending follow-up reminder and a screenshot."""
    opened = await chat.text(f"拼多多助力被吞了，订单号{order_no}，我已经联系过客服了")
    assert order_no in texts(opened) and "提醒你跟进" in texts(opened)
    assert "已保存证据" in texts(await chat.photo(tiny_png(32, 32), caption="助力进度截图"))


async def person_rows(db: Database, user_id: int, case_ids: list[str]) -> dict[str, list[Row]]:
    """Every row of the person, table by table."""
    return await rows_of(db, user_id, case_ids, await user_tables(db))


async def confirm_delete(chat: Chat) -> None:
    """``/delete`` and the confirmation button."""
    asked = await chat.command("delete")
    assert "确定要删除" in texts(asked)
    assert "已删除你的全部数据" in texts(await chat.press(asked, "确认删除"))


async def assert_only_the_deletion_is_left(db: Database, user_id: int, case_ids: list[str]) -> None:
    """No row of the person but the deletion's update key and its confirmation message."""
    after = await person_rows(db, user_id, case_ids)
    kept = {table: rows for table, rows in after.items() if rows and table not in BOOKKEEPING}
    assert kept == {}, f"rows left after /delete: {kept}"
    assert len(after["processed_updates"]) == 1, after["processed_updates"]
    # Only the confirmation's outbox row (its text is erased once Telegram has it).
    assert len(await db.rows("select id from outbox where user_id = ?", (user_id,))) == 1


async def all_sent(db: Database, user_id: int, timeout: float = 20.0) -> None:
    """Wait until every stored reply to the person has been sent (their rows stop changing)."""
    deadline = asyncio.get_running_loop().time() + timeout
    sql = "select id from outbox where user_id = ? and sent_at is null"
    while unsent := await db.rows(sql, (user_id,)):
        assert asyncio.get_running_loop().time() < deadline, f"replies never sent: {unsent}"
        await asyncio.sleep(0.05)


async def test_delete_erases_every_row_of_the_person_and_nobody_else(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    await running_bot(start_bot, telegram)
    db = Database(database_url)
    person, other = Chat(telegram, db, USER), Chat(telegram, db, OTHER_USER)
    for chat, order_no in ((person, ORDER_NO), (other, OTHER_ORDER_NO)):
        await open_case_with_evidence(chat, order_no)
        await chat.committed("ocr:")  # the screenshot has been read (or found unreadable)
        await all_sent(db, chat.user_id)  # ... and what the bot said about it went out

    case_ids = [row[0] for row in await case_rows(db, USER)]
    other_case_ids = [row[0] for row in await case_rows(db, OTHER_USER)]
    other_before = await person_rows(db, OTHER_USER, other_case_ids)
    mine_before = await person_rows(db, USER, case_ids)
    for table in ("users", "cases", "case_facts", "timeline", "evidence", "reminders"):
        assert mine_before[table], f"the person has no {table} rows before /delete"

    await confirm_delete(person)
    await assert_only_the_deletion_is_left(db, USER, case_ids)
    everything = "\n".join(str(rows) for rows in (await dump(db)).values())
    assert ORDER_NO not in everything and OTHER_ORDER_NO in everything

    # The other person is untouched and goes on.
    assert await person_rows(db, OTHER_USER, other_case_ids) == other_before
    [status] = await other.command("status")
    assert OTHER_ORDER_NO in status.text
    assert "还没有进行中的案件" in texts(await person.command("status"))


async def test_delete_while_a_screenshot_is_still_being_read(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    bot = await running_bot(start_bot, telegram)
    db = Database(database_url)
    person = Chat(telegram, db, USER)
    telegram.inject("getFile", "slow", delay=2.0)  # the reading finishes after the deletion
    await open_case_with_evidence(person, ORDER_NO)
    case_ids = [row[0] for row in await case_rows(db, USER)]

    await confirm_delete(person)
    await telegram.wait_for_calls("getFile")
    assert await bot.stop() == 0  # a graceful stop waits for the readings in hand
    await assert_only_the_deletion_is_left(db, USER, case_ids)
