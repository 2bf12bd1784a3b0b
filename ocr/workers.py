"""OCR workers owned one by one, so that a job's clock and a job's failure stay its own.

A :class:`ProcessWorker` is one spawned process serving jobs over a pipe; a :class:`ThreadWorker`
runs them in one thread. The :class:`~ocr.recognizer.Recognizer` hands a job to an idle worker,
and only then does the job's timeout start: time spent waiting behind other people's images is
not held against it. A job that overruns its timeout, or whose process dies, costs only its own
worker (killed with the public ``Process.kill`` and started again on its next job); the other
workers go on reading other people's screenshots.

Both kinds are driven from a thread (``asyncio.to_thread``): :meth:`run` blocks until the job's
answer, its timeout or its worker's death.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from ocr.errors import OcrFailed

log = logging.getLogger(__name__)

Job = Callable[[], Any]


class WorkerDied(Exception):
    """The worker's process ended (killed, crashed, out of memory) before answering."""


class JobTimedOut(Exception):
    """The job ran past its timeout after its worker took it up."""


class Worker(Protocol):
    """What the recognizer needs of a worker."""

    restarts: int

    @property
    def pid(self) -> int | None:
        """The live worker process's id (``None`` for threads or before the first job)."""
        ...

    def run(self, job: Job, timeout: float) -> Any:
        """Run ``job``; raises :class:`JobTimedOut`, :class:`WorkerDied` or the job's own error."""
        ...

    def replace(self) -> None:
        """Drop this worker's process or thread after a failure; the next job starts a fresh one."""
        ...

    def stop(self) -> None:
        """Stop for good (the recognizer is closing)."""
        ...


def serve(connection: Connection, nice: int, preload: Job | None = None) -> None:
    """The worker process's loop: say ready, then run each job received and answer it.

    ``preload`` (loading the OCR engine) runs before the process says it is ready, so no job's
    clock pays for starting a process and loading models. Answers are ``(ok, value)`` or
    ``(error, exc)``.
    """
    from ocr.worker import init_process

    init_process(nice)
    try:
        if preload is not None:
            preload()
        connection.send(("ready", None))
    except Exception as exc:
        connection.send(("error", exc))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the recognizer closed the pipe: stop
            return
        try:
            answer: tuple[str, Any] = ("ok", job())
        except Exception as exc:  # the job's own error goes back to the caller, typed
            answer = ("error", exc)
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return
        except Exception as exc:  # an answer that cannot be pickled
            connection.send(("error", OcrFailed(type(exc).__name__)))


class ProcessWorker:
    """One spawned worker process; started on its first job, recycled after ``max_tasks`` jobs."""

    def __init__(
        self, nice: int, max_tasks: int | None, preload: Job | None = None, startup_timeout: float = 300.0
    ) -> None:
        self._nice = nice
        self._max_tasks = max_tasks
        self._preload = preload
        self._startup_timeout = startup_timeout
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._tasks = 0
        self._stopped = False
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """The live process's id, or ``None``."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def _ensure_started(self) -> Connection:
        """The pipe to a live process, starting one (spawn: never fork a threaded event loop)."""
        with self._lock:
            if self._stopped:
                raise OcrFailed("recognizer closed")
            process, connection = self._process, self._connection
            if process is not None and connection is not None and process.is_alive():
                return connection
            if process is not None:  # it died between jobs (killed, out of memory)
                self._drop()
                self.restarts += 1
                log.warning("ocr worker found dead and replaced (restart %d)", self.restarts)
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            process = context.Process(
                target=serve, args=(theirs, self._nice, self._preload), name="ocr-worker", daemon=True
            )
            process.start()
            theirs.close()
            self._process, self._connection, self._tasks = process, ours, 0
            # Starting Python and loading the models is not the job's time: wait for "ready".
            try:
                if not ours.poll(self._startup_timeout):
                    self._drop()
                    raise WorkerDied("did not start in time")
                status, value = ours.recv()
            except (EOFError, OSError):
                self._drop()
                raise WorkerDied("died while starting") from None
            if status != "ready":
                self._drop()
                raise value
            return ours

    def run(self, job: Job, timeout: float) -> Any:
        """Send ``job``, wait at most ``timeout`` seconds for its answer."""
        connection = self._ensure_started()
        try:
            connection.send(job)
            if not connection.poll(timeout):
                raise JobTimedOut(f"no answer in {timeout:g}s")
            status, value = connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerDied(type(exc).__name__) from None
        self._tasks += 1
        if self._max_tasks is not None and self._tasks >= self._max_tasks:
            with self._lock:
                self._drop()  # recycled: a fresh process for the next job, not a failure
        if status == "error":
            raise value
        return value

    def _drop(self) -> None:
        """Close the pipe and end the process (the lock is held)."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            connection.close()  # an idle worker reads EOF and exits on its own
        if process is not None:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
            process.close()

    def replace(self) -> None:
        """Kill the process now (it is stuck or gone); the next job starts a fresh one."""
        with self._lock:
            process = self._process
            if process is not None and process.is_alive():
                process.kill()
            self._drop()
            self.restarts += 1
        log.warning("ocr worker replaced (restart %d)", self.restarts)

    def stop(self) -> None:
        """End the process and refuse further jobs."""
        with self._lock:
            self._stopped = True
            process = self._process
            if process is not None and process.is_alive() and self._connection is not None:
                with contextlib.suppress(OSError):
                    self._connection.close()
            self._drop()


class ThreadWorker:
    """One thread; a job that overruns is abandoned (a thread cannot be killed) for a fresh thread."""

    def __init__(self) -> None:
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._stopped = False
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """Threads have no process of their own."""
        return None

    def run(self, job: Job, timeout: float) -> Any:
        """Run ``job`` in this worker's thread, waiting at most ``timeout`` seconds."""
        if self._stopped:
            raise OcrFailed("recognizer closed")
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr")
        future = self._executor.submit(job)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise JobTimedOut(f"no answer in {timeout:g}s") from None

    def replace(self) -> None:
        """Leave the stuck thread to finish on its own; the next job gets a new thread."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1

    def stop(self) -> None:
        """Refuse further jobs and let the thread end."""
        self._stopped = True
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
