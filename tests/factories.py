"""Telegram updates as the Bot API sends them: the one place tests and benchmarks build them.

Modelled on python-telegram-bot's ``tests/auxil/build_messages.py``. Everything is a raw dict
(``Json``), the shape that arrives on the wire: the webhook and end-to-end tests send these
dicts as they are, the offline tests and the benchmarks turn them into ``Update`` objects
with :func:`as_update`. Objects (``user``, ``private_chat``, ``message``, ``callback_query``...)
are built by functions; whole updates by :func:`text_update` and :class:`UpdateStream`, or by
wrapping an object: ``{"message": message(...)}``, ``{"callback_query": callback_query(...)}``.

The fake Bot API server (``tests/fake_telegram``) builds its own updates from what a user does
there (it owns message ids and stored files); :func:`text_update` is for delivering one by hand.
"""

from __future__ import annotations

import time
from typing import Any

from telegram import Bot, Update

Json = dict[str, Any]

#: The bot as ``getMe`` describes it (the offline network answers with it).
BOT_USER: Json = {"id": 4242, "is_bot": True, "first_name": "维权助手", "username": "weiquan_test_bot"}
BOT_MENTION = "@" + BOT_USER["username"]
FIRST_NAME = "测试"
GROUP_ID = -100310001
CHANNEL_ID = -100999


def now() -> int:
    """The current Unix time, as Telegram dates are."""
    return int(time.time())


