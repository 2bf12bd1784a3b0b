"""Throughput of :meth:`Storage.handle` on a realistic update mix: ``python bench/bench_storage.py [URL]``.

Each update loads the person's view, advances the case a step, adds a timeline entry, records
a classification and queues two replies, as the dialogue typically does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.case import CaseState, TimelineEntry, UserView
from domain.messages import Reply
from domain.outcome import AddTimeline, Outcome, RecordClassification, SaveCase, SetCurrentCase, SetPending
from storage.coltypes import utcnow
from storage.store import Storage


def typical_decide(view: UserView) -> Outcome:
    """A stand-in for the dialogue: one step forward on the current case."""
    now = utcnow()
    case = view.current_case
    if case is None:
        case = CaseState(
            id=f"case{view.user_id}",
            user_id=view.user_id,
            issue_type="zhuli_swallowed",
            stage="confirm",
            step=0,
            status="open",
            created_at=now,
            updated_at=now,
            facts={"platform": "pdd", "activity": "助力"},
        )
    step = case.step + 1
    updated = case.evolve(step=step, updated_at=now, facts={**case.facts, f"f{step % 6}": str(step)})
    return Outcome(
        replies=(Reply(f"第{step}步"), Reply("请上传截图")),
        effects=(
            SaveCase(updated),
            SetCurrentCase(updated.id),
            AddTimeline(TimelineEntry(updated.id, now, "step", str(step))),
            SetPending({"asked": str(step)}),
            RecordClassification("zhuli_swallowed"),
        ),
    )


async def run(url: str, updates: int, users: int, concurrency: int) -> None:
    """Run ``updates`` updates over ``users`` people, ``concurrency`` at a time, and print the rate."""
    storage = await Storage.connect(url)
    try:
        for user in range(users):  # warm up: create the people and their cases
            await storage.handle(user, user, f"warm{user}", typical_decide)
        rates = {
            "handle, sequential": await _rate(storage, updates, users, 1, mark_sent=False),
            f"handle, {concurrency} at a time": await _rate(
                storage, updates, users, concurrency, mark_sent=False
            ),
            f"handle + mark_sent, {concurrency} at a time": await _rate(
                storage, updates, users, concurrency, mark_sent=True
            ),
        }
    finally:
        await storage.close()
    for label, (wall, cpu) in rates.items():
        print(f"{storage.dialect_name}: {label}: {wall:,.0f} updates/s wall, {cpu:,.0f} per CPU second")


async def _rate(
    storage: Storage, updates: int, users: int, concurrency: int, *, mark_sent: bool
) -> tuple[float, float]:
    """Updates per wall-clock second and per CPU second (robust on a busy machine)."""
    semaphore = asyncio.Semaphore(concurrency)
    tag = uuid.uuid4().hex[:6]

    async def one(i: int) -> None:
        async with semaphore:
            result = await storage.handle(i % users, i % users, f"{tag}-{i}", typical_decide)
            if mark_sent:
                for entry in result.entries:
                    await storage.mark_sent(entry.id)

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i) for i in range(updates)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return updates / wall, updates / cpu


def main() -> None:
    """Parse arguments and run the benchmark (default: a temporary SQLite file)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", default="")
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        asyncio.run(run(url, args.updates, args.users, args.concurrency))


if __name__ == "__main__":
    main()
