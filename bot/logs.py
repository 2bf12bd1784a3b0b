"""Logging set-up: text or JSON lines, and a filter that keeps secrets out of every record.

Handlers log ids (user, case), intents and steps, never message text; the redaction filter is
a second line of defence for what libraries log (e.g. httpx request URLs carry the bot token).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

_TOKEN_RE = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{20,}")
_LONG_DIGITS_RE = re.compile(r"\d{6}-\d{6,}|\d{11,}")


class RedactingFilter(logging.Filter):
    """Replaces bot tokens and long digit runs (order and phone numbers) in log records."""

    def __init__(self, token: str = "") -> None:
        super().__init__()
        self._token = token

    def _clean(self, text: str) -> str:
        if self._token:
            text = text.replace(self._token, "<token>")
        text = _TOKEN_RE.sub("<token>", text)
        return _LONG_DIGITS_RE.sub("<digits>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, so arguments cannot smuggle secrets through."""
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = self._clean(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


class _DropRawPayloads(logging.Filter):
    """Drops library records that embed raw update payloads (people's messages)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Error while parsing updates", "Received data"))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialize the record."""
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


class _RedactingFormatter(logging.Formatter):
    """Wraps a formatter so tracebacks are redacted too."""

    def __init__(self, inner: logging.Formatter, redactor: RedactingFilter) -> None:
        super().__init__()
        self._inner = inner
        self._redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self._redactor._clean(self._inner.format(record))


def setup_logging(level: int, fmt: str = "text", token: str = "") -> None:
    """Configure the root logger once; quieten chatty libraries."""
    redactor = RedactingFilter(token)
    handler = logging.StreamHandler()
    inner: logging.Formatter
    if fmt == "json":
        inner = JsonFormatter()
    else:
        inner = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(_RedactingFormatter(inner, redactor))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "jieba", "aiosqlite", "asyncio", "watchfiles", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    # The Bot API client logs call parameters (message texts, names) at DEBUG, and the raw
    # batch when an update cannot be parsed: never let those through.
    for chatty in ("telegram.Bot", "telegram.ext.ExtBot"):
        logging.getLogger(chatty).setLevel(max(level, logging.INFO))
        logging.getLogger(chatty).addFilter(_DropRawPayloads())
    # We handle 429 ourselves (and log it without the traceback the limiter prints).
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
