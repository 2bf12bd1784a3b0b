"""What comes in and what goes out: one thing a person did, and the messages the bot sends.

``bot/`` (Telegram) and the terminal chat turn what a person does into an :class:`Incoming`
and send each :class:`Reply`; the dialogue (``guide/``) never sees Telegram's own types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

IncomingKind = Literal["text", "command", "button", "photo", "document", "reminder", "reading", "other"]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a person did, already stripped of Telegram specifics.

    * ``text``: free text in ``text``;
    * ``command``: ``command`` without the slash (``"start"``), ``args`` the rest of the line;
    * ``button``: ``data`` is the callback data of the pressed button, ``message_text`` the text
      of the bot's message that holds it and ``message_id`` that message's id (``""`` / ``0``
      when Telegram no longer shows the message);
    * ``photo`` / ``document``: ``file_id`` (Telegram's), ``caption`` may be empty,
      ``file_name`` / ``mime_type`` for documents;
    * ``reminder``: a stored reminder fell due, ``data`` is the reminder id;
    * ``reading``: a screenshot the person sent was read (OCR); ``data`` is a JSON object
      ``{"file_unique_id": ..., "kind": ..., "facts": {name: value}, "error": ""}`` where
      ``kind`` is one of ``domain.screenshots.KIND_LABELS`` and ``error`` a message for the person when the
      image could not be read (the raw recognised text never reaches the dialogue);
    * ``other``: anything else (sticker, voice, location...), ``data`` names the kind.
    """

    kind: IncomingKind
    at: datetime
    text: str = ""
    command: str = ""
    args: str = ""
    data: str = ""
    file_id: str = ""
    file_unique_id: str = ""
    caption: str = ""
    file_name: str = ""
    mime_type: str = ""
    message_text: str = ""
    message_id: int = 0
    is_operator: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button; ``data`` is at most 64 bytes (Telegram's limit)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Document:
    """A file the bot sends (e.g. the case export)."""

    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message the bot sends: text with optional inline keyboard rows, or a document."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
