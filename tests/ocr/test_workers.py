"""Each OCR worker keeps its own clock and its own failures (issue 11 item 8).

These run plain jobs (``time.sleep``) in real worker processes: no OCR engine is needed.
"""

from __future__ import annotations

import asyncio
import os
import time
from functools import partial

import pytest

from ocr import OcrFailed, Recognizer


async def test_the_timeout_starts_when_a_worker_takes_the_read() -> None:
    """Two reads of 2.5 s each on one worker with a 4 s timeout: the second waited 2.5 s, and succeeds."""
    recognizer = Recognizer(max_workers=1, timeout=4.0, worker_nice=0, preload=False)
    try:
        await recognizer.submit(partial(time.sleep, 0))  # the process is up before the clock matters
        first = recognizer.submit(partial(time.sleep, 2.5))
        second = recognizer.submit(partial(time.sleep, 2.5))
        assert await asyncio.gather(first, second) == [None, None]
        assert recognizer.restarts == 0
    finally:
        await recognizer.close()


async def test_a_read_that_hangs_costs_only_its_own_worker() -> None:
    """A hung read is killed with its worker; the read running on the other worker is untouched."""
    recognizer = Recognizer(max_workers=2, timeout=3.0, worker_nice=0, preload=False)
    try:
        await asyncio.gather(*(recognizer.submit(partial(time.sleep, 0.3)) for _ in range(2)))
        before = set(recognizer.worker_pids())
        assert len(before) == 2
        hung = asyncio.ensure_future(recognizer.submit(partial(time.sleep, 600)))
        steady = asyncio.ensure_future(recognizer.submit(partial(time.sleep, 2.0)))
        assert await steady is None
        with pytest.raises(OcrFailed):
            await hung
        assert recognizer.restarts == 1
        assert len(before & set(recognizer.worker_pids())) == 1  # the steady worker lives on
        assert await recognizer.submit(partial(os.getpid)) in recognizer.worker_pids()
    finally:
        await recognizer.close()
    assert recognizer.worker_pids() == []


async def test_a_job_error_comes_back_typed_and_keeps_the_worker() -> None:
    """An exception inside the job reaches the caller as itself; the worker is not replaced."""
    recognizer = Recognizer(max_workers=1, timeout=30.0, worker_nice=0, preload=False)
    try:
        with pytest.raises(ValueError):
            await recognizer.submit(partial(int, "not a number"))
        pid = await recognizer.submit(os.getpid)
        assert await recognizer.submit(os.getpid) == pid and recognizer.restarts == 0
    finally:
        await recognizer.close()


async def test_workers_are_recycled_after_their_task_limit() -> None:
    """``max_tasks_per_child`` jobs later a fresh process serves, and it is not counted a failure."""
    recognizer = Recognizer(max_workers=1, max_tasks_per_child=2, timeout=30.0, worker_nice=0, preload=False)
    try:
        pids = [await recognizer.submit(os.getpid) for _ in range(4)]
        assert pids[0] == pids[1] != pids[2] == pids[3]
        assert recognizer.restarts == 0
    finally:
        await recognizer.close()
