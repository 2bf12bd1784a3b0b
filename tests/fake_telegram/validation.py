"""Limits, names and parameter checks shared by the fake's Bot API methods."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from tests.fake_telegram.models import ApiError, JsonDict, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_ACTIVE = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
)
TERMINATED_BY_WEBHOOK = ApiError(409, "Conflict: terminated by setWebhook request")
CALLBACK_TOO_OLD = bad_request("query is too old and response timeout expired or query ID is invalid")


def new_file_ids() -> tuple[str, str]:
    """A fresh ``(file_id, file_unique_id)`` pair shaped like Telegram's."""
    token = uuid.uuid4().hex
    return f"BQACAgIAAxkB{token}", f"AgAD{token[:12]}"


def as_bool(value: object) -> bool:
    """A boolean parameter, whether it arrived as JSON ``true`` or the string ``"true"``."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def int_param(params: JsonDict, name: str, default: int | None = None) -> int:
    """An integer parameter; missing or malformed is a 400 as in Telegram."""
    value = params.get(name, default)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def json_param(params: JsonDict, name: str) -> Any:
    """A structured parameter that may still be a JSON string (e.g. from a query string)."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def validate_reply_markup(markup: Any) -> JsonDict | None:
    """Check a reply_markup as Telegram does; return it (or None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        return markup
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for row in keyboard:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            kinds = set(button) - {"text"}
            if not kinds:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if "callback_data" in button and (
                not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
            ):
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def checked_text(params: JsonDict, limit: int, field: str) -> str:
    """Check ``text`` or ``caption``: length and emptiness; returned as sent, with no entities.

    The bot sends plain text only, so the fake parses no markup: a ``parse_mode`` is refused
    (Telegram's answer to one it does not know) rather than stored unparsed.
    """
    if params.get("parse_mode"):
        raise bad_request("unsupported parse_mode")
    raw = params.get(field)
    text = "" if raw is None else str(raw)
    if field == "text" and not text.strip():
        raise bad_request("message text is empty")
    if len(text) > limit:
        raise bad_request("message is too long" if field == "text" else "message caption is too long")
    return text
