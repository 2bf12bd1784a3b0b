"""A fake Telegram Bot API server for end-to-end tests (see :mod:`tests.fake_telegram.server`)."""

from tests.fake_telegram.models import AnsweredCallback, ApiCall, Fault, MessageEdit, SentMessage, StoredFile
from tests.fake_telegram.server import FakeTelegram

__all__ = ["AnsweredCallback", "ApiCall", "FakeTelegram", "Fault", "MessageEdit", "SentMessage", "StoredFile"]
