"""The bot's core, shared by Telegram and the terminal chat: storage + classifier + dialogue.

Built once in ``main()`` (nothing at import time) and passed down explicitly. The keyword and
step files are reloaded at run time (:mod:`bot.hot_reload`); the dialogue always asks
:meth:`BotCore.classify`, so a reload takes effect on the next message.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from bot.hot_reload import ReloadableFolder
from bot.settings import Settings
from domain.messages import Incoming
from guide import Dialogue, GuideContent, GuideFileError, default_content_dir, load_content, reads_timeline
from intents import Classifier, load_intents, unknown_tokens
from intents.loader import collect_problems
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
        self.dialogue = self._dialogue(content)
        self.keywords = ReloadableFolder(
            "intent keyword files",
            settings_intents_dir(settings),
            lambda directory: build_classifier(directory, settings.cache_folder),
            classifier,
        )
        self.steps = ReloadableFolder(
            "step files",
            settings.guide_dir or default_content_dir(),
            build_content,
            content,
            on_change=self._use_content,
        )

    def _dialogue(self, content: GuideContent) -> Dialogue:
        """The dialogue on ``content`` with the settings' delays."""
        return Dialogue(
            content,
            self.classify,
            follow_up_delay=self.settings.follow_up_delay,
            filing_clock_override=self.settings.filing_clock_override,
        )

    def _use_content(self, content: GuideContent) -> None:
        """Answer from freshly loaded step files."""
        self.dialogue = self._dialogue(content)

    @property
    def classifier(self) -> Classifier:
        """The classifier of the current keyword files."""
        return self.keywords.current

    @property
    def content(self) -> GuideContent:
        """The current step files."""
        return self.steps.current

    @classmethod
    async def create(cls, settings: Settings, *, migrate: bool = True) -> BotCore:
        """Load content and keywords, open (and upgrade) the database."""
        content = load_content(settings.guide_dir)
        classifier = Classifier(load_intents(settings_intents_dir(settings)), cache_dir=settings.cache_folder)
        storage = await Storage.connect(settings.database_url, migrate=migrate)
        return cls(settings, storage, content, classifier)

    def classify(self, text: str) -> IntentMatch:
        """Classify with the current keyword set; unmatched tokens are filtered for statistics."""
        classifier = self.keywords.current
        match = classifier.classify(text)
        if match.intent == "other":
            kept = unknown_tokens(match.tokens, classifier.is_dictionary_word)
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

    async def close(self) -> None:
        """Release the database."""
        await self.storage.close()


def build_classifier(directory: Path, cache_dir: Path | None) -> tuple[Classifier | None, list[str]]:
    """The classifier of the keyword files in ``directory`` and their warnings (``None`` and problems when broken)."""
    intent_set, problems = collect_problems(directory)
    classifier = Classifier(intent_set, cache_dir) if intent_set is not None else None
    return classifier, [str(problem) for problem in problems]


def build_content(directory: Path) -> tuple[GuideContent | None, list[str]]:
    """The step content of ``directory`` (``None`` and the problems when a file is broken)."""
    try:
        return load_content(directory), []
    except GuideFileError as exc:
        return None, list(exc.problems)


def settings_intents_dir(settings: Settings) -> Path:
    """The keyword folder: ``INTENTS_DIR`` or the files shipped in the package."""
    from intents import default_intents_dir

    return settings.intents_dir or default_intents_dir()
