"""Plain records the fake Bot API server keeps about what the bot did.

These are what tests read: the messages the bot sent, the raw
API calls, answered callback queries, stored files and the faults queued for injection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
ButtonRow = list[tuple[str, str | None]]


class ApiError(Exception):
    """A Bot API error answered as ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JsonDict:
        """The JSON body Telegram sends for this error."""
        body: JsonDict = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 error with Telegram's ``Bad Request: `` prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(slots=True)
class Upload:
    """One file part of a multipart request, as the bot uploaded it."""

    data: bytes
    file_name: str
    mime_type: str


@dataclass(slots=True)
class StoredFile:
    """A file the fake can serve through getFile and the file download URL."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_name: str = ""
    mime_type: str = ""

    def as_file(self) -> JsonDict:
        """The ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass(slots=True)
class SentMessage:
    """A message the bot sent (the bot never edits or deletes one).

    ``text`` is the text as sent (the bot sends plain text: no parse_mode, no entities), or the
    caption for documents. ``buttons`` is the inline
    keyboard as rows of ``(label, callback_data)`` (``None`` for URL and other buttons).
    ``document`` is set for sendDocument and holds the uploaded bytes and file name.
    ``raw`` is the Message object as Telegram returned it.
    """

    message_id: int
    chat_id: int
    method: str
    text: str
    buttons: list[ButtonRow]
    reply_markup: JsonDict | None
    raw: JsonDict
    document: StoredFile | None = None

    @property
    def callback_data(self) -> list[str]:
        """Every callback_data on the current inline keyboard, row by row."""
        return [data for row in self.buttons for _, data in row if data is not None]

    @property
    def button_labels(self) -> list[str]:
        """Every button label on the current inline keyboard, row by row."""
        return [label for row in self.buttons for label, _ in row]


@dataclass(slots=True)
class ApiCall:
    """One HTTP request to the Bot API: method name as sent, decoded params, uploaded files.

    ``status`` is the HTTP status answered; ``fault`` names the injected fault, if any.
    """

    method: str
    params: JsonDict
    uploads: dict[str, Upload] = field(default_factory=dict)
    status: int = 200
    fault: str | None = None
    at: float = field(default_factory=time.monotonic)  # when the request arrived


@dataclass(slots=True)
class AnsweredCallback:
    """An answerCallbackQuery call, tied back to the user who pressed the button."""

    callback_query_id: str
    user_id: int
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None


def inline_buttons(reply_markup: JsonDict | None) -> list[ButtonRow]:
    """Rows of ``(label, callback_data)`` from an ``InlineKeyboardMarkup`` dict."""
    if not reply_markup or "inline_keyboard" not in reply_markup:
        return []
    rows: list[ButtonRow] = []
    for row in reply_markup["inline_keyboard"]:
        rows.append([(str(button.get("text", "")), button.get("callback_data")) for button in row])
    return rows
