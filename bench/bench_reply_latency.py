"""Reply latency through the fake Bot API server: weiquan-bot beside a bare python-telegram-bot echo bot.

Both bots run as their own processes, polling the fake server (``tests/fake_telegram``) on
127.0.0.1, and are measured the same way, one after the other: a person writes, and the time
runs until the bot's first reply reaches the server; the next person writes once every reply
of the previous one has arrived and a short gap (``--gap``) has passed. Each message comes from a new person (weiquan-bot opens a
case and answers with the greeting's replies: the path most people take first).

    python bench/bench_reply_latency.py [--messages 200] [--rounds 3] [--old-checkout DIR]

``--old-checkout DIR`` also measures weiquan-bot from another checkout of the repository
(run with this interpreter), for "no worse than before" comparisons. Rounds alternate the
bots, so load on a shared machine falls on all of them alike; medians are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intents.lexicon import default_cache_dir
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:BENCH-TOKEN"
ROOT = Path(__file__).resolve().parents[1]
TEXT = "你好"


async def _measure(command: list[str], cwd: Path, messages: int, gap: float, scheme: str) -> list[float]:
    """Start the bot, warm it up, then time ``messages`` first replies (seconds each)."""
    async with FakeTelegram(token=TOKEN) as telegram:
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
            env.update(
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=telegram.api_base_url,
                TELEGRAM_FILE_BASE_URL=telegram.file_base_url,
                DATABASE_URL=f"{scheme}:///{tmp}/bench.db",
                DATA_DIR=tmp,
                CACHE_DIR=str(default_cache_dir()),
                LOG_LEVEL="WARNING",
                OCR_ENABLED="false",
                PYTHONPATH=str(cwd),
            )
            process = await asyncio.create_subprocess_exec(
                *command,
                cwd=cwd,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            try:
                await telegram.wait_until(
                    lambda: bool(telegram.calls_of("getUpdates")), timeout=120, what="the bot polling"
                )
                user = 10_000
                await telegram.send_text(user, TEXT)
                per_message = len(await _all_replies(telegram, user))
                latencies: list[float] = []
                for n in range(20 + messages):  # the first 20 warm up
                    await asyncio.sleep(gap)  # people write seconds apart, not back to back
                    user += 1
                    started = time.perf_counter()
                    await telegram.send_text(user, TEXT)
                    await telegram.wait_for_messages(user, 1, timeout=60)
                    if n >= 20:
                        latencies.append(time.perf_counter() - started)
                    if per_message > 1:
                        await telegram.wait_for_messages(user, per_message - 1, timeout=60)
                return latencies
            finally:
                if process.returncode is None:
                    process.terminate()
                await process.wait()


async def _all_replies(telegram: FakeTelegram, user: int) -> list[object]:
    """Every reply to the first message, counted once the bot falls quiet for a second."""
    replies = list(await telegram.wait_for_messages(user, 1, timeout=120))
    while True:
        try:
            replies += await telegram.wait_for_messages(user, 1, timeout=1.0)
        except AssertionError:
            return replies


def _summary(name: str, rounds: list[list[float]]) -> tuple[float, float]:
    p50 = statistics.median(statistics.median(r) for r in rounds) * 1000
    p99 = statistics.median(statistics.quantiles(r, n=100)[98] for r in rounds) * 1000
    print(f"{name:<28} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   ({len(rounds)} rounds × {len(rounds[0])})")
    return p50, p99


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--gap", type=float, default=0.1, help="seconds between one person's replies and the next message"
    )
    parser.add_argument("--old-checkout", type=Path, default=None)
    parser.add_argument(
        "--old-scheme",
        default="sqlite+aiosqlite",
        help="the DATABASE_URL scheme the old checkout accepts (before issue 16: sqlite+aiosqlite)",
    )
    args = parser.parse_args()
    # The database URL's scheme each bot is given (checkouts before issue 16 knew only aiosqlite's).
    bots: dict[str, tuple[list[str], Path, str]] = {
        "python-telegram-bot echo": ([sys.executable, str(ROOT / "bench" / "echo_bot.py")], ROOT, "sqlite"),
        "weiquan-bot": ([sys.executable, "-m", "bot", "run"], ROOT, "sqlite"),
    }
    if args.old_checkout is not None:
        bots["weiquan-bot (old checkout)"] = (
            [sys.executable, "-m", "bot", "run"],
            args.old_checkout.resolve(),
            args.old_scheme,
        )
    results: dict[str, list[list[float]]] = {name: [] for name in bots}
    for _ in range(args.rounds):
        for name, (command, cwd, scheme) in bots.items():
            results[name].append(await _measure(command, cwd, args.messages, args.gap, scheme))
    print(f"load average {os.getloadavg()[0]:.1f}")
    figures = {name: _summary(name, rounds) for name, rounds in results.items()}
    echo_p50 = figures["python-telegram-bot echo"][0]
    for name, (p50, _) in figures.items():
        if name != "python-telegram-bot echo":
            print(f"{name}: p50 {p50 / echo_p50:.2f}× the echo bot's (goal ≤ 1.10×)")


if __name__ == "__main__":
    asyncio.run(main())
