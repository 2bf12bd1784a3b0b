"""Hot reload of the keyword files against the running bot (issue #3), over HTTP.

The bot runs with ``INTENTS_DIR`` pointing at a copy of the shipped keyword files; the test
edits, breaks and deletes files in that copy while the bot runs, and talks to it as people
(and an operator) would.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from intents import default_intents_dir
from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot
from tests.e2e.conversation import Chat, texts
from tests.e2e.database import Database
from tests.fake_telegram import FakeTelegram, SentMessage

OPERATOR = 7770001
USER = 7770100
#: A made-up word no shipped keyword file knows (the first reply proves it is ``other``).
NEW_WORD = "喵币失灵"
NEW_WORD_MESSAGE = f"我的{NEW_WORD}了"
BARGAIN_MESSAGE = "拼多多砍价免费拿，砍到只差0.01元就砍不动了"
OTHER_REPLY = "我没太明白"
RIGHTS_FLOW = "已为你新建案件：权益受损"
DEADLINE = 15.0
POLL = 0.25


@pytest.fixture
def intents_dir(tmp_path: Path) -> Path:
    """A copy of the shipped keyword files the test may edit while the bot runs."""
    target = tmp_path / "intents"
    shutil.copytree(default_intents_dir(), target)
    return target


def with_keyword(text: str, word: str, weight: float = 4.0) -> str:
    """``text`` of a keyword file with ``word`` added at the top of its ``[keywords]`` table."""
    header = "\n[keywords]\n"
    assert header in text, "the keyword file has no [keywords] table"
    return text.replace(header, f'{header}"{word}" = {weight}\n', 1)


def save(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` at once, as editors save (the watcher never sees half a file)."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


async def poll_replies(
    send: Callable[[int], Awaitable[list[SentMessage]]], done: Callable[[list[SentMessage]], bool]
) -> tuple[list[SentMessage], float]:
    """Call ``send(attempt)`` every POLL seconds until ``done(replies)``; the replies and the time taken."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    attempt = 0
    while True:
        replies = await send(attempt)
        if done(replies):
            return replies, loop.time() - start
        if loop.time() - start > DEADLINE:
            raise AssertionError(f"not picked up within {DEADLINE}s; last replies: {texts(replies)!r}")
        attempt += 1
        await asyncio.sleep(POLL)


async def start_with_operator(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], db: Database, intents_dir: Path
) -> tuple[BotProcess, Chat]:
    """The bot on the copied keyword files, and an operator who has written to it (so it may answer)."""
    bot = await running_bot(start_bot, telegram, INTENTS_DIR=str(intents_dir), OPERATOR_IDS=str(OPERATOR))
    operator = Chat(telegram, db, OPERATOR)
    assert await operator.command("start")
    telegram.mark_read(OPERATOR)  # what follows for the operator is read with wait_for_messages
    return bot, operator


async def test_keyword_files_are_reloaded_while_the_bot_runs(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str, intents_dir: Path
) -> None:
    db = Database(database_url)
    bot, _ = await start_with_operator(telegram, start_bot, db, intents_dir)
    rights_file = intents_dir / "rights_damaged.toml"
    good_text = with_keyword(rights_file.read_text("utf-8"), NEW_WORD)

    # (a) The made-up word is not understood; once added to rights_damaged it opens that flow.
    person = Chat(telegram, db, USER)
    first = await person.text(NEW_WORD_MESSAGE)
    assert OTHER_REPLY in texts(first) and RIGHTS_FLOW not in texts(first)
    save(rights_file, good_text)
    replies, took = await poll_replies(
        lambda _: person.text(NEW_WORD_MESSAGE), lambda r: RIGHTS_FLOW in texts(r)
    )
    assert "一、确认问题 · 第1/3步" in texts(replies)
    assert telegram.unread_messages(OPERATOR) == [], "a good file is no alarm"
    print(f"new keyword picked up after {took:.2f}s")

    # (b) A broken file: the operator is told which file, the log says why, the last good set stays.
    save(rights_file, good_text + '\n"没有结尾的键 = \n')
    [notice] = await telegram.wait_for_messages(OPERATOR, 1, timeout=DEADLINE)
    assert "rights_damaged.toml" in notice.text and "上一版" in notice.text
    assert "rights_damaged.toml" in bot.log()
    still = await Chat(telegram, db, USER + 1).text(NEW_WORD_MESSAGE)
    assert RIGHTS_FLOW in texts(still)

    # (c) Fixed again, and bargain_failed.toml deleted: a missing intent file is a warning
    # (intents/loader.py), so the reload goes through and that intent no longer matches.
    save(rights_file, good_text)
    (intents_dir / "bargain_failed.toml").unlink()
    replies, _ = await poll_replies(
        lambda attempt: Chat(telegram, db, USER + 100 + attempt).text(BARGAIN_MESSAGE),
        lambda r: OTHER_REPLY in texts(r),
    )
    assert "已为你新建案件" not in texts(replies)
    assert RIGHTS_FLOW in texts(await Chat(telegram, db, USER + 2).text(NEW_WORD_MESSAGE))
    assert telegram.unread_messages(OPERATOR) == [], "a good set (with a warning) is no alarm"
    assert NEW_WORD_MESSAGE not in bot.log() and BARGAIN_MESSAGE not in bot.log()


async def test_reload_command_answers_operators_only(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str, intents_dir: Path
) -> None:
    db = Database(database_url)
    await start_with_operator(telegram, start_bot, db, intents_dir)

    # (d) The operator's /reload is confirmed...
    await telegram.send_command(OPERATOR, "reload")
    [confirmed] = await telegram.wait_for_messages(OPERATOR, 1, timeout=DEADLINE)
    assert "关键词文件已重新加载" in confirmed.text

    # ... anyone else gets the ordinary answer to an unknown command.
    replies = await Chat(telegram, db, USER).command("reload")
    assert "我不认识这个命令" in texts(replies)
    assert "关键词" not in texts(replies)

    # With a broken file the operator's /reload names it and keeps the last good set.
    rights_file = intents_dir / "rights_damaged.toml"
    save(rights_file, rights_file.read_text("utf-8") + "\n[keywords\n")
    [notice] = await telegram.wait_for_messages(OPERATOR, 1, timeout=DEADLINE)  # from the file watcher
    assert "rights_damaged.toml" in notice.text
    await telegram.send_command(OPERATOR, "reload")
    [refused] = await telegram.wait_for_messages(OPERATOR, 1, timeout=DEADLINE)
    assert "有错误" in refused.text and "rights_damaged.toml" in refused.text
    still = await Chat(telegram, db, USER + 1).text("领的满减券到了付款页面就不能用了")
    assert RIGHTS_FLOW in texts(still)
