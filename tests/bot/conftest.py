"""Fixtures shared by the bot's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core import BotCore
from tests.offline import offline_settings


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[BotCore]:
    """The bot's core (dialogue and storage) on :func:`~tests.offline.offline_settings`, no Telegram."""
    core = await BotCore.create(offline_settings(tmp_path))
    yield core
    await core.close()
