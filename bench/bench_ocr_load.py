"""Benchmark: messages answered per second by other people while screenshots are being read.

Runs the whole handler stack (as ``bench_handlers.py``: raw update JSON to the reply request,
in-process fake network, SQLite) for a fixed time twice: once alone, once while one OCR
worker reads the fixture screenshots back to back. The bot process is pinned to one core;
the OCR worker process gets the other (as in production, where it runs at a lower priority).
Goal: with images being read, the rate stays within 20% of the rate without.

    python bench/bench_ocr_load.py [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_handlers import SCRIPT, one_update

from bot.core import BotCore
from bot.settings import load_settings
from bot.telegram_app import TelegramFrontend
from ocr import Recognizer, is_available
from tests.factories import UpdateStream
from tests.offline import OfflineRequest

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "ocr" / "fixtures"


#: One numbering for the whole run: a repeated update id would be skipped as a duplicate.
UPDATES = UpdateStream()


async def rate(frontend: TelegramFrontend, request: OfflineRequest, seconds: float, base_user: int) -> float:
    """Updates per second answered to 20 people at a time writing as fast as the bot answers."""
    updates = UPDATES
    done = 0
    end = time.perf_counter() + seconds

    async def person(user_id: int) -> None:
        nonlocal done
        step = 0
        while time.perf_counter() < end:
            # A new person every script: nobody trips the per-person flood throttle.
            person_id = user_id * 10_000 + step // len(SCRIPT)
            await one_update(frontend, request, updates.text(person_id, SCRIPT[step % len(SCRIPT)]))
            step += 1
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(person(base_user + i) for i in range(20)))
    return done / (time.perf_counter() - start)


async def main(seconds: float) -> None:
    """Measure without and with OCR load."""
    if not is_available():
        print("OCR is not installed (pip install 'weiquan-bot[ocr]'): nothing to measure")
        return
    images = [p.read_bytes() for p in sorted(FIXTURES.iterdir()) if p.suffix in (".jpg", ".png")]
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            database_url=f"sqlite:///{tmp}/bench.db",
            telegram_bot_token="1:bench",
            data_dir=Path(tmp),
        )
        core = await BotCore.create(settings)
        request = OfflineRequest()
        frontend = TelegramFrontend(core, request=request, rate_limit=False)
        recognizer = Recognizer(max_workers=1)
        await recognizer.warm_up()
        # Pin the bot to one core only now: the OCR worker, started above, keeps the others.
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        async with frontend.app:
            await rate(frontend, request, 4.0, 100)  # warm-up: caches, database pages
            before = await rate(frontend, request, seconds, 200)

            reads = 0
            stop = asyncio.Event()

            async def read_images() -> None:
                nonlocal reads
                while not stop.is_set():
                    await recognizer.read(images[reads % len(images)])
                    reads += 1

            reader = asyncio.create_task(read_images())
            with_ocr = await rate(frontend, request, seconds, 300)
            stop.set()
            await reader
            # Alone again, so a drift over time (a growing database) does not pass for OCR's cost.
            after = await rate(frontend, request, seconds, 400)
            alone = (before + after) / 2
        await recognizer.close()
        await core.close()
    print(f"without images: {alone:7.0f} updates/s (before {before:.0f}, after {after:.0f})")
    print(
        f"while reading:  {with_ocr:7.0f} updates/s ({with_ocr / alone:.0%} of the rate; {reads} screenshots read)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    asyncio.run(main(args.seconds))
