"""Issue 13 end to end: one person off the script, through the real bot and the fake Bot API.

/new then a new problem, a scam message, a question mid-flow, "it's solved", a reopen and a
skipped question; after each step the database itself (not ``storage/``) is checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot
from tests.e2e.conversation import Chat, texts
from tests.e2e.database import Database, case_rows
from tests.fake_telegram import FakeTelegram

USER = 6690001


async def facts_of(db: Database, case_id: str) -> dict[str, str]:
    """The stored facts of a case."""
    rows = await db.rows("select name, value from case_facts where case_id = ?", (case_id,))
    return {str(name): str(value) for name, value in rows}


async def user_row(db: Database) -> tuple[str | None, dict[str, Any]]:
    """(current case id, scratch values) of the person."""
    [(current, pending)] = await db.rows(
        "select current_case_id, pending from users where user_id = ?", (USER,)
    )
    return current, json.loads(pending) if isinstance(pending, str) else dict(pending)


async def awaiting_of(db: Database, case_id: str) -> str:
    """The fact question a case waits for ("" when none)."""
    [(awaiting,)] = await db.rows("select awaiting from cases where id = ?", (case_id,))
    return str(awaiting)


async def test_one_person_off_the_script(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    await running_bot(start_bot, telegram)
    db = Database(database_url)
    chat = Chat(telegram, db, USER)

    first = await chat.text("拼多多助力被吞了，好友助力了却没算")
    assert "已为你新建案件：助力被吞" in texts(first)
    [(old_id, *_)] = await case_rows(db, USER)
    old_facts = await facts_of(db, old_id)

    # /new, then a problem: a new case holding that message's facts; the old case untouched.
    asked = await chat.command("new")
    assert "请选择问题类型" in texts(asked)
    assert (await user_row(db))[1].get("new") == "1"
    opened = await chat.text("京东买的耳机一直没发货，付了199元")
    assert "已为你新建案件：权益受损" in texts(opened) and "199元" in texts(opened)
    rows = await case_rows(db, USER)
    assert [(row[1], row[4]) for row in rows] == [("zhuli_swallowed", "open"), ("rights_damaged", "open")]
    case_id = rows[1][0]
    facts = await facts_of(db, case_id)
    assert facts["amount"] == "199元" and facts["platform"] == "京东"
    assert facts["description"] == "京东买的耳机一直没发货，付了199元"
    assert await facts_of(db, old_id) == old_facts
    current, pending = await user_row(db)
    assert current == case_id and "new" not in pending

    # A scam message: the warning, no case, no fact.
    warned = await chat.text("有人说可以帮我代维权，要先交500元手续费")
    assert "防骗提醒" in texts(warned)
    assert await case_rows(db, USER) == rows
    assert await facts_of(db, case_id) == facts

    # A question mid-flow: a short sourced answer, the place kept.
    step = await chat.press(opened, "看完了")
    assert "第2/3步" in texts(step)
    position = await case_rows(db, USER)
    answered = await chat.text("这种算不算欺诈？能要三倍赔偿吗？")
    assert "第55条" in texts(answered) and "没太明白" not in texts(answered)
    assert await case_rows(db, USER) == position
    assert await facts_of(db, case_id) == facts
    back = await chat.text("返回")  # the typed label of a button on the keyboard shown again
    assert "第1/3步" in texts(back)
    assert [row[2:4] for row in await case_rows(db, USER)][1] == ("confirm", 0)

    # "It's solved": one button closes the case as 已解决.
    offered = await chat.text("商家已经给我退款了，谢谢你")
    assert "太好了" in texts(offered) and "【" not in texts(offered)
    assert (await case_rows(db, USER))[1][4] == "open"
    await chat.press(offered, "结案（已解决）")
    assert (await case_rows(db, USER))[1][4:] == ("closed", "resolved")
    assert (await user_row(db))[0] is None

    # About the closed case: the offer to reopen it, and the reopened case where it stood.
    reopen = await chat.text("刚才那个案子平台又回我了")
    assert "重新打开" in texts(reopen)
    assert (await case_rows(db, USER))[1][4] == "closed"
    reopened = await chat.press(reopen, "重新打开")
    assert "已重新打开" in texts(reopened)
    assert (await case_rows(db, USER))[1][2:] == ("confirm", 0, "open", None)
    assert (await user_row(db))[0] == case_id
    events = [event for (event,) in await db.rows("select event from timeline where case_id = ?", (case_id,))]
    assert "reopened" in events

    # A skipped question: the question is left, nothing recorded.
    step = await chat.press(reopened, "看完了")
    question = await chat.press(step, "补充订单号")
    assert "订单号是多少" in texts(question)
    assert await awaiting_of(db, case_id) == "order_no"
    skipped = await chat.text("不知道")
    assert "先跳过" in texts(skipped) and "没认出来" not in texts(skipped)
    assert await awaiting_of(db, case_id) == ""
    assert "order_no" not in await facts_of(db, case_id)
