"""Settings: defaults, parsing, and one clear line naming the variable for bad values."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, parse_duration

_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DATABASE_URL",
    "OPERATOR_IDS",
    "LOG_LEVEL",
    "FOLLOW_UP_DELAY",
    "MODE",
    "RETENTION_DAYS",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token == ""
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.database_url == "sqlite:///data/weiquan.db"
    assert settings.operator_ids == frozenset()
    assert settings.follow_up_delay == timedelta(days=3)
    assert settings.mode == "polling"


def test_values_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCdef_ghi-jkl")
    monkeypatch.setenv("OPERATOR_IDS", " 11, 22 ,33")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("FOLLOW_UP_DELAY", "12h")
    monkeypatch.setenv("MODE", "WEBHOOK")
    settings = load_settings()
    assert settings.operator_ids == frozenset({11, 22, 33})
    assert settings.log_level == "DEBUG"
    assert settings.follow_up_delay == timedelta(hours=12)
    assert settings.mode == "webhook"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPERATOR_IDS=7\nLOG_LEVEL=WARNING\n", encoding="utf-8")
    settings = load_settings()
    assert settings.operator_ids == frozenset({7})
    assert settings.log_level == "WARNING"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OPERATOR_IDS", "12,abc"),
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("TELEGRAM_API_BASE_URL", "ftp://example"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("FOLLOW_UP_DELAY", "soon"),
        ("MODE", "carrier-pigeon"),
        ("RETENTION_DAYS", "-3"),
        ("FLOOD_LIMIT", "0"),
    ],
)
def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as excinfo:
        load_settings()
    message = str(excinfo.value)
    assert variable in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", timedelta(days=3)),
        ("12h", timedelta(hours=12)),
        ("30m", timedelta(minutes=30)),
        ("45", timedelta(seconds=45)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_parse_duration_rejects_zero() -> None:
    with pytest.raises(ValueError):
        parse_duration("0s")
