"""What a test does as the human user: write, press buttons, send photos and files.

Each action builds a Telegram-shaped update, registers the chat (so the bot may answer
there, as in Telegram where a bot can only write to chats it has seen), and publishes the
update: queued for getUpdates, or pushed to the bot's webhook when one is set and the test
gave ``webhook_delivery_url``. Every update gets the next update_id.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from typing import Any

from tests.fake_telegram.methods import BotApi
from tests.fake_telegram.models import JsonDict
from tests.fake_telegram.updates import chat_dict, image_size, now, user_dict

DEFAULT_FIRST_NAME = "测试"
MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")
PHOTO_SIDES = (90, 320, 800)


def tiny_png(width: int, height: int) -> bytes:
    """A valid all-black grayscale PNG of the given size, for ``send_photo``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" * (width + 1) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class UserActions:
    """User-side API of the fake server (mixed into ``FakeTelegram``)."""

    api: BotApi

    async def _publish(self, update: JsonDict) -> JsonDict:
        """Hand ``update`` to the bot; implemented by the server."""
        raise NotImplementedError

    def _message(
        self,
        user_id: int,
        body: JsonDict,
        *,
        first_name: str,
        chat_type: str,
        chat_id: int | None,
    ) -> JsonDict:
        if chat_id is None:
            if chat_type != "private":
                raise ValueError(f"a {chat_type} chat needs an explicit chat_id")
            chat_id = user_id
        elif chat_type == "private" and chat_id != user_id:
            raise ValueError("in a private chat, chat_id must equal user_id")
        user = user_dict(user_id, first_name)
        chat = chat_dict(chat_id, chat_type, user)
        self.api.chats[chat_id] = chat
        return {
            "message_id": self.api.next_message_id(chat_id),
            "from": user,
            "chat": chat,
            "date": now(),
            **body,
        }

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        chat_type: str = "private",
        chat_id: int | None = None,
        entities: list[JsonDict] | None = None,
    ) -> JsonDict:
        """The user writes ``text``; returns the update."""
        body: JsonDict = {"text": text}
        if entities:
            body["entities"] = entities
        message = self._message(user_id, body, first_name=first_name, chat_type=chat_type, chat_id=chat_id)
        return await self._publish({"message": message})

    async def send_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends ``/command [args]`` with its bot_command entity; returns the update."""
        command = command if command.startswith("/") else f"/{command}"
        text = f"{command} {args}" if args else command
        entity = {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
        return await self.send_text(
            user_id, text, first_name=first_name, chat_type=chat_type, chat_id=chat_id, entities=[entity]
        )

    async def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        chat_id: int | None = None,
        check: bool = True,
    ) -> JsonDict:
        """The user presses an inline button on the bot's message; returns the callback_query update.

        With ``check`` (the default) the button must be on the message's current keyboard,
        since a real user cannot press anything else.
        """
        chat_id = user_id if chat_id is None else chat_id
        message = self.api.find_message(chat_id, message_id)
        if message is None:
            raise LookupError(f"the bot has no message {message_id} in chat {chat_id}")
        if check and callback_data not in message.callback_data:
            raise ValueError(
                f"no button with callback_data {callback_data!r}; buttons: {message.callback_data}"
            )
        query_id = str(uuid.uuid4().int >> 64)
        self.api.callback_queries[query_id] = (user_id, callback_data)
        query: JsonDict = {
            "id": query_id,
            "from": user_dict(user_id, first_name),
            "message": message.raw,
            "chat_instance": str(abs(hash(("chat_instance", chat_id)))),
            "data": callback_data,
        }
        return await self._publish({"callback_query": query})

    async def send_photo(
        self,
        user_id: int,
        image_bytes: bytes,
        caption: str = "",
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends a photo (several PhotoSize entries, largest last); returns the update."""
        width, height = image_size(image_bytes)
        sizes: list[JsonDict] = []
        for side in (*PHOTO_SIDES, max(width, height)):
            if side > max(width, height) or (sizes and side <= max(sizes[-1]["width"], sizes[-1]["height"])):
                continue
            scale = side / max(width, height)
            # The fake cannot resize: every size serves the original bytes.
            stored = self.api.store_file(image_bytes, "photo.jpg", "image/jpeg", "photos")
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": max(1, round(width * scale)),
                    "height": max(1, round(height * scale)),
                    "file_size": len(image_bytes),
                }
            )
        body: JsonDict = {"photo": sizes}
        if caption:
            body["caption"] = caption
        message = self._message(user_id, body, first_name=first_name, chat_type=chat_type, chat_id=chat_id)
        return await self._publish({"message": message})

    async def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str,
        mime_type: str,
        caption: str = "",
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends a file; getFile and the download URL serve ``data``. Returns the update."""
        stored = self.api.store_file(data, file_name, mime_type, "documents")
        body: JsonDict = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(data),
            }
        }
        if caption:
            body["caption"] = caption
        message = self._message(user_id, body, first_name=first_name, chat_type=chat_type, chat_id=chat_id)
        return await self._publish({"message": message})

    async def send_update(self, raw_update: JsonDict) -> JsonDict:
        """Publish any update dict as is (its update_id is replaced); returns it.

        Chats of messages inside it become known to the bot; a missing ``message_id`` or
        ``date`` is filled in, and a callback_query ``id`` becomes answerable.
        """
        update: dict[str, Any] = dict(raw_update)
        for key in MESSAGE_KEYS:
            message = update.get(key)
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                message = dict(message)
                chat_id = int(message["chat"]["id"])
                self.api.chats.setdefault(chat_id, message["chat"])
                message.setdefault("message_id", self.api.next_message_id(chat_id))
                message.setdefault("date", now())
                update[key] = message
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            self.api.callback_queries[str(query["id"])] = (int(query["from"]["id"]), query.get("data"))
        return await self._publish(update)
