"""Benchmark: the whole handler stack, from raw update JSON to the reply request.

Runs the real Application, handlers, dialogue, classifier and storage with an in-process fake
network (``tests/offline.py``), pinned to one core. Reports updates/s and p50/p99 latency for
one person writing sequentially, and for 100 people writing at once. The outgoing rate limiter
(Telegram's 30 messages/s) is left out: it is a deliberate delay, not handler cost.

    python bench/bench_handlers.py [--postgres URL] [--updates N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core import BotCore
from bot.delivery import delivery_bucket
from bot.runner import freeze_startup_heap
from bot.settings import load_settings
from bot.telegram_app import TelegramFrontend
from tests.factories import Json, UpdateStream, as_update
from tests.offline import OfflineRequest

SCRIPT = [
    "/start",
    "拼多多帮好友助力，显示成功了但是他说没收到",
    "/status",
    "订单号 231118-492817365029174，昨天下的单，实付9.9元",
    "/evidence",
    "客服说系统没问题让我等等",
    "/help",
    "/draft",
]


async def one_update(frontend: TelegramFrontend, request: OfflineRequest, raw: Json) -> float:
    """Latency of one update: from the raw JSON to its last reply request (this chat's only)."""
    chat_id = raw["message"]["chat"]["id"]
    before = len(request.calls)
    start = time.perf_counter()
    bucket: list[asyncio.Task[None]] = []
    token = delivery_bucket.set(bucket)
    try:
        await frontend.app.process_update(as_update(raw, frontend.app.bot))
    finally:
        delivery_bucket.reset(token)
    if bucket:
        await asyncio.wait(bucket)
    sends = [
        t
        for name, params, t in request.calls[before:]
        if name in ("sendMessage", "sendDocument") and int(params.get("chat_id", 0)) == chat_id
    ]
    end = max(sends) if sends else time.perf_counter()
    return end - start


def summary(name: str, latencies: list[float], wall: float) -> str:
    """One line of figures."""
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"{name:<36} {len(latencies) / wall:8.0f} updates/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms"


async def run(database_url: str, total: int) -> None:
    """Sequential and concurrent runs against one database."""
    settings = load_settings(
        database_url=database_url, telegram_bot_token="1:bench", data_dir=Path(tempfile.mkdtemp())
    )
    core = await BotCore.create(settings)
    request = OfflineRequest()
    frontend = TelegramFrontend(core, request=request, rate_limit=False)
    updates = UpdateStream()
    async with frontend.app:
        freeze_startup_heap()  # as the bot does once started
        for i in range(50):  # warm-up
            await one_update(frontend, request, updates.text(9_000_000 + i % 5, SCRIPT[i % len(SCRIPT)]))

        latencies = []
        start = time.perf_counter()
        for i in range(total):
            raw = updates.text(1_000_000 + i // len(SCRIPT), SCRIPT[i % len(SCRIPT)])
            latencies.append(await one_update(frontend, request, raw))
        print(summary("one person at a time", latencies, time.perf_counter() - start))

        # 100 people writing at once, each at a human pace (a message every 0.5-1.5 s, about
        # 100 updates/s offered in all): the latency each of them sees.
        people = 100
        seconds = max(5.0, total / 200)
        rng = random.Random(7)

        async def person(user_id: int) -> list[float]:
            own = []
            await asyncio.sleep(rng.uniform(0, 1.0))
            end = time.perf_counter() + seconds
            step = 0
            while time.perf_counter() < end:
                raw = updates.text(user_id, SCRIPT[step % len(SCRIPT)])
                own.append(await one_update(frontend, request, raw))
                step += 1
                await asyncio.sleep(rng.uniform(0.5, 1.5))
            return own

        start = time.perf_counter()
        results = await asyncio.gather(*(person(2_000_000 + p) for p in range(people)))
        wall = time.perf_counter() - start
        print(summary(f"{people} people at once (human pace)", [x for r in results for x in r], wall))

        # The same 100 people sending as fast as the bot answers: the saturated throughput.
        async def flood(user_id: int) -> list[float]:
            # A new person every script, so nobody trips the per-person flood throttle.
            return [
                await one_update(
                    frontend,
                    request,
                    updates.text(user_id * 1000 + i // len(SCRIPT), SCRIPT[i % len(SCRIPT)]),
                )
                for i in range(max(1, total // people))
            ]

        start = time.perf_counter()
        results = await asyncio.gather(*(flood(3_000_000 + p) for p in range(people)))
        wall = time.perf_counter() - start
        print(summary(f"{people} people flooding (saturated)", [x for r in results for x in r], wall))
    await core.close()


def main() -> None:
    """Parse arguments, pin to one core, run SQLite (and PostgreSQL when given)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with tempfile.TemporaryDirectory() as tmp:
        print(f"machine: {os.cpu_count()} cores visible, pinned to 1; python {sys.version.split()[0]}")
        print("SQLite:")
        asyncio.run(run(f"sqlite:///{tmp}/bench.db", args.updates))
    if args.postgres:
        print("PostgreSQL (a throwaway database on that server):")
        asyncio.run(run_on_scratch_postgres(args.postgres, args.updates))


async def run_on_scratch_postgres(server_url: str, total: int) -> None:
    """Run on a fresh database created on the server of ``server_url``, dropped afterwards."""
    import uuid

    import asyncpg
    from sqlalchemy import make_url

    name = f"weiquan_bench_{uuid.uuid4().hex[:10]}"
    admin_dsn = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        await run(make_url(server_url).set(database=name).render_as_string(hide_password=False), total)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    main()
