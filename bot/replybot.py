"""The bot object the Application uses: python-telegram-bot's ``ExtBot`` plus one lean send.

Every reply goes through :meth:`ReplyBot.send_text`. ``Bot.send_message`` would build a whole
``Message`` object from Telegram's answer, and the sender only needs its ``message_id``:
parsing that answer cost as much as the rest of sending. The request itself is unchanged:
same endpoint, parameters, defaults, rate limiter and errors (``RetryAfter``, ``Forbidden``, ...).
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import ExtBot


class ReplyBot(ExtBot[Any]):
    """``ExtBot`` with :meth:`send_text`."""

    async def send_text(
        self, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | str | None = None
    ) -> int:
        """Send a text message like :meth:`send_message` does; return its message id only.

        ``reply_markup`` may also be given serialised to JSON already, as Telegram receives it.
        """
        data: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if reply_markup is not None:
            data["reply_markup"] = reply_markup
        result = await self._post("sendMessage", data)
        try:
            return int(result["message_id"])
        except (TypeError, KeyError, ValueError):
            raise TelegramError("Telegram answered sendMessage without a message id") from None