def utf16_length(text: str) -> int:
    """A length as entity offsets and lengths count it: in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# --- objects ---------------------------------------------------------------------------------


def telegram_user(user_id: int, *, is_bot: bool = False) -> Json:
    """A ``User`` object (a person unless ``is_bot``)."""
    return {"id": user_id, "is_bot": is_bot, "first_name": FIRST_NAME}


def private_chat(user_id: int) -> Json:
    """The private chat with ``user_id``."""
    return {"id": user_id, "type": "private", "first_name": FIRST_NAME}


def group_chat(chat_id: int = GROUP_ID, kind: str = "supergroup") -> Json:
    """A group or supergroup."""
    return {"id": chat_id, "type": kind, "title": "维权群"}


def channel_chat(chat_id: int = CHANNEL_ID) -> Json:
    """A channel."""
    return {"id": chat_id, "type": "channel", "title": "频道"}


def text_fields(text: str) -> Json:
    """Message fields of a text, with the ``bot_command`` entity Telegram adds when it starts with a slash."""
    fields: Json = {"text": text}
    if text.startswith("/"):
        head = text.split()[0] if text.split() else text
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(head)}]
    return fields


def mention_entities(name: str = BOT_MENTION) -> list[Json]:
    """The entities of a text (or caption) that starts with the mention ``name``."""
    return [{"type": "mention", "offset": 0, "length": utf16_length(name)}]


def message(
    user_id: int, chat: Json | None = None, *, message_id: int = 1, date: int | None = None, **fields: Any
) -> Json:
    """A ``Message`` from ``user_id`` (in their private chat unless ``chat`` is given) with ``fields``."""
    return {
        "message_id": message_id,
        "date": now() if date is None else date,
        "chat": chat or private_chat(user_id),
        "from": telegram_user(user_id),
        **fields,
    }


def bot_message(chat: Json, *, message_id: int = 1, date: int | None = None, text: str = "…") -> Json:
    """A ``Message`` the bot sent in ``chat``: what an inline button sits on, or a reply's target.

    A ``date`` of 0 is how Telegram marks a message it no longer shows (past 48 hours).
    """
    return {
        "message_id": message_id,
        "date": now() if date is None else date,
        "chat": chat,
        "from": BOT_USER,
        "text": text,
    }


def callback_query(
    user_id: int,
    data: str | None,
    *,
    message_id: int = 1,
    date: int | None = None,
    text: str = "…",
    chat: Json | None = None,
    inline: bool = False,
) -> Json:
    """A ``CallbackQuery``: ``user_id`` pressed the button carrying ``data`` (``None``: no data,
    as a forger may send) on the bot's message ``message_id`` in ``chat`` (their private chat by
    default), or, ``inline``, on an inline message (no message, an ``inline_message_id``).
    """
    query: Json = {
        "id": f"cq{user_id}{message_id}{abs(hash(data)) % 10_000}",
        "from": telegram_user(user_id),
        "chat_instance": "ci",
    }
    if inline:
        query["inline_message_id"] = "AAAA"
    else:
        query["message"] = bot_message(
            chat or private_chat(user_id), message_id=message_id, date=date, text=text
        )
    if data is not None:
        query["data"] = data
    return query


def file_fields(prefix: str, **extra: Any) -> Json:
    """The ids of a file (``PhotoSize``, ``Document``, ``Sticker``...) plus ``extra`` fields."""
    return {"file_id": f"{prefix}-id", "file_unique_id": f"{prefix}-u", **extra}


def document(prefix: str, file_name: str, mime_type: str) -> Json:
    """A ``Document`` object."""
    return file_fields(prefix, file_name=file_name, mime_type=mime_type)


#: A photo as Telegram sends it: several sizes, the largest last.
PHOTO: list[Json] = [file_fields("ph-s", width=90, height=90), file_fields("ph-l", width=800, height=800)]
STICKER = file_fields("st", width=512, height=512, is_animated=False, is_video=False, type="regular")

#: Message fields of every kind of media a person can send, by name.
MEDIA: dict[str, Json] = {
    "sticker": {"sticker": STICKER},
    "voice": {"voice": file_fields("vo", duration=3)},
    "audio": {"audio": file_fields("au", duration=30)},
    "video": {"video": file_fields("vi", width=640, height=480, duration=5)},
    "video_note": {"video_note": file_fields("vn", length=240, duration=5)},
    "animation": {
        "animation": file_fields("an", width=320, height=240, duration=2),
        "document": document("an", "a.gif.mp4", "video/mp4"),
    },
    "location": {"location": {"latitude": 31.23, "longitude": 121.47}},
    "venue": {
        "venue": {
            "location": {"latitude": 31.23, "longitude": 121.47},
            "title": "快递站",
            "address": "某路1号",
        },
        "location": {"latitude": 31.23, "longitude": 121.47},
    },
    "contact": {"contact": {"phone_number": "13812345678", "first_name": "张三"}},
    "poll": {
        "poll": {
            "id": "p1",
            "question": "助力成功了吗？",
            "options": [
                {"text": "是", "voter_count": 0, "persistent_id": "o1"},
                {"text": "否", "voter_count": 0, "persistent_id": "o2"},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
    "dice": {"dice": {"emoji": "🎲", "value": 6}},
    "photo_with_caption": {"photo": PHOTO, "caption": "订单截图"},
    "photo_without_caption": {"photo": PHOTO},
    "document_without_caption": {"document": document("doc", "聊天记录.pdf", "application/pdf")},
    "document_with_caption": {
        "document": document("doc2", "rules.png", "image/png"),
        "caption": "活动规则截图",
    },
}


# --- updates ---------------------------------------------------------------------------------


def text_update(update_id: int, user_id: int, text: str, *, message_id: int | None = None) -> Json:
    """A whole update, as the wire carries it: ``user_id`` writes ``text`` in their private chat.

    The message id is the update id unless given (each update brings a new message).
    """
    body = message(user_id, message_id=update_id if message_id is None else message_id, **text_fields(text))
    return {"update_id": update_id, "message": body}


class UpdateStream:
    """Whole updates numbered in order, as Telegram numbers them (each id one more than the last)."""

    def __init__(self, last_id: int = 0) -> None:
        self.last_id = last_id

    def next_id(self) -> int:
        """The next update id."""
        self.last_id += 1
        return self.last_id

    def text(self, user_id: int, text: str) -> Json:
        """The next update: ``user_id`` writes ``text`` (a command when it starts with a slash)."""
        return text_update(self.next_id(), user_id, text)

    def numbered(self, raw: Json) -> Json:
        """``raw`` with the next update id, unless it already has one (a repeat keeps its own)."""
        if "update_id" not in raw:
            raw["update_id"] = self.next_id()
        return raw


def as_update(raw: Json, bot: Bot) -> Update:
    """The ``Update`` python-telegram-bot makes of ``raw`` (which must have an ``update_id``)."""
    update = Update.de_json(raw, bot)
    assert update is not None
    return update
