"""Hot reload of the keyword files: watch the folder, rebuild the classifier, keep the last good one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from intents.classifier import Classifier
from intents.loader import collect_problems
from intents.model import Problem

log = logging.getLogger(__name__)


class IntentReloader:
    """Rebuilds a :class:`Classifier` whenever a file in ``directory`` changes (or is deleted).

    A broken set calls ``on_error`` with its problems and the last good classifier stays in use.
    """

    def __init__(
        self,
        directory: Path,
        cache_dir: Path | None,
        on_reload: Callable[[Classifier], None],
        on_error: Callable[[list[Problem]], None],
        debounce_ms: int = 300,
    ) -> None:
        self.directory = Path(directory)
        self.cache_dir = cache_dir
        self.on_reload = on_reload
        self.on_error = on_error
        self.debounce_ms = debounce_ms
        self.current: Classifier | None = None

    def reload_now(self) -> tuple[Classifier | None, list[Problem]]:
        """Load the folder now: ``(classifier, warnings)`` when good, ``(None, problems)`` when broken."""
        try:
            intent_set, problems = collect_problems(self.directory)
            if intent_set is None:
                return None, problems
            classifier = Classifier(intent_set, self.cache_dir)
        except OSError as exc:  # e.g. the folder vanished or the cache is not writable
            return None, [Problem(str(self.directory), 0, f"cannot reload the intent files: {exc}")]
        self.current = classifier
        return classifier, problems

    async def run(self) -> None:
        """Watch the folder until cancelled; each (debounced) change triggers a reload."""
        from watchfiles import awatch  # deferred: only the running bot watches files

        async for changes in awatch(self.directory, debounce=self.debounce_ms, step=50, recursive=False):
            log.info("intent files changed (%d change(s)), reloading", len(changes))
            classifier, problems = await asyncio.to_thread(self.reload_now)
            if classifier is None:
                log.warning(
                    "intent files are broken (%d problem(s)); keeping the last good set", len(problems)
                )
                self.on_error(problems)
            else:
                log.info("intent files reloaded (%d intent(s))", len(classifier.intent_set.intents))
                self.on_reload(classifier)
