"""Hot reload of the operators' files, one mechanism for the keyword files and the step files.

A folder of data files builds one object (the classifier, the step content). When a file in it
changes, the folder is built again off the event loop; a broken build keeps the last good object
in use, and its problems (``file:line: message``) go to the log and to whoever asked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from watchfiles import awatch

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Builds the object of a folder: ``(object, warnings)``, or ``(None, problems)`` when broken.
Build = Callable[[Path], tuple[T | None, list[str]]]


class ReloadableFolder(Generic[T]):
    """The object built from one folder of data files, rebuilt when they change."""

    def __init__(
        self,
        what: str,
        directory: Path,
        build: Build[T],
        current: T,
        *,
        on_change: Callable[[T], None] | None = None,
        debounce_ms: int = 300,
    ) -> None:
        self.what = what
        self.directory = Path(directory)
        self.current = current
        self._build = build
        self._on_change = on_change
        self._debounce_ms = debounce_ms

    def reload(self) -> tuple[bool, list[str]]:
        """Build the folder again (blocking: run it in a thread).

        ``(True, warnings)`` once the new object is in use; ``(False, problems)`` when the files
        are broken, and the last good object stays.
        """
        try:
            built, problems = self._build(self.directory)
        except OSError as exc:  # e.g. the folder vanished or the cache is not writable
            built, problems = None, [f"{self.directory}: cannot read the files: {exc}"]
        if built is None:
            log.warning("%s not reloaded, keeping the last good set: %s", self.what, "; ".join(problems))
            return False, problems
        self.current = built
        if self._on_change is not None:
            self._on_change(built)
        log.info("%s reloaded", self.what)
        return True, problems

    async def watch(self, on_broken: Callable[[list[str]], None]) -> None:
        """Reload on every (debounced) change until cancelled; a broken set's problems go to ``on_broken``."""
        async for changes in awatch(self.directory, debounce=self._debounce_ms, step=50, recursive=False):
            log.info("%s changed (%d change(s)), reloading", self.what, len(changes))
            ok, problems = await asyncio.to_thread(self.reload)
            if not ok:
                on_broken(problems)
