"""An in-process fake network for python-telegram-bot: the whole handler stack without HTTP.

Used by the offline handler tests, the property-based test and the handler benchmark. Any
Bot API method it does not know fails loudly, as in PTB's own test suite. Below the network:
the stack built on it (:func:`offline_frontend`, :func:`offline_bot`), the wait for its
replies (:func:`settle`) and Telegram's limits on what it sends (:func:`assert_within_limits`).
Updates to feed it come from :mod:`tests.factories`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import CallbackContext
from telegram.request import BaseRequest, RequestData

from bot.core import BotCore
from bot.settings import Settings, load_settings
from bot.telegram_app import TelegramFrontend
from intents.lexicon import default_cache_dir
from tests.factories import BOT_USER, Json, UpdateStream, as_update, message, text_fields

#: Parameters Telegram reads as JSON when they arrive as a string.
_STRUCTURED = ("reply_markup",)


def offline_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings of a bot that never leaves the machine: SQLite in ``tmp_path``, a dummy token, no OCR."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'bot.db'}",
        "telegram_bot_token": "1:offline",
        "data_dir": tmp_path,
        # The run's shared cache (keyed by content): the learned stage is trained once, not per test.
        "cache_dir": default_cache_dir(),
        "ocr_enabled": False,  # reading screenshots has its own tests; no worker processes here
        **overrides,
    }
    return load_settings(**values)


class UnexpectedCall(AssertionError):
    """The bot called a Bot API method this fake does not serve."""


class OfflineRequest(BaseRequest):
    """Answers Bot API calls from memory and records them with the time they were made."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], float]] = []
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every call of ``method``."""
        return [params for name, params, _ in self.calls if name == method]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answer one call like Telegram would."""
        if "/file/bot" in url:  # a file download: bytes that are no image
            self.calls.append(("download", {"url": url}, time.perf_counter()))
            return 200, b"not an image"
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data is not None else {}
        for name in _STRUCTURED:  # sent already serialised: read it as Telegram does
            if isinstance(params.get(name), str):
                params[name] = json.loads(params[name])
        self.calls.append((api_method, params, time.perf_counter()))
        result: Any
        if api_method == "getMe":
            result = BOT_USER
        elif api_method in ("sendMessage", "sendDocument"):
            self._message_id += 1
            chat_id = int(params.get("chat_id", 0))
            result = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
                "text": str(params.get("text", "")),
            }
        elif api_method in (
            "answerCallbackQuery",
            "setMyCommands",
            "deleteWebhook",
            "setWebhook",
        ):
            result = True
        elif api_method == "getUpdates":
            result = []
        elif api_method == "getFile":
            file_id = str(params.get("file_id", ""))
            result = {
                "file_id": file_id,
                "file_unique_id": file_id[-8:],
                "file_size": 12,
                "file_path": "photos/f.jpg",
            }
        else:
            raise UnexpectedCall(f"unexpected Bot API call {api_method}")
        return 200, json.dumps({"ok": True, "result": result}).encode()


# --- the stack on the offline network ---------------------------------------------------

#: The Bot API methods by which the bot says something.
SEND_METHODS = ("sendMessage", "sendDocument")
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64


async def offline_frontend(
    tmp_path: Path, **overrides: Any
) -> tuple[BotCore, TelegramFrontend, OfflineRequest]:
    """The real core and front end on :func:`offline_settings`, over an :class:`OfflineRequest`.

    The outgoing rate limit (Telegram's 30 messages/s) is off: a deliberate delay, not behaviour.
    """
    core = await BotCore.create(offline_settings(tmp_path, **overrides))
    request = OfflineRequest()
    return core, TelegramFrontend(core, request=request, rate_limit=False), request


async def settle(frontend: TelegramFrontend) -> None:
    """Wait until every background reply (and screenshot reading) in hand is sent."""
    for _ in range(10):
        reading = set(getattr(frontend.reader, "_tasks", ()))
        if reading:
            await asyncio.wait(reading, timeout=30)
        await frontend.deliverer.drain(timeout=30)
        if not getattr(frontend.reader, "_tasks", ()):
            return


@dataclass
class OfflineBot:
    """The real Application fed raw updates one at a time; what it sent is read off the network."""

    frontend: TelegramFrontend
    request: OfflineRequest
    updates: UpdateStream = field(default_factory=lambda: UpdateStream(1_000_000))
    #: What reached the Application's error handler (with ``record_errors``).
    errors: list[BaseException] = field(default_factory=list)
    last_message_id: int = 0

    async def feed(self, raw: Json) -> list[Json]:
        """Process one raw update (numbered unless it has an id) and wait for its replies;
        return the sendMessage/sendDocument calls it caused."""
        before = len(self.request.calls)
        await self.frontend.app.process_update(as_update(self.updates.numbered(raw), self.frontend.app.bot))
        await settle(self.frontend)
        return [params for name, params, _ in self.request.calls[before:] if name in SEND_METHODS]

    async def text(self, user_id: int, text: str, chat: Json | None = None) -> list[Json]:
        """``user_id`` writes ``text`` (a command when it starts with a slash), in their private
        chat unless ``chat`` is given; return what the bot sent."""
        self.last_message_id += 1
        return await self.feed(
            {"message": message(user_id, chat, message_id=self.last_message_id, **text_fields(text))}
        )

    def calls_since(self, start: int, method: str) -> int:
        """How many calls of ``method`` were made after call number ``start``."""
        return sum(1 for name, _, _ in self.request.calls[start:] if name == method)


@asynccontextmanager
async def offline_bot(
    tmp_path: Path, *, record_errors: bool = False, **overrides: Any
) -> AsyncIterator[OfflineBot]:
    """A fresh :class:`OfflineBot` on a database in ``tmp_path``, initialised, closed on exit.

    With ``record_errors`` the Application's error handler records into ``errors`` (instead of
    only logging), for tests that assert nothing reached it.
    """
    core, frontend, request = await offline_frontend(tmp_path, **overrides)
    bot = OfflineBot(frontend, request)
    if record_errors:

        async def record(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
            assert context.error is not None
            bot.errors.append(context.error)

        frontend.app.add_error_handler(record)
    try:
        async with frontend.app:
            yield bot
    finally:
        await core.close()


def assert_within_limits(sent: list[Json]) -> None:
    """Every message obeys Telegram's limits: non-empty text ≤ 4096, callback data 1..64 bytes."""
    for params in sent:
        if "document" in params or "caption" in params:
            assert len(str(params.get("caption") or "")) <= MAX_CAPTION
            continue
        text = str(params["text"])
        assert text.strip(), "Telegram refuses empty messages"
        assert len(text) <= MAX_TEXT
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                assert str(button["text"]).strip()
                data = button.get("callback_data")
                assert isinstance(data, str) and 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


# --- stand-ins for the evidence reader's collaborators ----------------------------------


@dataclass
class DownloadedFile:
    """A ``File`` whose download gives ``content``."""

    content: bytes

    @property
    def file_size(self) -> int:
        return len(self.content)

    async def download_as_bytearray(self) -> bytearray:
        return bytearray(self.content)


class FileBot:
    """The part of ``telegram.Bot`` the evidence reader uses: ``get_file``, counted."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.downloads = 0

    async def get_file(self, file_id: str) -> DownloadedFile:
        self.downloads += 1
        return DownloadedFile(self.content)


class RecordingDeliverer:
    """A deliverer that keeps what it is given to send instead of sending it."""

    def __init__(self) -> None:
        self.entries: list[Any] = []

    def submit(self, entries: list[Any], query_id: str | None = None) -> None:
        self.entries.extend(entries)
