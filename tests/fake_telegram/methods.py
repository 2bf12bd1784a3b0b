"""The Bot API methods the fake implements, with Telegram's validation and error texts.

:class:`BotApi` owns the server-side state (chats, the bot's messages, files, commands,
webhook, callback queries) and answers one method call at a time. It knows nothing of
HTTP: the server decodes parameters, calls :meth:`BotApi.call` and encodes the answer.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from tests.fake_telegram.formatting import visible_text
from tests.fake_telegram.models import (
    AnsweredCallback,
    ApiError,
    JsonDict,
    MessageEdit,
    SentMessage,
    StoredFile,
    Upload,
    bad_request,
    inline_buttons,
)
from tests.fake_telegram.updates import UpdateQueue, now

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
CHAT_ACTIONS: frozenset[str] = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_ACTIVE = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
)
CALLBACK_TOO_OLD = bad_request("query is too old and response timeout expired or query ID is invalid")

Handler = Callable[[JsonDict, dict[str, Upload]], Awaitable[Any]]


def new_file_ids() -> tuple[str, str]:
    """A fresh ``(file_id, file_unique_id)`` pair shaped like Telegram's."""
    token = uuid.uuid4().hex
    return f"BQACAgIAAxkB{token}", f"AgAD{token[:12]}"


