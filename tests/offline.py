"""An in-process fake network for python-telegram-bot: the whole handler stack without HTTP.

Used by the offline handler tests, the property-based test and the handler benchmark. Any
Bot API method it does not know fails loudly, as in PTB's own test suite.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.settings import Settings, load_settings
from intents.lexicon import default_cache_dir

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "维权助手", "username": "weiquan_test_bot"}


#: Parameters Telegram reads as JSON when they arrive as a string.
_STRUCTURED = ("reply_markup",)


def offline_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings of a bot that never leaves the machine: SQLite in ``tmp_path``, a dummy token, no OCR."""
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
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
        elif api_method in ("sendMessage", "sendDocument", "editMessageText"):
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
            "editMessageReplyMarkup",
            "sendChatAction",
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
