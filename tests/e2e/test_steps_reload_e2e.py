"""Step texts are reloaded by the running bot, and a broken step file never replaces the working set."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guide import default_content_dir
from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot
from tests.fake_telegram import FakeTelegram
from tests.waiting import poll_until

USER = 7300001


#: SQLite only: this is about files, not storage.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def _welcome(telegram: FakeTelegram) -> str:
    await telegram.send_command(USER, "/start")
    return (await telegram.wait_for_messages(USER, 1))[0].text


async def _until_welcome_contains(telegram: FakeTelegram, needle: str, timeout: float = 15.0) -> str:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        text = await _welcome(telegram)
        if needle in text or asyncio.get_running_loop().time() > deadline:
            return text
        await asyncio.sleep(0.5)


async def test_step_files_hot_reload_and_keep_last_good(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], tmp_path: Path
) -> None:
    steps = tmp_path / "steps"
    shutil.copytree(default_content_dir(), steps)
    common = steps / "common.toml"
    original = common.read_text(encoding="utf-8")
    bot = await running_bot(start_bot, telegram, GUIDE_DIR=str(steps))
    assert "新版欢迎语" not in await _welcome(telegram)

    marker = "新版欢迎语：运营刚改过"
    common.write_text(original.replace('welcome = """', f'welcome = """{marker}\n', 1), encoding="utf-8")
    assert marker in await _until_welcome_contains(telegram, marker)

    common.write_text(original + "\nthis is = not toml [\n", encoding="utf-8")
    # The watcher reports the broken file (naming it) in the log: wait for that, then look.
    await poll_until(
        lambda: "common.toml" in bot.log(), timeout=30, what="the broken file reported", every=0.05
    )
    assert marker in await _welcome(telegram), "the last good step files stay in use"
