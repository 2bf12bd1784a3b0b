"""Pytest fixture for the fake Bot API server; import it into a conftest.py.

from tests.fake_telegram.fixtures import fake_telegram  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

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
