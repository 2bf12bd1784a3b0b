"""Pytest fixtures for the fake Bot API server; import them into a conftest.py or a test module.

from tests.fake_telegram.fixtures import fake_telegram, telegram_bot  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot

from tests.fake_telegram.server import FakeTelegram

TEST_TOKEN = "123456:TEST-TOKEN"


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A running fake server on a free port; fails the test if the bot made unexpected calls.

    A test that provokes unexpected calls on purpose clears ``unexpected_calls`` itself.
    """
    async with FakeTelegram(token=TEST_TOKEN) as server:
        yield server
    server.assert_no_unexpected_calls()


@pytest_asyncio.fixture
async def telegram_bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    """An initialised python-telegram-bot ``Bot`` talking to ``fake_telegram``."""
    async with Bot(
        fake_telegram.token, base_url=fake_telegram.api_base_url, base_file_url=fake_telegram.file_base_url
    ) as bot:
        yield bot


@pytest.fixture
def tg(fake_telegram: FakeTelegram) -> FakeTelegram:
    """The fake server under a short name; the test fails on unexpected calls unless it cleared them."""
    return fake_telegram


@pytest.fixture
def bot(telegram_bot: Bot) -> Bot:
    """A real python-telegram-bot Bot pointed at the fake server."""
    return telegram_bot


@pytest.fixture
def timedelta_durations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta durations so reading RetryAfter.retry_after does not warn."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
