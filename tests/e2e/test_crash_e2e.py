"""Crash safety: SIGKILL in the middle of a burst loses no case and no answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.e2e.botproc import BotProcess
from tests.e2e.conftest import running_bot, stored_view
from tests.fake_telegram import FakeTelegram

PEOPLE = [7100000 + i for i in range(6)]
STATUS_ROUNDS = 6


async def test_sigkill_mid_burst_then_restart(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str
) -> None:
    bot = await running_bot(start_bot, telegram)

    # Everyone opens a case, then fires a burst of /status (each answered with one message).
    for user in PEOPLE:
        await telegram.send_text(user, "拼多多助力被吞了，朋友都说点了，我这边没记录")
    for user in PEOPLE:
        await telegram.wait_for_messages(user, 1)
    # Slow Telegram down so the kill surely lands mid-burst: some updates are committed but
    # their replies unsent, others not even fetched yet.
    telegram.inject("sendMessage", "slow", times=len(PEOPLE) * STATUS_ROUNDS, delay=0.3)
    for _ in range(STATUS_ROUNDS):
        for user in PEOPLE:
            await telegram.send_command(user, "/status")

    # Kill the bot once part of the burst has been answered.
    await telegram.wait_until(
        lambda: sum(len(telegram.unread_messages(u)) for u in PEOPLE) >= len(PEOPLE), timeout=20
    )
    await bot.kill()
    answered_before = sum(len(telegram.unread_messages(u)) for u in PEOPLE)
    assert answered_before < len(PEOPLE) * STATUS_ROUNDS, "the kill came too late to test anything"

    await running_bot(start_bot, telegram)

    # Every /status gets its answer (a reply in flight at the kill may come twice: at least once).
    async def all_answered() -> bool:
        return all(sum("📊" in m.text for m in telegram.unread_messages(u)) >= STATUS_ROUNDS for u in PEOPLE)

    deadline = asyncio.get_running_loop().time() + 30
    while not await all_answered():
        assert asyncio.get_running_loop().time() < deadline, {
            u: len(telegram.unread_messages(u)) for u in PEOPLE
        }
        await asyncio.sleep(0.2)

    # No case lost or corrupted: each person still has exactly their one case, typed and current.
    for user in PEOPLE:
        view = await stored_view(database_url, user)
        assert len(view.cases) == 1
        assert view.current_case is not None
        assert view.current_case.issue_type == "zhuli_swallowed"
