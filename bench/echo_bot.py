"""A bare python-telegram-bot echo bot, the yardstick of ``bench_reply_latency.py``.

python-telegram-bot's own example, nothing added: ``Application`` with polling and one
``MessageHandler`` answering with ``reply_text``. Reads ``TELEGRAM_BOT_TOKEN``,
``TELEGRAM_API_BASE_URL`` and ``TELEGRAM_FILE_BASE_URL``.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the same text."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    """Poll until stopped (SIGTERM or Ctrl-C)."""
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .base_file_url(os.environ["TELEGRAM_FILE_BASE_URL"])
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)


if __name__ == "__main__":
    main()
