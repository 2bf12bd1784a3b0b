"""Settings from the environment (and an optional ``.env`` file), checked once at start-up.

A wrong value never ends in a traceback: :func:`load_settings` raises :class:`SettingsError`
whose message names the variable and how to fix it, and the CLI prints that one line.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.engine import SCHEMES as DATABASE_SCHEMES

# What each variable is, for the one-line error messages.
_HINTS: dict[str, str] = {
    "TELEGRAM_BOT_TOKEN": "the token from @BotFather, like 123456789:AAE...",
    "TELEGRAM_API_BASE_URL": "an http(s) URL such as https://api.telegram.org/bot (the token is appended)",
    "TELEGRAM_FILE_BASE_URL": "an http(s) URL such as https://api.telegram.org/file/bot",
    "DATABASE_URL": "sqlite:///data/weiquan.db, sqlite+aiosqlite:///data/weiquan.db or postgresql+asyncpg://user@host/db",
    "INTENTS_DIR": "a folder holding the intent keyword files (*.toml)",
    "GUIDE_DIR": "a folder holding the guide's step files (*.toml)",
    "OPERATOR_IDS": "comma-separated numeric Telegram user ids, e.g. 12345,67890",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR",
    "LOG_FORMAT": "text or json",
    "MODE": "polling or webhook",
    "FOLLOW_UP_DELAY": "a duration such as 3d, 12h, 30m or 45s",
    "FILING_CLOCK_OVERRIDE": "a duration such as 45s, for tests and demos only (empty: the rules' clocks)",
    "DATA_DIR": "a writable folder for the bot's cache files",
    "CACHE_DIR": "a writable folder for the tokenizer's dictionary and the trained model",
    "WEBHOOK_LISTEN": "host:port to listen on, e.g. 0.0.0.0:8080",
    "WEBHOOK_URL": "the public https URL Telegram should call",
    "WEBHOOK_SECRET": "1-256 characters of A-Z, a-z, 0-9, _ and -",
    "RETENTION_DAYS": "a whole number of days (0 keeps closed cases forever)",
    "REMINDER_POLL_INTERVAL": "seconds between checks for due reminders, e.g. 30",
    "OCR_ENABLED": "true or false",
    "OCR_TIMEOUT": "seconds one screenshot may take once a worker reads it, e.g. 60",
    "CHAT_RATE": "messages per second to one chat after a short burst, e.g. 1",
    "FLOOD_LIMIT": "a whole number of messages one person may send in 10 seconds, e.g. 20",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


def parse_duration(value: str) -> timedelta:
    """Parse ``3d``, ``12h``, ``30m``, ``45s`` or a plain number of seconds."""
    text = value.strip().lower()
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    factor = 1
    if text and text[-1] in units:
        factor = units[text[-1]]
        text = text[:-1]
    seconds = float(text) * factor
    if seconds <= 0:
        raise ValueError("must be positive")
    return timedelta(seconds=seconds)


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    database_url: str = "sqlite:///data/weiquan.db"
    intents_dir: Path | None = None
    guide_dir: Path | None = None
    data_dir: Path = Path("data")
    cache_dir: Path | None = None
    operator_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    mode: Literal["polling", "webhook"] = "polling"
    follow_up_delay: Annotated[timedelta, NoDecode] = timedelta(days=3)
    # Every filing's clock runs out after this instead of the rule's days (tests and demos only).
    filing_clock_override: Annotated[timedelta | None, NoDecode] = None
    webhook_listen: str = "0.0.0.0:8080"
    webhook_url: str = ""
    webhook_secret: str = ""
    retention_days: int = Field(default=0, ge=0)
    reminder_poll_interval: float = Field(default=30.0, gt=0)
    ocr_enabled: bool = True
    ocr_timeout: float = Field(default=60.0, gt=0)
    chat_rate: float = Field(default=1.0, gt=0)
    flood_limit: int = Field(default=20, ge=1)

    @field_validator("operator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("follow_up_delay", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_duration(value)
        return value

    @field_validator("filing_clock_override", mode="before")
    @classmethod
    def _optional_duration(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_duration(value) if value.strip() else None
        return value

    @field_validator("log_level", "log_format", "mode", mode="before")
    @classmethod
    def _fold_case(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", "mode", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("telegram_api_base_url", "telegram_file_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        if not value.startswith(DATABASE_SCHEMES):  # parse_url checks the rest when connecting
            raise ValueError("must use the sqlite, sqlite+aiosqlite or postgresql+asyncpg driver")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token(cls, value: str) -> str:
        value = value.strip()
        if value and (":" not in value or not value.split(":", 1)[0].isdigit()):
            raise ValueError("does not look like a bot token")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: str) -> str:
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if value and (len(value) > 256 or not set(value) <= allowed):
            raise ValueError("has characters Telegram does not allow")
        return value

    @property
    def cache_folder(self) -> Path:
        """A writable folder for jieba's dictionary, the trained model and similar files.

        ``CACHE_DIR`` when set (several bots on one machine can share one), else ``DATA_DIR/cache``.
        Everything in it is keyed by what it was built from, so sharing it is safe.
        """
        return self.cache_dir or self.data_dir / "cache"

    @property
    def log_level_number(self) -> int:
        """The numeric logging level."""
        return int(logging.getLevelName(self.log_level))


#: Webhook mode without a secret would let anyone who reaches the port post updates as anyone.
WEBHOOK_SECRET_REQUIRED = (
    "Setting WEBHOOK_SECRET is required in webhook mode: set it to a random string of 1-256 "
    "characters A-Z, a-z, 0-9, _ and - (Telegram sends it back with every update)."
)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning any validation error into a one-line :class:`SettingsError`."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        variable = field.upper()
        reason = str(first.get("msg", "invalid value"))
        reason = reason.removeprefix("Value error, ")
        hint = _HINTS.get(variable, "")
        message = f"Setting {variable} is invalid: {reason}."
        if hint:
            message += f" Expected {hint}."
        raise SettingsError(message) from None
