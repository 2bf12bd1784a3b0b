"""Webhook mode end to end: secret token, health check, duplicate delivery, several workers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.e2e.botproc import WEBHOOK_SECRET as SECRET
from tests.e2e.botproc import BotProcess, start_worker
from tests.e2e.conftest import stored_view
from tests.factories import text_update
from tests.fake_telegram import FakeTelegram


async def test_webhook_checks_secret_answers_health_and_dedupes(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess]
) -> None:
    _, url = await start_worker(start_bot)
    assert telegram.webhook.get("url") == "https://bot.example/telegram/webhook"
    user = 6100001
    await telegram.send_text(user, "hi")  # lets the bot write to this chat (as on Telegram)
    telegram.mark_read(user)

    forged = text_update(90001, user, "/start")
    assert await telegram.deliver_webhook(url, forged, secret_token="wrong") == 403
    assert await telegram.deliver_webhook(url, forged) == 403

    update = text_update(90002, user, "砍价砍到最后差0.01元就是砍不动")
    assert await telegram.deliver_webhook(url, update, secret_token=SECRET) == 200
    first = await telegram.wait_for_messages(user, 1)
    assert "活动规则" in "".join(m.text for m in first)
    # Telegram retries the same update: nothing is applied or sent twice. The webhook answers
    # only after the update is handled and its replies sent, so the answer is the event to wait for.
    assert await telegram.deliver_webhook(url, update, secret_token=SECRET) == 200
    assert telegram.unread_messages(user) == []


PEOPLE = 20
SCRIPT = [
    "/start",
    "拼多多砍价免费拿，砍到还差0.01元就不动了，时间到了",
    "/status",
    "订单号 231118-492817365029174",
    "/evidence",
    "/status",
    "/help",
    "/draft",
    "/cases",
    "/status",
]


async def _play(telegram: FakeTelegram, urls: list[str], base_update: int) -> None:
    """Deliver every person's script (in order per person, people interleaved) round-robin to ``urls``."""
    counter = iter(range(base_update, base_update + 10_000))

    async def person(index: int) -> None:
        user = 6200000 + index
        for step, text in enumerate(SCRIPT):
            url = urls[(index + step) % len(urls)]
            status = await telegram.deliver_webhook(url, text_update(next(counter), user, text), SECRET)
            assert status == 200

    await asyncio.gather(*(person(i) for i in range(PEOPLE)))


@pytest.mark.parametrize("workers", [2])
async def test_two_workers_behave_as_one_bot(
    telegram: FakeTelegram, start_bot: Callable[..., BotProcess], database_url: str, workers: int
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL (SQLite serves one process)")
    urls = [(await start_worker(start_bot))[1] for _ in range(workers)]
    users = [6200000 + i for i in range(PEOPLE)]
    for user in users:
        await telegram.send_text(user, "hi")
        telegram.mark_read(user)
    await _play(telegram, urls, 100_000)

    # Every person got exactly the replies one process gives: replay the same script on one worker.
    async def replies_settled(people: list[int]) -> dict[int, list[str]]:
        previous: dict[int, list[str]] = {}
        for _ in range(100):
            current = {u: [m.text for m in telegram.unread_messages(u)] for u in people}
            if current == previous:
                return current
            previous = current
            await asyncio.sleep(0.3)
        return previous

    multi = await replies_settled(users)
    for user in users:
        telegram.mark_read(user)

    expected_views = {u: await stored_view(database_url, u) for u in users}
    single_users = [u + 1000 for u in users]
    single_url = urls[0]
    counter = iter(range(500_000, 510_000))
    for user in single_users:
        await telegram.send_text(user, "hi")
        telegram.mark_read(user)
        for text in SCRIPT:
            assert (
                await telegram.deliver_webhook(single_url, text_update(next(counter), user, text), SECRET)
                == 200
            )
    single = await replies_settled(single_users)

    def normal(texts: list[str]) -> list[str]:
        import re

        return [re.sub(r"[0-9a-f]{12}", "<case>", t) for t in texts]

    for user, single_user in zip(users, single_users, strict=True):
        assert normal(multi[user]) == normal(single[single_user]), f"replies of {user} differ"
        view = expected_views[user]
        single_view = await stored_view(database_url, single_user)
        assert [(c.issue_type, c.stage, c.step, c.facts) for c in view.cases] == [
            (c.issue_type, c.stage, c.step, c.facts) for c in single_view.cases
        ]
    assert len(multi[users[0]]) >= len(SCRIPT)
