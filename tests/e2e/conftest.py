"""End-to-end fixtures: the fake Bot API server and the real bot process pointed at it."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from domain.case import UserView
from intents.lexicon import default_cache_dir
from storage import Storage
from tests.databases import BACKENDS, fresh_database
from tests.e2e.botproc import BotProcess
from tests.e2e.conversation import FLOOD_LIMIT
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

TOKEN = "123456:TEST-TOKEN-weiquan-e2e"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram on 127.0.0.1 and a free port; unexpected Bot API calls fail the test."""
    async with FakeTelegram(token=TOKEN) as server:
        yield server
        server.assert_no_unexpected_calls()


@pytest.fixture
def bot_env(tmp_path: Path, telegram: FakeTelegram, database_url: str) -> dict[str, str]:
    """The environment of a bot process talking to the fake server, with its own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "OPERATOR_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=telegram.api_base_url,
        TELEGRAM_FILE_BASE_URL=telegram.file_base_url,
        DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path / "data"),
        # One cache for every bot of the run (its files are keyed by content): the learned
        # stage is trained once, not in each of the suite's bot processes.
        CACHE_DIR=str(default_cache_dir()),
        # A loaded 2-core machine can take minutes over one long screenshot; the limit has its own tests.
        OCR_TIMEOUT="600",
        LOG_LEVEL="INFO",
        REMINDER_POLL_INTERVAL="0.3",
        PTB_TIMEDELTA="true",
        # Per-chat pacing has its own test; elsewhere it would only make the suite slow.
        CHAT_RATE="50",
        # A walk through a whole case is faster than people write; the default limit (20 in
        # 10 s) has its own tests, and Chat keeps below this one (tests/e2e/conversation.py).
        FLOOD_LIMIT=str(FLOOD_LIMIT),
        PYTHONUNBUFFERED="1",
        WEIQUAN_TEST_CWD=str(tmp_path),
    )
    return env


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database that exists only for this test: a SQLite file, and PostgreSQL when configured.

    A module that is about the Telegram side only narrows it to SQLite with
    ``pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)``.
    """
    async with fresh_database(request.param, tmp_path / "data" / "weiquan.db") as url:
        yield url


async def stored_view(database_url: str, user_id: int) -> UserView:
    """What the database holds about a person (read through the storage layer)."""
    storage = await Storage.connect(database_url, migrate=False)
    try:
        return await storage.load_view(user_id)
    finally:
        await storage.close()


@pytest.fixture
async def start_bot(
    bot_env: dict[str, str], tmp_path: Path, telegram: FakeTelegram
) -> AsyncIterator[Callable[..., BotProcess]]:
    """Start bot processes (stopped at the end); the returned process is polling when ready."""
    started: list[BotProcess] = []

    def make(**extra_env: str) -> BotProcess:
        env = {**bot_env, **extra_env}
        proc = BotProcess(env, tmp_path / "bot.log")
        started.append(proc)
        return proc

    yield make
    for proc in started:
        await proc.stop()


async def running_bot(
    make: Callable[..., BotProcess], telegram: FakeTelegram, **extra_env: str
) -> BotProcess:
    """Start a bot and wait until it polls for updates."""
    before = len(telegram.calls_of("getUpdates"))
    proc = make(**extra_env)
    proc.start()
    await proc.wait_ready(lambda: len(telegram.calls_of("getUpdates")) > before)
    return proc


assert sys.version_info >= (3, 11)
