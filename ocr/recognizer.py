"""Reading screenshots off the event loop: a bounded pool of OCR workers, each healing alone.

Recognition is CPU work (about a second per screenshot), so it runs in worker processes that
load the model once, use one onnxruntime thread each and run at a lower priority, leaving the
event loop (and a core) to answer other people. At most ``max_workers + max_queue`` reads are
accepted at once; beyond that :class:`OcrBusy` is raised at once. A read waits for an idle
worker, and its ``timeout`` starts only when a worker takes it up (see :mod:`ocr.workers`): a
read that overruns, or whose worker dies, replaces that one worker, never another person's.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from domain.limits import MAX_DOWNLOAD_BYTES
from ocr.errors import OcrBusy, OcrError, OcrFailed, OcrUnavailable
from ocr.model import OcrText
from ocr.workers import JobTimedOut, ProcessWorker, ThreadWorker, Worker, WorkerDied

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = MAX_DOWNLOAD_BYTES  # Telegram's bot download limit
DEFAULT_MAX_PIXELS = 40_000_000  # e.g. a 1080 x 37000 long screenshot
DEFAULT_MAX_SIDE = 2000
DEFAULT_TIMEOUT = 60.0
WORKER_NICE = 10
ENGINE_MODULES = ("rapidocr_onnxruntime", "onnxruntime", "cv2", "PIL")

T = TypeVar("T")


def is_available() -> bool:
    """True when the OCR engine (rapidocr-onnxruntime, onnxruntime, OpenCV, Pillow) is installed; imports nothing."""
    return all(importlib.util.find_spec(name) is not None for name in ENGINE_MODULES)


def _load_engine() -> None:
    """Load the OCR engine in a starting worker process (runs there; imported only there)."""
    from ocr.worker import warm_up

    warm_up()


def _run_on(worker: Worker, job: Callable[[], Any], timeout: float) -> Any:
    """Run ``job`` on ``worker`` (in a thread), replacing the worker when it hangs or dies."""
    try:
        return worker.run(job, timeout)
    except (JobTimedOut, WorkerDied):
        worker.replace()
        raise


class Recognizer:
    """Reads text from image bytes with a few workers; one instance per application.

    ``max_workers`` processes (one onnxruntime thread each) read at most ``max_workers +
    max_queue`` images at once. Images over ``max_bytes`` or ``max_pixels`` are refused
    before decoding; bigger ones are shrunk to ``max_side`` (long screenshots are read in
    tiles). A read taking over ``timeout`` seconds once a worker has it fails and that worker
    is replaced; a worker process loads the engine before it says it is ready, outside any
    read's clock. A worker is recycled after ``max_tasks_per_child`` images and runs
    ``worker_nice`` steps below the bot's CPU priority (the bot's replies come first).
    ``use_processes=False`` uses threads instead (measured slower for the event loop, see
    ``bench/bench_ocr.py``). Workers are spawned: the program's main module must be
    import-safe (``if __name__ == "__main__":``), as console scripts are.
    """

    def __init__(
        self,
        max_workers: int = 1,
        max_queue: int = 8,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_side: int = DEFAULT_MAX_SIDE,
        timeout: float = DEFAULT_TIMEOUT,
        use_processes: bool = True,
        max_tasks_per_child: int | None = 500,
        worker_nice: int = WORKER_NICE,
        preload: bool = True,
    ) -> None:
        if max_workers < 1 or max_queue < 0:
            raise ValueError("max_workers must be >= 1 and max_queue >= 0")
        self.max_workers = max_workers
        self.max_queue = max_queue
        self.max_pixels = max_pixels
        self.max_bytes = max_bytes
        self.max_side = max_side
        self.timeout = timeout
        self.use_processes = use_processes
        self.worker_nice = worker_nice
        # A process loads the engine before it takes its first image (``preload=False`` for
        # workers that run plain jobs only, as some tests do).
        loader = _load_engine if preload else None
        self._workers: list[Worker] = [
            ProcessWorker(worker_nice, max_tasks_per_child, loader) if use_processes else ThreadWorker()
            for _ in range(max_workers)
        ]
        self._idle: asyncio.Queue[Worker] | None = None
        self._pending = 0
        self._closed = False
        self._available: bool | None = None

    @property
    def pending(self) -> int:
        """Reads accepted and not finished (running or waiting)."""
        return self._pending

    @property
    def restarts(self) -> int:
        """How many times a worker was replaced after hanging or dying."""
        return sum(worker.restarts for worker in self._workers)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (empty for threads or before the first read)."""
        return [pid for pid in (worker.pid for worker in self._workers) if pid is not None]

    async def submit(self, job: Callable[[], T]) -> T:
        """Run one picklable ``job`` on the next idle worker, retrying once if its worker died.

        Waiting for a worker has no limit (``read`` bounds how many wait); the job's ``timeout``
        starts when a worker takes it up.
        """
        if self._closed:
            raise OcrFailed("recognizer closed")
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers:
                self._idle.put_nowait(worker)
        worker = await self._idle.get()
        try:
            for attempt in (1, 2):
                if self._closed:
                    raise OcrFailed("recognizer closed")
                try:
                    result: T = await asyncio.to_thread(_run_on, worker, job, self.timeout)
                    return result
                except WorkerDied:
                    if attempt == 2:
                        raise OcrFailed("worker died twice") from None
                except JobTimedOut:
                    raise OcrFailed("timed out") from None
            raise OcrFailed("unreachable")
        except asyncio.CancelledError:
            # The thread may still be waiting on this worker: end its process so it returns.
            await asyncio.to_thread(worker.replace)
            raise
        finally:
            self._idle.put_nowait(worker)

    def _check_available(self) -> None:
        """Raise :class:`OcrUnavailable` when the engine is not installed (looked up once)."""
        if self._available is None:
            self._available = is_available()
        if not self._available:
            raise OcrUnavailable("rapidocr-onnxruntime is not installed")

    async def read(self, data: bytes | bytearray | memoryview) -> OcrText:
        """The text of the image in ``data``; raises an :class:`~ocr.errors.OcrError` subclass."""
        self._check_available()
        if self._pending >= self.max_workers + self.max_queue:
            raise OcrBusy(f"{self._pending} pending")
        from ocr.image import probe
        from ocr.worker import Limits, recognize

        data = bytes(data)  # Telegram's download_as_bytearray() gives a bytearray
        probe(data, self.max_bytes, self.max_pixels)  # header only: cheap, refuses early
        limits = Limits(max_pixels=self.max_pixels, max_side=self.max_side)
        self._pending += 1
        started = time.perf_counter()
        try:
            result = await self.submit(partial(recognize, data, limits))
        except OcrError:
            raise
        except Exception as exc:
            raise OcrFailed(type(exc).__name__) from exc
        finally:
            self._pending -= 1
        log.debug("ocr read %d lines in %.2fs", len(result.lines), time.perf_counter() - started)
        return result

    async def warm_up(self) -> None:
        """Start the workers and load the model now rather than on the first image."""
        self._check_available()
        from ocr.worker import warm_up

        await asyncio.gather(*(self.submit(warm_up) for _ in range(self.max_workers)))

    async def close(self) -> None:
        """Stop the workers; the recognizer cannot be used afterwards."""
        self._closed = True
        await asyncio.gather(*(asyncio.to_thread(worker.stop) for worker in self._workers))

    async def __aenter__(self) -> Recognizer:
        """Use as ``async with Recognizer() as ocr:``."""
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Close on leaving the block."""
        await self.close()
