"""SQLite checkpoints in a background thread, so that no commit pays for one.

In WAL mode a commit only appends pages to the write-ahead log; copying them back into the
database file (a checkpoint, with an fsync) is left to whoever commits when the log passes
``wal_autocheckpoint`` pages, which makes an unlucky update wait several milliseconds. Here
the writers' own threshold is raised to a backstop (:data:`BACKSTOP_PAGES`) and a thread of
its own, with a connection of its own, runs a PASSIVE checkpoint every
:data:`CHECKPOINT_EVERY` commits: it copies what it can while writers go on appending.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

#: Commits between two background checkpoints.
CHECKPOINT_EVERY = 200
#: The writers' own checkpoint threshold in pages (4 KiB each): reached only if the
#: background checkpoints cannot keep up.
BACKSTOP_PAGES = 10_000


class Checkpointer:
    """Counts commits and checkpoints the database file in a background thread."""

    def __init__(self, engine: Engine, *, every: int = CHECKPOINT_EVERY) -> None:
        self._engine = engine
        self._every = every
        self._lock = threading.Lock()
        self._commits = 0
        self._running = False
        self._closed = False
        self._connection: Any = None  # a pooled DBAPI connection, used by the checkpoint thread only
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-checkpoint")
        self.checkpoints = 0

    def committed(self) -> None:
        """A writer committed (any thread); start a checkpoint when enough commits piled up."""
        with self._lock:
            self._commits += 1
            if self._commits < self._every or self._running or self._closed:
                return
            self._commits = 0
            self._running = True
        self._executor.submit(self._run, "PASSIVE")

    def _run(self, mode: str) -> None:
        """One checkpoint (checkpoint thread)."""
        try:
            if self._connection is None:
                self._connection = self._engine.raw_connection()
            self._connection.driver_connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
            self.checkpoints += 1
        except Exception as exc:  # the writers' backstop checkpoint takes over
            log.warning("background checkpoint failed: %s", type(exc).__name__)
            self._release()
        finally:
            with self._lock:
                self._running = False

    def _release(self) -> None:
        """Give the connection back to the pool (checkpoint thread)."""
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def close(self) -> None:
        """Wait for a running checkpoint, fold the whole log into the database, release the connection."""
        with self._lock:
            self._closed = True
        self._executor.submit(self._run, "TRUNCATE").result()
        self._executor.submit(self._release).result()
        self._executor.shutdown(wait=True)
