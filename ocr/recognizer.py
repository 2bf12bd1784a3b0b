"""Reading screenshots off the event loop: a bounded, self-healing pool of OCR workers.

Recognition is CPU work (about a second per screenshot), so it runs in a process pool whose
workers load the model once, use one onnxruntime thread each and run at a lower priority,
leaving the event loop (and a core) to answer other people. At most ``max_workers + max_queue``
reads are accepted at once; beyond that :class:`OcrBusy` is raised at once. A worker that
dies (``BrokenProcessPool``) or hangs past ``timeout`` is replaced by a fresh pool.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TypeVar

from ocr.errors import OcrBusy, OcrError, OcrFailed, OcrUnavailable
from ocr.model import OcrText

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # Telegram's bot download limit
DEFAULT_MAX_PIXELS = 40_000_000  # e.g. a 1080 x 37000 long screenshot
DEFAULT_MAX_SIDE = 2000
DEFAULT_TIMEOUT = 60.0
WORKER_NICE = 10
ENGINE_MODULES = ("rapidocr_onnxruntime", "onnxruntime", "cv2", "PIL")

T = TypeVar("T")
Executor = concurrent.futures.ProcessPoolExecutor | concurrent.futures.ThreadPoolExecutor


def is_available() -> bool:
    """True when the OCR engine (rapidocr-onnxruntime, onnxruntime, OpenCV, Pillow) is installed; imports nothing."""
    return all(importlib.util.find_spec(name) is not None for name in ENGINE_MODULES)


class Recognizer:
    """Reads text from image bytes in a worker pool; one instance per application.

    ``max_workers`` processes (one onnxruntime thread each) read at most ``max_workers +
    max_queue`` images at once. Images over ``max_bytes`` or ``max_pixels`` are refused
    before decoding; bigger ones are shrunk to ``max_side`` (long screenshots are read in
    tiles). A read taking over ``timeout`` seconds fails and its worker is replaced. A worker
    is recycled after ``max_tasks_per_child`` images and runs ``worker_nice`` steps below the
    bot's CPU priority (the bot's replies come first). ``use_processes=False`` uses threads
    instead (measured slower for the event loop, see ``bench/bench_ocr.py``).
    The process pool uses ``spawn``: the program's main module must be import-safe
    (``if __name__ == "__main__":``), as console scripts are.
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
        self.max_tasks_per_child = max_tasks_per_child
        self.worker_nice = worker_nice
        self._pool: Executor | None = None
        self._pending = 0
        self._closed = False
        self._available: bool | None = None
        self.restarts = 0

    @property
    def pending(self) -> int:
        """Reads accepted and not finished (running or waiting)."""
        return self._pending

    def _executor(self) -> Executor:
        """The current pool, created on first use."""
        if self._closed:
            raise OcrFailed("recognizer closed")
        if self._pool is None:
            if self.use_processes:
                from ocr.worker import init_process

                # spawn: never fork a process that runs an event loop and threads.
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.max_workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=init_process,
                    initargs=(self.worker_nice,),
                    max_tasks_per_child=self.max_tasks_per_child,
                )
            else:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.max_workers, thread_name_prefix="ocr"
                )
        return self._pool

    def _discard(self, pool: Executor, kill: bool) -> None:
        """Drop ``pool`` (if still current) so the next read starts a fresh one."""
        if self._pool is not pool:
            return
        self._pool = None
        self.restarts += 1
        if kill and isinstance(pool, concurrent.futures.ProcessPoolExecutor):
            # A hung worker never returns; the executor offers no public way to stop it.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        log.warning("ocr worker pool replaced (restart %d)", self.restarts)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (empty for a thread pool or before the first read)."""
        pool = self._pool
        if not isinstance(pool, concurrent.futures.ProcessPoolExecutor):
            return []
        return [pid for pid, process in getattr(pool, "_processes", {}).items() if process.is_alive()]

    async def _call(self, job: Callable[[], T]) -> T:
        """Run ``job`` in the pool, retrying once on a fresh pool if the worker died."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return await asyncio.wait_for(loop.run_in_executor(pool, job), self.timeout)
            except BrokenProcessPool:
                self._discard(pool, kill=False)
                if attempt == 2:
                    raise OcrFailed("worker died twice") from None
            except TimeoutError:
                self._discard(pool, kill=True)
                raise OcrFailed("timed out") from None
            except RuntimeError as exc:  # submit after shutdown: a concurrent read replaced the pool
                if self._closed or attempt == 2:
                    raise OcrFailed("pool shut down") from exc
        raise OcrFailed("unreachable")

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
            result = await self._call(partial(recognize, data, limits))
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

        await asyncio.gather(*(self._call(warm_up) for _ in range(self.max_workers)))

    async def close(self) -> None:
        """Stop the workers; the recognizer cannot be used afterwards."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, partial(pool.shutdown, wait=True, cancel_futures=True)
            )

    async def __aenter__(self) -> Recognizer:
        """Use as ``async with Recognizer() as ocr:``."""
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Close on leaving the block."""
        await self.close()
