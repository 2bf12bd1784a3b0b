"""Decoding Bot API request parameters the way Telegram accepts them.

Telegram takes parameters as a query string, ``application/x-www-form-urlencoded``,
``application/json`` or ``multipart/form-data``. In every form except JSON each value is a
string, and structured values (``reply_markup``, ``commands``, numbers, booleans) are JSON
encoded inside it; python-telegram-bot sends exactly that (via httpx ``data=``/``files=``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fake_telegram.models import JsonDict, Upload, bad_request

# Parameters that are always plain strings: never JSON-decode them ("123" stays a text).
STRING_PARAMS: frozenset[str] = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "secret_token",
        "action",
        "language_code",
        "description",
        "short_description",
        "name",
        "title",
        "ip_address",
        "business_connection_id",
        "message_effect_id",
    }
)


@dataclass(slots=True)
class RequestParams:
    """The decoded parameters of one request plus any uploaded file parts."""

    values: JsonDict = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)


def decode_value(name: str, raw: str) -> Any:
    """Decode one string-form parameter: JSON where Telegram expects structure, else text."""
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def read_params(request: web.Request) -> RequestParams:
    """Read a request's parameters from its query string and body, whatever the encoding."""
    params = RequestParams()
    for name, raw in request.query.items():
        params.values[name] = decode_value(name, raw)
    if request.method != "POST" or not request.can_read_body:
        return params
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise bad_request("can't parse JSON object") from exc
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        params.values.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                params.uploads[name] = Upload(
                    data=value.file.read(),
                    file_name=value.filename,
                    mime_type=value.content_type,
                )
            elif isinstance(value, str):
                params.values[name] = decode_value(name, value)
            else:
                params.values[name] = decode_value(name, bytes(value).decode("utf-8"))
    return params