def _as_bool(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _int_param(params: JsonDict, name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _json_param(params: JsonDict, name: str) -> Any:
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def validate_reply_markup(markup: Any) -> JsonDict | None:
    """Check a reply_markup as Telegram does; return it (or None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        return markup
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for row in keyboard:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            kinds = set(button) - {"text"}
            if not kinds:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if "callback_data" in button and (
                not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
            ):
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


class BotApi:
    """Server-side state of one fake bot and the handlers of its API methods."""

    def __init__(self, bot_user: JsonDict, queue: UpdateQueue) -> None:
        self.bot_user = bot_user
        self.queue = queue
        self.chats: dict[int, JsonDict] = {}
        self.messages: dict[int, list[SentMessage]] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.callback_queries: dict[str, tuple[int, str | None]] = {}
        self.answered_callbacks: list[AnsweredCallback] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.webhook: JsonDict = {}
        self._message_ids: dict[int, int] = {}
        self.handlers: dict[str, Handler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self.get_me,
                "getUpdates": self.get_updates,
                "sendMessage": self.send_message,
                "editMessageText": self.edit_message_text,
                "editMessageReplyMarkup": self.edit_message_reply_markup,
                "deleteMessage": self.delete_message,
                "answerCallbackQuery": self.answer_callback_query,
                "setMyCommands": self.set_my_commands,
                "getMyCommands": self.get_my_commands,
                "deleteMyCommands": self.delete_my_commands,
                "setWebhook": self.set_webhook,
                "deleteWebhook": self.delete_webhook,
                "getWebhookInfo": self.get_webhook_info,
                "getFile": self.get_file,
                "sendDocument": self.send_document,
                "sendChatAction": self.send_chat_action,
                "setMyDescription": self.set_bot_setting,
                "setMyShortDescription": self.set_bot_setting,
                "setChatMenuButton": self.set_bot_setting,
                "close": self.accept,
                "logOut": self.accept,
            }.items()
        }

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
        """The bot's message ``message_id`` in ``chat_id``, unless unknown or deleted."""
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def _message_to_edit(self, params: JsonDict) -> SentMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message = self.find_message(chat["id"], _int_param(params, "message_id"))
        if message is None:
            raise bad_request("message to edit not found")
        return message

    def _message_dict(self, chat: JsonDict, message_id: int, body: JsonDict) -> JsonDict:
        return {"message_id": message_id, "from": self.bot_user, "chat": chat, "date": now(), **body}

    def _record(self, chat: JsonDict, method: str, body: JsonDict, **fields: Any) -> JsonDict:
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

    async def accept(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """close / logOut: nothing to do but say yes."""
        return True

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
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        return await self.queue.get(offset, limit, timeout)

    def _checked_text(self, params: JsonDict, limit: int, field: str) -> tuple[str, str, str | None]:
        sent = params.get(field)
        sent = "" if sent is None else str(sent)
        parse_mode = params.get("parse_mode") or None
        shown = visible_text(sent, parse_mode)
        if field == "text" and not shown.strip():
            raise bad_request("message text is empty")
        if len(shown) > limit:
            raise bad_request("message is too long" if field == "text" else "message caption is too long")
        return sent, shown, parse_mode

    async def send_message(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """sendMessage: validate text, markup and chat; record and return the Message."""
        chat = self._chat(params)
        sent, shown, parse_mode = self._checked_text(params, MAX_TEXT, "text")
        markup = validate_reply_markup(_json_param(params, "reply_markup"))
        body: JsonDict = {"text": shown}
        if markup and "inline_keyboard" in markup:
            body["reply_markup"] = markup
        return self._record(chat, "sendMessage", body, text=shown, sent_text=sent, parse_mode=parse_mode)

    def _apply_edit(
        self, message: SentMessage, method: str, text: str, sent: str, markup: JsonDict | None
    ) -> JsonDict:
        inline = markup if markup and "inline_keyboard" in markup else None
        if text == message.text and inline == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        message.text, message.sent_text = text, sent
        message.reply_markup = inline
        message.buttons = inline_buttons(inline)
        message.edits.append(
            MessageEdit(method=method, text=text, buttons=message.buttons, reply_markup=inline)
        )
        key = "caption" if message.document is not None else "text"
        message.raw = {**message.raw, key: text, "edit_date": now()}
        message.raw.pop("reply_markup", None)
        if inline:
            message.raw["reply_markup"] = inline
        return message.raw

    async def edit_message_text(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """editMessageText: replace text; an omitted reply_markup removes the inline keyboard."""
        message = self._message_to_edit(params)
        if message.document is not None:
            raise bad_request("there is no text in the message to edit")
        sent, shown, parse_mode = self._checked_text(params, MAX_TEXT, "text")
        markup = validate_reply_markup(_json_param(params, "reply_markup"))
        message.parse_mode = parse_mode
        return self._apply_edit(message, "editMessageText", shown, sent, markup)

    async def edit_message_reply_markup(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """editMessageReplyMarkup: replace (or, when omitted, remove) the inline keyboard."""
        message = self._message_to_edit(params)
        markup = validate_reply_markup(_json_param(params, "reply_markup"))
        return self._apply_edit(message, "editMessageReplyMarkup", message.text, message.sent_text, markup)

    async def delete_message(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """deleteMessage: mark one of the bot's messages deleted."""
        chat = self._chat(params)
        message = self.find_message(chat["id"], _int_param(params, "message_id"))
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

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
                show_alert=_as_bool(params.get("show_alert")),
                url=params.get("url"),
            )
        )
        return True

    @staticmethod
    def _commands_key(params: JsonDict) -> tuple[str, str]:
        scope = _json_param(params, "scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def set_my_commands(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """setMyCommands: validate and store the list for its scope and language."""
        commands = _json_param(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = [
            {"command": str(c["command"]), "description": str(c["description"])} for c in commands
        ]
        return True

    async def get_my_commands(self, params: JsonDict, uploads: dict[str, Upload]) -> list[JsonDict]:
        """getMyCommands: the list stored for the scope and language (empty if none)."""
        return list(self.commands.get(self._commands_key(params), []))

    async def delete_my_commands(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """deleteMyCommands: forget the list for the scope and language."""
        self.commands.pop(self._commands_key(params), None)
        return True

    async def set_webhook(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """setWebhook: store url and secret token (HTTPS only, like Telegram)."""
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if _as_bool(params.get("drop_pending_updates")):
            self.queue.drop_all()
        self.queue.terminate_waiting_polls()
        self.webhook = {"url": url, "secret_token": secret} if url else {}
        if url:
            self.webhook["allowed_updates"] = _json_param(params, "allowed_updates")
            self.webhook["max_connections"] = _int_param(params, "max_connections", 40)
        return True

    async def delete_webhook(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """deleteWebhook: forget the webhook, optionally dropping pending updates."""
        if _as_bool(params.get("drop_pending_updates")):
            self.queue.drop_all()
        self.webhook = {}
        return True

    async def get_webhook_info(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """getWebhookInfo: the WebhookInfo object."""
        info: JsonDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self.queue.pending_count,
        }
        if self.webhook.get("url"):
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

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
        sent, shown, parse_mode = self._checked_text(params, MAX_CAPTION, "caption")
        markup = validate_reply_markup(_json_param(params, "reply_markup"))
        body: JsonDict = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": stored.file_name,
                "mime_type": stored.mime_type,
                "file_size": len(stored.data),
            }
        }
        if shown:
            body["caption"] = shown
        if markup and "inline_keyboard" in markup:
            body["reply_markup"] = markup
        return self._record(
            chat, "sendDocument", body, text=shown, sent_text=sent, parse_mode=parse_mode, document=stored
        )

    async def send_chat_action(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """sendChatAction: only Telegram's action names are accepted."""
        chat = self._chat(params)
        action = str(params.get("action") or "")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat["id"], action))
        return True

    async def set_bot_setting(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """setMyDescription / setMyShortDescription / setChatMenuButton: stored, not checked."""
        return True
