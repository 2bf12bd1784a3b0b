"""The log redaction filter keeps tokens, order and phone numbers out of every record."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactingFilter, setup_logging

TOKEN = "123456789:AAEhBOweik9ai2o4Ppaw8Kpo8ad1ps2kxg9"


def test_redacts_token_and_long_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(logging.INFO, "text", TOKEN)
    logging.getLogger("test.redaction").info(
        "calling https://api/bot%s/getMe order %s phone %s", TOKEN, "231118-492817365029174", "13812345678"
    )
    text = capsys.readouterr().err
    assert TOKEN not in text
    assert "492817365029174" not in text
    assert "13812345678" not in text
    assert "<token>" in text


def test_filter_redacts_exception_text() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", (TOKEN,), None)
    record.exc_text = f"Traceback: url /bot{TOKEN}/sendMessage"
    assert RedactingFilter(TOKEN).filter(record)
    assert TOKEN not in record.getMessage()
    assert TOKEN not in (record.exc_text or "")


def test_json_format_is_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    setup_logging(logging.INFO, "json", TOKEN)
    logging.getLogger("test.json").warning("user %s step %s", 42, "confirm")
    err = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(err)
    assert record["message"] == "user 42 step confirm"
    assert record["level"] == "WARNING"
