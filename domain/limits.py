"""Telegram's limits, which the dialogue, the glue and the OCR all work within."""

from __future__ import annotations

from typing import Final

#: Longest text of one message, in characters (what a person sends and what the bot sends).
MAX_MESSAGE_LENGTH: Final = 4096
#: Longest caption of a photo or document, in characters.
MAX_CAPTION_LENGTH: Final = 1024
#: Longest callback data of an inline button, in bytes (UTF-8).
MAX_CALLBACK_DATA: Final = 64
#: Largest file a bot may download, in bytes (20 MB).
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024
