"""The bot's core, shared by Telegram and the terminal chat: storage + classifier + dialogue.

Built once in ``main()`` (nothing at import time) and passed down explicitly. The classifier
can be swapped at run time by the hot reloader; the dialogue always asks :meth:`BotCore.classify`,
so a reload takes effect on the next message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from watchfiles import awatch

from bot.settings import Settings
from domain.messages import Incoming
from guide import Dialogue, GuideContent, GuideFileError, default_content_dir, load_content, reads_timeline
from intents import Classifier, IntentReloader, Problem, load_intents, unknown_tokens
from intents.match import IntentMatch
from storage import HandleResult, Storage

log = logging.getLogger(__name__)


class BotCore:
    """Everything an update needs, except Telegram itself."""

    def __init__(
        self, settings: Settings, storage: Storage, content: GuideContent, classifier: Classifier
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.content = content
        self.classifier = classifier
        self.dialogue = self._dialogue(content)
        self.reload_listeners: list[Callable[[list[Problem]], None]] = []
        self.last_reload_problems: list[Problem] = []

    def _dialogue(self, content: GuideContent) -> Dialogue:
        """The dialogue on ``content`` with the settings' delays."""
        return Dialogue(
            content,
            self.classify,
            follow_up_delay=self.settings.follow_up_delay,
            filing_clock_override=self.settings.filing_clock_override,
        )

    @classmethod
    async def create(cls, settings: Settings, *, migrate: bool = True) -> BotCore:
        """Load content and keywords, open (and upgrade) the database."""
        content = load_content(settings.guide_dir)
        classifier = Classifier(load_intents(settings_intents_dir(settings)), cache_dir=settings.cache_folder)
        storage = await Storage.connect(settings.database_url, migrate=migrate)
        return cls(settings, storage, content, classifier)

    def classify(self, text: str) -> IntentMatch:
        """Classify with the current keyword set; unmatched tokens are filtered for statistics."""
        match = self.classifier.classify(text)
        if match.intent == "other":
            kept = unknown_tokens(match.tokens, self.classifier.is_dictionary_word)
            return dataclasses.replace(match, tokens=tuple(kept))
        return match

    async def handle(
        self, user_id: int, chat_id: int, update_key: str | None, incoming: Incoming
    ) -> HandleResult:
        """Run the dialogue for one event in one transaction; the replies land in the outbox."""
        return await self.storage.handle(
            user_id,
            chat_id,
            update_key,
            lambda view: self.dialogue.handle(view, incoming),
            timeline=reads_timeline(incoming),
        )

    def make_reloader(self) -> IntentReloader:
        """A file watcher that swaps the classifier when keyword files change."""
        return IntentReloader(
            settings_intents_dir(self.settings),
            self.settings.cache_folder,
            on_reload=self._on_reload,
            on_error=self._on_reload_error,
        )

    def _on_reload(self, classifier: Classifier) -> None:
        self.apply_reload(classifier)

    def _on_reload_error(self, problems: list[Problem]) -> None:
        self.reload_failed(problems, notify=True)

    def apply_reload(self, classifier: Classifier) -> None:
        """Start classifying with a freshly loaded keyword set."""
        self.classifier = classifier
        self.last_reload_problems = []
        log.info("intent keyword files reloaded")

    def reload_failed(self, problems: list[Problem], *, notify: bool) -> None:
        """Keep the last good keyword set; say why in the log (and to operators when ``notify``)."""
        self.last_reload_problems = problems
        log.warning(
            "intent keyword files not reloaded, keeping the last good set: %s",
            "; ".join(str(p) for p in problems),
        )
        if notify:
            for listener in self.reload_listeners:
                listener(problems)

    def reload_content(self) -> list[str]:
        """Reload the step files (a blocking call; run it in a thread).

        On errors the current files stay in use and the problems are returned (and logged).
        """
        try:
            content = load_content(self.settings.guide_dir)
        except GuideFileError as exc:
            problems = list(exc.problems)
            log.warning("step files not reloaded, keeping the last good set: %s", "; ".join(problems))
            return problems
        self.content = content
        self.dialogue = self._dialogue(content)
        log.info("step files reloaded")
        return []

    async def watch_content(self) -> None:
        """Reload the step files when they change (like the keyword files); tell operators of errors."""
        directory = self.settings.guide_dir or default_content_dir()
        async for _changes in awatch(directory, debounce=300, recursive=False):
            problems = await asyncio.to_thread(self.reload_content)
            if problems:
                for listener in self.reload_listeners:
                    listener(problems)  # type: ignore[arg-type]

    async def close(self) -> None:
        """Release the database."""
        await self.storage.close()


def settings_intents_dir(settings: Settings) -> Path:
    """The keyword folder: ``INTENTS_DIR`` or the files shipped in the package."""
    from intents import default_intents_dir

    return settings.intents_dir or default_intents_dir()
