"""Benchmark: OCR time per screenshot, and how free the event loop stays while images are read.

1. Recognition time per fixture screenshot (p50/p99 over ``--rounds`` passes), one worker
   with one onnxruntime thread (one core).
2. Event-loop throughput: trivial asyncio tasks/s (``await asyncio.sleep(0)``) and
   handler-like tasks/s (about 0.3 ms of pure-Python work each, like classifying a message)
   completed by the loop for ``--seconds``, alone and while images are read back to back,
   with a process pool and with a thread pool, alternated ``--repeats`` times (medians
   reported: other work on the machine makes single runs noisy).

    python bench/bench_ocr.py [--rounds 3] [--seconds 3] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocr import Recognizer, is_available

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "ocr" / "fixtures"


def _images() -> list[tuple[str, bytes]]:
    """The committed fixture screenshots."""
    return [
        (path.name, path.read_bytes())
        for path in sorted(FIXTURES.iterdir())
        if path.suffix in (".jpg", ".png")
    ]


def _percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def recognition_times(rounds: int) -> list[float]:
    """Seconds per read over every fixture, ``rounds`` times, after a warm-up."""
    images = _images()
    times: list[float] = []
    async with Recognizer(max_workers=1) as recognizer:
        await recognizer.warm_up()
        for _ in range(rounds):
            for _, data in images:
                started = time.perf_counter()
                await recognizer.read(data)
                times.append(time.perf_counter() - started)
    return times


async def _trivial() -> None:
    """A task that does nothing but yield once."""
    await asyncio.sleep(0)


async def _handler_like() -> None:
    """A task with a little pure-Python work (about what classifying one message costs)."""
    total = 0
    for number in range(3000):
        total += number * number % 7
    await asyncio.sleep(0)


async def tasks_per_second(task: Callable[[], Awaitable[None]], seconds: float) -> float:
    """How many ``task`` runs the loop completes per second, in batches of 50."""
    done = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        await asyncio.gather(*(task() for _ in range(50)))
        done += 50
    return done / (time.perf_counter() - started)


async def _rates(seconds: float) -> tuple[float, float]:
    """(trivial tasks/s, handler-like tasks/s) over ``seconds`` each."""
    return await tasks_per_second(_trivial, seconds), await tasks_per_second(_handler_like, seconds)


async def _rates_while_reading(recognizer: Recognizer, seconds: float) -> tuple[float, float, int]:
    """Loop rates while ``recognizer`` reads the fixtures back to back; also how many it read."""
    images = [data for _, data in _images()]
    read = 0
    stop = asyncio.Event()

    async def keep_reading() -> None:
        nonlocal read
        while not stop.is_set():
            await recognizer.read(images[read % len(images)])
            read += 1

    reader = asyncio.create_task(keep_reading())
    await asyncio.sleep(0.3)  # the first image is being read
    trivial, handler = await _rates(seconds)
    stop.set()
    await reader
    return trivial, handler, read


async def loop_report(seconds: float, repeats: int) -> None:
    """Alternate alone / process pool / thread pool ``repeats`` times; print the medians."""
    results: dict[str, list[tuple[float, float, int]]] = {"alone": [], "process pool": [], "thread pool": []}
    async with (
        Recognizer(max_workers=1) as processes,
        Recognizer(max_workers=1, use_processes=False) as threads,
    ):
        await processes.warm_up()
        await threads.warm_up()
        for _ in range(repeats):
            results["alone"].append((*await _rates(seconds), 0))
            results["process pool"].append(await _rates_while_reading(processes, seconds))
            results["thread pool"].append(await _rates_while_reading(threads, seconds))
    base_trivial = statistics.median(r[0] for r in results["alone"])
    base_handler = statistics.median(r[1] for r in results["alone"])
    for name, runs in results.items():
        trivial = statistics.median(r[0] for r in runs)
        handler = statistics.median(r[1] for r in runs)
        per_image = 2 * seconds * len(runs) / max(1, sum(r[2] for r in runs))
        reading = f", {per_image:.1f} s per image meanwhile" if name != "alone" else ""
        print(
            f"  {name:12s}: {trivial:>9,.0f} trivial/s ({trivial / base_trivial:4.0%})  "
            f"{handler:>7,.0f} handler-like/s ({handler / base_handler:4.0%}){reading}"
        )


async def main(rounds: int, seconds: float, repeats: int) -> None:
    """Run both measurements and print a small report."""
    if not is_available():
        sys.exit("rapidocr-onnxruntime is not installed")
    times = await recognition_times(rounds)
    print(f"recognition, {len(times)} reads of {len(_images())} screenshots, 1 worker x 1 thread:")
    print(
        f"  p50 {_percentile(times, 0.5) * 1000:.0f} ms  p99 {_percentile(times, 0.99) * 1000:.0f} ms  "
        f"mean {statistics.fmean(times) * 1000:.0f} ms  max {max(times) * 1000:.0f} ms"
    )
    print(f"event loop throughput (median of {repeats}, {seconds:g} s per kind of task):")
    await loop_report(seconds, repeats)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.seconds, arguments.repeats))
