"""The Bot API methods the fake implements, with Telegram's validation and error texts.

:class:`BotApi` owns the server-side state (chats, the bot's messages, files, commands,
webhook, callback queries) and answers one method call at a time. It knows nothing of
HTTP: the server decodes parameters, looks the method up in :attr:`BotApi.handlers`
(names are case-insensitive, as in Telegram) and encodes the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.fake_telegram.config import BotConfig
from tests.fake_telegram.models import (
    AnsweredCallback,
    JsonDict,
    SentMessage,
    StoredFile,
    Upload,
    bad_request,
    inline_buttons,
)
from tests.fake_telegram.updates import UpdateQueue, now
from tests.fake_telegram.validation import (
    CALLBACK_TOO_OLD,
    MAX_CAPTION,
    MAX_TEXT,
    WEBHOOK_ACTIVE,
    as_bool,
    checked_text,
    int_param,
    json_param,
    new_file_ids,
    validate_reply_markup,
)

Handler = Callable[[JsonDict, dict[str, Upload]], Awaitable[Any]]


class BotApi:
    """Server-side state of one fake bot and the handlers of its API methods."""

    def __init__(self, bot_user: JsonDict, queue: UpdateQueue) -> None:
        self.bot_user = bot_user
        self.queue = queue
        self.chats: dict[int, JsonDict] = {}
        self.messages: dict[int, list[SentMessage]] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, tuple[int, str | None]] = {}
        self.answered_callbacks: list[AnsweredCallback] = []
        self.config = BotConfig(queue)
        self._message_ids: dict[int, int] = {}
        self.handlers: dict[str, Handler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self.get_me,
                "getUpdates": self.get_updates,
                "sendMessage": self.send_message,
                "answerCallbackQuery": self.answer_callback_query,
                "setMyCommands": self.config.set_my_commands,
                "getMyCommands": self.config.get_my_commands,
                "setWebhook": self.config.set_webhook,
                "deleteWebhook": self.config.delete_webhook,
                "getWebhookInfo": self.config.get_webhook_info,
                "getFile": self.get_file,
                "sendDocument": self.send_document,
            }.items()
        }

    @property
    def commands(self) -> dict[tuple[str, str], list[JsonDict]]:
        """Command lists by (scope as sorted JSON, language code)."""
        return self.config.commands

    @property
    def webhook(self) -> JsonDict:
        """The webhook the bot set (empty if none)."""
        return self.config.webhook

    # -- shared helpers -------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        """The next message id in ``chat_id`` (ids are per chat, shared by user and bot)."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _chat(self, params: JsonDict) -> JsonDict:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """The bot's message ``message_id`` in ``chat_id``, if it sent one."""
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def _message_dict(self, chat: JsonDict, message_id: int, body: JsonDict) -> JsonDict:
        return {"message_id": message_id, "from": self.bot_user, "chat": chat, "date": now(), **body}

    def _record(
        self, chat: JsonDict, method: str, body: JsonDict, params: JsonDict, **fields: Any
    ) -> JsonDict:
        message_id = self.next_message_id(chat["id"])
        raw = self._message_dict(chat, message_id, body)
        markup = body.get("reply_markup")
        self.messages.setdefault(chat["id"], []).append(
            SentMessage(
                message_id=message_id,
                chat_id=chat["id"],
                method=method,
                buttons=inline_buttons(markup),
                reply_markup=markup,
                raw=raw,
                **fields,
            )
        )
        return raw

    # -- methods --------------------------------------------------------------------------

    async def get_me(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """getMe: the bot's own User object."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, params: JsonDict, uploads: dict[str, Upload]) -> list[JsonDict]:
        """getUpdates: confirm by offset, then return pending updates, long-polling if asked."""
        if self.webhook.get("url"):
            raise WEBHOOK_ACTIVE
        offset = int_param(params, "offset", 0)
        limit = int_param(params, "limit", 100)
        limit = 100 if limit <= 0 else min(limit, 100)
        try:
            timeout = float(params.get("timeout") or 0)
        except (TypeError, ValueError):
            raise bad_request("invalid timeout specified") from None
        return await self.queue.get(offset, limit, timeout)

    async def send_message(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """sendMessage: validate text, markup and chat; record and return the Message."""
        chat = self._chat(params)
        text = checked_text(params, MAX_TEXT, "text")
        markup = validate_reply_markup(json_param(params, "reply_markup"))
        body: JsonDict = {"text": text}
        if markup and "inline_keyboard" in markup:
            body["reply_markup"] = markup
        return self._record(
            chat,
            "sendMessage",
            body,
            params,
            text=text,
        )

    async def answer_callback_query(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """answerCallbackQuery: each query can be answered once."""
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.callback_queries:
            raise CALLBACK_TOO_OLD
        user_id, data = self.callback_queries.pop(query_id)
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.answered_callbacks.append(
            AnsweredCallback(
                callback_query_id=query_id,
                user_id=user_id,
                data=data,
                text=None if text is None else str(text),
                show_alert=as_bool(params.get("show_alert")),
                url=params.get("url"),
            )
        )
        return True

    async def get_file(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """getFile: the File object of a known file_id."""
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.as_file()

    def store_file(self, data: bytes, file_name: str, mime_type: str, folder: str) -> StoredFile:
        """Keep ``data`` so getFile and the download URL can serve it."""
        file_id, unique_id = new_file_ids()
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique_id,
            data=data,
            file_path=f"{folder}/file_{len(self.files)}.{suffix}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[file_id] = stored
        return stored

    def _input_file(self, value: object, uploads: dict[str, Upload], name: str) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value.removeprefix("attach://"))
        elif name in uploads:
            upload = uploads[name]
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        elif isinstance(value, str) and value in self.files:
            return self.files[value]
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if upload is None:
            raise bad_request(f"{name} must be non-empty")
        if not upload.data:
            raise bad_request("file must be non-empty")
        return self.store_file(upload.data, upload.file_name, upload.mime_type, "documents")

    async def send_document(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """sendDocument: keep the uploaded bytes and file name; return the Message."""
        chat = self._chat(params)
        stored = self._input_file(params.get("document"), uploads, "document")
        caption = checked_text(params, MAX_CAPTION, "caption")
        markup = validate_reply_markup(json_param(params, "reply_markup"))
        body: JsonDict = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": stored.file_name,
                "mime_type": stored.mime_type,
                "file_size": len(stored.data),
            }
        }
        if caption:
            body["caption"] = caption
        if markup and "inline_keyboard" in markup:
            body["reply_markup"] = markup
        return self._record(
            chat,
            "sendDocument",
            body,
            params,
            text=caption,
            document=stored,
        )
