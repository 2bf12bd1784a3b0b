"""A fake Telegram Bot API server for end-to-end tests.

Quick reference (details in :mod:`tests.fake_telegram.server`)::

    from tests.fake_telegram.fixtures import fake_telegram  # noqa: F401  (in conftest.py)

    async def test_start(fake_telegram: FakeTelegram) -> None:
        # start the bot process with base_url=fake_telegram.api_base_url,
        # base_file_url=fake_telegram.file_base_url and token fake_telegram.token
        await fake_telegram.send_command(42, "/start")
        [welcome] = await fake_telegram.wait_for_messages(42, 1)
        await fake_telegram.press_button(42, welcome.message_id, welcome.callback_data[0])
        [next_step] = await fake_telegram.wait_for_messages(42, 1)

* The user: ``send_text``, ``send_command``, ``press_button``, ``send_photo`` (``tiny_png``
  in :mod:`tests.fake_telegram.users` makes an image), ``send_document``, ``send_update``.
* What the bot did: ``sent_messages(chat_id)`` (:class:`SentMessage`: ``text`` (plain: a
  ``parse_mode`` is refused with 400), ``buttons``, ``callback_data``, ``document``, ``raw``),
  ``wait_for_messages`` (a per-chat cursor: exactly the next ``count``), ``unread_messages``,
  ``mark_read``, ``wait_for_calls``, ``wait_until``, ``calls``/``calls_of``,
  ``answered_callbacks``, ``commands``/``commands_for``, ``pending_updates_count``,
  ``confirmed_update_id``, ``webhook``.
* It serves the methods the bot calls (getMe, getUpdates, sendMessage, sendDocument,
  answerCallbackQuery, getFile, setMyCommands, setWebhook, deleteWebhook) and, for its own
  tests, getMyCommands and getWebhookInfo; any other is an unexpected call.
* Failures: ``inject(method, "429" | "400" | "403" | "500" | "502" | "slow" | "drop", ...)``;
  unknown methods and wrong tokens land in ``unexpected_calls`` (the fixture fails on them).
* Webhooks: the bot must register an ``https://`` URL (as with Telegram); set
  ``webhook_delivery_url`` to where it really listens and user actions are POSTed there
  with the secret token, or call ``deliver_webhook`` yourself.
* The bot can only write to chats whose user wrote first (400 ``chat not found``).
* python-telegram-bot 22 warns (an error under ``filterwarnings=error``) when
  ``RetryAfter.retry_after`` is read unless ``PTB_TIMEDELTA=true`` is set.
"""

from tests.fake_telegram.faults import Fault
from tests.fake_telegram.models import AnsweredCallback, ApiCall, SentMessage, StoredFile
from tests.fake_telegram.server import FakeTelegram
from tests.fake_telegram.users import tiny_png

__all__ = [
    "AnsweredCallback",
    "ApiCall",
    "FakeTelegram",
    "Fault",
    "SentMessage",
    "StoredFile",
    "tiny_png",
]
