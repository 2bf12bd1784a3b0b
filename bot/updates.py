"""Turning Telegram updates into the dialogue's :class:`Incoming` events, and replies back.

This is the only place that knows both Telegram's shapes and the guide's.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from domain.limits import MAX_CALLBACK_DATA, MAX_CAPTION_LENGTH, MAX_MESSAGE_LENGTH
from domain.messages import Incoming, Reply

#: Kinds of messages the dialogue gets as ``other`` with the kind named in ``data``.
_OTHER_KINDS = (
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "game",
)


#: Unicode categories removed from what people type: control characters (NUL, ESC...), format
#: characters (zero-width spaces, bidi overrides, BOM) and lone surrogates, which would end up
#: in stored facts, drafts and exports, or fail to encode for the database.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
_KEPT = frozenset("\n\t")


def clean_text(text: str) -> str:
    """``text`` without control, format (zero-width, bidi) and surrogate characters; newlines kept."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch for ch in text if ch in _KEPT or unicodedata.category(ch) not in _INVISIBLE)


def _when(message: Message | None) -> datetime:
    if message is not None and message.date is not None:
        date = message.date
        return date if date.tzinfo else date.replace(tzinfo=UTC)
    return datetime.now(UTC)


def update_key(update: Update) -> str:
    """The idempotency key of an update: Telegram's update id."""
    return f"tg:{update.update_id}"


def to_incoming(update: Update, *, operator_ids: frozenset[int], bot_username: str = "") -> Incoming | None:
    """The dialogue event for a private-chat update, or ``None`` when it is ignored by design."""
    user = update.effective_user
    is_operator = user is not None and user.id in operator_ids
    if update.callback_query is not None:
        query = update.callback_query
        # A message older than 48 hours arrives as an ``InaccessibleMessage``: no text to read.
        shown = query.message if isinstance(query.message, Message) else None
        return Incoming(
            kind="button",
            at=datetime.now(UTC),
            data=(query.data or "")[:MAX_CALLBACK_DATA],
            message_text=clean_text((shown.text or "") if shown is not None else "")[:MAX_MESSAGE_LENGTH],
            message_id=shown.message_id if shown is not None else 0,
            is_operator=is_operator,
        )
    message = update.message
    if message is None:
        return None
    at = _when(message)
    if message.photo:
        largest = message.photo[-1]
        return Incoming(
            kind="photo",
            at=at,
            file_id=largest.file_id,
            file_unique_id=largest.file_unique_id,
            caption=clean_text(message.caption or "")[:MAX_CAPTION_LENGTH],
            is_operator=is_operator,
        )
    if message.animation is not None:
        # A GIF arrives with a ``document`` too; it is not evidence.
        return Incoming(kind="other", at=at, data="animation", is_operator=is_operator)
    if message.document is not None:
        doc = message.document
        return Incoming(
            kind="document",
            at=at,
            file_id=doc.file_id,
            file_unique_id=doc.file_unique_id,
            caption=clean_text(message.caption or "")[:MAX_CAPTION_LENGTH],
            file_name=clean_text(doc.file_name or "")[:200],
            mime_type=clean_text(doc.mime_type or "")[:100],
            is_operator=is_operator,
        )
    text = message.text
    if text is not None:
        text = clean_text(text[: MAX_MESSAGE_LENGTH * 2])[:MAX_MESSAGE_LENGTH]
        if text.startswith("/"):
            parts = text.split(maxsplit=1)
            head, args = parts[0], parts[1] if len(parts) > 1 else ""
            command = head[1:]
            name, _, target = command.partition("@")
            if target and bot_username and target.lower() != bot_username.lower():
                return None  # a command meant for another bot
            return Incoming(
                kind="command",
                at=at,
                command=name.lower()[:32],
                args=args.strip()[:500],
                is_operator=is_operator,
            )
        return Incoming(kind="text", at=at, text=text, is_operator=is_operator)
    for kind in _OTHER_KINDS:
        if getattr(message, kind, None):
            return Incoming(kind="other", at=at, data=kind, is_operator=is_operator)
    if message.caption:
        return Incoming(
            kind="text", at=at, text=clean_text(message.caption)[:MAX_MESSAGE_LENGTH], is_operator=is_operator
        )
    return Incoming(kind="other", at=at, data="unknown", is_operator=is_operator)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply, if it has buttons (one callback button per dialogue button)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )
